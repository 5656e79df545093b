// The custom document: one checkpoint file (or index) opened by one or more editors. Loading starts once its first
// panel has its HTML (see `open`) and never throws; the outcome (session or error) is awaited by each panel's router. The
// document owns its jobs (statistics, audit): they end when the last editor of the document closes.
import * as vscode from 'vscode';
import { defaultReviewer } from '../../core/review';
import { Disposable } from '../disposable';
import { DocumentEvents } from '../documentEvents';
import { DocumentJobs, type JobsEnvironment } from '../jobs/documentJobs';
import { DocumentReview, type ReviewEnvironment } from '../review/documentReview';
import { CheckpointSession, LoadResult } from './checkpointSession';
import { t } from '../../core/l10n';

export class CheckpointDocument extends Disposable implements vscode.CustomDocument {
  readonly jobs: DocumentJobs;
  /** The review store beside the checkpoint and its findings. */
  readonly review: DocumentReview;
  /** What the jobs and the review tell the document's panels. */
  readonly events: DocumentEvents;

  private constructor(readonly uri: vscode.Uri, readonly load: Promise<LoadResult>, env: JobsEnvironment, reviewEnv?: ReviewEnvironment) {
    super();
    const title = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    // The session's files close last (registered first, disposed last), after the jobs that read them stopped.
    this.register({ dispose: () => void this.load.then((r) => (r.ok ? r.session.close() : undefined), () => undefined) });
    this.events = this.register(new DocumentEvents(env.log));
    this.jobs = this.register(new DocumentJobs(uri.toString(), title, load, env, this.events));
    this.review = this.register(new DocumentReview(uri.toString(), title, load, reviewEnv ?? { reviewer: defaultReviewer }, this.events));
  }

  /**
   * Opens the document; its checkpoint is read once `begin` resolves. The header parse holds the host's thread (a
   * 100,000-tensor header for about half a second): the editor lets it start only after it gave the webview its
   * HTML, so that the webview boots while the header is parsed instead of after.
   */
  static open(uri: vscode.Uri, maxHeaderBytes: number | undefined, env: JobsEnvironment, reviewEnv?: ReviewEnvironment, begin: Promise<void> = Promise.resolve()): CheckpointDocument {
    const load: Promise<LoadResult> = uri.scheme === 'file'
      ? begin.then(() => CheckpointSession.load(uri.fsPath, { maxHeaderBytes }))
      : Promise.resolve({ ok: false, error: { message: t('{0}: only files on the extension host\'s file system can be opened (scheme "{1}")', uri.toString(), uri.scheme) } });
    return new CheckpointDocument(uri, load, env, reviewEnv);
  }

  /** Runs `listener` when the document is disposed (or at once if it already is). */
  onDidDispose(listener: () => void): void {
    this.register({ dispose: listener });
  }

  /** Ties `d` (a watcher, a subscription) to the document's life. */
  own<T extends { dispose(): unknown }>(d: T): T {
    return this.register(d);
  }
}
