// Accessibility of the webview: axe-core (npm) on every view — Overview, Tensors with the detail open, Statistics
// with charts, Provenance with an audit result, Findings with findings and the open form, the error view — in the
// light, dark, high-contrast and high-contrast-light themes, failing on any serious or critical violation; keyboard
// operation with a visible focus indicator; screenshots of each view in each theme under test-artifacts/webview/a11y/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, openTensorsTab } from './helpers.mjs';

const THEMES = ['light', 'dark', 'hc', 'hcLight'];

/**
 * Rules about the page shell that VS Code itself provides around a webview (the workbench has the main landmark,
 * the heading structure and the regions; a custom editor's document is one region inside it), so a webview page
 * cannot and should not repeat them. Everything else runs, colour-contrast included: it computes the effective
 * colours from the theme's --vscode-* variables.
 */
const SHELL_RULES = { 'landmark-one-main': { enabled: false }, 'page-has-heading-one': { enabled: false }, region: { enabled: false } };

export function registerA11yTests({ test, openView, root, noProblems, pageProblems, corpus }) {
  const dir = join(root, 'test-artifacts/webview/a11y');
  const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
  const tab = (page, id) => page.click(`vscode-tab-header[data-tab="${id}"]`);

  /**
   * axe into the page. The page's CSP (nonce scripts only) blocks addScriptTag's inline script, so the source is
   * evaluated through the DevTools protocol, which CSP does not govern; the page itself keeps its strict policy.
   */
  async function injectAxe(page) {
    if (await page.evaluate(() => typeof window.axe === 'object')) return;
    const cdp = await page.context().newCDPSession(page);
    const r = await cdp.send('Runtime.evaluate', { expression: `${axeSource}\n;typeof window.axe`, returnByValue: true });
    await cdp.detach();
    assert(r.result?.value === 'object', `axe-core injected (${JSON.stringify(r.exceptionDetails ?? r.result)})`);
  }

  /**
   * Runs axe on the whole document; returns the serious and critical violations as printable lines. axe's own
   * inline <style> probes are refused by the page's CSP: those reports (made while axe runs) are dropped so that
   * noProblems still checks everything the page itself did.
   */
  async function audit(page, label) {
    await injectAxe(page);
    const before = { csp: await page.evaluate(() => window.__wp.csp.length), errors: pageProblems(page).length };
    const res = await page.evaluate(async (rules) => {
      const r = await window.axe.run(document, { rules, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), impact: n.impact, summary: n.failureSummary })) }));
    }, SHELL_RULES);
    await page.evaluate((n) => { window.__wp.csp.length = n; }, before.csp);
    const problems = pageProblems(page);
    const axeProbe = /Applying inline style violates the following Content Security Policy/;
    problems.splice(before.errors, problems.length - before.errors, ...problems.slice(before.errors).filter((p) => !axeProbe.test(p)));
    const bad = [];
    for (const v of res) {
      for (const n of v.nodes) {
        const impact = n.impact ?? v.impact;
        if (impact === 'serious' || impact === 'critical') bad.push(`${label}: [${impact}] ${v.id} at ${n.target} — ${v.help}${n.summary ? `\n      ${n.summary.replace(/\n/g, '\n      ')}` : ''}`);
      }
    }
    return bad;
  }

  async function setTheme(page, theme) {
    await page.evaluate((t) => window.__wpSetTheme(t), theme);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  /** axe and a screenshot of the current view in every theme; fails with every violation found. */
  async function everyTheme(page, view, found) {
    mkdirSync(dir, { recursive: true });
    await page.mouse.move(0, 0);
    for (const theme of THEMES) {
      await setTheme(page, theme);
      found.push(...await audit(page, `${view}/${theme}`));
      await page.screenshot({ path: join(dir, `${view}-${theme}.png`) });
    }
  }

  function report(found) {
    if (found.length) throw new Error(`${found.length} serious/critical axe violation(s):\n    ${found.join('\n    ')}`);
  }

  /** The fixture corpus's copied-vision suspect with its statistics and audit. */
  async function openJobsView(extra = {}) {
    const jobs = await corpus();
    return { v: await openView('copied', { theme: 'dark', viewport: { width: 1280, height: 860 }, mock: { jobs, statsDone: true, auditDone: true }, ...extra }) };
  }

  test('a11y: axe on Overview and Tensors (detail, tree, statistics) in four themes', async () => {
    const found = [];
    const { v } = await openJobsView();
    const { page } = v;
    await page.evaluate(() => document.fonts.ready);
    await everyTheme(page, 'overview', found);
    await openTensorsTab(page);
    await page.waitForFunction(() => !document.querySelector('.grid .tr.loading') && document.querySelector('.grid .tr[aria-rowindex="3"]'));
    const first = await page.getAttribute('.treeitem[aria-level="1"]', 'data-path');
    await page.click(`.treeitem[data-path="${first}"]`);
    await page.waitForSelector('.treeitem[aria-level="2"]');
    await page.click('.grid .tr[aria-rowindex="3"]');
    await page.waitForSelector('#tensor-detail:not([hidden]) dl');
    await page.mouse.move(0, 0);
    await everyTheme(page, 'tensors', found);
    report(found);
    await noProblems(page);
    await v.close();
  });

  test('a11y: axe on Statistics (charts, data tables) and Provenance (audit result) in four themes', async () => {
    const found = [];
    const { v } = await openJobsView();
    const { page } = v;
    await tab(page, 'statistics');
    await page.waitForSelector('#layer-charts .component-layers');
    // One data table on screen (it scrolls: it must be a Tab stop).
    await page.click('#layer-charts .table-toggle');
    await page.waitForSelector('#layer-charts .chart-table:not(.sr-only)[tabindex="0"]');
    await everyTheme(page, 'statistics', found);
    await tab(page, 'provenance');
    await page.waitForSelector('.card[data-component="vision"]');
    await everyTheme(page, 'provenance', found);
    report(found);
    await noProblems(page);
    await v.close();
  });

  test('a11y: axe on Findings (list, open form) and the error view in four themes', async () => {
    const found = [];
    const { v } = await openJobsView();
    const { page, host } = v;
    await tab(page, 'findings');
    await host.pushTo(findingsPush());
    await page.waitForSelector('.finding-item[data-finding-id="f3"]');
    await page.click('#finding-add');
    await page.waitForSelector('#finding-form');
    await page.waitForFunction(() => document.activeElement?.id === 'finding-verdict');
    await everyTheme(page, 'findings', found);
    await noProblems(page);
    await v.close();
    const e = await openView('error', { theme: 'dark' });
    await e.page.waitForSelector('#error-view');
    await everyTheme(e.page, 'error', found);
    report(found);
    await noProblems(e.page);
    await e.close();
  });

  test('a11y: Korean — axe and screenshots of every view (dark theme)', async () => {
    const found = [];
    const { v } = await openJobsView({ lang: 'ko' });
    const { page, host } = v;
    assert(await page.evaluate(() => document.documentElement.lang === 'ko'), '<html lang="ko">');
    await host.pushTo(findingsPush('ko'));
    const ko = join(dir, 'ko');
    mkdirSync(ko, { recursive: true });
    await page.evaluate(() => document.fonts.ready);
    for (const id of ['overview', 'tensors', 'statistics', 'provenance', 'findings']) {
      await tab(page, id);
      if (id === 'tensors') {
        await page.waitForFunction(() => !document.querySelector('.grid .tr.loading') && document.querySelector('.grid .tr[aria-rowindex="3"]'));
        await page.click('.grid .tr[aria-rowindex="3"]');
        await page.waitForSelector('#tensor-detail:not([hidden]) dl');
      }
      await page.mouse.move(0, 0);
      found.push(...await audit(page, `ko/${id}/dark`));
      await page.screenshot({ path: join(ko, `${id}-dark.png`) });
    }
    report(found);
    await noProblems(page);
    await v.close();
  });

  test('a11y: keyboard reaches every tab and view with a visible focus indicator', async () => {
    const { v, audited } = await openJobsView();
    const { page, host } = v;
    await host.pushTo(findingsPush());
    const problems = [];
    const seen = {};
    for (const [i, id] of ['overview', 'tensors', 'statistics', 'provenance', 'findings'].entries()) {
      // The tab strip is operable from the keyboard: from the selected header, ArrowRight then Enter.
      await page.focus('vscode-tab-header[aria-selected="true"]');
      if (i > 0) {
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Enter');
      }
      await page.waitForFunction((t) => document.querySelector(`vscode-tab-header[data-tab="${t}"]`)?.getAttribute('aria-selected') === 'true', id);
      if (id === 'findings') await page.waitForSelector('.finding-item');
      const stops = [];
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(focusInfo);
        if (!f) break;
        if (stops.some((s) => s.key === f.key)) break;
        stops.push(f);
        if (!f.visible) problems.push(`${id}: focus on ${f.key} has no visible indicator`);
      }
      seen[id] = stops.length;
      if (process.env.A11Y_DEBUG) console.log(id, stops.map((s) => `${s.key}${s.visible ? "" : " (no ring)"}`).join(" | "));
      assert(stops.length > 0, `${id}: Tab reaches something`);
    }
    assert(seen.tensors >= 3, `tensors: filter, table and tree are Tab stops (${seen.tensors})`);
    if (audited) assert(seen.statistics >= 3 && seen.provenance >= 3, `statistics and provenance have Tab stops (${JSON.stringify(seen)})`);
    if (problems.length) throw new Error(problems.join('\n    '));
    await noProblems(page);
    await v.close();
    return { note: `Tab stops per view ${JSON.stringify(seen)}` };
  });
}

