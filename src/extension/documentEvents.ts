// What happens to one open checkpoint document, as domain events: its jobs (statistics, audit) and its review emit
// them, each panel's MessageRouter subscribes and alone turns them into webview messages (and holds the ones that
// come before its webview is ready). Nothing here knows the wire format. vscode-free.
import type { ComponentLayers } from '../core/stats';
import type { AuditResult } from '../core/match';
import type { Finding, FindingTarget } from '../core/review/types';
import type { AuditProgress, ComponentName, ErrorInfo, FindingsStatus, JobState, StatsProgress, ViewName } from '../shared/protocol';

export interface StatsStatus {
  state: JobState;
  progress?: StatsProgress;
  error?: ErrorInfo;
  tensorsWithStats: number;
}

export interface AuditStatus {
  state: JobState;
  progress?: AuditProgress;
  result?: AuditResult;
  /** When the result was made (ISO 8601). */
  finishedAt?: string;
  error?: ErrorInfo;
  /** How many references the library holds. */
  libraryModels: number;
}

export interface FindingsState {
  findings: Finding[];
  status: FindingsStatus;
  canUndo: boolean;
  undoLabel: string | null;
  reviewer: string;
}

/** A view a command wants the panels to show (the audit command's Provenance, a finding revealed from the tree). */
export interface ViewRequest {
  view: ViewName;
  tensorId?: number;
  component?: ComponentName;
  findingId?: string;
}

export type DocumentEvent =
  /** State: a later event of the same kind replaces an earlier one. */
  | { kind: 'stats'; status: StatsStatus }
  | { kind: 'layers'; layers: ComponentLayers[] }
  | { kind: 'audit'; status: AuditStatus }
  | { kind: 'findings'; state: FindingsState }
  /** Requests: shown once, by every panel of the document. */
  | { kind: 'showView'; request: ViewRequest }
  | { kind: 'openFindingForm'; target?: FindingTarget };

/** The requests among the events (the rest is state that a fresh webview gets from a snapshot). */
export function isRequest(e: DocumentEvent): e is Extract<DocumentEvent, { kind: 'showView' | 'openFindingForm' }> {
  return e.kind === 'showView' || e.kind === 'openFindingForm';
}

/** One document's event stream. A throwing listener is logged and does not stop the others. */
export class DocumentEvents {
  private readonly listeners = new Set<(e: DocumentEvent) => void>();
  private closed = false;

  constructor(private readonly log?: (line: string) => void) {}

  /** Sends `e` to every subscriber; returns whether there was one (a panel of the document). */
  emit(e: DocumentEvent): boolean {
    if (this.closed) return false;
    for (const l of [...this.listeners]) {
      try { l(e); } catch (err) { this.log?.(`a panel could not be told ${e.kind}: ${err instanceof Error ? err.message : String(err)}`); }
    }
    return this.listeners.size > 0;
  }

  subscribe(listener: (e: DocumentEvent) => void): () => void {
    if (this.closed) return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.closed = true;
    this.listeners.clear();
  }
}
