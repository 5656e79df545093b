// Webview tests of the Tensors table on the generated fixtures: filter and sort, hostile names, the error view and
// keyboard use (run.mjs provides the page, the fixtures and the checks).
import { assert, assertEqual, eventuallyEqual, openTensorsTab, setFilter, text, visibleNames } from './helpers.mjs';

export function registerTableTests({ test, openView, fixtures, H, expectedQuery, noProblems, shot }) {
  test('filters by substring and regex, reports an invalid regex, sorts by header', async () => {
    const v = await openView('big', { theme: 'light' });
    const { page } = v;
    await openTensorsTab(page);
    // Substring.
    await setFilter(page, 'experts.7.down');
    const sub = expectedQuery(fixtures.big, { filter: 'experts.7.down' });
    await page.waitForFunction((t) => document.querySelector('#tensor-count')?.textContent === t, `${sub.total.toLocaleString('en-US')} of 50,000 tensors`);
    await page.waitForFunction(() => !document.querySelector('.grid .tr.loading'));
    await eventuallyEqual(async () => (await visibleNames(page)).slice(0, 5).map((r) => r.name), sub.rows.slice(0, 5).map((r) => r.name), 'substring filter order');
    const names = (await visibleNames(page)).map((r) => r.name);
    assert(names.length > 0 && names.every((n) => n.includes('experts.7.down')), 'substring filter rows');
    // Regex (toggle by click).
    await page.click('.regex-toggle');
    const re = 'layers\\.1[0-3]\\.self_attn\\.(q|k)_proj';
    await setFilter(page, re);
    const rx = expectedQuery(fixtures.big, { filter: re, regex: true });
    assertEqual(rx.total, 8, 'expected regex matches');
    await page.waitForFunction(() => document.querySelector('#tensor-count')?.textContent === '8 of 50,000 tensors');
    await page.waitForFunction(() => !document.querySelector('.grid .tr.loading'));
    await eventuallyEqual(async () => (await visibleNames(page)).map((r) => r.name), rx.rows.map((r) => r.name), 'regex rows');
    // Invalid regex: a message, no rows.
    await setFilter(page, 'layers.(1');
    await page.waitForSelector('#filter-error:not([hidden])');
    const err = await text(page, '#filter-error');
    assert(/Invalid regular expression/.test(err) && /unterminated group|Unterminated/i.test(err), `regex error shown: ${err}`);
    await shot(page, 'invalid-regex-light');
    // Back to everything, then sort by parameter count (descending first).
    await page.click('.regex-toggle');
    await setFilter(page, '');
    await page.waitForSelector('#filter-error', { state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('#tensor-count')?.textContent === '50,000 tensors');
    await page.click('.th[data-col="count"]');
    assertEqual(await page.getAttribute('.th[data-col="count"]', 'aria-sort'), 'descending', 'aria-sort descending');
    assertEqual(await page.getAttribute('.th[data-col="name"]', 'aria-sort'), 'none', 'name no longer sorted');
    const desc = expectedQuery(fixtures.big, { sortKey: 'count', descending: true, count: 60 });
    await page.waitForFunction((first) => document.querySelector('.grid .tr[aria-rowindex="2"] .td')?.textContent === first, desc.rows[0].name);
    await page.waitForFunction(() => !document.querySelector('.grid .tr.loading'));
    const shown = await visibleNames(page);
    assertEqual(shown.map((r) => r.name), desc.rows.slice(0, shown.length).map((r) => r.name), 'rows in count-descending order');
    const counts = await page.$$eval('.grid .tbody .tr', (els) => els
      .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
      .map((e) => Number(e.querySelector('.td[aria-colindex="4"]').textContent.replace(/,/g, ''))));
    assert(counts.length > 10 && counts.every((c, i) => i === 0 || c <= counts[i - 1]), 'parameter column descending');
    // Keyboard sort: Enter on the focused header toggles to ascending.
    await page.focus('.th[data-col="count"]');
    await page.keyboard.press('Enter');
    assertEqual(await page.getAttribute('.th[data-col="count"]', 'aria-sort'), 'ascending', 'Enter toggles sort');
    const asc = expectedQuery(fixtures.big, { sortKey: 'count', descending: false, count: 5 });
    await page.waitForFunction((first) => document.querySelector('.grid .tr[aria-rowindex="2"] .td')?.textContent === first, asc.rows[0].name);
    // Component filter: from the Overview's component list, then through the select.
    await page.click('vscode-tab-header[data-tab="overview"]');
    await page.click('.components-table .component-name:text-is("vision")');
    const vis = expectedQuery(fixtures.big, { component: 'vision' });
    await page.waitForFunction((t) => document.querySelector('#tensor-count')?.textContent === t, `${vis.total} of 50,000 tensors`);
    assertEqual(await page.$eval('.component-filter', (s) => s.value), 'vision', 'component select follows');
    await page.click('.component-filter');
    await page.locator('.component-filter').getByRole('option', { name: 'projector' }).click();
    const proj = expectedQuery(fixtures.big, { component: 'projector' });
    await page.waitForFunction((t) => document.querySelector('#tensor-count')?.textContent === t, `${proj.total} of 50,000 tensors`);
    await noProblems(page);
    await v.close();
  });

  test('hostile names and metadata show literally and run no script', async () => {
    const v = await openView('hostile', { theme: 'light' });
    const { page } = v;
    const body = await page.evaluate(() => document.body.innerText);
    for (const s of ['<img src=x onerror=window.__pwned=1>', '</script><script>window.__pwned=1</script>', '<b>key</b>', '<i>family</i>', '<script>window.__pwned=1</script>']) {
      assert(body.includes(s), `overview shows ${JSON.stringify(s)} literally`);
    }
    assert(body.includes('a\\u0000b\\u001Bc\\u202Ed\\u2066e'), 'control characters in metadata are visible escapes');
    await shot(page, 'hostile-overview-light');
    await openTensorsTab(page);
    await page.waitForFunction(() => !document.querySelector('.grid .tr.loading'));
    const cells = await page.$$eval('.grid .tbody .tr .td[aria-colindex="1"]', (els) => els.map((e) => e.textContent));
    for (const s of [H.HOSTILE.img, H.HOSTILE.script, H.HOSTILE.svg]) assert(cells.includes(s), `table shows ${JSON.stringify(s)}`);
    assert(cells.includes('model.layers.0.nul\\u0000byte.weight'), 'NUL shown as an escape');
    assert(cells.includes('model.layers.0.esc\\u001B[31mred.weight'), 'ESC shown as an escape');
    assert(cells.includes('model.layers.0.rtl\\u202Egnp.exe.weight'), 'RTL override shown as an escape, not applied');
    // Open the detail of the <img> tensor and expand the tree.
    const idx = await page.$$eval('.grid .tbody .tr', (els, name) => els.find((e) => e.querySelector('.td')?.textContent === name)?.getAttribute('aria-rowindex'), H.HOSTILE.img);
    await page.click(`.grid .tr[aria-rowindex="${idx}"]`);
    await page.waitForSelector('#tensor-detail:not([hidden]) dl');
    assert((await text(page, '#tensor-detail')).includes(H.HOSTILE.img), 'detail shows the name literally');
    assert((await text(page, '#tensor-detail')).includes('NaN  Infinity  -Infinity'), 'non-finite values shown');
    await page.click('.treeitem[data-path="model"]');
    await page.waitForSelector('.treeitem[aria-level="2"]');
    await shot(page, 'hostile-tensors-light');
    const dom = await page.evaluate(() => ({
      pwned: window.__pwned, imgs: document.querySelectorAll('img').length, svgs: document.querySelectorAll('svg').length,
      scripts: document.querySelectorAll('script').length, b: document.querySelectorAll('b, i').length,
    }));
    assertEqual(dom, { pwned: undefined, imgs: 0, svgs: 0, scripts: 1, b: 0 }, 'no injected elements, no script ran');
    await noProblems(page);
    await v.close();
  });

  test('shows the error view for a load error', async () => {
    const v = await openView('error');
    const { page } = v;
    await page.waitForSelector('#error-view');
    const t = await text(page, '#error-view');
    const e = fixtures.error.error;
    for (const s of [e.message, e.file, e.tensor, '123,456']) assert(t.includes(s), `error view shows ${s}`);
    assert(await page.evaluate(() => window.__pwned === undefined && document.querySelectorAll('img').length === 0), 'no markup from the error');
    assert(v.host.received.some((m) => m.type === 'rendered' && m.view === 'error'), 'rendered(error) reported');
    await shot(page, 'error-dark');
    await noProblems(page);
    await v.close();
  });

  test('keyboard: Tab reaches the table, arrows select, Enter opens the detail, tree navigation', async () => {
    const v = await openView('big');
    const { page } = v;
    await openTensorsTab(page);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('grid') ?? false);
    }
    assert(reached, 'Tab reaches the table');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('.grid .tr[aria-rowindex="3"][aria-selected="true"]');
    assertEqual(await page.$$eval('.grid .tr[aria-selected="true"]', (els) => els.length), 1, 'one selected row');
    assertEqual(await page.getAttribute('.grid', 'aria-activedescendant'), 'wp-row-1', 'active descendant');
    await page.keyboard.press('Enter');
    const row = expectedQuery(fixtures.big, { start: 1, count: 1 }).rows[0];
    await page.waitForSelector('#tensor-detail:not([hidden]) dl');
    const detail = await text(page, '#tensor-detail');
    assert(detail.includes(row.name) && detail.includes(row.dtype) && detail.includes('First 64 values'), 'detail of the selected tensor');
    // End jumps to the last row and keeps it in view.
    await page.keyboard.press('End');
    await page.waitForSelector('.grid .tr[aria-rowindex="50001"][aria-selected="true"]');
    // Tree: focus the first item, expand with ArrowRight, go down, Enter scopes the table.
    await page.focus('.treeitem[tabindex="0"]');
    for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement?.getAttribute('data-path'))) !== 'model'; i++) {
      await page.keyboard.press('ArrowDown');
    }
    const firstPath = await page.evaluate(() => document.activeElement?.getAttribute('data-path'));
    assertEqual(firstPath, 'model', 'ArrowDown walks the tree');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`.treeitem[data-path="${firstPath}"][aria-expanded="true"]`);
    await page.waitForSelector('.treeitem[aria-level="2"]');
    await page.keyboard.press('ArrowDown');
    const child = await page.evaluate(() => document.activeElement?.getAttribute('data-path'));
    assert(child && child.startsWith(`${firstPath}.`), `ArrowDown moves into the children (${child})`);
    await page.keyboard.press('Enter');
    const scoped = expectedQuery(fixtures.big, { prefix: child });
    await page.waitForFunction((t) => document.querySelector('#tensor-count')?.textContent === t, `${scoped.total.toLocaleString('en-US')} of 50,000 tensors`);
    assertEqual(await page.getAttribute(`.treeitem[data-path="${child}"]`, 'aria-selected'), 'true', 'scoped item selected');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`.treeitem[data-path="${firstPath}"][aria-expanded="false"]`);
    await noProblems(page);
    await v.close();
  });
}
