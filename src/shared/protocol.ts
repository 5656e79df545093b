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
export type { ComponentName, DTypeRow, ComponentRow, FileRow, CheckpointSummary, TensorRow, StatsSummary, TensorSortKey, TensorQuery, TensorPage, TreeNode } from '../core/inventory/types';
import type { ComponentName, CheckpointSummary, TensorRow, TensorQuery, TensorPage, TreeNode } from '../core/inventory/types';

export type JobState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

import type { ViewName } from './vocabulary';
export type { ViewName };

export interface AuditProgress {
  /** What the audit is doing now, e.g. "fingerprinting references", "matching vision". */
  message: string;
  /** 0..1, or null when unknown. */
  fraction: number | null;
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

/**
 * A findings change as the host answers it. `kept`: the change is made but stays in memory only, and why (a
 * read-only folder). A change that fails is an error reply.
 */
export interface FindingChange {
  findingId?: string;
  kept?: string;
}

/**
 * The webview's requests, method → params → result. Each goes out as a `request` envelope with an id and is
 * answered by exactly one `reply` with that id: its result, or an error (also for a request the host could not
 * read). The webview gives up on a request after a timeout.
 */
export interface Requests {
  queryTensors: { params: { query: TensorQuery }; result: TensorPage };
  getTreeChildren: { params: { path: string }; result: TreeNode[] };
  getTensorDetail: { params: { id: number }; result: TensorDetail };
  /** Full statistics of one tensor; null while they are not known. */
  getTensorStats: { params: { id: number }; result: TensorStats | null };
  addFinding: { params: { draft: FindingDraft }; result: FindingChange };
  updateFinding: { params: { id: string; draft: FindingDraft }; result: FindingChange };
  setFindingState: { params: { id: string; state: FindingState }; result: FindingChange };
  deleteFinding: { params: { id: string }; result: FindingChange };
  undoFindingChange: { params: Record<string, never>; result: FindingChange };
  /** Saves the review to a file the reviewer picks (read-only folders, a review of another checkpoint). */
  saveReviewAs: { params: Record<string, never>; result: FindingChange };
}
export type Method = keyof Requests;
export type Params<M extends Method> = Requests[M]['params'];
export type Result<M extends Method> = Requests[M]['result'];
export type RequestMessage = { [M in Method]: { type: 'request'; id: number; method: M; params: Params<M> } }[Method];
export type ReplyMessage =
  | { type: 'reply'; id: number; method: string; ok: true; result: unknown }
  | { type: 'reply'; id: number; method: string; ok: false; error: ErrorInfo };

export type HostToWebview =
  | { type: 'init'; summary: CheckpointSummary }
  | { type: 'loadError'; error: ErrorInfo }
  | ReplyMessage
  /** The architecture matches (and any warning of the catalogue), sent after `init` when they were not in its summary. */
  | { type: 'architecture'; architecture: ArchitectureMatchRow[]; warnings: string[] }
  /** Statistics job: state changes and throttled progress; rows' `stats` fill in as tensors finish (re-query pages). */
  | { type: 'statsState'; state: JobState; progress?: StatsProgress; error?: ErrorInfo; tensorsWithStats: number }
  /** Per-layer series per component, sent when statistics are complete. */
  | { type: 'statsLayers'; layers: ComponentLayers[] }
  /** Provenance: audit against the reference library. `libraryModels` is how many references are available. */
  | { type: 'auditState'; state: JobState; progress?: AuditProgress; result?: AuditResult; finishedAt?: string; error?: ErrorInfo; libraryModels: number }
  /** Host asks the webview to show a view (e.g. the audit command opens Provenance), optionally a tensor. */
  | { type: 'showView'; view: ViewName; tensorId?: number; component?: ComponentName; findingId?: string }
  /** The document's findings (store order), pushed after every change, reload or status change. */
  | { type: 'findings'; findings: Finding[]; status: FindingsStatus; canUndo: boolean; undoLabel: string | null; reviewer: string }
  /** Host asks the webview to open the Add finding form for a target (context menus, the Add Finding command). */
  | { type: 'openFindingForm'; target?: FindingTarget };

export type WebviewToHost =
  | { type: 'ready' }
  | RequestMessage
  /**
   * Sent once after the first paint of a view (and again after a reload), with what the page shows: the host
   * records it so that integration tests can check what a person sees without reaching into the webview's DOM.
   */
  | { type: 'rendered'; view: 'checkpoint' | 'error'; tensors: number; files: number; components: ComponentName[] }
  | { type: 'runStats' }
  | { type: 'runAudit' }
  | { type: 'cancelJob'; job: 'stats' | 'audit' }
  /** Opens the Reference Library view / settings so the reviewer can add references. */
  | { type: 'manageLibrary' }
  /** "Add to library…" of an architecture match: fingerprint this public Hub repo remotely (weightprint.addHubModel). */
  | { type: 'addHubModel'; repo: string }
  /** Findings: ask for the current list (answered with a `findings` push); every change is done by the host. */
  | { type: 'getFindings' };

/** Host → webview messages that are not replies: the checkpoint, job states, findings, view requests. */
export type Push = Exclude<HostToWebview, ReplyMessage>;
