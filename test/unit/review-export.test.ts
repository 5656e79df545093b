// Review exporters: golden files for a corpus audit (byte for byte; UPDATE_GOLDEN=1 rewrites them), determinism,
// the HTML in headless Chromium without any network request or error, hostile names in every format, the
// JSON export against docs/review-store.schema.json, and `weightprint audit --notes` with an existing review store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/args';
import { auditCommand } from '../../src/cli/commands/audit';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { writeFingerprint } from '../../src/core/fingerprint/io';
import {
  createFinding, exportReview, formatForPath, HTML_CSP, parseReviewDocument, serialiseReview, type ExportFormat, type ReviewReport,
} from '../../src/core/review/index';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { goldenInputs } from './helpers/reviewCorpus';
import { counterIds, fixedClock, tempDir } from './helpers/reviewFs';
import { parseCsv } from './helpers/hostileOutputs';
import { validate } from './helpers/reviewSchema';

before(() => ensureFixtureCorpus());

const GOLDEN_DIR = join(process.cwd(), 'test', 'golden');
const FORMATS: ExportFormat[] = ['md', 'html', 'json', 'csv'];
const schema = JSON.parse(readFileSync(join(process.cwd(), 'docs', 'review-store.schema.json'), 'utf8'));

test('format from the file extension', () => {
  assert.equal(formatForPath('notes.md'), 'md');
  assert.equal(formatForPath('/x/NOTES.HTML'), 'html');
  assert.equal(formatForPath('a.json'), 'json');
  assert.equal(formatForPath('a.csv'), 'csv');
  assert.equal(formatForPath('a.txt'), null);
});

test('golden exports of the corpus audit (md, html, json, csv) match byte for byte', async () => {
  const { report } = await goldenInputs();
  for (const format of FORMATS) {
    const text = exportReview(report, format);
    const file = join(GOLDEN_DIR, `suspect_vl_copied_vision.review.${format}`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, text);
      if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`${file} did not exist and was written; check it in`);
    }
    assert.ok(readFileSync(file, 'utf8') === text, `${format} export differs from ${file} (run with UPDATE_GOLDEN=1 to accept)`);
    assert.equal(exportReview(report, format), text, `${format} export is deterministic`);
    assert.doesNotMatch(text, new RegExp(CORPUS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `${format}: no machine-specific path`);
    assert.doesNotMatch(text, /\/(tmp|home|root|work)\//, `${format}: no absolute path`);
  }
  const md = exportReview(report, 'md');
  // What the committee reads: the vision encoder derives from vit_R; the language model shows no evidence of reuse.
  assert.match(md, /\| vision encoder \| \*\*derived\*\* \| `vit_R` \|/);
  assert.match(md, /\| language model \| \*\*no evidence of reuse\*\* \| – \|/);
  assert.match(md, /\| `suspect_vl_copied_vision\.safetensors` \| 21,315,304 \| `[0-9a-f]{64}` \|/);
});

test('the JSON export validates against docs/review-store.schema.json and carries the store and the audit', async () => {
  const { report } = await goldenInputs();
  const obj = JSON.parse(exportReview(report, 'json'));
  const exportSchema = { ...schema.$defs.reviewExport, $defs: schema.$defs };
  // `review: {$ref: '#'}` means the store document: resolve it against the root schema.
  exportSchema.properties = { ...exportSchema.properties, review: { $ref: '#/$defs/store' } };
  exportSchema.$defs = { ...schema.$defs, store: { ...schema, $defs: undefined } };
  delete exportSchema.$defs.store.$defs;
  assert.deepEqual(validate(exportSchema, obj), []);
  assert.deepEqual(validate(schema, obj.review), []);
  assert.equal(obj.audit.components.length, 3);
  assert.equal('seconds' in obj.audit, false);
  assert.equal(obj.audit.checkpoint.path, 'suspect_vl_copied_vision.safetensors');
  parseReviewDocument(JSON.stringify(obj.review));
});

type Browser = Awaited<ReturnType<typeof import('playwright-core')['chromium']['launch']>>;
let browser: Promise<Browser> | undefined;
after(async () => { if (browser) await (await browser).close(); });

function launchChromium(): Promise<Browser> {
  // Loaded at run time from node_modules (the test bundle must not inline playwright-core).
  const { chromium } = createRequire(join(process.cwd(), 'package.json'))('playwright-core') as typeof import('playwright-core');
  browser ??= chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return browser;
}

