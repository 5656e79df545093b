// Rounding float32 values to narrower float dtypes, to test "identical up to dtype" (e.g. a BF16 copy of F32).
import type { DType } from '../format/dtype';
import { f16Table65536 } from '../format/dtype';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function roundToBf16(v: number): number {
  f32[0] = v;
  const bits = u32[0];
  if ((bits & 0x7f800000) === 0x7f800000) return v;
  const rounded = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16;
  u32[0] = rounded >>> 0;
  return f32[0];
}

export function roundToF16(v: number): number {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  if (a >= 65520) return v > 0 ? Infinity : -Infinity;
  const table = f16Table65536();
  // Binary search over the monotone positive half of the table (codes 0..0x7bff).
  let lo = 0; let hi = 0x7bff;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table[mid] <= a) lo = mid; else hi = mid - 1;
  }
  let best = lo;
  if (lo < 0x7bff) {
    const dLo = a - table[lo]; const dHi = table[lo + 1] - a;
    if (dHi < dLo || (dHi === dLo && (lo & 1) === 1)) best = lo + 1;
  }
  return v < 0 || Object.is(v, -0) ? -table[best] : table[best];
}

/** Rounds to the given dtype when it is a narrower float, else returns null (no rounding rule). */
export function rounder(dtype: DType): ((v: number) => number) | null {
  if (dtype === 'BF16') return roundToBf16;
  if (dtype === 'F16') return roundToF16;
  if (dtype === 'F32') return Math.fround;
  return null;
}
