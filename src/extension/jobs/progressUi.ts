// Progress notifications with a Cancel button, and the status-bar item shown while any job runs.
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import type { JobRegistry, ProgressUi, Reporter, RunningJob } from './jobRegistry';

export const CANCEL_JOBS_COMMAND = 'weightprint.cancelJobs';

/** Runs a task under a cancellable notification; cancelling it aborts the task's controller. */
export const notificationProgress: ProgressUi = {
  run<T>(title: string, controller: AbortController, task: (report: Reporter) => Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const sub = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        return await task((message, fraction) => {
          if (fraction === null) {
            progress.report({ message });
            return;
          }
          const target = Math.max(0, Math.min(100, fraction * 100));
          const increment = Math.max(0, target - reported);
          reported = Math.max(reported, target);
          progress.report({ message, increment });
        });
      } finally {
        sub.dispose();
      }
    }));
  },
};

/** A status-bar item while any job runs; clicking it cancels (asks which when several run). */
export class JobStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('weightprint.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly unsubscribe: () => void;

  constructor(private readonly registry: JobRegistry) {
    this.item.name = t('Weightprint jobs');
    this.item.command = CANCEL_JOBS_COMMAND;
    this.unsubscribe = registry.onChange(() => this.update());
    this.update();
  }

  private update(): void {
    const jobs = this.registry.running();
    if (jobs.length === 0) {
      this.item.hide();
      return;
    }
    const pct = (j: RunningJob) => (j.fraction === null ? '' : ` ${Math.round(j.fraction * 100)}%`);
    this.item.text = jobs.length === 1
      ? `$(sync~spin) Weightprint: ${jobs[0].label}${pct(jobs[0])}`
      : `$(sync~spin) ${t('Weightprint: {0} jobs', jobs.length)}`;
    this.item.tooltip = `${jobs.map((j) => `${j.label}${pct(j)}`).join('\n')}\n\n${t('Click to cancel')}`;
    this.item.show();
  }

  /** `weightprint.cancelJobs`: cancels the only job, or the ones picked; `{ all: true }` cancels every job. */
  async cancel(args?: unknown): Promise<number> {
    const jobs = this.registry.running();
    if (jobs.length === 0) {
      if (!args) void vscode.window.showInformationMessage(t('Weightprint: no job is running.'));
      return 0;
    }
    if ((args && typeof args === 'object' && (args as { all?: unknown }).all === true) || jobs.length === 1) {
      for (const j of jobs) j.cancel();
      return jobs.length;
    }
    const picks = await vscode.window.showQuickPick(jobs.map((j) => ({ label: j.label, description: j.fraction === null ? '' : `${Math.round(j.fraction * 100)}%`, job: j })), {
      title: t('Cancel Weightprint jobs'), canPickMany: true, placeHolder: t('Jobs to cancel'),
    });
    for (const p of picks ?? []) p.job.cancel();
    return picks?.length ?? 0;
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }
}
