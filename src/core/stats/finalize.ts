// From accumulated counts to TensorStats. Every path reduces to "entries": the distinct finite values of a
// tensor in ascending order with their multiplicities (exact for codes and sorted values; bucket midpoints
// clamped to [min, max] for the float path, whose moments and extremes are supplied exactly).
import type { DType } from '../format/dtype';
import { describeMoments, finiteOrNull, Moments } from './moments';
import { BucketGeometry, CodeTable, EXACT } from './tables';
import type { DequantInfo, ErrorBound, Histogram, StatsMethod, TensorStats } from './types';

export interface Entries {
  values: Float64Array;
  counts: Float64Array;
  length: number;
}

export interface NonFinite {
  nan: number;
  posinf: number;
  neginf: number;
}

export function entriesFromCodes(counts: ArrayLike<number>, table: CodeTable): { entries: Entries; nonFinite: NonFinite } {
  const { order, values } = table;
  let length = 0;
  for (let i = 0; i < order.length; i++) if (counts[order[i]] > 0) length++;
  const ev = new Float64Array(length);
  const ec = new Float64Array(length);
  let k = 0;
  for (let i = 0; i < order.length; i++) {
    const c = counts[order[i]];
    if (c > 0) { ev[k] = values[order[i]]; ec[k++] = c; }
  }
  const nonFinite = { nan: 0, posinf: 0, neginf: 0 };
  for (let code = 0; code < table.size; code++) {
    const c = counts[code];
    if (c === 0) continue;
    const v = values[code];
    if (v !== v) nonFinite.nan += c;
    else if (v === Infinity) nonFinite.posinf += c;
    else if (v === -Infinity) nonFinite.neginf += c;
  }
  return { entries: mergeEqual({ values: ev, counts: ec, length }), nonFinite };
}

/** Scratch of entriesFromBuckets: one entry per finite bucket, plus the zero entry. */
let bucketScratch: { values: Float64Array; counts: Float64Array } | undefined;

/**
 * Entries of fine float buckets; zeros (exact, by sign) are split out of the two buckets around zero. The buckets
 * are visited in `geometry.order` (0xff7f … 0x8000, 0x0000 … 0x7f7f) as two index ranges, in one pass.
 */
export function entriesFromBuckets(
  counts: ArrayLike<number>, geometry: BucketGeometry, min: number, max: number, zerosPos: number, zerosNeg: number,
): Entries {
  const { lo, hi } = geometry;
  bucketScratch ??= { values: new Float64Array(geometry.order.length + 1), counts: new Float64Array(geometry.order.length + 1) };
  const ev = bucketScratch.values;
  const ec = bucketScratch.counts;
  let n = 0;
  for (let k = 0xff7f; k > 0x8000; k--) {
    const c = counts[k];
    if (c > 0) { ev[n] = (Math.max(lo[k], min) + Math.min(hi[k], max)) / 2; ec[n++] = c; }
  }
  const negMid = (Math.max(lo[0x8000], min) + Math.min(hi[0x8000], max)) / 2;
  if (counts[0x8000] - zerosNeg > 0) { ev[n] = Math.min(0, negMid); ec[n++] = counts[0x8000] - zerosNeg; }
  if (zerosPos + zerosNeg > 0) { ev[n] = 0; ec[n++] = zerosPos + zerosNeg; }
  const posMid = (Math.max(lo[0], min) + Math.min(hi[0], max)) / 2;
  if (counts[0] - zerosPos > 0) { ev[n] = Math.max(0, posMid); ec[n++] = counts[0] - zerosPos; }
  for (let k = 1; k < 0x7f80; k++) {
    const c = counts[k];
    if (c > 0) { ev[n] = (Math.max(lo[k], min) + Math.min(hi[k], max)) / 2; ec[n++] = c; }
  }
  return mergeEqual({ values: ev.slice(0, n), counts: ec.slice(0, n), length: n });
}

