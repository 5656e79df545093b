// Public API of the statistics engine (vscode-free).
export type {
  ComponentLayers, DequantInfo, ErrorBound, Histogram, LayerAggregation, LayerSeries, OutlierFlag, StatsMethod,
  StatsOptions, StatsProgress, StatsRun, TensorStats,
} from './types';
export { computeStats, statsEvents, liveStatsWorkers, defaultWorkerPath, DEFAULT_BINS, DEFAULT_CHUNK_BYTES } from './run';
export { StatsCache, fileIdentities, STATS_CACHE_VERSION } from './cache';
export type { CacheStatus, FileIdentity } from './cache';
export { aggregateLayers, layerMatrix, outlierFlags, EXTREME_KURTOSIS } from './layers';
export type { LayerMatrix } from './layers';
export { symlog, symlogInverse } from './finalize';
export { SMALL_TENSOR_ELEMENTS } from './compute';
export { dequantGeometry, findScaleCompanion } from './plan';
export { statsJson } from './json';
