// The Provenance tab: before an audit, what it does and how many references the library holds (Run audit,
// Manage library); while it runs, progress with Cancel; then one card per component and the method's parameters.
import type { AuditResult, FindingTarget, HostToWebview } from '../../../src/shared/protocol';
import { append, h, replace } from '../../dom';
import { compact, int } from '../../format';
import type { HostClient } from '../../host';
import { button, JobPanel } from '../jobPanel';
import { staticTable } from '../table';
import { componentCard } from './card';

type AuditState = Extract<HostToWebview, { type: 'auditState' }>;

const INTRO = 'The audit compares this checkpoint with the fingerprints in your reference library (known open models) and '
  + 'gives each component — language model, vision encoder, audio encoder, projector — a verdict: identical, derived, no evidence '
  + 'of reuse, or inconclusive, with calibrated p-values and the tensors that support it.';

function methodSection(r: AuditResult): HTMLElement {
  const dl = h('dl', { class: 'kv method-kv' });
  for (const [k, v] of Object.entries(r.method)) append(dl, h('dt', { class: 'mono' }, k), h('dd', { class: 'mono' }, String(v)));
  return h('details', { class: 'section method', id: 'audit-method' }, h('summary', {}, 'Method parameters'), dl);
}

function summary(r: AuditResult): HTMLElement {
  const refs = staticTable('References checked', [{ label: 'Reference' }, { label: 'Source' }, { label: 'Tensors', numeric: true }, { label: 'Parameters', numeric: true }],
    r.references.map((x) => [h('span', { class: 'mono' }, x.id), h('span', { class: 'mono value-text' }, x.source), int(x.tensors), compact(x.parameters)]), 'refs-table');
  return h('div', { class: 'audit-summary' },
    h('p', {}, `Audited ${int(r.checkpoint.tensors)} tensors (${compact(r.checkpoint.parameters)} parameters) against ${r.references.length} reference model${r.references.length === 1 ? '' : 's'} in ${r.seconds.toFixed(1)} s.`),
    r.notes.length ? h('ul', { class: 'notes' }, ...r.notes.map((n) => h('li', {}, n))) : null,
    h('details', { class: 'refs' }, h('summary', {}, 'References'), refs));
}

export class ProvenanceTab {
  readonly element: HTMLElement;
  private readonly job: JobPanel;
  private readonly intro: HTMLElement;
  private readonly results: HTMLElement;
  private shownKey = '';

  constructor(host: HostClient, private readonly openTensor: (id: number) => void, private readonly addFinding?: (target: FindingTarget) => void) {
    this.job = new JobPanel({
      id: 'audit-job', runLabel: 'Run audit',
      run: () => host.post({ type: 'runAudit' }),
      cancel: () => host.post({ type: 'cancelJob', job: 'audit' }),
      extra: [button('Manage library', 'secondary', () => host.post({ type: 'manageLibrary' }), { id: 'manage-library' })],
    });
    this.intro = h('p', { class: 'intro' }, INTRO);
    this.results = h('div', { class: 'audit-results', id: 'audit-results' });
    this.element = h('div', { class: 'provenance page', id: 'provenance' },
      h('section', { class: 'section', 'aria-labelledby': 'audit-title' }, h('h2', { id: 'audit-title' }, 'Provenance'), this.intro, this.job.element),
      this.results);
    this.setState({ type: 'auditState', state: 'idle', libraryModels: 0 });
  }

  setState(m: AuditState): void {
    const lib = m.libraryModels === 0
      ? 'The reference library is empty: add reference models first (Manage library).'
      : `The reference library holds ${int(m.libraryModels)} model${m.libraryModels === 1 ? '' : 's'}.`;
    const status: Record<AuditState['state'], string> = {
      idle: m.result ? `Audit results. ${lib}` : `No audit yet. ${lib}`,
      running: m.progress?.message ? `Auditing: ${m.progress.message}` : 'Auditing…',
      done: `Audit complete. ${lib}`,
      cancelled: `Audit cancelled. ${lib}`,
      error: `Audit failed. ${lib}`,
    };
    const fraction = m.progress?.fraction ?? null;
    this.job.update({
      state: m.state, status: status[m.state], error: m.error, fraction,
      detail: m.state === 'running' && fraction !== null ? `${Math.round(100 * fraction)}%` : undefined,
    });
    this.intro.hidden = !!m.result;
    // The same result sent again (e.g. with a new library count) keeps the cards as they are (focus, open sections).
    const key = m.result ? JSON.stringify([m.result.checkpoint, m.result.seconds, m.result.references.map((x) => x.id)]) : '';
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.render(m.result);
    }
  }

  private render(r: AuditResult | undefined): void {
    if (!r) {
      replace(this.results);
      return;
    }
    replace(this.results,
      h('section', { class: 'section', 'aria-labelledby': 'verdicts-title' },
        h('h2', { id: 'verdicts-title' }, 'Verdicts by component'), summary(r),
        h('div', { class: 'cards' }, ...r.components.map((c) => componentCard(c, this.openTensor, this.addFinding)))),
      methodSection(r));
  }
}
