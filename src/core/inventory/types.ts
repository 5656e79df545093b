// The inventory's rows, queries and pages: what the Overview and the Tensors table show of a checkpoint. Core types;
// src/shared/protocol.ts re-exports them for the host ↔ webview messages.
import type { ArchitectureMatchRow } from '../catalogue/summary';
import type { Component } from '../naming/components';

/** A component of a checkpoint: one list, in naming/components.ts. */
export type ComponentName = Component;

export interface DTypeRow {
  dtype: string;
  tensors: number;
  parameters: number;
  bytes: number;
}

export interface ComponentRow {
  name: ComponentName;
  tensors: number;
  parameters: number;
  bytes: number;
  layers: number;
}

export interface FileRow {
  name: string;
  size: number;
  tensors: number;
  headerLength: number;
}

export interface CheckpointSummary {
  /** Display title (file or folder name). */
  title: string;
  path: string;
  /** File format: 'safetensors', 'gguf' or 'pytorch'. */
  format: string;
  kind: 'file' | 'sharded' | 'folder-of-files';
  files: FileRow[];
  tensors: number;
  parameters: number;
  bytes: number;
  fileBytes: number;
  dtypes: DTypeRow[];
  components: ComponentRow[];
  /** __metadata__ entries, untrusted strings. */
  metadata: [string, string][];
  config: [string, string][];
  family: string;
  headerHash: string;
  warnings: string[];
  /**
   * Architecture matches per component (layout and shapes only, from the catalogue; header-only, computed by the
   * host when the checkpoint opens). Absent or empty: no known family. Never weight evidence.
   */
  architecture?: ArchitectureMatchRow[];
}

export interface TensorRow {
  /** Position in the checkpoint's name-sorted tensor list: the stable id of a tensor within one session. */
  id: number;
  name: string;
  dtype: string;
  shape: number[];
  count: number;
  bytes: number;
  file: string;
  component: ComponentName;
  layer: number | null;
  kind: string;
  /** Present once statistics for this tensor are known (computed or cached). */
  stats?: StatsSummary;
}

/** The statistics the table shows and sorts by; the full TensorStats is asked for per tensor. */
export interface StatsSummary {
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  absmax: number | null;
  kurtosis: number | null;
  zerosFraction: number | null;
  /** NaN + ±Inf count. */
  nonFinite: number;
  /** Outlier flags (e.g. "nan", "inf", "all-zero", "extreme-kurtosis"), empty when none. */
  flags: string[];
}

export const TENSOR_SORT_KEYS = [
  'name', 'dtype', 'count', 'bytes', 'component', 'layer', 'kind', 'file', 'mean', 'std', 'absmax', 'kurtosis', 'zeros', 'flags',
] as const;
export type TensorSortKey = (typeof TENSOR_SORT_KEYS)[number];

export interface TensorQuery {
  filter: string;
  /** Treat filter as a regular expression (case-insensitive). */
  regex: boolean;
  component?: ComponentName;
  /** Module tree path prefix (name segments joined by "."), to show one subtree. */
  prefix?: string;
  sortKey: TensorSortKey;
  descending: boolean;
  start: number;
  count: number;
}

export interface TensorPage {
  total: number;
  start: number;
  rows: TensorRow[];
  /** Set when the filter is not a valid regular expression. */
  filterError?: string;
}

export interface TreeNode {
  /** Full path of the node (name segments joined by "."). */
  path: string;
  /** Last segment. */
  label: string;
  tensors: number;
  parameters: number;
  /** Set when the node is itself a tensor. */
  tensorId?: number;
  hasChildren: boolean;
}
