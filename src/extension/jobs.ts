// Long-running work on one opened checkpoint: its statistics job and its audit against the reference library.
// vscode-free: the editor passes in a progress UI (a cancellable notification), the library and a job registry
// (the status-bar item). State lives here, per document, and is broadcast to every panel showing the document;
// a panel that (re)loads its webview gets the current state from `snapshot()`.
import { auditCheckpoint, type AuditResult } from '../core/match';
import {
  aggregateLayers, computeStats, DEFAULT_BINS, StatsCache, type ComponentLayers, type StatsProgress, type TensorStats,
} from '../core/stats';
import type { AuditProgress, ErrorInfo, HostToWebview, JobState, ViewName } from '../shared/protocol';
import { CheckpointSession, LoadResult, settleLoad, toErrorInfo } from './session';
import { t } from '../core/l10n';
import type { JobRegistry, LibraryAccess, ProgressUi, Reporter } from './jobRegistry';

export interface AuditEvent {
  /** The document's URI string as the editor knows it. */
  uri: string;
  checkpointPath: string;
  result: AuditResult;
  /** The reference ids the checkpoint was audited against. */
  references: string[];
}

export interface JobsEnvironment {
  /** Folder of the statistics cache (the extension's global storage); no cache when absent. */
  statsCacheDir?: string;
  /** Path of the stats worker (default: next to the bundle). */
  workerPath?: string;
  /** Worker threads (default: every core); tests may pass 0. */
  workers?: number;
  /** Bytes per read and worker task (default: the engine's); tests use small values. */
  chunkBytes?: number;
  /** Checkpoints with at most this many bytes of tensor data compute their statistics when opened. */
  autoComputeMaxBytes(): number;
  progress: ProgressUi;
  library: LibraryAccess;
  registry?: JobRegistry;
  log?(line: string): void;
  /** Called once per completed audit, after the panels were told. */
  onAudit?(event: AuditEvent): void;
}

export type StatsSource = 'none' | 'cache' | 'computed';

/** The test command's view of a document's jobs. */
export interface JobsSnapshot {
  uri: string;
  stats: { state: JobState; source: StatsSource; tensorsWithStats: number; tensors: number; cacheFile?: string; error?: string; runs: number };
  audit: { state: JobState; error?: string; components?: { name: string; verdict: string; reference: string | null }[]; runs: number };
}

export interface AuditRequest {
  /** Reference ids; all references when absent or empty. */
  references?: readonly string[];
  /** Compute the statistics first when they are not complete (the Audit Checkpoint command). */
  withStats?: boolean;
  /** Title of the progress notification. */
  title?: string;
}

const THROTTLE_MS = 250;

