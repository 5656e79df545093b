// Axis ticks of the charts (webview and HTML export): 1-2-5 steps, at least four, enclosing the data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { niceScale } from '../../src/core/ticks';

const isNiceStep = (s: number) => {
  const m = s / 10 ** Math.floor(Math.log10(s) + 1e-9);
  return [1, 2, 5].some((n) => Math.abs(m - n) < 1e-9);
};

test('ticks enclose the data at a 1-2-5 step, four or more of them', () => {
  for (const [lo, hi] of [[0.005, 0.9], [0.019, 0.041], [0, 1], [0.0375, 0.0455], [-3.2, 7.9], [1e-5, 3e-5], [120, 121], [0.02, 0.02], [-0.5, -0.1], [2e6, 9e7]]) {
    const t = niceScale(lo, hi, 4);
    assert.ok(t.length >= 4 && t.length <= 10, `${lo}..${hi}: ${t}`);
    assert.ok(t[0] <= lo && t[t.length - 1] >= hi, `${lo}..${hi} enclosed by ${t}`);
    const step = t[1] - t[0];
    assert.ok(isNiceStep(step), `${lo}..${hi}: step ${step}`);
    t.forEach((v, i) => assert.ok(Math.abs(v - (t[0] + i * step)) <= step * 1e-9, `${lo}..${hi}: evenly spaced ${t}`));
    if (lo < hi) assert.ok((hi - lo) / (t[t.length - 1] - t[0]) >= 0.5, `${lo}..${hi}: the data fill half the axis (${t})`);
  }
  assert.deepEqual(niceScale(0.005, 0.9), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceScale(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceScale(0.019, 0.041), [0.01, 0.02, 0.03, 0.04, 0.05]);
  assert.deepEqual(niceScale(NaN, 1), []);
  assert.deepEqual(niceScale(-Number.MAX_VALUE, Number.MAX_VALUE), [-Number.MAX_VALUE, Number.MAX_VALUE]);
  assert.equal(niceScale(5e-324, 1e-323).length, 2, 'subnormal spans end');
});
