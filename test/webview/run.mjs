// Webview tests: the built bundle (dist/webview.js) in headless Debian Chromium through playwright-core, inside
// the real page shell (renderWebviewHtml, strict CSP, test nonce) served from a loopback HTTP server, with
// acquireVsCodeApi mocked by a host that answers from the real TensorTable/treeChildren.
// Run after `node scripts/build.mjs`:  node test/webview/run.mjs [name-filter]
import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { assert, assertEqual, eventuallyEqual, gridRows, openTensorsTab, setFilter, text, visibleNames } from './helpers.mjs';
import { registerJobTests } from './jobsTests.mjs';
import { registerTableTests } from './tableTests.mjs';
import { registerA11yTests } from './a11yTests.mjs';
import { registerSidecarTests } from './sidecarTests.mjs';
import { fixtureCorpus } from '../../scripts/fixture-corpus.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts/webview');
const started = Date.now();
const WAIT_MS = Number(process.env.WEIGHTPRINT_WEBVIEW_WAIT_MS || 45_000);
const TEST_MS = 4 * WAIT_MS;

if (!existsSync(join(root, 'dist/webview.js'))) {
  console.error('dist/webview.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}

// 0. The generated fixture corpus (made here when missing or stale).
const corpusDir = fixtureCorpus(root);

// 1. Bundle the harness (fixtures, mock host, page shell) for Node.
const harnessFile = join(root, 'dist-test/webview/harness.cjs');
await esbuild.build({
  entryPoints: [join(root, 'test/webview/harness.ts')], outfile: harnessFile, bundle: true, platform: 'node',
  target: 'node20', format: 'cjs', logLevel: 'warning',
});
const H = createRequire(import.meta.url)(harnessFile);
const { chromium } = await import('playwright-core');

// 2. Loopback server: the harness page (fresh nonce per load), the bundle and stylesheet (dist/) and the codicons.
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html' };
const ALLOWED = ['dist/', 'node_modules/@vscode/codicons/dist/'];
let origin = '';
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname === '/' || url.pathname === '/index.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(H.harnessHtml(origin, randomBytes(16).toString('base64url'), url.searchParams.get('lang') ?? undefined));
    return;
  }
  const rel = normalize(decodeURIComponent(url.pathname).replace(/^\/+/, ''));
  const file = join(root, rel);
  if (!ALLOWED.some((p) => rel.startsWith(p)) || !file.startsWith(root + sep) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

const fixtures = { big: H.bigFixture(50_000), hostile: H.hostileFixture(), error: H.errorFixture() };
const PAGE_ERRORS = Symbol('errors');
/** Contexts still open: a failed test's page is screenshotted and closed by the runner. */
const open = new Set();

/** Opens the webview on a fixture; resolves once the page has rendered the checkpoint or the error view. */
async function openView(fixtureName, { theme = 'dark', state, viewport = { width: 1280, height: 800 }, mock, lang } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // Waits are for states; this bound only turns a state that never comes into a failure, so it is generous enough
  // for a loaded 2-core machine.
  page.setDefaultTimeout(WAIT_MS);
  open.add(context);
  const host = new H.MockHost(fixtures[fixtureName], mock);
  host.pushTo = (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m).catch(() => undefined);
  const problems = [];
  page[PAGE_ERRORS] = problems;
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if ((m.type() === 'error' && !/Failed to load resource/.test(m.text())) || /Content Security Policy/i.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`);
  });
  await page.exposeFunction('__wpHost', (m) => host.handle(m));
  await page.addInitScript({ content: H.initScript(theme, state) });
  await page.goto(origin + (lang ? `/?lang=${encodeURIComponent(lang)}` : '/'));
  await page.waitForSelector('#app[aria-busy="false"]');
  return { page, host, context, close: () => { open.delete(context); return context.close(); } };
}

function expectedQuery(fixture, q) {
  return new H.TensorTable(fixture.rows).query({ filter: '', regex: false, sortKey: 'name', descending: false, start: 0, count: 2000, ...q });
}

async function noProblems(page) {
  const csp = await page.evaluate(() => window.__wp.csp);
  assertEqual(csp, [], 'no CSP violations');
  assertEqual(page[PAGE_ERRORS], [], 'no page errors or console errors');
}
async function shot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('renders a 50,000-tensor checkpoint with a virtualised table', async () => {
  const v = await openView('big');
  const { page } = v;
  const t0 = Date.now();
  assert((await text(v.page, '#summary-stats')).includes('50,000'), 'overview shows the tensor count');
  await openTensorsTab(page);
  const firstPaint = Date.now() - t0;
  assertEqual(await text(page, '#tensor-count'), '50,000 tensors', 'tensor count');
  assertEqual(await page.getAttribute('.grid', 'aria-rowcount'), '50001', 'aria-rowcount');
  const n = await gridRows(page);
  assert(n > 10 && n < 200, `DOM holds a window of rows (${n})`);
  const expected = expectedQuery(fixtures.big, { start: 0, count: 5 }).rows.map((r) => r.name);
  await page.waitForFunction(() => !document.querySelector('.grid .tr.loading'));
  await eventuallyEqual(async () => (await visibleNames(page)).slice(0, 5).map((r) => r.name), expected, 'first rows in name order');
  // Scroll to the bottom: the last tensor shows.
  await page.$eval('.grid', (g) => { g.scrollTop = g.scrollHeight; });
  const last = expectedQuery(fixtures.big, { start: 49_999, count: 1 }).rows[0].name;
  await page.waitForFunction((name) => [...document.querySelectorAll('.grid .tr[aria-rowindex="50001"] .td')].some((c) => c.textContent === name), last);
  const n2 = await gridRows(page);
  assert(n2 < 200, `still a window after scrolling (${n2})`);
  // The host was asked for pages, never for everything.
  const queries = v.host.received.filter((m) => m.type === 'request' && m.method === 'queryTensors');
  assert(queries.length > 0 && queries.every((m) => m.params.query.count <= 200), 'pages are small');
  assert(v.host.received.some((m) => m.type === 'rendered' && m.view === 'checkpoint' && m.tensors === 50_000), 'rendered reported');
  assertEqual(v.host.received.filter((m) => m.type === 'ready').length, 1, 'one ready');
  await noProblems(page);
  await v.close();
  return { note: `tab to table ${firstPaint} ms, ${n} row elements` };
});

test('restores tab, filter, sort and selection from vscode.getState', async () => {
  const v = await openView('big');
  await openTensorsTab(v.page);
  await setFilter(v.page, 'q_proj');
  // Bytes (parameters × dtype) and, for one file, File are hidden until chosen: the chooser shows Bytes.
  assertEqual(await v.page.$$eval('.th[data-col="bytes"]', (e) => e.length), 0, 'bytes hidden by default');
  await v.page.click('#column-chooser summary');
  await v.page.check('#column-chooser input[data-col="bytes"]');
  await v.page.keyboard.press('Escape');
  assertEqual(await v.page.$eval('#column-chooser', (d) => d.open), false, 'Escape closes the chooser');
  await v.page.click('.th[data-col="bytes"]');
  await v.page.waitForFunction(() => !document.querySelector('.grid .tr.loading') && document.querySelector('.grid .tr[aria-rowindex="2"]'));
  await v.page.click('.grid .tr[aria-rowindex="4"]');
  await v.page.waitForSelector('#tensor-detail:not([hidden]) dl');
  // The state is saved after the selection renders: wait for it to arrive, not for a time.
  await v.page.waitForFunction(() => window.__wp.state?.selected === 2 && window.__wp.state?.sortKey === 'bytes');
  const state = await v.page.evaluate(() => window.__wp.state);
  assert(state && state.tab === 'tensors' && state.filter === 'q_proj' && state.sortKey === 'bytes' && state.selected === 2, `state saved: ${JSON.stringify(state)}`);
  assert(Array.isArray(state.hiddenColumns) && !state.hiddenColumns.includes('bytes'), `the column choice is saved: ${JSON.stringify(state.hiddenColumns)}`);
  await v.close();
  const w = await openView('big', { state });
  const { page } = w;
  await page.waitForFunction(() => /of 50,000 tensors$/.test(document.querySelector('#tensor-count')?.textContent ?? ''));
  assertEqual(await page.$eval('#tensor-filter', (f) => f.value), 'q_proj', 'filter restored');
  assertEqual(await page.getAttribute('.th[data-col="bytes"]', 'aria-sort'), 'descending', 'sort restored');
  // The name column stays in view when the table scrolls sideways.
  await page.$eval('.grid', (g) => { g.scrollLeft = 400; });
  const stuck = await page.$eval('.grid .tr[aria-rowindex="2"] .td[data-col="name"]', (c) => Math.round(c.getBoundingClientRect().left - c.closest('.grid').getBoundingClientRect().left));
  assert(Math.abs(stuck) <= 2, `name column sticky (offset ${stuck})`);
  await page.waitForSelector('.grid .tr[aria-rowindex="4"][aria-selected="true"]');
  await page.waitForSelector('#tensor-detail:not([hidden]) dl');
  assertEqual(await w.page.evaluate(() => window.__wp.acquired), 1, 'acquireVsCodeApi called once');
  await noProblems(page);
  await w.close();
});

test('screenshots in light, dark and high-contrast themes', async () => {
  for (const theme of ['light', 'dark', 'hc']) {
    const v = await openView('big', { theme, viewport: { width: 1280, height: 760 } });
    const { page } = v;
    await page.evaluate(() => document.fonts.ready);
    await shot(page, `overview-${theme}`);
    await openTensorsTab(page);
    await page.click('.treeitem[data-path="model"]');
    await page.waitForSelector('.treeitem[data-path="model.layers"]');
    await page.click('.treeitem[data-path="model.layers"]');
    await page.waitForSelector('.treeitem[data-path="model.layers.0"]');
    await setFilter(page, 'layers.3.');
    await page.waitForFunction(() => /of 50,000 tensors$/.test(document.querySelector('#tensor-count')?.textContent ?? ''));
    await page.click('.th[data-col="count"]');
    await page.waitForFunction(() => !document.querySelector('.grid .tr.loading') && document.querySelector('.grid .tr[aria-rowindex="4"]'));
    await page.click('.grid .tr[aria-rowindex="4"]');
    await page.waitForSelector('#tensor-detail:not([hidden]) dl');
    await page.keyboard.press('ArrowDown');
    await page.mouse.move(0, 0);
    await shot(page, `tensors-${theme}`);
    await noProblems(page);
    await v.close();
  }
  // A narrow editor group: the tree folds away, the table scrolls sideways, nothing overlaps.
  const v = await openView('big', { theme: 'dark', viewport: { width: 640, height: 600 }, state: { ...H.defaultStateForTests, tab: 'tensors', detailId: 5 } });
  await v.page.waitForSelector('#tensor-detail:not([hidden]) dl');
  await shot(v.page, 'tensors-narrow-dark');
  await v.close();
});

test('renders a sharded checkpoint of the fixture corpus (93 tensors) opened through the core', async () => {
  const path = join(corpusDir, 'vl/ref_vl/model.safetensors.index.json');
  fixtures.corpus = await H.checkpointFixture(path);
  try {
    const v = await openView('corpus', { theme: 'dark' });
    const { page } = v;
    const stats = await text(page, '#summary-stats');
    assert(stats.includes('93') && stats.includes('5.36M'), `93 tensors, 5.36M parameters: ${stats}`);
    const comps = await page.$$eval('.components-table .component-name', (els) => els.map((e) => e.textContent));
    assertEqual(comps, ['language', 'vision', 'projector'], 'components');
    await shot(page, 'corpus-overview-dark');
    await openTensorsTab(page);
    assertEqual(await text(page, '#tensor-count'), '93 tensors', 'count');
    await page.click('.grid .tr[aria-rowindex="2"]');
    await page.waitForSelector('#tensor-detail:not([hidden]) .values');
    const values = (await text(page, '#tensor-detail .values')).trim().split(/\s+/).filter((x) => x !== '…');
    assert(values.length === 64 && values.every((x) => Number.isFinite(Number(x))), `64 decoded values: ${values.length}`);
    await shot(page, 'corpus-tensors-dark');
    await noProblems(page);
    await v.close();
  } finally {
    await fixtures.corpus.close();
  }
});

test('a GGUF file opened through the core: format badge, quantised dtypes, dequantised values; light, dark, Korean', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-webview-gguf-'));
  fixtures.gguf = await H.checkpointFixture(H.writeGgufFixture(dir));
  try {
    for (const [theme, lang] of [['light', undefined], ['dark', undefined], ['light', 'ko']]) {
      const v = await openView('gguf', { theme, lang });
      const { page } = v;
      const badges = await text(page, '.badges');
      assert(badges.includes('GGUF') && badges.includes('llama'), `format and family badges: ${badges}`);
      const dtypes = await text(page, 'body');
      assert(dtypes.includes('Q4_K'), 'the quantised dtype is listed');
      await shot(page, `gguf-overview-${theme}${lang ? `-${lang}` : ''}`);
      // The count's words are in the page's language: wait for its number.
      await page.click('vscode-tab-header[data-tab="tensors"]');
      await page.waitForFunction(() => /\b21\b/.test(document.querySelector('#tensor-count')?.textContent ?? ''));
      await page.click('.grid .tr[aria-rowindex="2"]');
      await page.waitForSelector('#tensor-detail:not([hidden]) .values');
      const values = (await text(page, '#tensor-detail .values')).trim().split(/\s+/).filter((x) => x !== '…');
      assert(values.length > 0 && values.every((x) => Number.isFinite(Number(x))), `decoded values: ${values.slice(0, 5)}`);
      await shot(page, `gguf-tensors-${theme}${lang ? `-${lang}` : ''}`);
      await noProblems(page);
      await v.close();
    }
  } finally {
    await fixtures.gguf.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

registerTableTests({ test, openView, fixtures, H, expectedQuery, noProblems, shot });
const jobs = registerJobTests({ test, openView, fixtures, H, corpusDir, shot, noProblems });
const sidecars = registerSidecarTests({ test, openView, fixtures, H, corpusDir, shot, noProblems });
registerA11yTests({ test, openView, fixtures, H, root, noProblems, pageProblems: (page) => page[PAGE_ERRORS], corpus: jobs.corpus, sidecars: sidecars.sidecars });

// Run.
const only = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const t0 = Date.now();
  try {
    // A test returns nothing, a note ({ note }) or a reason not to run ({ skip }): a skip is reported apart.
    const result = await Promise.race([t.fn(), new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${TEST_MS / 1000} s`)), TEST_MS).unref())]);
    if (result?.skip) {
      skipped++;
      console.log(`skip - ${t.name} — ${result.skip}`);
    } else {
      passed++;
      console.log(`ok - ${t.name} (${Date.now() - t0} ms)${result?.note ? ` — ${result.note}` : ''}`);
    }
  } catch (e) {
    failed++;
    console.log(`not ok - ${t.name} (${Date.now() - t0} ms)\n  ${String(e?.stack ?? e).split('\n').join('\n  ')}`);
  }
  for (const context of open) {
    for (const [i, p] of context.pages().entries()) {
      console.log(`  page problems: ${JSON.stringify(p[PAGE_ERRORS] ?? [])}`);
      await shot(p, `failed-${tests.indexOf(t)}-${i}`).catch(() => undefined);
    }
    await context.close();
  }
  open.clear();
}
await browser.close();
server.close();
console.log(`screenshots: ${artifacts}`);
console.log(`webview tier: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`webview: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