/** Entries of ascending finite values (duplicates allowed). */
export function entriesFromSorted(sorted: Float64Array, n = sorted.length): Entries {
  const ev = new Float64Array(n);
  const ec = new Float64Array(n);
  let k = -1;
  for (let i = 0; i < n; i++) {
    const v = sorted[i];
    if (k >= 0 && ev[k] === v) ec[k]++;
    else { ev[++k] = v; ec[k] = 1; }
  }
  return { values: ev, counts: ec, length: k + 1 };
}

/** Joins adjacent equal values (±0 codes, or clamped bucket midpoints). */
function mergeEqual(e: Entries): Entries {
  let k = -1;
  for (let i = 0; i < e.length; i++) {
    if (k >= 0 && e.values[k] === e.values[i]) e.counts[k] += e.counts[i];
    else { k++; e.values[k] = e.values[i]; e.counts[k] = e.counts[i]; }
  }
  e.length = k + 1;
  return e;
}

export function momentsFromEntries(e: Entries): Moments {
  let n = 0;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < e.length; i++) {
    n += e.counts[i];
    const term = e.counts[i] * e.values[i];
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
  }
  if (n === 0) return { n: 0, mean: 0, m2: 0, m3: 0, m4: 0 };
  const mean = (sum + comp) / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < e.length; i++) {
    const d = e.values[i] - mean;
    const d2 = d * d;
    const c = e.counts[i];
    m2 += c * d2; m3 += c * d2 * d; m4 += c * d2 * d2;
  }
  return { n, mean, m2, m3, m4 };
}

/** NumPy "linear" percentiles: rank h = (n − 1)·q, interpolated between order statistics ⌊h⌋ and ⌊h⌋ + 1. */
export function percentiles(e: Entries, n: number, qs: number[]): (number | null)[] {
  if (n === 0) return qs.map(() => null);
  const valueAt = makeRankCursor(e);
  return qs.map((q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const a = valueAt(lo);
    const frac = h - lo;
    if (frac === 0 || lo + 1 >= n) return a;
    const b = valueAt(lo + 1);
    return a + frac * (b - a);
  });
}

function makeRankCursor(e: Entries): (rank: number) => number {
  let i = 0;
  let before = 0; // elements in entries [0, i)
  return (rank: number) => {
    if (rank < before) { i = 0; before = 0; }
    while (i < e.length - 1 && before + e.counts[i] <= rank) { before += e.counts[i]; i++; }
    return e.values[i];
  };
}

export function linearHistogram(e: Entries, min: number, max: number, bins: number, exact: boolean): Histogram {
  let lo = min, hi = max;
  if (!(hi > lo)) { lo = min - 0.5; hi = max + 0.5; }
  const width = hi - lo;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = lo + (width * i) / bins;
  edges[bins] = hi;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < e.length; i++) {
    let b = Math.floor(((e.values[i] - lo) / width) * bins);
    if (b < 0) b = 0; else if (b >= bins) b = bins - 1;
    counts[b] += e.counts[i];
  }
  return { scale: 'linear', edges, counts, exact };
}

export function symlog(v: number, c: number): number {
  return Math.sign(v) * Math.log10(1 + Math.abs(v) / c);
}

export function symlogInverse(t: number, c: number): number {
  return Math.sign(t) * c * (10 ** Math.abs(t) - 1);
}

export function symlogHistogram(e: Entries, min: number, max: number, bins: number, linthresh: number, exact: boolean): Histogram {
  let lo = symlog(min, linthresh), hi = symlog(max, linthresh);
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const width = hi - lo;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = symlogInverse(lo + (width * i) / bins, linthresh);
  edges[bins] = symlogInverse(hi, linthresh);
  if (max > min) { edges[0] = min; edges[bins] = max; }
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < e.length; i++) {
    let b = Math.floor(((symlog(e.values[i], linthresh) - lo) / width) * bins);
    if (b < 0) b = 0; else if (b >= bins) b = bins - 1;
    counts[b] += e.counts[i];
  }
  return { scale: 'symlog', edges, counts, linthresh, exact };
}

