// The custom document: one checkpoint file (or index) opened by one or more editors. Loading starts when the
// document opens and never throws; the outcome (session or error) is awaited by each panel's router. The
// document owns its jobs (statistics, audit): they end when the last editor of the document closes.
import * as vscode from 'vscode';
import { defaultReviewer } from '../../core/review';
import { DocumentJobs, type JobsEnvironment } from '../jobs/documentJobs';
import { DocumentReview, type ReviewEnvironment } from '../review/documentReview';
import { CheckpointSession, LoadResult } from './checkpointSession';
import { t } from '../../core/l10n';

export class CheckpointDocument implements vscode.CustomDocument {
  private disposed = false;
  private readonly disposeListeners: (() => void)[] = [];
  readonly jobs: DocumentJobs;
  /** The review store beside the checkpoint and its findings. */
  readonly review: DocumentReview;

  private constructor(readonly uri: vscode.Uri, readonly load: Promise<LoadResult>, env: JobsEnvironment, reviewEnv?: ReviewEnvironment) {
    const title = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    this.jobs = new DocumentJobs(uri.toString(), title, load, env);
    this.review = new DocumentReview(uri.toString(), title, load, reviewEnv ?? { reviewer: defaultReviewer });
  }

  static open(uri: vscode.Uri, maxHeaderBytes: number | undefined, env: JobsEnvironment, reviewEnv?: ReviewEnvironment): CheckpointDocument {
    const load: Promise<LoadResult> = uri.scheme === 'file'
      ? CheckpointSession.load(uri.fsPath, { maxHeaderBytes })
      : Promise.resolve({ ok: false, error: { message: t('{0}: only files on the extension host\'s file system can be opened (scheme "{1}")', uri.toString(), uri.scheme) } });
    return new CheckpointDocument(uri, load, env, reviewEnv);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.jobs.dispose();
    this.review.dispose();
    void this.load.then((r) => (r.ok ? r.session.close() : undefined), () => undefined);
    for (const l of this.disposeListeners) {
      try { l(); } catch { /* a listener's failure is its own */ }
    }
  }
}
