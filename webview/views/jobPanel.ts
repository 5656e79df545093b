// Controls of a long job run by the host (statistics, audit): what it is doing in words, a progress bar with
// numbers, Run / Cancel (and extra buttons), and the error when it failed.
import type { ErrorInfo, JobState } from '../../src/shared/protocol';
import { h, icon, literal, replace } from '../dom';
import { t } from '../../src/core/l10n';

export interface JobPanelOptions {
  id: string;
  runLabel: string;
  run(): void;
  cancel(): void;
  extra?: HTMLElement[];
}

export interface JobView {
  state: JobState;
  /** 0..1, null when unknown. */
  fraction: number | null;
  /** One sentence on where things stand. */
  status: string | Node;
  /** Numbers under the progress bar (bytes, tensors …). */
  detail?: string;
  error?: ErrorInfo;
  /** The Run button's words and weight now (e.g. "Recompute statistics" as a secondary action once all are known). */
  run?: { label: string; primary: boolean };
}

export function button(label: string, cls: string, click: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: `button ${cls}`.trim(), ...attrs }, label);
  b.addEventListener('click', click);
  return b;
}

export class JobPanel {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly error: HTMLElement;

  constructor(o: JobPanelOptions) {
    this.status = h('p', { class: 'job-status', role: 'status', id: `${o.id}-status` });
    this.fill = h('span', { class: 'progress-fill' });
    this.bar = h('div', {
      class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-labelledby': `${o.id}-status`,
      id: `${o.id}-progress`, hidden: true,
    }, this.fill);
    this.detail = h('p', { class: 'job-detail muted', id: `${o.id}-detail`, hidden: true });
    this.runButton = button(o.runLabel, 'primary', o.run, { id: `${o.id}-run` });
    this.cancelButton = button(t('Cancel'), 'secondary', o.cancel, { id: `${o.id}-cancel` });
    this.cancelButton.hidden = true;
    this.error = h('div', { class: 'message error', role: 'alert', id: `${o.id}-error`, hidden: true });
    this.element = h('div', { class: 'job', id: o.id },
      this.status, this.bar, this.detail,
      h('div', { class: 'job-buttons' }, this.runButton, this.cancelButton, ...(o.extra ?? [])),
      this.error);
  }

  update(v: JobView): void {
    const running = v.state === 'running';
    replace(this.status, v.status);
    this.bar.hidden = !running && v.state !== 'cancelled';
    this.bar.classList.toggle('indeterminate', running && v.fraction === null);
    if (v.fraction === null) {
      this.bar.removeAttribute('aria-valuenow');
      this.fill.style.width = '';
    } else {
      const pct = Math.max(0, Math.min(100, 100 * v.fraction));
      this.bar.setAttribute('aria-valuenow', pct.toFixed(0));
      this.fill.style.width = `${pct}%`;
    }
    if (v.detail) this.bar.setAttribute('aria-valuetext', v.detail);
    else this.bar.removeAttribute('aria-valuetext');
    this.detail.hidden = !v.detail;
    this.detail.textContent = v.detail ?? '';
    const cancelFocused = document.activeElement === this.cancelButton;
    const runFocused = document.activeElement === this.runButton;
    if (v.run) {
      this.runButton.textContent = v.run.label;
      this.runButton.classList.toggle('primary', v.run.primary);
      this.runButton.classList.toggle('secondary', !v.run.primary);
    }
    this.runButton.hidden = running;
    this.cancelButton.hidden = !running;
    // Keep the keyboard where it was: Run turns into Cancel and back.
    if (cancelFocused && !running) this.runButton.focus();
    else if (runFocused && running) this.cancelButton.focus();
    this.error.hidden = !v.error;
    if (v.error) {
      replace(this.error, icon('error'), h('span', {}, literal(v.error.message)));
      const where = [v.error.file, v.error.tensor].filter((x): x is string => !!x);
      if (where.length) this.error.append(h('span', { class: 'mono error-where' }, ` (${where.join(', ')})`));
    }
  }
}