/** The symlog threshold: the standard deviation (the bulk stays linear, the tails compress), else |max|, else 1. */
export function chooseLinthresh(std: number | null, absmax: number | null): number {
  if (std !== null && std > 0) return std;
  if (absmax !== null && absmax > 0) return absmax;
  return 1;
}

export interface TensorMeta {
  name: string;
  dtype: DType;
  shape: number[];
  count: number;
}

export interface FinalizeInput {
  entries: Entries;
  nonFinite: NonFinite;
  method: StatsMethod;
  /** float-buckets whose every bucket holds a single exact value (all values are BF16 values). */
  exactBuckets?: boolean;
  percentileError?: ErrorBound;
  /** Exact values for the float path; derived from the entries otherwise. */
  moments?: Moments;
  min?: number;
  max?: number;
  zeros?: number;
  dequantised?: DequantInfo;
  warning?: string;
}

export function finalizeStats(meta: TensorMeta, input: FinalizeInput, bins: number): TensorStats {
  const { entries: e, nonFinite } = input;
  const moments = input.moments ?? momentsFromEntries(e);
  const finite = moments.n;
  const hasValues = finite > 0 && e.length > 0;
  const min = hasValues ? input.min ?? e.values[0] : null;
  const max = hasValues ? input.max ?? e.values[e.length - 1] : null;
  let zeros = input.zeros;
  if (zeros === undefined) {
    zeros = 0;
    for (let i = 0; i < e.length; i++) if (e.values[i] === 0) zeros += e.counts[i];
  }
  const shape = describeMoments(moments);
  const absmax = min !== null && max !== null ? Math.max(Math.abs(min), Math.abs(max)) : null;
  const exact = input.method !== 'float-buckets' || input.exactBuckets === true;
  const [p1, p50, p99] = percentiles(e, finite, [0.01, 0.5, 0.99]);
  const stats: TensorStats = {
    name: meta.name, dtype: meta.dtype, shape: meta.shape, count: meta.count, finite,
    mean: shape.mean, std: shape.std, min: finiteOrNull(min), max: finiteOrNull(max), absmax: finiteOrNull(absmax),
    l2: shape.l2, zeros, zerosFraction: meta.count > 0 ? zeros / meta.count : null,
    nan: nonFinite.nan, posinf: nonFinite.posinf, neginf: nonFinite.neginf,
    skewness: shape.skewness, kurtosis: shape.kurtosis,
    p1: clampOrNull(p1, min, max), p50: clampOrNull(p50, min, max), p99: clampOrNull(p99, min, max),
    histogram: null, symlogHistogram: null,
    method: input.method,
    percentileError: exact ? { ...EXACT } : { ...(input.percentileError ?? EXACT) },
  };
  if (hasValues && min !== null && max !== null) {
    stats.histogram = linearHistogram(e, min, max, bins, exact);
    stats.symlogHistogram = symlogHistogram(e, min, max, bins, chooseLinthresh(shape.std, absmax), exact);
  }
  if (input.dequantised) stats.dequantised = input.dequantised;
  if (input.warning) stats.warning = input.warning;
  return stats;
}

function clampOrNull(v: number | null, min: number | null, max: number | null): number | null {
  if (v === null || min === null || max === null || !Number.isFinite(v)) return null;
  return v < min ? min : v > max ? max : v;
}

/** Statistics of a tensor without elements. */
export function emptyStats(meta: TensorMeta, method: StatsMethod, extra: { dequantised?: DequantInfo; warning?: string } = {}): TensorStats {
  return finalizeStats(meta, {
    entries: { values: new Float64Array(0), counts: new Float64Array(0), length: 0 },
    nonFinite: { nan: 0, posinf: 0, neginf: 0 }, method, ...extra,
  }, 1);
}
