// The extension host's running jobs (statistics, audits, library imports, compares, exports) as the status bar
// lists and cancels them, and the seams a job reports through. vscode-free.
import type { Fingerprint } from '../../core/fingerprint';

/** Reports a job's progress: a message and a fraction in 0..1 (null when unknown). */
export type Reporter = (message: string | undefined, fraction: number | null) => void;

/** A visible, cancellable progress indicator (in VS Code, a notification with a Cancel button). */
export interface ProgressUi {
  /** Runs `task` while showing `title`; cancelling the indicator aborts `controller`. Resolves with the task. */
  run<T>(title: string, controller: AbortController, task: (report: Reporter) => Promise<T>): Promise<T>;
}

/** What jobs need from the reference library. */
export interface LibraryAccess {
  /** Reference models available now. */
  count(): number;
  /** The fingerprints of these reference ids (all when absent); unknown ids are an error. */
  fingerprints(ids?: readonly string[]): Promise<Fingerprint[]>;
}

/** One running job, for the status bar. */
export interface RunningJob {
  id: number;
  kind: 'stats' | 'audit' | 'library' | 'compare' | 'export';
  /** e.g. "statistics of lm_A.safetensors". */
  label: string;
  /** 0..1 or null. */
  fraction: number | null;
  cancel(): void;
}

/** Every running job of the extension host: the status-bar item lists them and cancels them. */
export class JobRegistry {
  private nextId = 1;
  private readonly jobs = new Map<number, RunningJob>();
  private readonly listeners = new Set<() => void>();

  add(kind: RunningJob['kind'], label: string, cancel: () => void): { update(fraction: number | null): void; end(): void; job: RunningJob } {
    const job: RunningJob = { id: this.nextId++, kind, label, fraction: null, cancel };
    this.jobs.set(job.id, job);
    this.changed();
    return {
      job,
      update: (fraction) => {
        if (job.fraction === fraction) return;
        job.fraction = fraction;
        this.changed();
      },
      end: () => {
        if (this.jobs.delete(job.id)) this.changed();
      },
    };
  }

  running(): RunningJob[] {
    return [...this.jobs.values()];
  }

  cancelAll(): number {
    const all = this.running();
    for (const j of all) j.cancel();
    return all.length;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of [...this.listeners]) {
      try { l(); } catch { /* a listener's failure is its own */ }
    }
  }
}

/** Delivered after every completed audit (webview button or Audit Checkpoint command). */
