// The custom document: one checkpoint file (or index) opened by one or more editors. Loading starts when the
// document opens and never throws; the outcome (session or error) is awaited by each panel's router.
import * as vscode from 'vscode';
import { CheckpointSession, LoadResult } from './session';

export class CheckpointDocument implements vscode.CustomDocument {
  private disposed = false;

  private constructor(readonly uri: vscode.Uri, readonly load: Promise<LoadResult>) {}

  static open(uri: vscode.Uri, maxHeaderBytes: number | undefined): CheckpointDocument {
    const load: Promise<LoadResult> = uri.scheme === 'file'
      ? CheckpointSession.load(uri.fsPath, { maxHeaderBytes })
      : Promise.resolve({ ok: false, error: { message: `${uri.toString()}: only files on the extension host's file system can be opened (scheme "${uri.scheme}")` } });
    return new CheckpointDocument(uri, load);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.load.then((r) => (r.ok ? r.session.close() : undefined), () => undefined);
  }
}
