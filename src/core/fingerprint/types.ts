// Fingerprint format versions 1 to 3, in memory. The file encoding is in io.ts and docs/fingerprint-format.md.
import type { ConfigSummary } from '../format/config';
import type { DType } from '../format/dtype';
import type { Component, ModuleKind } from '../naming/classify';
import type { TokenizerFingerprint } from '../sidecars/tokenizerPrint';

export interface SampleMoments {
  /** Number of finite sampled values. */
  n: number;
  /** Sampled values that were NaN or infinite. */
  nonFinite: number;
  mean: number;
  /** Population standard deviation of the finite samples. */
  std: number;
  min: number;
  max: number;
  absmax: number;
  /** Distinct finite sampled values, counted up to 64. */
  distinct: number;
}

export interface TensorFingerprint {
  name: string;
  dtype: DType;
  shape: number[];
  /** Raw byte length of the tensor. */
  bytes: number;
  /** SHA-256 of the raw bytes (hex), or null when not computed. */
  sha256: string | null;
  /** Role from the reference's own names: for grouping and reporting only. */
  component: Component;
  layer: number | null;
  kind: ModuleKind;
  /** Moments of the sampled values (not of the whole tensor: a fingerprint reads O(samples)). */
  moments: SampleMoments;
  /** Values at samplePlan(shape) positions, float32. */
  samples: Float32Array;
  /** For embedding-like tensors: probeRows(shape) full rows (row-major), for hidden-permutation recovery. */
  probe: Float32Array | null;
  /** Version 2, hidden-unit matrices: Gram sketch of gramPlan(shape) rows (gram.ts); null when absent. */
  gramRows: Float32Array | null;
  /** Version 2: Gram sketch of gramPlan(shape) columns; null when absent. */
  gramCols: Float32Array | null;
}

/** Where a fingerprint made over HTTP came from (absent for local files). See docs/remote.md. */
export interface FingerprintOrigin {
  /** 'huggingface': a Hub-layout server (huggingface.co or a mirror, `/{repo}/resolve/{revision}/{file}`). */
  type: 'huggingface';
  /** Server base URL, e.g. https://huggingface.co (never holds credentials). */
  endpoint: string;
  /** owner/name */
  repo: string;
  /** Revision asked for (branch, tag or commit). */
  revision: string;
  /** Commit hash the revision resolved to, when the server said (X-Repo-Commit), else null. */
  commit: string | null;
  /** Subfolder or file inside the repo, '' for the root. */
  path: string;
  /** Files read, relative to the repo root. */
  files: string[];
  /** ISO 8601 time of the fetch. */
  fetchedAt: string;
}

export interface FingerprintModel {
  id: string;
  source: string;
  headerHash: string;
  config: ConfigSummary | null;
  createdAt: string;
  tool: { name: string; version: string };
  tensors: number;
  parameters: number;
  bytes: number;
  /** Present only for fingerprints made remotely. */
  origin?: FingerprintOrigin;
}

export interface Fingerprint {
  format: 'weightprint-fingerprint';
  version: 1 | 2 | 3;
  model: FingerprintModel;
  /** The plan constants this file was made with (fixed by the version; stored for readers and checks). */
  plan: { sampleTarget: number; windowCols: number; probeRows: number; probeMaxCols: number; gramSize?: number; gramMaxLength?: number };
  /** Version 3: the tokenizer beside the weights (null when the folder has none); absent in older versions. */
  tokenizer?: TokenizerFingerprint | null;
  tensors: TensorFingerprint[];
}
