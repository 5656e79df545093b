// Assertions of the statistics engine's results against the float64 reference and its documented error bounds.
import assert from 'node:assert/strict';
import type { TensorStats } from '../../../src/core/stats';
import type { Reference } from './statsGen';

function close(actual: number | null, expected: number | null, tol: number, what: string): void {
  if (expected === null) { assert.equal(actual, null, `${what}: expected null, got ${actual}`); return; }
  assert.notEqual(actual, null, `${what}: got null, expected ${expected}`);
  assert.ok(Math.abs((actual as number) - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

function pctTolerance(ref: Reference, q: number): number {
  const n = ref.sorted.length;
  const h = (n - 1) * q;
  const a = Math.abs(ref.sorted[Math.floor(h)]);
  const b = Math.abs(ref.sorted[Math.min(n - 1, Math.floor(h) + 1)]);
  return 2 ** -8 * Math.max(a, b) * (1 + 2 ** -20) + 2 ** -133;
}

export function checkAgainst(s: TensorStats, ref: Reference, label: string): void {
  const w = `${label} ${s.name} (${s.dtype}, ${s.method})`;
  assert.equal(s.count, ref.count, `${w} count`);
  assert.equal(s.finite, ref.finite, `${w} finite`);
  assert.equal(s.zeros, ref.zeros, `${w} zeros`);
  assert.equal(s.nan, ref.nan, `${w} nan`);
  assert.equal(s.posinf, ref.posinf, `${w} posinf`);
  assert.equal(s.neginf, ref.neginf, `${w} neginf`);
  assert.equal(s.min, ref.min, `${w} min`);
  assert.equal(s.max, ref.max, `${w} max`);
  assert.equal(s.absmax, ref.absmax, `${w} absmax`);
  const scale = ref.std ?? 0;
  close(s.mean, ref.mean, 1e-10 * (scale + Math.abs(ref.mean ?? 0)) + 1e-300, `${w} mean`);
  close(s.std, ref.std, 1e-9 * scale + 1e-300, `${w} std`);
  close(s.l2, ref.l2, 1e-9 * (ref.l2 ?? 0) + 1e-300, `${w} l2`);
  close(s.skewness, ref.skewness, 1e-6 * (1 + Math.abs(ref.skewness ?? 0)), `${w} skewness`);
  close(s.kurtosis, ref.kurtosis, 1e-6 * (1 + Math.abs(ref.kurtosis ?? 0)), `${w} kurtosis`);
  if (ref.finite === 0) {
    assert.equal(s.histogram, null);
    assert.equal(s.p50, null);
    return;
  }
  const exact = s.percentileError.relative === 0;
  assert.equal(s.histogram?.exact ?? exact, exact, `${w} exactness is stated consistently`);
  for (const [k, q] of [['p1', 0.01], ['p50', 0.5], ['p99', 0.99]] as const) {
    const tol = exact ? 1e-12 * (Math.abs(ref[k]!) + scale) : pctTolerance(ref, q);
    close(s[k], ref[k], tol, `${w} ${k}`);
    if (!exact) assert.ok(s.percentileError.relative >= 2 ** -8, `${w} states its error bound`);
  }
  assert.ok(s.histogram && s.symlogHistogram);
  assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), ref.finite, `${w} histogram total`);
  assert.equal(s.symlogHistogram.counts.reduce((a, b) => a + b, 0), ref.finite, `${w} symlog total`);
  assert.equal(s.histogram.edges.length, s.histogram.counts.length + 1);
  if (exact) {
    assert.deepEqual(s.histogram.counts, ref.histogram, `${w} histogram`);
  } else {
    // Documented bound: a value moves at most across bin edges that lie inside its fine bucket.
    const { edges, counts } = s.histogram;
    let cumA = 0, cumR = 0;
    for (let k = 0; k + 1 < counts.length; k++) {
      cumA += counts[k];
      cumR += ref.histogram![k];
      const e = edges[k + 1];
      let near = 0;
      for (const v of ref.sorted) if (Math.abs(v - e) <= 2 ** -7 * Math.abs(v) + 2 ** -133) near++;
      assert.ok(Math.abs(cumA - cumR) <= near, `${w} histogram edge ${k + 1}: ${cumA} vs ${cumR}, ${near} values within a bucket of the edge`);
    }
  }
}