/** In the page: the focused element (through shadow roots) and whether something around it shows focus. */
function focusInfo() {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  const chain = [el];
  while (el.shadowRoot?.activeElement) {
    el = el.shadowRoot.activeElement;
    chain.push(el);
  }
  // The focus colour as computed: vscode-elements' inputs show focus as a border in it instead of an outline.
  const probe = document.body.appendChild(document.createElement('span'));
  probe.style.setProperty('color', 'var(--vscode-focusBorder)');
  const focusColor = getComputedStyle(probe).color;
  probe.remove();
  const shows = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none')
      || (s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0 && s.borderTopColor === focusColor);
  };
  // A custom element may draw its ring on the host, the focused inner element or a wrapper inside its shadow root.
  const wrappers = chain.flatMap((e) => (e.shadowRoot ? [...e.shadowRoot.querySelectorAll('*')].filter((x) => x.contains?.(chain[chain.length - 1]) || x.matches?.(':focus-within')) : []));
  const visible = [...chain, ...wrappers].some(shows);
  const top = chain[0];
  // Identity of the element (so that a second visit ends the walk), and a readable name for messages.
  const ids = (window.__a11yIds ??= new WeakMap());
  if (!ids.has(top)) ids.set(top, (window.__a11yNext = (window.__a11yNext ?? 0) + 1));
  const name = `${top.tagName.toLowerCase()}${top.id ? `#${top.id}` : ''}${top.className && typeof top.className === 'string' ? `.${top.className.trim().split(/\s+/).join('.')}` : ''}${top.getAttribute('data-path') ? `[${top.getAttribute('data-path')}]` : ''}${top.getAttribute('data-action') ? `[${top.getAttribute('data-action')}]` : ''}:${[...top.parentNode.children].indexOf(top)}`;
  return { key: `${name}#${ids.get(top)}`, visible };
}

