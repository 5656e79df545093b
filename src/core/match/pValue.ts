// The one way a p-value is written (CLI, review notes, Provenance view, comparison report): from log10 p, so a p that
// underflows float64 still reads right. Fixed and locale-independent; see docs/matching.md ("How p-values are written").

/** Below this log10 p a value is written "<1e-300": the evidence is overwhelming and more digits only mislead. */
export const P_FLOOR_LOG10 = -300;

/**
 * p from log10 p: "<1e-300" below 1e-300 (and for p = 0, whose log10 is -Infinity, or a missing value a review file
 * stored as null, or any other non-finite value); three decimals from 0.001 up ("0.158", "1.000"); else two significant digits in exponent form
 * ("5.4e-196").
 */
export function formatPValue(log10P: number | null | undefined): string {
  if (typeof log10P !== 'number' || !Number.isFinite(log10P) || log10P < P_FLOOR_LOG10) return '<1e-300';
  if (log10P > -3) return (10 ** log10P).toFixed(3);
  return (10 ** log10P).toExponential(1);
}

/** The same from p and, when known, its log10 (preferred: exact where p itself underflowed to 0). */
export function formatP(p: number, log10P?: number | null): string {
  if (typeof log10P === 'number' && Number.isFinite(log10P)) return formatPValue(log10P);
  return formatPValue(p > 0 ? Math.log10(p) : p === 0 ? -Infinity : Number.NaN);
}
