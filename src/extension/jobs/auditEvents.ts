// Where completed audits are announced inside the extension host: whoever derives findings from an audit (draft
// findings, review notes) subscribes here. One event per completed audit of an open checkpoint, from the
// webview's Audit button or the Audit Checkpoint command; also exposed on the extension's API (extension.ts).
// Owned by the activation (disposed with it), so nothing outlives a deactivate or leaks between test runs.
import type * as vscode from 'vscode';
import type { AuditEvent } from './documentJobs';

export type { AuditEvent };

export class AuditEvents implements vscode.Disposable {
  private readonly listeners = new Set<(event: AuditEvent) => void>();
  private readonly latestByUri = new Map<string, AuditEvent>();

  constructor(private readonly log?: (line: string) => void) {}

  /** Calls `listener` after every completed audit; dispose the result to stop. */
  onDidComplete(listener: (event: AuditEvent) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  /** The last audit of a document (by its URI string), if any completed in this session. */
  latest(uri: string): AuditEvent | undefined {
    return this.latestByUri.get(uri);
  }

  /** Announces an audit (called by the documents' jobs). A listener's failure is logged, not thrown. */
  fire(event: AuditEvent): void {
    this.latestByUri.set(event.uri, event);
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        this.log?.(`an audit listener failed: ${(e as Error)?.message ?? String(e)}`);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
    this.latestByUri.clear();
  }
}