const KO_BUNDLE = JSON.parse(readFileSync(new URL('../../l10n/bundle.l10n.ko.json', import.meta.url), 'utf8'));

/**
 * Three findings (a suggestion from an audit, a confirmed and a rejected one) and a writable review store, with the
 * host's strings and the reviewer's words in `lang` (the host translates its strings before it posts them).
 */
function findingsPush(lang = 'en') {
  const tr = (m, ...args) => (lang === 'ko' ? KO_BUNDLE[m] ?? m : m).replace(/\{(\d+)\}/g, (_, i) => String(args[+i]));
  const said = (en, ko) => (lang === 'ko' ? ko : en);
  const t = '2025-11-20T09:30:00.000Z';
  const evidence = {
    headerHash: 'x', reference: 'vit_R', auditVerdict: 'derived', relation: 'derived', component: 'vision',
    evidence: { matchedTensors: 65, informativeTensors: 65 }, tensors: [], referencesChecked: ['vit_R', 'lm_A'], method: {}, toolVersion: '0.1.0',
  };
  const f = (id, target, verdict, state, rationale, ev = null) => ({ id, target, verdict, confidence: 'high', rationale, evidence: ev, reviewer: 'kim', created: t, updated: t, state });
  return {
    type: 'findings', canUndo: true, undoLabel: tr('Undo add finding'), reviewer: 'kim',
    status: { kind: 'ok', message: tr('{0} findings in {1}.', 3, 'model.review.json'), path: '/tmp/model.review.json', writable: true, dirty: false, canSaveAs: false },
    findings: [
      f('f1', { kind: 'component', component: 'vision' }, 'derived', 'suggested', said('All 65 vision tensors match vit_R.', '비전 인코더 텐서 65개가 모두 vit_R과 일치합니다.'), evidence),
      f('f2', { kind: 'layers', component: 'language', from: 0, to: 3 }, 'independent', 'confirmed', ''),
      f('f3', { kind: 'tensors', tensors: ['model.projector.linear_1.weight', 'model.projector.linear_2.weight'] }, 'inconclusive', 'rejected', said('Too small to tell.', '판단하기에는 너무 작습니다.')),
    ],
  };
}
