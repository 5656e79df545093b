// Where completed audits are announced inside the extension host: whoever derives findings from an audit (draft
// findings, review notes) subscribes here. One event per completed audit of an open checkpoint, from the
// webview's Audit button or the Audit Checkpoint command; also exposed on the extension's API (extension.ts).
import type * as vscode from 'vscode';
import type { AuditEvent } from './documentJobs';

export type { AuditEvent };

const listeners = new Set<(event: AuditEvent) => void>();
const latest = new Map<string, AuditEvent>();

/** Calls `listener` after every completed audit; dispose the result to stop. */
export function onDidCompleteAudit(listener: (event: AuditEvent) => void): vscode.Disposable {
  listeners.add(listener);
  return { dispose: () => { listeners.delete(listener); } };
}

/** The last audit of a document (by its URI string), if any completed in this session. */
export function latestAudit(uri: string): AuditEvent | undefined {
  return latest.get(uri);
}

/** Announces an audit (called by the documents' jobs). A listener's failure is logged, not thrown. */
export function fireAuditCompleted(event: AuditEvent, log?: (line: string) => void): void {
  latest.set(event.uri, event);
  for (const l of [...listeners]) {
    try {
      l(event);
    } catch (e) {
      log?.(`an audit listener failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}
