// Long-running work on one opened checkpoint: its statistics job, and its audit against the reference library
// (auditJob.ts). vscode-free: the editor passes in a progress UI (a cancellable notification), the library and a job
// registry (the status-bar item). State lives here, per document; every change is emitted as a domain event to the
// document's panels, and a panel that (re)loads its webview gets the current state from `state()`.
import type { AuditResult } from '../../core/match';
import {
  aggregateLayers, computeStats, DEFAULT_BINS, StatsCache, type ComponentLayers, type StatsProgress, type TensorStats,
} from '../../core/stats';
import type { ErrorInfo, JobState } from '../../shared/protocol';
import { DocumentEvents, type DocumentEvent, type StatsStatus } from '../documentEvents';
import { CheckpointSession, LoadResult, settleLoad, toErrorInfo } from '../editor/checkpointSession';
import { t } from '../../core/l10n';
import { isAbortError } from '../../core/abort';
import type { Reporter } from './jobRegistry';
import { AuditJob, type AuditEnvironment, type AuditRequest, type AuditSnapshot } from './auditJob';

export type { AuditEvent, AuditRequest } from './auditJob';

export interface JobsEnvironment extends AuditEnvironment {
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
}

export type StatsSource = 'none' | 'cache' | 'computed';

/** The test command's view of a document's jobs. */
export interface JobsSnapshot {
  uri: string;
  stats: { state: JobState; source: StatsSource; tensorsWithStats: number; tensors: number; cacheFile?: string; error?: string; runs: number };
  audit: AuditSnapshot;
}

const THROTTLE_MS = 250;

export class DocumentJobs {
  private session?: CheckpointSession;
  private loadError?: ErrorInfo;
  private disposed = false;

  private statsState: JobState = 'idle';
  private statsSource: StatsSource = 'none';
  private statsProgress?: StatsProgress;
  private statsError?: ErrorInfo;
  private layers?: ComponentLayers[];
  private statsJob?: { controller: AbortController; done: Promise<void>; progressListeners: Set<(p: StatsProgress) => void> };
  private statsRuns = 0;

  private readonly auditJob: AuditJob;

  /** Resolves when the document's checkpoint is loaded and any cached statistics were applied. */
  readonly ready: Promise<void>;

  constructor(
    readonly uri: string, readonly title: string, load: Promise<LoadResult>, private readonly env: JobsEnvironment,
    /** Where state changes go (the document's panels). */
    readonly events = new DocumentEvents(env.log),
  ) {
    this.auditJob = new AuditJob({
      uri, title, env,
      ready: () => this.ready,
      session: () => this.session,
      loadError: () => this.loadError,
      emit: (e) => this.emit(e),
      statsForAudit: (signal, onFraction) => this.statsForAudit(signal, onFraction),
    });
    this.ready = this.start(load);
  }

  // ---- state ---------------------------------------------------------------------------------------------------

  /** The events that bring a freshly loaded webview up to date. */
  state(): DocumentEvent[] {
    const out: DocumentEvent[] = [{ kind: 'stats', status: this.statsStatus() }];
    if (this.layers) out.push({ kind: 'layers', layers: this.layers });
    out.push({ kind: 'audit', status: this.auditJob.status() });
    return out;
  }

  /** Tells the panels how many references the library holds now. */
  libraryChanged(): void {
    this.emit({ kind: 'audit', status: this.auditJob.status() });
  }

  get auditOutcome(): AuditResult | undefined {
    return this.auditJob.outcome;
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
      audit: this.auditJob.info(),
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
    this.emitStats();
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
      this.emitStats();
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
      this.emitStats();
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
              this.emitStats();
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
        if (isAbortError(e) || controller.signal.aborted) {
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
    this.emitStats();
    if (state === 'done' && this.layers) this.emit({ kind: 'layers', layers: this.layers });
  }

  tensorStats(id: number): TensorStats | null {
    if (!this.session) throw new Error(this.loadError ? t('the checkpoint could not be opened: {0}', this.loadError.message) : t('the checkpoint is still loading'));
    return this.session.tensorStats(id);
  }

  // ---- audit ----------------------------------------------------------------------------------------------------

  /**
   * Audits the checkpoint against library references with a cancellable progress notification (joins a running
   * audit). Resolves with the result, or undefined when cancelled or failed (the panels were told). Never rejects.
   */
  runAudit(request: AuditRequest = {}): Promise<AuditResult | undefined> {
    return this.auditJob.runAudit(request);
  }

  /** The statistics step of an audit: joins the running statistics job or starts one, cancelled with the audit. */
  private async statsForAudit(signal: AbortSignal, onFraction: (fraction: number) => void): Promise<void> {
    const onStats = (p: StatsProgress) => onFraction(progressFraction(p));
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
  }

  // ---- both ---------------------------------------------------------------------------------------------------

  /** Cancels a running job of this document; returns whether one was running. */
  cancel(job: 'stats' | 'audit'): boolean {
    if (job === 'audit') return this.auditJob.cancel();
    if (!this.statsJob) return false;
    this.statsJob.controller.abort();
    return true;
  }

  /** Aborts the jobs (workers end); the events stay open for the document's review. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.statsJob?.controller.abort();
    this.auditJob.dispose();
  }

  private statsStatus(): StatsStatus {
    return {
      state: this.statsState, tensorsWithStats: this.session?.tensorsWithStats ?? 0,
      ...(this.statsProgress && this.statsState === 'running' ? { progress: { ...this.statsProgress } } : {}),
      ...(this.statsError ? { error: this.statsError } : {}),
    };
  }

  private emitStats(): void {
    this.emit({ kind: 'stats', status: this.statsStatus() });
  }

  private emit(e: DocumentEvent): void {
    if (!this.disposed) this.events.emit(e);
  }
}

/** Bytes when there are any to read, else tensors. */
export function progressFraction(p: StatsProgress): number {
  if (p.bytesTotal > 0) return Math.min(1, p.bytesDone / p.bytesTotal);
  return p.tensorsTotal > 0 ? Math.min(1, p.tensorsDone / p.tensorsTotal) : 1;
}
