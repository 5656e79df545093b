// Statistics and audit results for the webview tests, computed with the real core from the corpus (stats on the
// calling thread, per-layer aggregation, fingerprints of the references, the audit), plus synthetic statistics
// for the generated 50,000-tensor fixture.
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { aggregateLayers, computeStats, outlierFlags } from '../../src/core/stats';
import { fingerprintPath } from '../../src/core/fingerprint';
import { auditCheckpoint } from '../../src/core/match';
import type { AuditOptions } from '../../src/core/match/audit';
import type { AuditResult, ComponentLayers, StatsSummary, TensorRow, TensorStats } from '../../src/shared/protocol';

export interface JobsData {
  /** Full statistics by tensor id. */
  stats: (TensorStats | null)[];
  layers: ComponentLayers[];
  audit: AuditResult | null;
  libraryModels: number;
}

export function statsSummary(s: TensorStats): StatsSummary {
  return {
    mean: s.mean, std: s.std, min: s.min, max: s.max, absmax: s.absmax, kurtosis: s.kurtosis,
    zerosFraction: s.zerosFraction, nonFinite: s.nan + s.posinf + s.neginf, flags: outlierFlags(s),
  };
}

/** Statistics of every tensor and, when references are given, the audit against their fingerprints. */
export async function corpusJobs(path: string, references: { path: string; id: string }[], options: AuditOptions = {}): Promise<JobsData> {
  const checkpoint = await openCheckpoint(path);
  const run = await computeStats(checkpoint, { workers: 0 });
  const fps = await Promise.all(references.map((r) => fingerprintPath(r.path, { id: r.id })));
  const audit = fps.length ? await auditCheckpoint(path, fps, options) : null;
  return { stats: run.tensors, layers: aggregateLayers(run.tensors).components, audit, libraryModels: fps.length };
}

/** Deterministic made-up statistics for generated rows, a few of them flagged. */
export function syntheticStats(rows: TensorRow[]): (TensorStats | null)[] {
  return rows.map((r, i) => {
    const std = 0.01 + ((i * 7919) % 1000) / 20_000;
    const flagged = i % 97 === 3;
    const zero = i % 211 === 5;
    const kurt = i % 53 === 7 ? 120 + (i % 10) : ((i * 31) % 100) / 25;
    const n = r.count;
    return {
      name: r.name, dtype: r.dtype as TensorStats['dtype'], shape: r.shape, count: n, finite: flagged ? n - 2 : n,
      mean: zero ? 0 : std / 10, std: zero ? 0 : std, min: zero ? 0 : -5 * std, max: zero ? 0 : 5 * std, absmax: zero ? 0 : 5 * std,
      l2: std * Math.sqrt(n), zeros: zero ? n : i % 5, zerosFraction: zero ? 1 : (i % 5) / Math.max(1, n), nan: flagged ? 1 : 0,
      posinf: flagged ? 1 : 0, neginf: 0, skewness: 0, kurtosis: zero ? null : kurt, p1: -2 * std, p50: 0, p99: 2 * std,
      histogram: null, symlogHistogram: null, method: 'exact-codes', percentileError: { relative: 0, absolute: 0 },
    };
  });
}
