// The float path for values exact in float64 (F64, and 32/64-bit integers widened without loss below 2^53):
// moments and extremes in float64, each value rounded to float32 only to pick its fine bucket.
import { FloatAccumulator } from './accumulator';
import { BLOCK } from './float32';
import { mergeMoments, momentsFromShiftedSums } from './moments';

const F32_MAX = 3.4028234663852886e38;

/**
 * Exact float64 values v[start, end) (F64 data, or integers converted without loss below 2^53). Values are
 * rounded to float32 only to pick their bucket; finite values beyond the float32 range land in the extreme bucket.
 */
export function accumulateF64(v: Float64Array, start: number, end: number, acc: FloatAccumulator, scratch: Float32Array): void {
  if (end <= start) return;
  acc.lowBits = 1;
  const buckets = acc.buckets;
  const su = new Uint32Array(scratch.buffer, scratch.byteOffset, scratch.length);
  let shift = 0;
  let ns = 0;
  for (let i = start; i < end && ns < 1024; i++) {
    const x = v[i];
    if (x - x === 0) { shift += x; ns++; }
  }
  if (ns > 0) shift /= ns;
  let n = 0, mn = Infinity, mx = -Infinity, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  const step = Math.min(BLOCK, scratch.length);
  for (let b0 = start; b0 < end; b0 += step) {
    const b1 = b0 + step < end ? b0 + step : end;
    scratch.set(v.subarray(b0, b1));
    let a1 = 0, a2 = 0, a3 = 0, a4 = 0;
    for (let i = b0; i < b1; i++) {
      const x = v[i];
      if (x - x !== 0) {
        if (x !== x) acc.nan++; else if (x > 0) acc.posinf++; else acc.neginf++;
        continue;
      }
      let k = su[i - b0] >>> 16;
      if ((k & 0x7f80) === 0x7f80) k = (k & 0x8000) | 0x7f7f;
      else if (x > F32_MAX || x < -F32_MAX) k = (k & 0x8000) | 0x7f7f;
      buckets[k]++;
      n++;
      if (x === 0) { if (1 / x > 0) acc.zerosPos++; else acc.zerosNeg++; }
      if (x < mn) mn = x;
      if (x > mx) mx = x;
      const d = x - shift;
      const d2 = d * d;
      a1 += d; a2 += d2; a3 += d2 * d; a4 += d2 * d2;
    }
    s1 += a1; s2 += a2; s3 += a3; s4 += a4;
  }
  if (n > 0) {
    acc.moments = mergeMoments(acc.moments, momentsFromShiftedSums(n, shift, s1, s2, s3, s4));
    if (mn < acc.min) acc.min = mn;
    if (mx > acc.max) acc.max = mx;
  }
}
