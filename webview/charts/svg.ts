// SVG building blocks for the charts: elements made with createElementNS (text only through textContent),
// linear scales, "nice" ticks and compact number formatting. No style attributes (CSP): classes and SVG
// presentation attributes only.

export { niceScale } from '../../src/shared/ticks';

const NS = 'http://www.w3.org/2000/svg';

export type SvgAttrs = Record<string, string | number | undefined | null>;

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: SvgAttrs = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (/^on/i.test(k) || k === 'style' || k === 'href' || k === 'xlink:href') throw new Error(`refusing to set attribute ${k}`); // l10n-ignore: a programming error
    el.setAttribute(k, String(v));
  }
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** An SVG <text>; the string is text, never markup. */
export function svgText(x: number, y: number, text: string, attrs: SvgAttrs = {}): SVGTextElement {
  const t = svgEl('text', { x, y, ...attrs });
  t.textContent = text;
  return t;
}

/** A native tooltip (<title>) for an SVG element. */
export function svgTitle(text: string): SVGTitleElement {
  const t = svgEl('title');
  t.textContent = text;
  return t;
}

export type Scale = (v: number) => number;

export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Short, readable numbers for axes and read-outs: 4 significant digits, exponent form when tiny or huge. */
export function num(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return v.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, 'e');
  return Number(v.toPrecision(digits)).toString();
}

/** Extent of the finite numbers in a list of lists; null when there are none. */
export function extent(values: Iterable<number | null>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Ids unique within the page, for aria-describedby and friends. */
let nextId = 0;
export function uid(prefix: string): string {
  nextId++;
  return `${prefix}-${nextId}`;
}