function abortError(what: string): Error {
  return Object.assign(new Error(`${what} cancelled`), { name: 'AbortError' });
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export class DocumentJobs {
  private session?: CheckpointSession;
  private loadError?: ErrorInfo;
  private readonly listeners = new Set<(m: HostToWebview) => void>();
  private disposed = false;

  private statsState: JobState = 'idle';
  private statsSource: StatsSource = 'none';
  private statsProgress?: StatsProgress;
  private statsError?: ErrorInfo;
  private layers?: ComponentLayers[];
  private statsJob?: { controller: AbortController; done: Promise<void>; progressListeners: Set<(p: StatsProgress) => void> };
  private statsRuns = 0;

  private auditState: JobState = 'idle';
  private auditProgress?: AuditProgress;
  private auditResult?: AuditResult;
  private auditError?: ErrorInfo;
  private auditJob?: { controller: AbortController; done: Promise<AuditResult | undefined> };
  private auditRuns = 0;

  private requestedView?: ViewName;
  /** Resolves when the document's checkpoint is loaded and any cached statistics were applied. */
  readonly ready: Promise<void>;

  constructor(readonly uri: string, readonly title: string, load: Promise<LoadResult>, private readonly env: JobsEnvironment) {
    this.ready = this.start(load);
  }

  // ---- subscribers --------------------------------------------------------------------------------------------

  /** Every state message of this document goes to `listener` until the returned function is called. */
  subscribe(listener: (m: HostToWebview) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The messages that bring a freshly loaded webview up to date. */
  snapshot(): HostToWebview[] {
    const out: HostToWebview[] = [this.statsMessage()];
    if (this.layers) out.push({ type: 'statsLayers', layers: this.layers });
    out.push(this.auditMessage());
    return out;
  }

  /** A view the webview should show, once (e.g. Provenance after the Audit Checkpoint command). */
  takeRequestedView(): ViewName | undefined {
    const v = this.requestedView;
    this.requestedView = undefined;
    return v;
  }

  /** Asks every panel to show a view; a panel whose webview is not ready yet shows it when it is. */
  showView(view: ViewName): void {
    if (this.listeners.size === 0) this.requestedView = view;
    this.broadcast({ type: 'showView', view });
  }

  /** Tells the panels how many references the library holds now. */
  libraryChanged(): void {
    this.broadcast(this.auditMessage());
  }

  get auditOutcome(): AuditResult | undefined {
    return this.auditResult;
  }

  get statsRunning(): boolean {
    return !!this.statsJob;
  }

  info(): JobsSnapshot {
    return {
      uri: this.uri,
      stats: {
        state: this.statsState, source: this.statsSource, tensorsWithStats: this.session?.tensorsWithStats ?? 0,
        tensors: this.session?.summary.tensors ?? 0, cacheFile: this.session && this.env.statsCacheDir ? new StatsCache(this.env.statsCacheDir).fileFor(this.session.checkpoint) : undefined,
        error: this.statsError?.message, runs: this.statsRuns,
      },
      audit: {
        state: this.auditState, error: this.auditError?.message, runs: this.auditRuns,
        components: this.auditResult?.components.map((c) => ({ name: c.name, verdict: c.verdict, reference: c.reference })),
      },
    };
  }

  /** The opened session (after `ready`), for queries by the test command. */
  get checkpointSession(): CheckpointSession | undefined {
    return this.session;
  }

  // ---- statistics ---------------------------------------------------------------------------------------------

  private async start(load: Promise<LoadResult>): Promise<void> {
    const result = await settleLoad(load);
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    if (this.disposed) return;
    this.session = result.session;
    const session = result.session;
    let status: 'fresh' | 'partial' | 'stale' | 'missing' = 'missing';
    if (this.env.statsCacheDir) {
      try {
        const cache = new StatsCache(this.env.statsCacheDir);
        status = await cache.status(session.checkpoint, DEFAULT_BINS);
        if (status === 'fresh' || status === 'partial') {
          const cached = await cache.load(session.checkpoint, DEFAULT_BINS);
          if (cached) {
            session.checkpoint.tensors.forEach((t, i) => {
              const s = cached.get(t.name);
              if (s) session.setStats(i, s);
            });
            session.statsChanged();
          }
          if (status === 'fresh' && session.tensorsWithStats === session.summary.tensors) {
            this.statsSource = 'cache';
            this.finishStats('done');
            this.env.log?.(`statistics of ${this.title} loaded from the cache`);
            return;
          }
        }
      } catch (e) {
        this.env.log?.(`statistics cache of ${this.title} not usable: ${toErrorInfo(e).message}`);
      }
    }
    this.broadcast(this.statsMessage());
    if (session.summary.bytes <= this.env.autoComputeMaxBytes()) {
      void this.runStats();
    } else {
      this.env.log?.(`statistics of ${this.title} wait for the button: ${session.summary.bytes} bytes of tensor data (cache: ${status})`);
    }
  }

  /**
   * Starts the statistics job (or joins the running one). With `report`, progress goes there instead of a
   * notification of its own (the audit command's). Never rejects.
   */
  runStats(report?: Reporter, controller = new AbortController(), onProgress?: (p: StatsProgress) => void): Promise<void> {
    if (this.statsJob) return this.statsJob.done;
    if (this.disposed) return Promise.resolve();
    if (!this.session) {
      this.statsError = { message: this.loadError ? t('the checkpoint could not be opened: {0}', this.loadError.message) : t('the checkpoint is still loading') };
      this.statsState = 'error';
      this.broadcast(this.statsMessage());
      return Promise.resolve();
    }
    const session = this.session;
    const progressListeners = new Set<(p: StatsProgress) => void>(onProgress ? [onProgress] : []);
    const job = this.env.registry?.add('stats', t('statistics of {0}', this.title), () => controller.abort());
    const work = async (rep: Reporter): Promise<void> => {
      this.statsRuns++;
      this.statsState = 'running';
      this.statsError = undefined;
      this.layers = undefined;
      this.statsProgress = { bytesDone: 0, bytesTotal: session.summary.bytes, tensorsDone: 0, tensorsTotal: session.summary.tensors, tensorsCached: 0 };
      this.broadcast(this.statsMessage());
      let lastSent = 0;
      let lastFraction = -1;
      try {
        const run = await computeStats(session.checkpoint, {
          workerPath: this.env.workerPath,
          workers: this.env.workers,
          chunkBytes: this.env.chunkBytes,
          cacheDir: this.env.statsCacheDir,
          signal: controller.signal,
          onTensor: (stats: TensorStats, index: number) => session.setStats(index, stats),
          onProgress: (p) => {
            this.statsProgress = p;
            const fraction = progressFraction(p);
            for (const l of progressListeners) l(p);
            const now = Date.now();
            if (now - lastSent >= THROTTLE_MS || p.tensorsDone === p.tensorsTotal) {
              lastSent = now;
              session.statsChanged();
              this.broadcast(this.statsMessage());
              job?.update(fraction);
              if (fraction - lastFraction >= 0.01 || fraction === 1) {
                lastFraction = fraction;
                rep(t('{0}% · {1}/{2} tensors', Math.round(fraction * 100), p.tensorsDone, p.tensorsTotal), fraction);
              }
            }
          },
        });
        this.statsSource = run.tensorsCached === run.tensors.length && run.tensors.length > 0 ? 'cache' : 'computed';
        session.statsChanged();
        this.finishStats('done');
        this.env.log?.(`statistics of ${this.title}: ${run.tensors.length} tensors (${run.tensorsCached} cached), ${run.bytesRead} bytes in ${run.elapsedMs} ms on ${run.workers} worker(s)`);
      } catch (e) {
        session.statsChanged();
        if (isAbort(e) || controller.signal.aborted) {
          this.finishStats('cancelled');
        } else {
          this.statsError = toErrorInfo(e);
          this.finishStats('error');
          this.env.log?.(`statistics of ${this.title} failed: ${this.statsError.message}`);
        }
      }
    };
    const running = report ? work(report) : this.env.progress.run(t('Weightprint: statistics of {0}', this.title), controller, work);
    const done = running.catch((e: unknown) => this.env.log?.(`statistics job of ${this.title}: ${toErrorInfo(e).message}`)).finally(() => {
      job?.end();
      if (this.statsJob?.done === done) this.statsJob = undefined;
    });
    this.statsJob = { controller, done, progressListeners };
    return done;
  }

  private finishStats(state: JobState): void {
    this.statsState = state;
    const session = this.session;
    if (state === 'done' && session) {
      this.statsError = undefined;
      const all = session.allStats().filter((s): s is TensorStats => !!s);
      try {
        this.layers = aggregateLayers(all).components;
      } catch (e) {
        this.env.log?.(`per-layer aggregation of ${this.title} failed: ${toErrorInfo(e).message}`);
        this.layers = [];
      }
    }
    this.broadcast(this.statsMessage());
    if (state === 'done' && this.layers) this.broadcast({ type: 'statsLayers', layers: this.layers });
  }

  tensorStats(id: number): TensorStats | null {
    if (!this.session) throw new Error(this.loadError ? t('the checkpoint could not be opened: {0}', this.loadError.message) : t('the checkpoint is still loading'));
    return this.session.tensorStats(id);
  }

  // ---- audit --------------------------------------------------------------------------------------------------

  /**
   * Audits the checkpoint against library references with a cancellable progress notification (joins a running
   * audit). Resolves with the result, or undefined when cancelled or failed (the panels were told). Never rejects.
   */
  runAudit(request: AuditRequest = {}): Promise<AuditResult | undefined> {
    if (this.auditJob) return this.auditJob.done;
    if (this.disposed) return Promise.resolve(undefined);
    const controller = new AbortController();
    const job = this.env.registry?.add('audit', t('audit of {0}', this.title), () => controller.abort());
    const title = request.title ?? t('Weightprint: auditing {0}', this.title);
    const done = this.env.progress.run(title, controller, (report) => this.audit(request, controller, (message, fraction) => {
      report(message, fraction);
      job?.update(fraction);
    })).catch((e: unknown) => {
      this.env.log?.(`audit job of ${this.title}: ${toErrorInfo(e).message}`);
      return undefined;
    }).finally(() => {
      job?.end();
      if (this.auditJob?.done === done) this.auditJob = undefined;
    });
    this.auditJob = { controller, done };
    return done;
  }

  private async audit(request: AuditRequest, controller: AbortController, report: Reporter): Promise<AuditResult | undefined> {
    const signal = controller.signal;
    this.auditRuns++;
    this.auditError = undefined;
    const setProgress = (message: string, fraction: number | null) => {
      this.auditProgress = { message, fraction };
      this.auditState = 'running';
      this.broadcast(this.auditMessage());
      report(message, fraction);
    };
    try {
      await this.ready;
      const session = this.session;
      if (!session) throw new Error(this.loadError ? t('the checkpoint could not be opened: {0}', this.loadError.message) : t('the checkpoint is not loaded'));
      setProgress(t('loading references'), null);
      const references = await this.env.library.fingerprints(request.references?.length ? request.references : undefined);
      if (references.length === 0) {
        throw Object.assign(new Error(t('The reference library holds no fingerprints: add a checkpoint to the Reference Library (or import a fingerprint) first.')), { code: 'empty-library' });
      }
      let statsShare = 0;
      if (request.withStats && session.tensorsWithStats < session.summary.tensors) {
        statsShare = 0.5;
        const onStats = (p: StatsProgress) => setProgress(t('statistics {0}%', Math.round(progressFraction(p) * 100)), 0.5 * progressFraction(p));
        setProgress(t('statistics'), 0);
        if (this.statsJob) {
          this.statsJob.progressListeners.add(onStats);
          const linked = () => this.statsJob?.controller.abort();
          signal.addEventListener('abort', linked, { once: true });
          await this.statsJob.done;
          signal.removeEventListener('abort', linked);
        } else {
          const statsController = new AbortController();
          const linked = () => statsController.abort();
          signal.addEventListener('abort', linked, { once: true });
          await this.runStats(() => undefined, statsController, onStats);
          signal.removeEventListener('abort', linked);
        }
        if (signal.aborted) throw abortError('audit');
        // A failed statistics run does not stop the matching: the panels were told about it.
      }
      const ids = references.map((r) => r.model.id);
      let k = 0;
      setProgress(t('reading samples of {0}', this.title), statsShare);
      const audit = auditCheckpoint(session.checkpoint, references, {
        onProgress: () => {
          // Cooperative cancellation between references: throwing here ends the audit (its reader is closed).
          if (signal.aborted) throw abortError('audit');
          setProgress(t('matching against {0} ({1}/{2})', ids[k], k + 1, ids.length), statsShare + (1 - statsShare) * (k / ids.length));
          k++;
        },
      });
      const cancelled = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(abortError('audit'));
        signal.addEventListener('abort', () => reject(abortError('audit')), { once: true });
      });
      audit.catch(() => undefined); // settles after a cancellation too; its outcome is not wanted then
      const result = await Promise.race([audit, cancelled]);
      if (this.disposed) return undefined;
      this.auditResult = result;
      this.auditState = 'done';
      this.auditProgress = undefined;
      this.broadcast(this.auditMessage());
      this.env.log?.(`audit of ${this.title} against ${ids.join(', ')}: ${result.components.map((c) => `${c.name} ${c.verdict}${c.reference ? ` (${c.reference})` : ''}`).join('; ')} in ${result.seconds.toFixed(1)} s`);
      try {
        this.env.onAudit?.({ uri: this.uri, checkpointPath: session.checkpoint.path, result, references: ids });
      } catch (e) {
        this.env.log?.(`an audit listener failed: ${toErrorInfo(e).message}`);
      }
      return result;
    } catch (e) {
      this.auditProgress = undefined;
      if (isAbort(e) || signal.aborted) {
        this.auditState = 'cancelled';
      } else {
        this.auditState = 'error';
        this.auditError = toErrorInfo(e);
        const code = (e as { code?: unknown }).code;
        if (typeof code === 'string' && !this.auditError.code) this.auditError.code = code;
        this.env.log?.(`audit of ${this.title} failed: ${this.auditError.message}`);
      }
      this.broadcast(this.auditMessage());
      return undefined;
    }
  }

  // ---- both ---------------------------------------------------------------------------------------------------

  /** Cancels a running job of this document; returns whether one was running. */
  cancel(job: 'stats' | 'audit'): boolean {
    const running = job === 'stats' ? this.statsJob : this.auditJob;
    if (!running) return false;
    running.controller.abort();
    return true;
  }

  /** Aborts the jobs (workers end) and drops the subscribers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.statsJob?.controller.abort();
    this.auditJob?.controller.abort();
    this.listeners.clear();
  }

  private statsMessage(): HostToWebview {
    return {
      type: 'statsState', state: this.statsState, tensorsWithStats: this.session?.tensorsWithStats ?? 0,
      ...(this.statsProgress && this.statsState === 'running' ? { progress: { ...this.statsProgress } } : {}),
      ...(this.statsError ? { error: this.statsError } : {}),
    };
  }

  private auditMessage(): HostToWebview {
    return {
      type: 'auditState', state: this.auditState, libraryModels: this.env.library.count(),
      ...(this.auditProgress && this.auditState === 'running' ? { progress: this.auditProgress } : {}),
      ...(this.auditResult ? { result: this.auditResult } : {}),
      ...(this.auditError && this.auditState === 'error' ? { error: this.auditError } : {}),
    };
  }

  private broadcast(m: HostToWebview): void {
    if (this.disposed) return;
    for (const l of [...this.listeners]) {
      try { l(m); } catch (e) { this.env.log?.(`a panel could not be told ${m.type}: ${toErrorInfo(e).message}`); }
    }
  }
}

/** Bytes when there are any to read, else tensors. */
export function progressFraction(p: StatsProgress): number {
  if (p.bytesTotal > 0) return Math.min(1, p.bytesDone / p.bytesTotal);
  return p.tensorsTotal > 0 ? Math.min(1, p.tensorsDone / p.tensorsTotal) : 1;
}
