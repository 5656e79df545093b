// Webview tests of the Statistics and Provenance views and of statistics in the Tensors tab, on real results
// computed by the core from the generated fixture corpus (statistics, per-layer series, an audit against lm_A and vit_R).
import { join } from 'node:path';
import { assert, assertEqual, openTensorsTab, text } from './helpers.mjs';

const HOSTILE = ['<img src=x onerror=window.__pwned=1>', '</script><script>window.__pwned=1</script>', '<svg onload=window.__pwned=1>'];

export function registerJobTests({ test, openView, fixtures, H, corpusDir, shot, noProblems }) {
  const suspect = join(corpusDir, 'vl/suspect_vl_copied_vision.safetensors');
  const refs = [{ path: join(corpusDir, 'lm/lm_A.safetensors'), id: 'lm_A' }, { path: join(corpusDir, 'vision/vit_R.safetensors'), id: 'vit_R' }];
  let loaded;
  /** The copied-vision suspect opened through the core, its statistics and its audit (computed once). */
  const corpus = () => (loaded ??= (async () => {
    const t0 = Date.now();
    fixtures.copied = await H.checkpointFixture(suspect);
    const jobs = await H.corpusJobs(suspect, refs);
    jobs.ms = Date.now() - t0;
    return jobs;
  })());
  const tab = (page, id) => page.click(`vscode-tab-header[data-tab="${id}"]`);
  /** Scrolls the tab panel (only it, unlike scrollIntoView) so that the element is at its top. */
  const scrollTo = (page, sel) => page.$eval(sel, (e) => {
    const panel = e.closest('vscode-tab-panel');
    panel.scrollTop += e.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
  });

  test('statistics: computing streams into the table, per-layer charts and heatmaps match the data', async () => {
    const jobs = await corpus();
    const v = await openView('copied', { theme: 'dark', mock: { jobs, stepMs: 100 } });
    const { page, host } = v;
    await openTensorsTab(page);
    assertEqual(await page.$$eval('.th[data-col="std"]', (e) => e.length), 0, 'no stats columns before statistics');
    await tab(page, 'statistics');
    assert((await text(page, '#stats-job-status')).includes('not been computed'), 'idle state explained');
    const queriesBefore = host.received.filter((m) => m.type === 'request' && m.method === 'queryTensors').length;
    await page.click('#stats-job-run');
    await page.waitForSelector('#stats-job-cancel:not([hidden])');
    await openTensorsTab(page);
    await page.waitForSelector('#tensors-stats-progress:not([hidden])');
    await page.waitForSelector('.th[data-col="std"]');
    await page.waitForFunction(() => [...document.querySelectorAll('.grid .td[data-col="std"]')].some((c) => c.textContent !== ''));
    await shot(page, 'tensors-streaming-dark');
    await tab(page, 'statistics');
    await page.waitForFunction(() => /of 138 tensors/.test(document.querySelector('#stats-job-detail')?.textContent ?? ''));
    assert(Number(await page.getAttribute('#stats-job-progress', 'aria-valuenow')) >= 0, 'progressbar has a value');
    await page.waitForSelector('#layer-charts .component-layers');
    assert(host.received.some((m) => m.type === 'runStats'), 'runStats sent');
    const queries = host.received.filter((m) => m.type === 'request' && m.method === 'queryTensors').length - queriesBefore;
    assert(queries >= 2 && queries <= 12, `visible page re-queried while streaming, throttled (${queries})`);
    assert((await text(page, '#stats-job-status')).includes('138 of 138'), 'done state');
    // Each component: one marker per layer per series, the drawn values are the data's, heatmap = series × layers.
    for (const c of jobs.layers) {
      const sec = `#layers-${c.component}`;
      const s0 = c.series[0];
      const pts = await page.$$eval(`${sec} .chart-lines .series[data-series="0"] .pt`, (els) => els.map((e) => [Number(e.getAttribute('data-layer')), Number(e.getAttribute('data-value'))]));
      assertEqual(pts.length, s0.layers.length, `${c.component}: points = layers`);
      assertEqual(pts, s0.layers.map((l, i) => [l, s0.std[i]]), `${c.component}: drawn std values`);
      const cells = await page.$$eval(`${sec} .layer-heatmap .cells rect.hm-cell`, (els) => els.length);
      const layers = new Set(c.series.flatMap((s) => s.layers)).size;
      assertEqual(cells, c.series.length * layers, `${c.component}: heatmap cells`);
      const head = await page.$$eval(`${sec} .chart-lines table thead th`, (els) => els.map((e) => e.textContent));
      assertEqual(head, ['layer', ...c.series.map((s) => s.label)], `${c.component}: data table headers`);
      const firstRow = await page.$$eval(`${sec} .chart-lines table tbody tr:first-child > *`, (els) => els.map((e) => e.textContent));
      assertEqual(firstRow[0], String(s0.layers[0]), 'data table row header = layer');
      assert(Math.abs(Number(firstRow[1]) - s0.std[0]) <= 1e-5 * Math.abs(s0.std[0]), `data table cell ${firstRow[1]} ≈ std ${s0.std[0]}`);
    }
    // Line charts: no two series share colour, marker and dash; ≥ 4 y ticks at a 1-2-5 step enclosing every value.
    for (const c of jobs.layers) {
      const sec = `#layers-${c.component}`;
      const styles = await page.$$eval(`${sec} .chart-lines .series`, (els) => els.map((e) => e.getAttribute('data-style')));
      assertEqual(styles.length, c.series.length, `${c.component}: one group per series`);
      assertEqual(new Set(styles).size, styles.length, `${c.component}: distinct colour/marker/dash triples ${styles}`);
      const ticks = await page.$$eval(`${sec} .chart-lines .y-tick`, (els) => els.map((e) => Number(e.getAttribute('data-value'))));
      const values = c.series.flatMap((s) => s.std).filter((v) => v !== null);
      assert(ticks.length >= 4, `${c.component}: ${ticks.length} y ticks`);
      assert(ticks[0] <= Math.min(...values) && ticks[ticks.length - 1] >= Math.max(...values), `${c.component}: ticks ${ticks} enclose the data`);
      const step = ticks[1] - ticks[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      assert([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `${c.component}: tick step ${step} is 1, 2 or 5 × 10^k`);
      // Module × layer heatmap, per row (default): each row's range printed, the caption says so, a % scale.
      const lh = `${sec} .layer-heatmap`;
      assertEqual(await page.$$eval(`${lh} .row-note`, (e) => e.length), c.series.length, `${c.component}: a range per row`);
      assert((await text(page, `${sec} .chart-heatmap .chart-note`)).startsWith('Shading is per row'), `${c.component}: caption says per row`);
      assertEqual(await page.$$eval(`${lh} .hm-scale-tick`, (els) => els.map((e) => e.textContent)), ['0%', '25%', '50%', '75%', '100%'], `${c.component}: per-row scale`);
    }
    // Shared scale: one numbered scale over every module's values, the caption says so, focus stays on the toggle.
    const lc = jobs.layers[0];
    await page.click(`#layers-${lc.component} [data-shade="shared"]`);
    await page.waitForSelector(`#layers-${lc.component} .layer-heatmap.shade-shared`);
    assertEqual(await page.evaluate(() => document.activeElement?.closest('.component-layers')?.id + ' ' + document.activeElement?.getAttribute('data-shade')), `layers-${lc.component} shared`, 'focus stays on the shading toggle');
    assertEqual(await page.$$eval('.layer-heatmap.shade-shared', (e) => e.length), jobs.layers.length, 'every heatmap follows the shading');
    const shared = `#layers-${lc.component} .layer-heatmap`;
    assert((await text(page, `#layers-${lc.component} .chart-heatmap .chart-note`)).startsWith('Shading is shared'), 'caption says shared');
    const scaleTicks = await page.$$eval(`${shared} .hm-scale-tick`, (els) => els.map((e) => Number(e.textContent)));
    const all = lc.series.flatMap((s) => s.std).filter((v) => v !== null);
    assert(scaleTicks.length >= 4 && scaleTicks.every(Number.isFinite), `numbered shared scale ${scaleTicks}`);
    assert(scaleTicks[0] <= Math.min(...all) && scaleTicks[scaleTicks.length - 1] >= Math.max(...all), `shared scale ${scaleTicks} covers the values`);
    assertEqual(await page.$$eval(`${shared} .row-note`, (e) => e.length), 0, 'no per-row ranges on a shared scale');
    await scrollTo(page, `#layers-${lc.component}`);
    await shot(page, 'statistics-shared-dark');
    await page.click(`#layers-${lc.component} [data-shade="row"]`);
    await page.waitForSelector(`#layers-${lc.component} .layer-heatmap.shade-row`);
    // Another statistic redraws.
    await page.check('#layer-stat-l2');
    const c0 = jobs.layers[0];
    const l2 = await page.$eval(`#layers-${c0.component} .chart-lines .series[data-series="0"] .pt`, (e) => Number(e.getAttribute('data-value')));
    assertEqual(l2, c0.series[0].l2[0], 'L2 drawn after switching');
    // Keyboard: focus a chart, arrows move the read-out.
    await page.focus(`#layers-${c0.component} .chart-lines .chart-plot`);
    await page.keyboard.press('ArrowRight');
    assert((await text(page, `#layers-${c0.component} .chart-lines .chart-readout`)).startsWith(`layer ${c0.series[0].layers[1]}:`), 'read-out follows the cursor');
    // Table: stats columns appeared, sort by std (descending first), flags column present.
    await openTensorsTab(page);
    for (const col of ['std', 'absmax', 'kurtosis', 'zeros', 'flags']) assertEqual(await page.$$eval(`.th[data-col="${col}"]`, (e) => e.length), 1, `column ${col}`);
    await page.click('.th[data-col="std"]');
    assertEqual(await page.getAttribute('.th[data-col="std"]', 'aria-sort'), 'descending', 'std sorted descending');
    const expected = host.query({ filter: '', regex: false, sortKey: 'std', descending: true, start: 0, count: 8 }).rows;
    await page.waitForFunction((n) => document.querySelector('.grid .tr[aria-rowindex="2"] .td')?.textContent === n, expected[0].name);
    const stds = await page.$$eval('.grid .tbody .tr', (els) => els.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
      .slice(0, 8).map((e) => e.querySelector('.td[data-col="std"]').textContent));
    assertEqual(stds.length, 8, 'rows shown');
    assert(stds.map(Number).every((x, i, a) => i === 0 || x <= a[i - 1]), `std column descending: ${stds}`);
    // Detail: all statistics and a histogram whose bars are the bins and whose tallest bar is the largest count.
    await page.click('.grid .tr[aria-rowindex="2"]');
    await page.waitForSelector('#tensor-detail .detail-stats .hist-bar');
    const st = jobs.stats[expected[0].id];
    const bars = await page.$$eval('#tensor-detail .hist-bar', (els) => els.map((e) => [Number(e.getAttribute('data-count')), Number(e.getAttribute('height'))]));
    assertEqual(bars.length, st.histogram.counts.length, 'one bar per bin');
    assertEqual(bars.map((b) => b[0]), st.histogram.counts, 'bar counts');
    const tallest = bars.reduce((best, b, i) => (b[1] > bars[best][1] ? i : best), 0);
    assertEqual(tallest, st.histogram.counts.indexOf(Math.max(...st.histogram.counts)), 'tallest bar at the largest count');
    assert((await text(page, '#tensor-detail .detail-stats')).includes('Excess kurtosis'), 'all statistics listed');
    await page.click('#tensor-detail [data-scale="symlog"]');
    await page.waitForFunction(() => document.querySelector('#tensor-detail [data-scale="symlog"]')?.getAttribute('aria-pressed') === 'true');
    const sym = await page.$$eval('#tensor-detail .hist-bar', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
    assertEqual(sym, st.symlogHistogram.counts, 'symlog bins after the toggle');
    assertEqual(await page.evaluate(() => document.activeElement?.getAttribute('data-scale')), 'symlog', 'focus stays on the toggle');
    await noProblems(page);
    await v.close();
    return { note: `statistics and audit of the fixture corpus model computed in ${jobs.ms} ms` };
  });

  test('statistics: cancel, outlier flags with icon and words, sort by kurtosis', async () => {
    const jobs = { stats: H.syntheticStats(fixtures.big.rows), layers: [], audit: null, libraryModels: 0 };
    const v = await openView('big', { theme: 'light', mock: { jobs, stepMs: 120 } });
    const { page, host } = v;
    await tab(page, 'statistics');
    await page.click('#stats-job-run');
    await page.waitForSelector('#stats-job-cancel:not([hidden])');
    await page.focus('#stats-job-cancel');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#stats-job-status')?.textContent ?? ''));
    assert(host.received.some((m) => m.type === 'cancelJob' && m.job === 'stats'), 'cancelJob sent');
    assertEqual(await page.evaluate(() => document.activeElement?.id), 'stats-job-run', 'focus back on the run button');
    await page.click('#stats-job-run');
    await page.waitForFunction(() => /computed for 50,000/.test(document.querySelector('#stats-job-status')?.textContent ?? ''));
    // The per-layer section follows the table once the last results are in.
    await page.waitForFunction(() => /No tensor has a layer index/.test(document.querySelector('#layers-empty')?.textContent ?? ''))
      .catch(() => assert(false, 'no per-layer series explained'));
    await openTensorsTab(page);
    await page.click('.th[data-col="kurtosis"]');
    const exp = host.query({ filter: '', regex: false, sortKey: 'kurtosis', descending: true, start: 0, count: 5 }).rows;
    await page.waitForFunction((n) => document.querySelector('.grid .tr[aria-rowindex="2"] .td')?.textContent === n, exp[0].name);
    const flagCell = await page.$eval('.grid .tr[aria-rowindex="2"] .td[data-col="flags"]', (e) => ({ text: e.textContent, icon: !!e.querySelector('.codicon-warning') }));
    assertEqual(flagCell, { text: 'extreme kurtosis', icon: true }, 'extreme kurtosis flagged with icon and words');
    await page.click('.th[data-col="flags"]');
    const f = host.query({ filter: '', regex: false, sortKey: 'flags', descending: true, start: 0, count: 1 }).rows[0];
    await page.waitForFunction((n) => document.querySelector('.grid .tr[aria-rowindex="2"] .td')?.textContent === n, f.name);
    const nan = await page.$eval('.grid .tr[aria-rowindex="2"] .td[data-col="flags"]', (e) => ({ text: e.textContent, icon: !!e.querySelector('.codicon-error') }));
    assert(nan.icon && /NaN/.test(nan.text) && /Inf/.test(nan.text), `NaN/Inf flagged with icon and words: ${JSON.stringify(nan)}`);
    await shot(page, 'tensors-stats-flags-light');
    await noProblems(page);
    await v.close();
  });

  test('provenance: verdict cards, layer heatmap, evidence link to the tensor, weak evidence apart', async () => {
    const jobs = await corpus();
    const v = await openView('copied', { theme: 'dark', mock: { jobs } });
    const { page, host } = v;
    await tab(page, 'provenance');
    const idle = await text(page, '#audit-job-status');
    assert(idle.includes('No audit yet') && idle.includes('2 models'), `idle: ${idle}`);
    await page.click('#manage-library');
    assert(host.received.some((m) => m.type === 'manageLibrary'), 'manageLibrary sent');
    await page.click('#audit-job-run');
    await page.waitForFunction(() => /matching vision/.test(document.querySelector('#audit-job-status')?.textContent ?? ''));
    await page.waitForSelector('.card[data-component="vision"]');
    const verdicts = await page.$$eval('.card', (els) => els.map((e) => [e.getAttribute('data-component'), e.querySelector('.card-head .verdict')?.getAttribute('data-verdict'), e.querySelector('.card-head .verdict')?.textContent, !!e.querySelector('.card-head .verdict .codicon')]));
    // Reused components first, in the cards and in the verdict table that opens the results.
    assertEqual(verdicts, [['vision', 'derived', 'derived', true], ['projector', 'derived', 'derived', true], ['language', 'no-evidence', 'no evidence of reuse', true]], 'verdicts');
    const table = await page.$$eval('#verdict-table tbody tr', (rows) => rows.map((r) => [r.querySelector('.verdict-row-link')?.getAttribute('data-component'), r.querySelector('.verdict')?.getAttribute('data-verdict'), r.querySelector('.reference-id')?.textContent ?? '—']));
    assertEqual(table, [['vision', 'derived', 'vit_R'], ['projector', 'derived', 'vit_R'], ['language', 'no-evidence', '—']], 'verdict table');
    assert((await text(page, '.checked-against')).includes('2 references (lm_A, vit_R)'), 'what the verdicts were checked against');
    // The table is above the first card, and fits: the answer without scrolling.
    const tableBox = await page.$eval('#verdict-table', (e) => { const r = e.getBoundingClientRect(); const wrap = e.parentElement.getBoundingClientRect(); return { bottom: r.bottom, cardTop: document.querySelector('.card').getBoundingClientRect().top, fits: r.width <= wrap.width + 1 }; });
    assert(tableBox.bottom < tableBox.cardTop && tableBox.fits, `verdict table first and fits: ${JSON.stringify(tableBox)}`);
    // A no-evidence card shows its nearest pairs only as collapsed context.
    assertEqual(await page.$eval('.card[data-component="language"] details.closest-pairs', (d) => d.open), false, 'closest unrelated pairs collapsed');
    assert((await text(page, '.card[data-component="language"] details.closest-pairs summary')).startsWith('Closest unrelated pairs, for context'), 'context label');
    assertEqual(await page.$$eval('.card[data-component="language"] table.evidence-table tbody tr', (rows) => rows.filter((r) => r.textContent.includes('nearest candidate')).length > 0), true, 'unmatched pairs are nearest candidates, not "same"');
    // The Overview repeats the verdicts, and its links open the card.
    await tab(page, 'overview');
    const overviewRows = await page.$$eval('#overview-verdicts tbody tr', (rows) => rows.map((r) => r.querySelector('.verdict')?.getAttribute('data-verdict')));
    assertEqual(overviewRows, ['derived', 'derived', 'no-evidence'], 'overview verdicts');
    await page.click('#overview-verdicts .verdict-row-link[data-component="vision"]');
    await page.waitForFunction(() => document.querySelector('#tabs').selectedIndex === 3 && document.activeElement?.id === 'card-vision-title');
    await tab(page, 'provenance');
    const vision = jobs.audit.components.find((c) => c.name === 'vision');
    const card = await text(page, '.card[data-component="vision"]');
    assert(card.includes('vit_R') && card.includes(vision.relation) && card.includes('65 / 65') && card.includes('100.0%'), 'vision evidence numbers');
    // Below the smallest double: "<1e-300", as the CLI and the review notes write it (src/core/match/pValue.ts), not as 0
    // and not with an exponent the other views do not show.
    const log10P = vision.comparisons.find((c) => c.reference === 'vit_R').evidence.log10PValue;
    assert(log10P < -400 && /Combined p-value\s*<1e-300/.test(card) && !/\de-\d{4,}/.test(card), `tiny p-value written from log10 ${log10P}: ${card.slice(0, 400)}`);
    const hm = vision.comparisons[0].heatmap;
    assertEqual(await page.$$eval('.card[data-component="vision"] .provenance-heatmap .cells rect.hm-cell', (e) => e.length), hm.suspectLayers.length * hm.referenceLayers.length, 'heatmap cells');
    const diag = await page.$$eval('.card[data-component="vision"] .provenance-heatmap .cells rect.hm-cell', (els) => els.map((e) => Number(e.getAttribute('data-value'))));
    assertEqual(diag, hm.r.flat(), 'heatmap values');
    // A numbered colour scale says what the shading means in every theme; no wording about brightness.
    const pv = '.card[data-component="vision"] .provenance-heatmap';
    assertEqual(await page.$$eval(`${pv} .hm-scale .hm-scale-tick`, (els) => els.map((e) => e.textContent)), ['0', '0.25', '0.5', '0.75', '1'], 'colour scale ticks');
    assertEqual(await text(page, `${pv} .hm-scale-label`), '|r|', 'colour scale label');
    assertEqual(await page.$$eval(`${pv} .cells .hm-text`, (e) => e.length), hm.r.flat().filter((r) => r !== null).length, 'values printed in the cells');
    assert(!/bright|dark/i.test(await text(page, '.card[data-component="vision"] .chart-heatmap .chart-note')), 'the caption does not speak of bright or dark');
    assert((await text(page, '.card[data-component="vision"] .weak-evidence h4')) === 'Weak evidence (context only — never decides)', 'weak evidence section');
    assert((await text(page, '.card[data-component="projector"]')).includes('no layer heatmap'), 'no heatmap without layers');
    // Evidence link → Tensors tab, the tensor selected and its detail open.
    const ev = vision.comparisons[0].table[3];
    await page.click(`.card[data-component="vision"] .tensor-link[data-tensor="${ev.suspectIndex}"]`);
    await page.waitForFunction((n) => document.querySelector('.grid .tr[aria-selected="true"] .td')?.textContent === n, ev.suspect);
    assertEqual(await page.evaluate(() => document.querySelector('#tabs').selectedIndex), 1, 'Tensors tab selected');
    await page.waitForFunction((n) => document.querySelector('#tensor-detail:not([hidden]) dd.name')?.textContent === n, ev.suspect);
    assertEqual(await page.evaluate(() => document.activeElement?.classList.contains('grid')), true, 'table focused');
    await noProblems(page);
    await v.close();
  });

  test('provenance: hostile names inside an audit result render literally; showView switches tab and tensor', async () => {
    const jobs = await corpus();
    const audit = structuredClone(jobs.audit);
    const vis = audit.components.find((c) => c.name === 'vision');
    vis.reference = HOSTILE[0];
    vis.relation = HOSTILE[1];
    vis.comparisons[0].reference = HOSTILE[0];
    vis.comparisons[0].table[0].suspect = HOSTILE[2];
    vis.comparisons[0].table[0].reference = 'ref\u202Egnp.exe';
    vis.comparisons[0].context.note = HOSTILE[1];
    audit.notes = [HOSTILE[2]];
    audit.references[0].source = HOSTILE[0];
    const v = await openView('copied', { theme: 'light', mock: { jobs: { ...jobs, audit }, auditDone: true } });
    const { page, host } = v;
    await tab(page, 'provenance');
    await page.waitForSelector('.card[data-component="vision"]');
    const body = await page.evaluate(() => document.body.innerText);
    for (const s of HOSTILE) assert(body.includes(s), `shows ${JSON.stringify(s)} literally`);
    assert(body.includes('ref\\u202Egnp.exe'), 'bidi override shown as an escape');
    const dom = await page.evaluate(() => ({ pwned: window.__pwned, imgs: document.querySelectorAll('img').length, scripts: document.querySelectorAll('script').length, onload: document.querySelectorAll('[onload],[onerror]').length }));
    assertEqual(dom, { pwned: undefined, imgs: 0, scripts: 1, onload: 0 }, 'nothing injected');
    await host.pushTo({ type: 'showView', view: 'statistics' });
    await page.waitForFunction(() => document.querySelector('#tabs').selectedIndex === 2);
    const id = 100;
    await host.pushTo({ type: 'showView', view: 'tensors', tensorId: id });
    await page.waitForFunction((n) => document.querySelector('.grid .tr[aria-selected="true"] .td')?.textContent === n, host.rows[id].name);
    await noProblems(page);
    await v.close();
  });

  test('overview: the architecture matches that arrive after the first paint are drawn in, strings inert', async () => {
    const v = await openView('copied', { theme: 'light' });
    const { page, host } = v;
    await page.waitForSelector('#overview');
    assert(!(await page.$('#architecture-note')), 'no architecture section before the matches arrive');
    const row = {
      component: 'language', prefix: 'model.', family: 'qwen2', familyName: HOSTILE[0], confidence: 'layout',
      summary: HOSTILE[0], rules: [HOSTILE[1], HOSTILE[2]], facts: { summary: { kind: 'layout', family: 'qwen2' }, rules: [] },
      config: 'absent', repos: [],
    };
    await host.pushTo({ type: 'architecture', architecture: [row], warnings: ['Architecture catalogue unavailable: test'] });
    await page.waitForSelector('.architecture-match[data-family="qwen2"]');
    const body = await page.evaluate(() => document.body.innerText);
    for (const s of HOSTILE.slice(0, 3)) assert(body.includes(s), `shows ${JSON.stringify(s)} literally`);
    assert(body.includes('Architecture catalogue unavailable: test'), 'the warning is shown');
    const dom = await page.evaluate(() => ({ pwned: window.__pwned, imgs: document.querySelectorAll('img').length, overviews: document.querySelectorAll('#overview').length }));
    assertEqual(dom, { pwned: undefined, imgs: 0, overviews: 1 }, 'one overview, nothing injected');
    await noProblems(page);
    await v.close();
  });

  test('provenance of a screened audit: the screening line, runners-up, and a card no reference reached (light, dark, Korean)', async () => {
    // The real cascade (every reference screened first, cascade 'always'), as against a large library.
    const jobs = await H.corpusJobs(suspect, refs, { cascade: 'always' });
    // Against lm_A alone the screening shortlists nothing: no card gets a full comparison.
    const none = await H.corpusJobs(suspect, refs.slice(0, 1), { cascade: 'always' });
    const v0 = await openView('copied', { mock: { jobs: none, statsDone: true, auditDone: true } });
    await tab(v0.page, 'provenance');
    await v0.page.waitForSelector('.card[data-component="language"]');
    const unreached = await v0.page.$eval('.card[data-component="language"]', (e) => e.innerText);
    assert(/Screening\s+1 references?: 1 ruled out by screening, 0 compared in full/.test(unreached), unreached);
    assert(unreached.includes('No reference passed the screening: none was compared in full.'), unreached);
    assert(unreached.includes('Runners-up in the screening (1)'), unreached);
    await noProblems(v0.page);
    await v0.close();
    for (const [theme, lang] of [['light', undefined], ['dark', undefined], ['dark', 'ko']]) {
      const v = await openView('copied', { theme, lang, viewport: { width: 1280, height: 1000 }, mock: { jobs, statsDone: true, auditDone: true } });
      const { page } = v;
      await tab(page, 'provenance');
      await page.waitForSelector('.card[data-component="vision"]');
      const cards = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.card[data-component]')].map((c) => [c.getAttribute('data-component'), c.innerText])));
      if (!lang) {
        assert(/Screening\s+2 references: 1 ruled out by screening, 1 compared in full/.test(cards.vision), `vision screening line: ${cards.vision}`);
        // vit_R was compared in full for the vision encoder, which compares every suspect tensor: the language card
        // counts it as compared and shows its unrelated pairs; both references stay runners-up (neither matches).
        assert(/Screening\s+2 references: 1 ruled out by screening, 1 compared in full/.test(cards.language), `language screening line: ${cards.language}`);
        assert(cards.language.includes('Runners-up in the screening (2)'), 'the language card lists both references as runners-up');
      } else {
        assert(cards.vision.includes('선별') && cards.language.includes('선별'), cards.language);
      }
      await page.click('.card[data-component="language"] details.runners-up summary');
      await page.waitForSelector('.card[data-component="language"] details.runners-up[open] table');
      await page.evaluate(() => document.fonts.ready);
      await page.$eval('.card[data-component="language"]', (e) => e.scrollIntoView());
      await shot(page, `provenance-screened-${lang ?? 'en'}-${theme}`);
      await noProblems(page);
      await v.close();
    }
  });

  test('screenshots of Statistics and Provenance in light, dark and high-contrast themes', async () => {
    const jobs = await corpus();
    for (const theme of ['light', 'dark', 'hc']) {
      const v = await openView('copied', { theme, viewport: { width: 1280, height: 900 }, mock: { jobs, statsDone: true, auditDone: true } });
      const { page } = v;
      await tab(page, 'statistics');
      await page.waitForSelector('#layer-charts .component-layers');
      await page.evaluate(() => document.fonts.ready);
      await shot(page, `statistics-${theme}`);
      await page.focus('#layers-vision .chart-lines .chart-plot');
      await page.keyboard.press('ArrowRight');
      await scrollTo(page, '#layers-vision');
      await page.focus('#layers-vision .chart-heatmap .chart-plot');
      await page.keyboard.press('ArrowDown');
      await shot(page, `statistics-charts-${theme}`);
      await tab(page, 'provenance');
      await page.waitForSelector('.card[data-component="vision"]');
      await shot(page, `provenance-${theme}`);
      await scrollTo(page, '.card[data-component="vision"]');
      await shot(page, `provenance-vision-${theme}`);
      if (theme !== 'dark') {
        await noProblems(page);
        await v.close();
        continue;
      }
      await scrollTo(page, '.card[data-component="vision"] .weak-evidence');
      await shot(page, `provenance-evidence-${theme}`);
      await openTensorsTab(page);
      await page.click('.grid .tr[aria-rowindex="3"]');
      await page.waitForSelector('#tensor-detail .hist-bar');
      await page.$eval('#tensor-detail .detail-stats', (e) => { e.closest('#tensor-detail').scrollTop = e.offsetTop - 40; });
      await shot(page, `tensors-stats-${theme}`);
      await noProblems(page);
      await v.close();
    }
  });

  return { corpus };
}
