// Number formatting shared by the Markdown and HTML exports (fixed, locale-independent, deterministic). A value a
// review file stored as null (a non-finite number) reads "–".
import { formatPValue } from '../../match/pValue';

/** A number as JavaScript writes it; anything else (a value a review file left out) "–". */
export const fmtValue = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '–');

export const fmtR = (r: number | null | undefined) => (typeof r !== 'number' ? '–' : r.toFixed(3));
export const fmtR4 = (r: number | null | undefined) => (typeof r !== 'number' ? '–' : r.toFixed(4));

/** p from log10 p: the one p-value format of every view (src/core/match/pValue.ts). */
export const fmtP = formatPValue;

export const fmtPct = (x: number | null | undefined) => (typeof x !== 'number' ? '–' : `${(100 * x).toFixed(1)}%`);

/** Integer with thin grouping by commas. */
export function fmtInt(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function fmtNum(n: number | null | undefined, digits = 4): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return n.toExponential(digits - 1);
  return n.toPrecision(digits);
}
