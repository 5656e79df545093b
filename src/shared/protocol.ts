// The one typed message protocol between the extension host and the checkpoint webview.
// Types only: imported by the host (src/extension) and by the webview bundle. Result types of the core are
// re-exported here as types (erased at build time), so the webview never imports src/core.
import type { TensorStats, StatsProgress, ComponentLayers } from '../core/stats/types';
import type { AuditResult } from '../core/match/types';

export type { TensorStats, StatsProgress, ComponentLayers, AuditResult };

export type ComponentName = 'language' | 'vision' | 'audio' | 'projector' | 'other';

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

export type TensorSortKey =
  | 'name' | 'dtype' | 'count' | 'bytes' | 'component' | 'layer' | 'kind' | 'file'
  | 'mean' | 'std' | 'absmax' | 'kurtosis' | 'zeros' | 'flags';

export type JobState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export type ViewName = 'overview' | 'tensors' | 'statistics' | 'provenance';

export interface AuditProgress {
  /** What the audit is doing now, e.g. "fingerprinting references", "matching vision". */
  message: string;
  /** 0..1, or null when unknown. */
  fraction: number | null;
}

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

export interface TensorDetail {
  row: TensorRow;
  filePath: string;
  /** Absolute byte range [begin, end) in the file. */
  offsets: [number, number];
  /** First decoded values, as numbers (NaN/Infinity as strings because JSON cannot carry them). */
  firstValues: (number | string)[];
  param: string;
  expert: number | null;
}

export interface ErrorInfo {
  message: string;
  code?: string;
  file?: string;
  tensor?: string;
  byteOffset?: number;
}

export type HostToWebview =
  | { type: 'init'; summary: CheckpointSummary }
  | { type: 'loadError'; error: ErrorInfo }
  | { type: 'tensorPage'; requestId: number; page: TensorPage }
  | { type: 'treeChildren'; requestId: number; path: string; children: TreeNode[] }
  | { type: 'tensorDetail'; requestId: number; detail: TensorDetail }
  | { type: 'requestError'; requestId: number; error: ErrorInfo }
  /** Statistics job: state changes and throttled progress; rows' `stats` fill in as tensors finish (re-query pages). */
  | { type: 'statsState'; state: JobState; progress?: StatsProgress; error?: ErrorInfo; tensorsWithStats: number }
  /** Per-layer series per component, sent when statistics are complete. */
  | { type: 'statsLayers'; layers: ComponentLayers[] }
  | { type: 'tensorStats'; requestId: number; id: number; stats: TensorStats | null }
  /** Provenance: audit against the reference library. `libraryModels` is how many references are available. */
  | { type: 'auditState'; state: JobState; progress?: AuditProgress; result?: AuditResult; error?: ErrorInfo; libraryModels: number }
  /** Host asks the webview to show a view (e.g. the audit command opens Provenance), optionally a tensor. */
  | { type: 'showView'; view: ViewName; tensorId?: number };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'queryTensors'; requestId: number; query: TensorQuery }
  | { type: 'getTreeChildren'; requestId: number; path: string }
  | { type: 'getTensorDetail'; requestId: number; id: number }
  /**
   * Sent once after the first paint of a view (and again after a reload), with what the page shows: the host
   * records it so that integration tests can check what a person sees without reaching into the webview's DOM.
   */
  | { type: 'rendered'; view: 'checkpoint' | 'error'; tensors: number; files: number; components: ComponentName[] }
  | { type: 'runStats' }
  | { type: 'runAudit' }
  | { type: 'cancelJob'; job: 'stats' | 'audit' }
  | { type: 'getTensorStats'; requestId: number; id: number }
  /** Opens the Reference Library view / settings so the reviewer can add references. */
  | { type: 'manageLibrary' };
