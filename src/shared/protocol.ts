// The one typed message protocol between the extension host and the checkpoint webview.
// Types only: imported by the host (src/extension) and by the webview bundle. Result types of the core are
// re-exported here as types (erased at build time), so the webview never imports src/core.
import type { TensorStats, StatsProgress, ComponentLayers } from '../core/stats/types';
import type { AuditResult } from '../core/match/types';
import type { Confidence, Finding, FindingState, FindingTarget, FindingVerdict } from '../core/review/types';
import type { ArchitectureMatchRow } from '../core/catalogue/summary';

export type { TensorStats, StatsProgress, ComponentLayers, AuditResult };
export type { Confidence, Finding, FindingState, FindingTarget, FindingVerdict };
export type { ArchitectureMatchRow };

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

export type TensorSortKey =
  | 'name' | 'dtype' | 'count' | 'bytes' | 'component' | 'layer' | 'kind' | 'file'
  | 'mean' | 'std' | 'absmax' | 'kurtosis' | 'zeros' | 'flags';

export type JobState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export type ViewName = 'overview' | 'tensors' | 'statistics' | 'provenance' | 'findings';

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

/**
 * The review store of the document as the Findings pane shows it:
 * - `new` / `ok`: changes are saved beside the checkpoint;
 * - `hash-mismatch` / `unreadable` / `newer-schema`: the file is left untouched and changes are refused;
 * - `read-only`: the folder cannot be written; changes stay in memory until saved elsewhere;
 * - `unavailable`: no store (the checkpoint could not be opened, or the store could not be read at all).
 */
export type FindingsStatusKind = 'new' | 'ok' | 'hash-mismatch' | 'unreadable' | 'newer-schema' | 'read-only' | 'unavailable';

export interface FindingsStatus {
  kind: FindingsStatusKind;
  /** A sentence to show as is. */
  message: string;
  /** The review file's path ('' when unavailable). */
  path: string;
  /** Changes can be made (they may still fail to be written: see `dirty`). */
  writable: boolean;
  /** Changes in memory that are not on disk. */
  dirty: boolean;
  /** "Save Review As…" is offered. */
  canSaveAs: boolean;
}

/** What the Add/Edit finding form sends; the host fills in id, times, reviewer and evidence. */
export interface FindingDraft {
  target: FindingTarget;
  verdict: FindingVerdict;
  confidence: Confidence;
  rationale: string;
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
  | { type: 'showView'; view: ViewName; tensorId?: number; component?: ComponentName; findingId?: string }
  /** The document's findings (store order), pushed after every change, reload or status change. */
  | { type: 'findings'; findings: Finding[]; status: FindingsStatus; canUndo: boolean; undoLabel: string | null; reviewer: string }
  /** Outcome of a findings request (add, update, state, delete, undo, save as). */
  | { type: 'findingResult'; requestId: number; ok: boolean; findingId?: string; error?: ErrorInfo }
  /** Host asks the webview to open the Add finding form for a target (context menus, the Add Finding command). */
  | { type: 'openFindingForm'; target?: FindingTarget };

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
  | { type: 'manageLibrary' }
  /** "Add to library…" of an architecture match: fingerprint this public Hub repo remotely (weightprint.addHubModel). */
  | { type: 'addHubModel'; repo: string }
  /** Findings: ask for the current list (answered with a `findings` push); every change is done by the host. */
  | { type: 'getFindings' }
  | { type: 'addFinding'; requestId: number; draft: FindingDraft }
  | { type: 'updateFinding'; requestId: number; id: string; draft: FindingDraft }
  | { type: 'setFindingState'; requestId: number; id: string; state: FindingState }
  | { type: 'deleteFinding'; requestId: number; id: string }
  | { type: 'undoFindingChange'; requestId: number }
  /** Saves the review to a file the reviewer picks (read-only folders, a review of another checkpoint). */
  | { type: 'saveReviewAs'; requestId: number };
