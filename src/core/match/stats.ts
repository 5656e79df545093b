// Small, exact-enough statistics for calibrated matching: centred correlation, normal tails in log space,
// Fisher's combination and binomial tails.

const LN10 = Math.LN10;

/** ln erfc(x) for x >= 0 (Numerical Recipes erfcc, relative error < 1.2e-7 over the whole range). */
function lnErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) + poly;
}

/** log10 of the upper tail P(Z > z) of a standard normal. */
export function log10NormalSf(z: number): number {
  if (Number.isNaN(z)) return 0;
  if (z >= 0) return (Math.log(0.5) + lnErfc(z / Math.SQRT2)) / LN10;
  return Math.log10(1 - Math.exp(Math.log(0.5) + lnErfc(-z / Math.SQRT2)));
}

/** log10 of the two-sided p-value of |z|. */
export function log10TwoSided(z: number): number {
  return Math.min(0, Math.log10(2) + log10NormalSf(Math.abs(z)));
}

/** log10 p of the best of k independent tries, each with log10 p `lp` (Sidak; ~ k·p for small p). */
export function log10BestOfK(lp: number, k: number): number {
  if (k <= 1) return lp;
  const p = 10 ** lp;
  if (p < 1e-8) return Math.min(0, lp + Math.log10(k));
  return Math.log10(1 - (1 - p) ** k);
}

export function toP(lp: number): number {
  return lp < -300 ? 0 : 10 ** lp;
}

/** Centred Pearson correlation over pairs where both values are finite. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, n = Math.min(a.length, b.length)): { r: number; n: number } {
  let m = 0; let sa = 0; let sb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]; const y = b[i];
    if (Number.isFinite(x) && Number.isFinite(y)) { m++; sa += x; sb += y; }
  }
  if (m < 3) return { r: 0, n: m };
  const ma = sa / m; const mb = sb / m;
  let sxy = 0; let sxx = 0; let syy = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]; const y = b[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const dx = x - ma; const dy = y - mb;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return { r: 0, n: m };
  const r = sxy / Math.sqrt(sxx * syy);
  return { r: Math.max(-1, Math.min(1, r)), n: m };
}

/** Raw (uncentred) cosine similarity: context only, never evidence. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sxy = 0; let sxx = 0; let syy = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]; const y = b[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    sxy += x * y; sxx += x * x; syy += y * y;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Fisher's z of a correlation, clamped so that r = ±1 gives a large finite value. */
export function fisherZ(r: number): number {
  const c = Math.max(-0.999999999999, Math.min(0.999999999999, r));
  return Math.atanh(c);
}

/** Fisher's method: log10 p of the combination of independent p-values given as log10 p. */
export function log10Fisher(lps: number[]): number {
  const k = lps.length;
  if (k === 0) return 0;
  // X = -2 Σ ln p ~ χ²(2k); for even df: P(X > x) = e^{-x/2} Σ_{j<k} (x/2)^j / j!
  const half = -lps.reduce((s, lp) => s + Math.max(lp, -1e6) * LN10, 0);
  let term = 0; // log of (x/2)^j / j!
  let logSum = 0; // log Σ, starting with j = 0 term = 1
  for (let j = 1; j < k; j++) {
    term += Math.log(half) - Math.log(j);
    logSum = logAdd(logSum, term);
  }
  return Math.min(0, (-half + logSum) / LN10);
}

function logAdd(a: number, b: number): number {
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log10 P(X >= h) for X ~ Binomial(n, q). */
export function log10BinomialTail(h: number, n: number, q: number): number {
  if (h <= 0) return 0;
  if (h > n) return -Infinity;
  let acc = -Infinity;
  const lq = Math.log(q); const l1q = Math.log1p(-q);
  let lc = lnChoose(n, h);
  for (let k = h; k <= n; k++) {
    acc = logAdd(acc === -Infinity ? -1e300 : acc, lc + k * lq + (n - k) * l1q);
    lc += Math.log(n - k) - Math.log(k + 1);
  }
  return Math.min(0, acc / LN10);
}

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

function lnGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
