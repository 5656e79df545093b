// The `stats --json` document (docs/architecture.md, Command line). Statistics are already null where JSON has no number (NaN, ±Inf,
// undefined moments); histograms keep their edges so a reader needs no inverse transform.
import type { Checkpoint } from '../format/checkpoint';
import type { StatsRun, TensorStats } from './types';

export interface StatsJson {
  checkpoint: {
    path: string;
    files: number;
    tensors: number;
    parameters: number;
    bytes: number;
    headerHash: string;
    cachedTensors: number;
    elapsedMs: number;
  };
  tensors: TensorStats[];
}

export function statsJson(checkpoint: Checkpoint, run: StatsRun): StatsJson {
  return {
    checkpoint: {
      path: checkpoint.path, files: checkpoint.files.length, tensors: checkpoint.tensors.length,
      parameters: checkpoint.parameters, bytes: checkpoint.bytes, headerHash: checkpoint.headerHash,
      cachedTensors: run.tensorsCached, elapsedMs: run.elapsedMs,
    },
    tensors: run.tensors,
  };
}
