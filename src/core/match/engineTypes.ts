// The shapes the matching engine works on (engine.ts) and its searches share (permutation.ts): a suspect opened for
// matching, its tensors, the reference views they are compared with, and a comparison's outcome.
import type { Checkpoint, TensorEntry } from '../format/checkpoint';
import type { CheckpointReader } from '../format/tensorData';
import type { TensorRole } from '../naming/classify';
import type { RowIndices } from '../fingerprint/plan';
import type { SampleMoments, TensorFingerprint } from '../fingerprint/types';
import type { TensorEvidence } from './types';

/** Bounds for the heavier searches, so that time grows with tensor count. */
export interface SearchBudget {
  /** Multiply-adds allowed for row permutation searches in one reference comparison. */
  permutationFlops: number;
  /** Largest suspect row count searched for a permutation. */
  maxSearchRows: number;
  /** Largest suspect tensor hashed to confirm an exact copy. */
  hashMaxBytes: number;
}

export interface Informativeness { informative: boolean; reason: string | null }

/** A local suspect tensor. */
export interface SuspectTensor {
  index: number;
  entry: TensorEntry;
  rows: number;
  cols: number;
  role: TensorRole;
  moments: SampleMoments;
  info: Informativeness;
  /** Indexed by the label space (output bias, per-class vector): shown, never deciding (taskTensors.ts). */
  task: boolean;
}

/** A reference tensor, or one row block of a fused reference tensor. */
export interface RefView {
  id: number;
  ref: TensorFingerprint;
  name: string;
  part: { m: number; k: number } | null;
  rows: number;
  cols: number;
  dims: number;
  planKey: string;
  rowIdx: RowIndices;
  c0: number;
  w: number;
  samples: Float32Array;
  normed: Float32Array | null;
}

/** Everything one suspect × reference comparison produces, per suspect tensor. */
export interface TensorComparison {
  evidence: TensorEvidence | null;
  /** Every aligned pair's r, for heatmaps: [view reference tensor name, reference layer, r]. */
  pairs: { reference: string; referenceLayer: number | null; r: number; refIndex: number }[];
  /** The best candidate's reference samples and the suspect's values there (for weak context). */
  best: { refSamples: Float32Array; suspectValues: Float32Array } | null;
}

export interface LocalSuspect {
  checkpoint: Checkpoint;
  reader: CheckpointReader;
  tensors: SuspectTensor[];
}
