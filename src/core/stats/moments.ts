// Central moments of finite values (count, mean, M2, M3, M4) and their exact merge formulas (Chan et al.,
// Pébay 2008). Chunks accumulate shifted power sums in float64; partials merge in chunk order.

export interface Moments {
  n: number;
  mean: number;
  /** Σ (x − mean)^k for k = 2, 3, 4. */
  m2: number;
  m3: number;
  m4: number;
}

export const EMPTY_MOMENTS: Moments = Object.freeze({ n: 0, mean: 0, m2: 0, m3: 0, m4: 0 });

/** Central moments from sums of d = x − shift: s1 = Σd, s2 = Σd², s3 = Σd³, s4 = Σd⁴ over n values. */
export function momentsFromShiftedSums(n: number, shift: number, s1: number, s2: number, s3: number, s4: number): Moments {
  if (n === 0) return { ...EMPTY_MOMENTS };
  const m = s1 / n;
  const m2 = Math.max(0, s2 - s1 * m);
  const m3 = s3 - 3 * m * s2 + 2 * n * m * m * m;
  const m4 = Math.max(0, s4 - 4 * m * s3 + 6 * m * m * s2 - 3 * n * m * m * m * m);
  return { n, mean: shift + m, m2, m3, m4 };
}

/** Moments of the union of two disjoint sets. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const na = a.n;
  const nb = b.n;
  const n = na + nb;
  const d = b.mean - a.mean;
  const dn = d / n;
  const dn2 = dn * dn;
  const t2 = d * dn * na * nb; // δ² · na · nb / n
  const m2 = a.m2 + b.m2 + t2;
  const m3 = a.m3 + b.m3 + t2 * dn * (na - nb) + 3 * dn * (na * b.m2 - nb * a.m2);
  const m4 = a.m4 + b.m4 + t2 * dn2 * (na * na - na * nb + nb * nb) + 6 * dn2 * (na * na * b.m2 + nb * nb * a.m2)
    + 4 * dn * (na * b.m3 - nb * a.m3);
  return { n, mean: a.mean + nb * dn, m2, m3, m4 };
}

export interface Shape {
  mean: number | null;
  std: number | null;
  skewness: number | null;
  kurtosis: number | null;
  l2: number | null;
}

export function describeMoments(mo: Moments): Shape {
  if (mo.n === 0) return { mean: null, std: null, skewness: null, kurtosis: null, l2: null };
  const variance = mo.m2 / mo.n;
  const sumSq = mo.m2 + mo.n * mo.mean * mo.mean;
  const defined = mo.m2 > 0 && Number.isFinite(mo.m2);
  const skew = defined ? Math.sqrt(mo.n) * mo.m3 / mo.m2 ** 1.5 : null;
  const kurt = defined ? mo.n * mo.m4 / (mo.m2 * mo.m2) - 3 : null;
  return {
    mean: finiteOrNull(mo.mean),
    std: finiteOrNull(Math.sqrt(variance)),
    skewness: finiteOrNull(skew),
    kurtosis: finiteOrNull(kurt),
    l2: finiteOrNull(Math.sqrt(sumSq)),
  };
}

export function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
