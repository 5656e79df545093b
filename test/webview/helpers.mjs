// Page helpers and assertions for the webview tests (run.mjs).

export const gridRows = (page) => page.$$eval('.grid .tbody .tr', (els) => els.length);
export const visibleNames = (page) => page.$$eval('.grid .tbody .tr', (els) => els
  .map((e) => ({ i: Number(e.getAttribute('aria-rowindex')), name: e.querySelector('.td')?.textContent ?? '', loading: e.classList.contains('loading') }))
  .filter((r) => !r.loading)
  .sort((a, b) => a.i - b.i));
export const text = (page, sel) => page.$eval(sel, (e) => e.textContent ?? '');

export async function openTensorsTab(page) {
  await page.click('vscode-tab-header[data-tab="tensors"]');
  await page.waitForFunction(() => /tensors$/.test(document.querySelector('#tensor-count')?.textContent ?? ''));
}

export async function setFilter(page, value) {
  const input = page.locator('#tensor-filter input');
  await input.fill(value);
  await input.press('Enter');
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}
export function assertEqual(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${message}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`);
  }
}

/** The DOM settles after the count updates (rows arrive in a later message): poll until equal, then assert. */
export async function eventuallyEqual(get, expected, message, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  let actual = await get();
  while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    actual = await get();
  }
  assertEqual(actual, expected, message);
}
