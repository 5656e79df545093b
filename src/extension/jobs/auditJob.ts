// The audit job of one opened checkpoint (DocumentJobs holds one): matching against library references with a
// cancellable progress notification; the abort signal reaches the matching itself, so a cancel stops it within a few
// tensors. vscode-free; its state goes to the document's panels through the host.
import { auditCheckpoint, type AuditResult } from '../../core/match';
import type { AuditProgress, ErrorInfo, JobState } from '../../shared/protocol';
import type { AuditStatus, DocumentEvent } from '../documentEvents';
import { type CheckpointSession, toErrorInfo } from '../editor/checkpointSession';
import { t } from '../../core/l10n';
import { abortError, isAbortError } from '../../core/abort';
import type { JobRegistry, LibraryAccess, ProgressUi, Reporter } from './jobRegistry';

export interface AuditEvent {
  /** The document's URI string as the editor knows it. */
  uri: string;
  checkpointPath: string;
  result: AuditResult;
  /** The reference ids the checkpoint was audited against. */
  references: string[];
}

export interface AuditRequest {
  /** Reference ids; all references when absent or empty. */
  references?: readonly string[];
  /** Compute the statistics first when they are not complete (the Audit Checkpoint command). */
  withStats?: boolean;
  /** Title of the progress notification. */
  title?: string;
}

/** What the audit needs from the editor (part of JobsEnvironment). */
export interface AuditEnvironment {
  progress: ProgressUi;
  library: LibraryAccess;
  registry?: JobRegistry;
  log?(line: string): void;
  /** Called once per completed audit, after the panels were told. */
  onAudit?(event: AuditEvent): void;
}

/** What the audit needs from its document. */
export interface AuditHost {
  readonly uri: string;
  readonly title: string;
  readonly env: AuditEnvironment;
  /** Resolves when the checkpoint is loaded. */
  ready(): Promise<void>;
  session(): CheckpointSession | undefined;
  loadError(): ErrorInfo | undefined;
  emit(e: DocumentEvent): void;
  /** Completes the statistics (joining a running job); aborting `signal` cancels them. Never rejects. */
  statsForAudit(signal: AbortSignal, onFraction: (fraction: number) => void): Promise<void>;
}

/** The test command's view of the audit. */
export interface AuditSnapshot {
  state: JobState;
  error?: string;
  components?: { name: string; verdict: string; reference: string | null }[];
  runs: number;
}

export class AuditJob {
  private auditState: JobState = 'idle';
  private auditProgress?: AuditProgress;
  private auditResult?: AuditResult;
  /** When the result was made (ISO 8601), shown with it. */
  private auditFinishedAt?: string;
  private auditError?: ErrorInfo;
  private auditJob?: { controller: AbortController; done: Promise<AuditResult | undefined> };
  private auditRuns = 0;
  private disposed = false;

  constructor(private readonly host: AuditHost) {}

  get outcome(): AuditResult | undefined {
    return this.auditResult;
  }

  info(): AuditSnapshot {
    return {
      state: this.auditState, error: this.auditError?.message, runs: this.auditRuns,
      components: this.auditResult?.components.map((c) => ({ name: c.name, verdict: c.verdict, reference: c.reference })),
    };
  }

  /**
   * Audits the checkpoint against library references with a cancellable progress notification (joins a running
   * audit). Resolves with the result, or undefined when cancelled or failed (the panels were told). Never rejects.
   */
  runAudit(request: AuditRequest = {}): Promise<AuditResult | undefined> {
    if (this.auditJob) return this.auditJob.done;
    if (this.disposed) return Promise.resolve(undefined);
    const { env, title: name } = this.host;
    const controller = new AbortController();
    const job = env.registry?.add('audit', t('audit of {0}', name), () => controller.abort());
    const title = request.title ?? t('Weightprint: auditing {0}', name);
    const done = env.progress.run(title, controller, (report) => this.audit(request, controller, (message, fraction) => {
      report(message, fraction);
      job?.update(fraction);
    })).catch((e: unknown) => {
      env.log?.(`audit job of ${name}: ${toErrorInfo(e).message}`);
      return undefined;
    }).finally(() => {
      job?.end();
      if (this.auditJob?.done === done) this.auditJob = undefined;
    });
    this.auditJob = { controller, done };
    return done;
  }

