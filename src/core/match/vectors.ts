// Vector helpers of the matching engine's inner loops.

/** Centred, unit-norm copy; null when a value is not finite or the variance is zero. */
export function normalise(x: Float32Array): Float32Array | null {
  let s = 0;
  for (let i = 0; i < x.length; i++) { if (!Number.isFinite(x[i])) return null; s += x[i]; }
  const m = s / x.length;
  let ss = 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) { const d = x[i] - m; out[i] = d; ss += d * d; }
  if (!(ss > 0)) return null;
  const k = 1 / Math.sqrt(ss);
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
