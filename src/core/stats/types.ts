// Result types of the statistics engine: what the CLI prints, the cache stores and the editor's charts render.
// Every statistic is a plain finite number or null (never NaN/Infinity), so results survive JSON unchanged.
import type { DType } from '../format/dtype';
import type { Component, ModuleKind } from '../naming/classify';

/**
 * How a tensor's statistics were computed.
 * - `exact-codes`: 8/16-bit dtypes; every code is counted and all statistics come from the code counts in float64.
 * - `exact-sort`: small tensors (≤ SMALL_TENSOR_ELEMENTS); values are decoded, sorted and reduced in float64.
 * - `float-buckets`: 32/64-bit dtypes and dequantised FP8; moments, min/max and counts are exact (float64
 *   accumulation), percentiles and histogram counts come from 65,536 fine buckets (see `percentileError`).
 */
export type StatsMethod = 'exact-codes' | 'exact-sort' | 'float-buckets';

export interface Histogram {
  scale: 'linear' | 'symlog';
  /** bins + 1 ascending bin edges in value space; bin i is [edges[i], edges[i+1]), the last bin is closed. */
  edges: number[];
  counts: number[];
  /** symlog only: c in t(v) = sign(v) · log10(1 + |v| / c); bins are uniform in t. */
  linthresh?: number;
  /**
   * true when every count is exact. For `float-buckets` a value within one fine bucket (relative width ≤ 2^-7)
   * of a bin edge may be counted in the neighbouring bin.
   */
  exact: boolean;
}

/** Bound on a reported percentile p̂: |p̂ − p| ≤ relative · |p| + absolute. Both 0 when exact. */
export interface ErrorBound {
  relative: number;
  absolute: number;
}

export interface DequantInfo {
  /** The companion scale tensor, e.g. `<name>_scale_inv`. */
  scaleTensor: string;
  /** Rows × columns of weight covered by one scale value (weight viewed as [shape[0], product(rest)]). */
  block: [number, number];
}

export interface TensorStats {
  name: string;
  dtype: DType;
  shape: number[];
  /** Number of elements, NaN and ±Inf included. */
  count: number;
  /** Finite elements: the population of every moment, extreme, percentile and histogram below. */
  finite: number;
  mean: number | null;
  /** Population standard deviation (divides by `finite`). */
  std: number | null;
  min: number | null;
  max: number | null;
  absmax: number | null;
  /** Euclidean norm of the finite values. */
  l2: number | null;
  /** Elements equal to ±0. */
  zeros: number;
  /** zeros / count; null for an empty tensor. */
  zerosFraction: number | null;
  nan: number;
  posinf: number;
  neginf: number;
  /** Population skewness m3 / m2^1.5; null when undefined (fewer than 1 finite value or zero variance). */
  skewness: number | null;
  /** Excess kurtosis m4 / m2² − 3; null when undefined. */
  kurtosis: number | null;
  /** Percentiles with NumPy's default ("linear") interpolation between order statistics. */
  p1: number | null;
  p50: number | null;
  p99: number | null;
  /** Linear bins from min to max (NumPy's [v − 0.5, v + 0.5] when min = max); null when there is no finite value. */
  histogram: Histogram | null;
  /** The same bin count, uniform in symlog space; null when there is no finite value. */
  symlogHistogram: Histogram | null;
  method: StatsMethod;
  percentileError: ErrorBound;
  /** Present when an FP8 weight was dequantised with its scale companion before the statistics. */
  dequantised?: DequantInfo;
  /** Something the reader should know (e.g. a scale companion whose shape could not be mapped). */
  warning?: string;
}

export interface StatsProgress {
  bytesDone: number;
  bytesTotal: number;
  tensorsDone: number;
  tensorsTotal: number;
  /** Tensors whose statistics came from the cache. */
  tensorsCached: number;
}

export interface StatsOptions {
  /** Histogram bins (both scales). Default 64. */
  bins?: number;
  /** Bytes per read and per worker task. Default 8 MiB; tests use small values to force chunking. */
  chunkBytes?: number;
  /** Worker threads; default os.availableParallelism(). 0 computes on the calling thread (no workers). */
  workers?: number;
  /** Upper bound on workers (default 16). */
  maxWorkers?: number;
  /** Path of the bundled stats.worker.js; default `<dirname of the bundle>/workers/stats.worker.js`. */
  workerPath?: string;
  /** Folder for cached results; no caching when absent. */
  cacheDir?: string;
  signal?: AbortSignal;
  /** Called once per tensor as soon as its statistics are known (cache hits first), in completion order. */
  onTensor?: (stats: TensorStats, index: number) => void;
  onProgress?: (progress: StatsProgress) => void;
  /** Only these tensor names (default all). */
  tensors?: string[];
}

export interface StatsRun {
  /** In checkpoint order (sorted by name), the same order as Checkpoint.tensors (or the `tensors` option). */
  tensors: TensorStats[];
  tensorsCached: number;
  bytesRead: number;
  elapsedMs: number;
  workers: number;
}

/** One per-layer curve: the statistics of one tensor pattern (e.g. `model.layers.{L}.self_attn.q_proj.weight`). */
export interface LayerSeries {
  component: Component;
  kind: ModuleKind;
  /** Last name segment: weight, bias … */
  param: string;
  /** The tensor name with its layer index replaced by `{L}` (and an expert index by `{E}`). */
  pattern: string;
  /** Short human label, e.g. "q_proj.weight". */
  label: string;
  /** Ascending layer indices present; the arrays below are aligned with it. */
  layers: number[];
  /** Mean over experts when the pattern has `{E}`. */
  std: (number | null)[];
  l2: (number | null)[];
  /** Max over experts when the pattern has `{E}`. */
  absmax: (number | null)[];
  /** Tensors per point (experts aggregated, else 1). */
  tensors: number[];
  /** Parameter names of the weight's scale companions (e.g. `weight_scale_inv`), which have no series of their own. */
  scaleCompanions?: string[];
}

export interface ComponentLayers {
  component: Component;
  /** Number of distinct layer indices. */
  layerCount: number;
  series: LayerSeries[];
}

export interface LayerAggregation {
  components: ComponentLayers[];
}

export type OutlierFlag = 'nan' | 'inf' | 'all-zero' | 'constant' | 'extreme-kurtosis' | 'empty';
