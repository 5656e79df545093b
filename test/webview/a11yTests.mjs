// Accessibility of the webview: axe-core (npm) on every view — Overview, Tensors with the detail open, Statistics
// with charts, Provenance with an audit result, Findings with findings and the open form, the error view — in the
// light, dark, high-contrast and high-contrast-light themes, failing on any serious or critical violation; keyboard
// operation with a visible focus indicator; screenshots of each view in each theme under test-artifacts/webview/a11y/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, assertEqual, openTensorsTab } from './helpers.mjs';

const THEMES = ['light', 'dark', 'hc', 'hcLight'];

/**
 * Rules about the page shell that VS Code itself provides around a webview (the workbench has the main landmark,
 * the heading structure and the regions; a custom editor's document is one region inside it), so a webview page
 * cannot and should not repeat them. Everything else runs, colour-contrast included: it computes the effective
 * colours from the theme's --vscode-* variables.
 */
const SHELL_RULES = { 'landmark-one-main': { enabled: false }, 'page-has-heading-one': { enabled: false }, region: { enabled: false } };

export function registerA11yTests({ test, openView, root, noProblems, pageProblems, corpus, sidecars }) {
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

  test('a11y: axe on the evidence beside the weights (Overview claims and tokenizer, Provenance tokenizer and configuration cards) in four themes', async () => {
    const found = [];
    const jobs = await sidecars();
    const v = await openView('sidecars', { theme: 'dark', viewport: { width: 1280, height: 860 }, mock: { jobs, statsDone: true, auditDone: true } });
    const { page } = v;
    await page.waitForSelector('#declared-title');
    await page.$eval('#declared-title', (e) => e.scrollIntoView());
    await everyTheme(page, 'overview-sidecars', found);
    await tab(page, 'provenance');
    await page.waitForSelector('#tokenizer-card');
    await page.$eval('#sidecars-title', (e) => e.scrollIntoView());
    await everyTheme(page, 'provenance-sidecars', found);
    report(found);
    await noProblems(page);
    await v.close();
  });

  test('a11y: axe on Findings (list, open form) and the error view in four themes', async () => {
    const found = [];
    const { v } = await openJobsView();
    const { page, host } = v;
    await tab(page, 'findings');
    // An empty review says "no findings yet" once, in the list that says how to get some.
    await host.pushTo({ ...findingsPush(), findings: [], status: { kind: 'new', message: 'model.review.json will be created.', path: '/tmp/model.review.json', writable: true, dirty: false, canSaveAs: false } });
    await page.waitForSelector('.findings-empty');
    const empty = await page.evaluate(() => ({ summary: document.querySelector('#findings-summary').textContent, said: (document.body.innerText.match(/No findings yet/g) ?? []).length, signed: document.querySelector('.findings-reviewer')?.textContent ?? '' }));
    assertEqual({ summary: empty.summary, said: empty.said }, { summary: '', said: 1 }, 'no findings said once');
    assert(empty.signed.includes('New findings are signed “kim”'), `reviewer line: ${empty.signed}`);
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

  test('Findings: rationale Markdown as elements, HTML in it as text, the no-evidence badge (English and Korean)', async () => {
    for (const lang of ['en', 'ko']) {
      const { v } = await openJobsView(lang === 'ko' ? { lang } : {});
      const { page, host } = v;
      await tab(page, 'findings');
      await host.pushTo(findingsPush(lang));
      await page.waitForSelector('.finding-item[data-finding-id="f0"]');
      const seen = await page.evaluate(() => {
        const item = (id) => document.querySelector(`.finding-item[data-finding-id="${id}"]`);
        const r0 = item('f0').querySelector('.finding-rationale');
        const r1 = item('f1').querySelector('.finding-rationale');
        return {
          badge: item('f0').querySelector('.finding-verdict').textContent.trim(),
          strong0: [...r0.querySelectorAll('strong')].map((e) => e.textContent),
          em0: [...r0.querySelectorAll('em')].map((e) => e.textContent),
          code0: [...r0.querySelectorAll('code')].map((e) => e.textContent),
          text0: r0.textContent,
          paragraphs1: r1.querySelectorAll(':scope > p').length,
          items1: [...r1.querySelectorAll('ul > li')].map((e) => e.textContent),
          strong1: [...r1.querySelectorAll('strong')].map((e) => e.textContent),
          text1: r1.textContent,
          foreign: [...document.querySelectorAll('#findings-list img, #findings-list script, #findings-list a')].length,
          pwned: window.__pwned ?? null,
          order: [...document.querySelectorAll('.finding-item')].map((e) => e.getAttribute('data-finding-id')),
        };
      });
      const ko = lang === 'ko';
      assert(seen.badge === (ko ? '기준 모델 2개(lm_A, vit_R) 대비 재사용 근거 없음' : 'no evidence of reuse against 2 references (lm_A, vit_R)'), `${lang}: badge ${seen.badge}`);
      assert(JSON.stringify(seen.strong0) === JSON.stringify([ko ? '재사용 근거 없음' : 'no evidence of reuse']), `${lang}: bold ${seen.strong0}`);
      assert(JSON.stringify(seen.em0) === JSON.stringify([ko ? '독자적' : 'independent']), `${lang}: italic ${seen.em0}`);
      assert(JSON.stringify(seen.code0) === JSON.stringify(['lm_A', 'vit_R', 'lm_A']), `${lang}: code ${seen.code0}`);
      assert(!seen.text0.includes('*') && !seen.text0.includes('`'), `${lang}: no Markdown marks shown: ${seen.text0}`);
      assert(seen.paragraphs1 === 2 && seen.items1.length === 2 && seen.items1[0].includes('visual.patch_embed'), `${lang}: paragraphs and list (${seen.paragraphs1}, ${seen.items1})`);
      assert(seen.strong1.includes('<script>window.__pwned=2</script>'), `${lang}: HTML inside bold is text (${seen.strong1})`);
      assert(seen.text1.includes('<img src=x onerror="window.__pwned=1">') && seen.text1.includes('[link](javascript:alert(1))'), `${lang}: HTML and links read as typed`);
      assert(seen.foreign === 0 && seen.pwned === null, `${lang}: no element or script from the text (${seen.foreign}, ${seen.pwned})`);
      assert(JSON.stringify(seen.order) === JSON.stringify(['f0', 'f2', 'f1', 'f3']), `${lang}: language, vision, tensors (${seen.order})`);
      await page.mouse.move(0, 0);
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `findings-markdown-${lang}.png`) });
      await page.evaluate(() => document.querySelector('.finding-item[data-finding-id="f1"]').scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(dir, `findings-markdown-${lang}-2.png`) });
      // Edit keeps the verdict, and the form still offers "independent" to the reviewer.
      await page.click('.finding-item[data-finding-id="f0"] vscode-button[data-action="edit"]');
      await page.waitForSelector('#finding-form');
      const form = await page.evaluate(() => {
        const sel = document.querySelector('#finding-verdict');
        return { value: sel.value, options: [...sel.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value')) };
      });
      assert(form.value === 'no-evidence' && form.options.includes('independent') && form.options.includes('no-evidence'), `${lang}: verdict select ${JSON.stringify(form)}`);
      await noProblems(page);
      await v.close();
    }
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
  const none = {
    ...evidence, reference: null, auditVerdict: 'no-evidence', relation: 'none of the 2 reference(s) matches', component: 'language',
    evidence: { matchedTensors: 0, informativeTensors: 64 }, referencesChecked: ['lm_A', 'vit_R'],
  };
  // Markdown as the audit and reviewers write it, and HTML a hostile review file might hold: shown as text.
  const hostile = '\n\n<img src=x onerror="window.__pwned=1"> **<script>window.__pwned=2</script>** [link](javascript:alert(1))';
  return {
    type: 'findings', canUndo: true, undoLabel: tr('Undo add finding'), reviewer: 'kim',
    status: { kind: 'ok', message: tr('{0} findings in {1}.', 4, 'model.review.json'), path: '/tmp/model.review.json', writable: true, dirty: false, canSaveAs: false },
    findings: [
      { ...f('f0', { kind: 'component', component: 'language' }, 'no-evidence', 'suggested', said(
        'Suggested by the audit: **no evidence of reuse** for the language model against 2 references (`lm_A`, `vit_R`). Only 1 of them includes language model weights (`lm_A`). ' +
          "Confidence low: no evidence is not independence; whether the language model is *independent* is the reviewer's call.",
        '감사 결과 제안: 언어 모델은 확인한 기준 모델 2개(`lm_A`, `vit_R`) 대비 **재사용 근거 없음**입니다. 그중 언어 모델 가중치를 포함한 기준 모델은 1개(`lm_A`)뿐입니다. ' +
          '확신도 낮음: 근거가 없다는 것이 독자적이라는 뜻은 아니며, 언어 모델이 *독자적*인지는 검토자가 판단합니다.'), none), confidence: 'low' },
      f('f1', { kind: 'component', component: 'vision' }, 'derived', 'suggested', said('All 65 vision tensors match **vit_R**:\n- patch embedding `visual.patch_embed`\n- every block', '비전 인코더 텐서 65개가 모두 **vit_R**과 일치합니다:\n- 패치 임베딩 `visual.patch_embed`\n- 모든 블록') + hostile, evidence),
      f('f2', { kind: 'layers', component: 'language', from: 0, to: 3 }, 'independent', 'confirmed', ''),
      f('f3', { kind: 'tensors', tensors: ['model.projector.linear_1.weight', 'model.projector.linear_2.weight'] }, 'inconclusive', 'rejected', said('Too small to tell.', '판단하기에는 너무 작습니다.')),
    ],
  };
}