async function openInChromium(htmlText: string): Promise<{ requests: string[]; errors: string[]; info: { scripts: number; svgs: number; rects: number; csp: string | null; text: string } }> {
  const context = await (await launchChromium()).newContext();
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route('**/*', (route) => { requests.push(`routed ${route.request().url()}`); return route.abort(); });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.setContent(htmlText, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const info = await page.evaluate(() => ({
      scripts: document.scripts.length,
      svgs: document.querySelectorAll('svg').length,
      rects: document.querySelectorAll('svg rect').length,
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
      text: document.body.innerText,
    }));
    await page.pdf({ format: 'A4' });
    return { requests, errors, info };
  } finally {
    await context.close();
  }
}

test('the HTML export opens in headless Chromium: no network request, no error, charts inline, printable', { skip: (!existsSync('/usr/bin/chromium') && 'no /usr/bin/chromium') }, async () => {
  const { report } = await goldenInputs();
  const htmlText = exportReview(report, 'html');
  assert.doesNotMatch(htmlText, /<script|\bsrc=|\bhref=|url\(|@import/i, 'no script and no external resource');
  const { requests, errors, info } = await openInChromium(htmlText);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  assert.equal(info.scripts, 0);
  assert.equal(info.csp, HTML_CSP);
  assert.ok(info.svgs >= 4, `heatmaps and per-layer charts (${info.svgs} svg)`);
  assert.ok(info.rects > 20);
  assert.match(info.text, /vision encoder/);
});

// ---- hostile names ----

const HOSTILE = [
  'evil|name`with``ticks\nnew line <script>alert(1)</script> &amp; **bold** [x](http://e.invalid)',
  '=HYPERLINK("http://e.invalid","x")',
  '+cmd|calc',
  '-2+3',
  '@SUM(A1)',
  '\tTAB',
  '\rCR',
  'rtl\u202eexe.fdp',
  '"quoted", comma',
  '<img src=x onerror=alert(2)>',
];

function hostileReport(base: ReviewReport): ReviewReport {
  const r: ReviewReport = JSON.parse(JSON.stringify(base));
  const audit = r.audit!;
  const table = audit.components[0].comparisons[0].table;
  HOSTILE.forEach((name, i) => { table[i].suspect = name; table[i].reference = `ref:${name}`; table[i].matched = true; });
  audit.components[0].comparisons[0].reference = HOSTILE[0];
  audit.components[0].reference = HOSTILE[0];
  r.library = [{ ...r.library[0], id: HOSTILE[1], source: HOSTILE[9] }];
  r.checkpoint = { ...r.checkpoint, name: HOSTILE[0], files: [{ name: HOSTILE[4], size: 1, sha256: null }] };
  const ctx = { now: fixedClock(), newId: counterIds('h'), reviewer: HOSTILE[9] };
  r.findings = [createFinding({ target: { kind: 'tensors', tensors: HOSTILE }, verdict: 'note', rationale: `# heading\n<script>alert(3)</script>\n${HOSTILE[0]}` }, ctx)];
  r.stats = (base.stats ?? []).slice(0, HOSTILE.length).map((s, i) => ({ ...s, name: HOSTILE[i] }));
  return r;
}

/** The text of a Markdown line outside its code spans (CommonMark: a backtick run closes at the next run of equal length). */
function outsideCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '`' && (i === 0 || line[i - 1] !== '\\')) {
      let n = 0;
      while (line[i + n] === '`') n++;
      let j = i + n;
      let close = -1;
      while (j < line.length) {
        if (line[j] === '`') {
          let m = 0;
          while (line[j + m] === '`') m++;
          if (m === n) { close = j; break; }
          j += m;
        } else j++;
      }
      if (close >= 0) { i = close + n; continue; }
      out += line.slice(i, i + n);
      i += n;
      continue;
    }
    out += line[i++];
  }
  return out;
}

