// Number, byte and shape formatting for display, through Intl in VS Code's display language.
import { formatInteger, formatSignificant, t } from '../src/core/l10n';

export const int = formatInteger;

/** 5363392 -> "5.36M"; exact below 10,000. The K/M/B/T suffixes are the field's own notation in every language. */
export function compact(n: number): string {
  const a = Math.abs(n);
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  if (a < 1e4) return int(n);
  for (const [v, u] of units) {
    if (a >= v) return `${formatSignificant(n / v)}${u}`;
  }
  return int(n);
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1024) return `${int(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = -1;
  do { v /= 1024; i++; } while (v >= 1024 && i < units.length - 1);
  return `${formatSignificant(v)} ${units[i]}`;
}

export function shape(s: number[]): string {
  return s.length === 0 ? t('[] (scalar)') : `[${s.join(', ')}]`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const p = (100 * part) / whole;
  return `${formatSignificant(Number(p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)), 4)}%`;
}

/** A decoded value from the detail pane: numbers shortened, NaN/Infinity kept as sent. */
export function value(v: number | string): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(4);
  return v.toPrecision(6).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * A long tensor name shortened in the middle ("model.layers.3.self_…proj.weight"): the start says where, the end says
 * what. Names are untrusted: the caller shows the full name in a tooltip and keeps it for screen readers.
 */
export function middle(name: string, max = 44): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  // The tail starts at a whole segment when one begins close enough ("…layers.3.mlp.down_proj.weight").
  let tailStart = chars.length - Math.ceil((max - 1) * 0.6);
  const dot = chars.lastIndexOf('.', tailStart);
  if (dot > 0 && tailStart - dot <= 10) tailStart = dot + 1;
  // An index reads better with its container ("layers.12", not "12").
  const before = chars.lastIndexOf('.', tailStart - 2);
  if (/\d/.test(chars[tailStart] ?? '') && before > 0 && tailStart - before <= 10) tailStart = before + 1;
  const head = Math.max(6, max - 1 - (chars.length - tailStart));
  return `${chars.slice(0, head).join('')}…${chars.slice(tailStart).join('')}`;
}