  private async audit(request: AuditRequest, controller: AbortController, report: Reporter): Promise<AuditResult | undefined> {
    const { env, title: name } = this.host;
    const signal = controller.signal;
    this.auditRuns++;
    this.auditError = undefined;
    const setProgress = (message: string, fraction: number | null) => {
      this.auditProgress = { message, fraction };
      this.auditState = 'running';
      this.host.emit({ kind: 'audit', status: this.status() });
      report(message, fraction);
    };
    try {
      await this.host.ready();
      const session = this.host.session();
      const loadError = this.host.loadError();
      if (!session) throw new Error(loadError ? t('the checkpoint could not be opened: {0}', loadError.message) : t('the checkpoint is not loaded'));
      setProgress(t('loading references'), null);
      const references = await env.library.fingerprints(request.references?.length ? request.references : undefined);
      if (references.length === 0) {
        throw Object.assign(new Error(t('The reference library holds no fingerprints: add a checkpoint to the Reference Library (or import a fingerprint) first.')), { code: 'empty-library' });
      }
      let statsShare = 0;
      if (request.withStats && session.tensorsWithStats < session.summary.tensors) {
        statsShare = 0.5;
        setProgress(t('statistics'), 0);
        await this.host.statsForAudit(signal, (fraction) => setProgress(t('statistics {0}%', Math.round(fraction * 100)), 0.5 * fraction));
        if (signal.aborted) throw abortError(t('audit cancelled'));
        // A failed statistics run does not stop the matching: the panels were told about it.
      }
      const ids = references.map((r) => r.model.id);
      setProgress(t('reading samples of {0}', name), statsShare);
      const audit = auditCheckpoint(session.checkpoint, references, {
        signal,
        onProgress: (message, fraction) => setProgress(message, statsShare + (1 - statsShare) * fraction),
      });
      // Answers a cancel at once; the matching stops at its next check of the signal and closes its reader.
      const cancelled = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(abortError(t('audit cancelled')));
        signal.addEventListener('abort', () => reject(abortError(t('audit cancelled'))), { once: true });
      });
      audit.catch(() => undefined); // settles after a cancellation too; its outcome is not wanted then
      const result = await Promise.race([audit, cancelled]);
      if (this.disposed) return undefined;
      this.auditResult = result;
      this.auditFinishedAt = new Date().toISOString();
      this.auditState = 'done';
      this.auditProgress = undefined;
      this.host.emit({ kind: 'audit', status: this.status() });
      env.log?.(`audit of ${name} against ${ids.length > 8 ? `${ids.length} references` : ids.join(', ')}: ${result.components.map((c) => `${c.name} ${c.verdict}${c.reference ? ` (${c.reference})` : ''}`).join('; ')} in ${result.seconds.toFixed(1)} s`);
      try {
        env.onAudit?.({ uri: this.host.uri, checkpointPath: session.checkpoint.path, result, references: ids });
      } catch (e) {
        env.log?.(`an audit listener failed: ${toErrorInfo(e).message}`);
      }
      return result;
    } catch (e) {
      this.auditProgress = undefined;
      if (isAbortError(e) || signal.aborted) {
        this.auditState = 'cancelled';
      } else {
        this.auditState = 'error';
        this.auditError = toErrorInfo(e);
        const code = (e as { code?: unknown }).code;
        if (typeof code === 'string' && !this.auditError.code) this.auditError.code = code;
        env.log?.(`audit of ${name} failed: ${this.auditError.message}`);
      }
      this.host.emit({ kind: 'audit', status: this.status() });
      return undefined;
    }
  }

  /** Cancels a running audit; returns whether one was running. */
  cancel(): boolean {
    if (!this.auditJob) return false;
    this.auditJob.controller.abort();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    this.auditJob?.controller.abort();
  }

  status(): AuditStatus {
    return {
      state: this.auditState, libraryModels: this.host.env.library.count(),
      ...(this.auditProgress && this.auditState === 'running' ? { progress: this.auditProgress } : {}),
      ...(this.auditResult ? { result: this.auditResult, ...(this.auditFinishedAt ? { finishedAt: this.auditFinishedAt } : {}) } : {}),
      ...(this.auditError && this.auditState === 'error' ? { error: this.auditError } : {}),
    };
  }
}