test('hostile tensor names are escaped in every format', async () => {
  const r = hostileReport((await goldenInputs()).report);

  // Markdown: every table row keeps its column count (unescaped pipes), names never break a line, no raw HTML.
  const md = exportReview(r, 'md');
  let inTable = 0;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) { inTable = 0; continue; }
    const pipes = (line.match(/(?<!\\)\|/g) ?? []).length;
    if (!inTable) inTable = pipes;
    assert.equal(pipes, inTable, `table row keeps its columns: ${line.slice(0, 120)}`);
  }
  // Outside code spans (whose content a Markdown renderer shows as text) there is no unescaped markup at all.
  for (const line of md.split('\n')) assert.doesNotMatch(outsideCodeSpans(line), /(?<!\\)<[a-z/!?]/i, line.slice(0, 160));
  assert.doesNotMatch(md, /\u202e|\t|\r/);
  assert.match(md, /\\u202e/);
  assert.match(md, /^> # heading$/m, 'rationale stays inside its blockquote');
  assert.match(md, /``` ?evil\\\|name`with``ticks\\u000anew line/);

  // HTML: entities, no markup from names, and in Chromium no script, request or error.
  const htmlText = exportReview(r, 'html');
  assert.doesNotMatch(htmlText, /<script|<img/i);
  assert.match(htmlText, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp;amp;/);
  if (existsSync('/usr/bin/chromium')) {
    const { requests, errors, info } = await openInChromium(htmlText);
    assert.deepEqual(requests, []);
    assert.deepEqual(errors, []);
    assert.equal(info.scripts, 0);
    assert.ok(info.text.includes('<script>alert(1)</script>'), 'shown as text');
  }

  // CSV: RFC 4180 with a fixed column count; formula-looking cells get a leading quote; names otherwise intact.
  const rows = parseCsv(exportReview(r, 'csv'));
  const width = rows[0].length;
  for (const row of rows) assert.equal(row.length, width);
  const tensors = rows.slice(1).map((row) => row[2]);
  for (const name of HOSTILE) {
    const expected = /^[=+\-@\t\r]/.test(name) ? `'${name}` : name;
    assert.ok(tensors.includes(expected), `CSV holds ${JSON.stringify(expected)}`);
  }
  for (const cell of rows.slice(1).flat()) assert.doesNotMatch(cell, /^[=+@\t\r]/, 'no cell starts a formula');
  for (const row of rows.slice(1)) assert.doesNotMatch(row[2], /^-/);

  // JSON: lossless.
  const obj = JSON.parse(exportReview(r, 'json'));
  assert.deepEqual(obj.review.findings[0].target.tensors, [...HOSTILE].sort());
  assert.equal(obj.audit.components[0].comparisons[0].table[0].suspect, HOSTILE[0]);
});

test('weightprint audit --notes: stored findings plus suggestions, usage error on an unknown extension', async () => {
  const dir = tempDir('wp-notes-');
  const lib = join(dir, 'lib');
  mkdirSync(lib);
  await writeFingerprint(join(lib, 'lm_A.wpf'), await fingerprintPath(join(CORPUS, 'lm', 'lm_A.safetensors'), { id: 'lm_A' }));
  await writeFingerprint(join(lib, 'vit_R.wpf'), await fingerprintPath(join(CORPUS, 'vision', 'vit_R.safetensors'), { id: 'vit_R' }));
  const ckpt = join(dir, 'suspect_vl_copied_vision.safetensors');
  copyFileSync(join(CORPUS, 'vl', 'suspect_vl_copied_vision.safetensors'), ckpt);
  const headerHash = (await goldenInputs()).report.checkpoint.headerHash;
  const stored = createFinding({ target: { kind: 'component', component: 'vision' }, verdict: 'derived', confidence: 'high', rationale: 'STORED: reviewer confirmed vit_R reuse' },
    { now: fixedClock(), newId: counterIds('s'), reviewer: 'dana' });
  const storeText = serialiseReview({ headerHash, name: 'suspect_vl_copied_vision.safetensors' }, [stored]);
  writeFileSync(`${ckpt}.review.json`, storeText);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY: false };
  // (auditCommand directly: src/cli/main.ts runs itself when it is the bundle's main module.) A usage error is exit 1.
  await assert.rejects(auditCommand([ckpt, '--library', lib, '--notes', join(dir, 'notes.txt')], io), (e: unknown) => e instanceof UsageError && /\.md, \.html, \.json or \.csv/.test(e.message));
  const notes = join(dir, 'notes.md');
  assert.equal(await auditCommand([ckpt, '--library', lib, '--notes', notes], io), 0, err.join(''));
  const md = readFileSync(notes, 'utf8');
  assert.match(md, /^> STORED: reviewer confirmed vit_R reuse$/m);
  assert.match(md, /\| vision encoder \| \*\*derived\*\* \| `vit_R` \|/);
  assert.match(md, /\| language model \| \*\*no evidence of reuse\*\* \|/);
  assert.equal((md.match(/^### \d+\. vision encoder: /gm) ?? []).length, 1, 'no second suggestion for a component with a finding');
  assert.match(md, /^### \d+\. language model: no evidence of reuse against 2 references \(lm\\_A, vit\\_R\) \(suggested\)$/m);
  assert.match(md, /`[0-9a-f]{64}`/, 'file SHA-256');
  assert.doesNotMatch(md, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no absolute path');
  // The review store beside the checkpoint is only read, never written.
  assert.equal(readFileSync(`${ckpt}.review.json`, 'utf8'), storeText);
});
