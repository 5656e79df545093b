// Sampling plans: which elements of a tensor a fingerprint stores. A plan depends ONLY on the tensor's shape and the
// format version, so a suspect can be read at exactly the reference's positions whatever its tensor names are.

/**
 * The version this Weightprint writes. Version 2 adds Gram sketches (gram.ts), version 3 the tokenizer fingerprint
 * (sidecars/tokenizerPrint.ts); older files keep loading.
 */
export const FORMAT_VERSION = 3;
/** Versions this Weightprint reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2, 3];
/** Sample and probe positions are those of version 1 in every version, so old and new files line up. */
const PLAN_SEED = 'wpf1';
/** Target number of sampled values per tensor. */
export const SAMPLE_TARGET = 4096;
/** Width of the contiguous column window read in each sampled row. */
export const WINDOW_COLS = 64;
/** Rows of a column probe (embedding-like tensors: full rows, for hidden-dimension permutation recovery). */
export const PROBE_ROWS = 128;
/** Widest row a probe stores; wider tensors get no probe. */
export const PROBE_MAX_COLS = 16384;

/** Deterministic 32-bit PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function shapeRowsCols(shape: readonly number[]): { rows: number; cols: number } {
  if (shape.length === 0) return { rows: 1, cols: 1 };
  let cols = 1;
  for (let i = 1; i < shape.length; i++) cols *= shape[i];
  return { rows: shape[0], cols };
}

/** Row indices: float64, exact up to 2^53 (a tensor may have more than 2^31 rows). */
export type RowIndices = Float64Array;

export interface SamplePlan {
  rows: number;
  cols: number;
  /** Sampled row indices, strictly increasing. */
  rowIdx: RowIndices;
  /** First column of the window. */
  c0: number;
  /** Window width (columns). */
  w: number;
  /** rowIdx.length * w: sample i*w + j is element (rowIdx[i], c0 + j). */
  count: number;
}

/** Picks k distinct integers from [0, n) (Floyd's algorithm), sorted. */
export function pickDistinct(n: number, k: number, rand: () => number): RowIndices {
  if (k >= n) return Float64Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(rand() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Float64Array.from(chosen).sort();
}

const planCache = new Map<string, SamplePlan>();

/** The version-1 sampling plan of a shape: up to R rows and a contiguous window of W columns, ~4,096 values. */
export function samplePlan(shape: readonly number[]): SamplePlan {
  const key = shape.join('x');
  const cached = planCache.get(key);
  if (cached) return cached;
  const { rows, cols } = shapeRowsCols(shape);
  let plan: SamplePlan;
  if (rows * cols === 0) {
    plan = { rows, cols, rowIdx: new Float64Array(0), c0: 0, w: 0, count: 0 };
  } else {
    const rand = mulberry32(fnv1a(`${PLAN_SEED}:sample:${key}`));
    let w = Math.min(cols, WINDOW_COLS);
    if (rows * w < SAMPLE_TARGET) w = Math.min(cols, Math.ceil(SAMPLE_TARGET / rows));
    const r = Math.min(rows, Math.ceil(SAMPLE_TARGET / w));
    const c0 = Math.floor(rand() * (cols - w + 1));
    const rowIdx = pickDistinct(rows, r, rand);
    plan = { rows, cols, rowIdx, c0, w, count: rowIdx.length * w };
  }
  if (planCache.size > 4096) planCache.clear();
  planCache.set(key, plan);
  return plan;
}

/** Rows of the column probe of a 2-D-viewed tensor (empty when the tensor gets no probe). */
export function probeRows(shape: readonly number[]): RowIndices {
  const { rows, cols } = shapeRowsCols(shape);
  if (shape.length < 2 || cols < 8 || cols > PROBE_MAX_COLS || rows < 16) return new Float64Array(0);
  const rand = mulberry32(fnv1a(`${PLAN_SEED}:probe:${shape.join('x')}`));
  return pickDistinct(rows, Math.min(rows, PROBE_ROWS), rand);
}

/** Flat element indices of a plan's samples, in sample order. */
export function planIndices(plan: SamplePlan, rowOffset = 0): Float64Array {
  const out = new Float64Array(plan.count);
  let k = 0;
  for (let i = 0; i < plan.rowIdx.length; i++) {
    const base = (plan.rowIdx[i] + rowOffset) * plan.cols + plan.c0;
    for (let j = 0; j < plan.w; j++) out[k++] = base + j;
  }
  return out;
}
