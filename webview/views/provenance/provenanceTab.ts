// The Provenance tab: before an audit, what it does and how many references the library holds (Run audit,
// Manage library); while it runs, progress with Cancel; then the answer first — the verdict table, reused components
// on top, each linked to its card — then one card per component in the same order, the tokenizer and configuration
// beside the weights (sidecarCards.ts), and the method's parameters.
import type { AuditResult, FindingTarget, HostToWebview } from '../../../src/shared/protocol';
import { append, h, replace } from '../../dom';
import { compact, int } from '../../format';
import type { HostClient } from '../../host';
import { button, JobPanel } from '../jobPanel';
import { staticTable } from '../table';
import { componentCard } from './card';
import { sidecarSection } from './sidecarCards';
import { byVerdict, checkedAgainst, verdictTable } from './verdictTable';
import { t } from '../../../src/core/l10n';
import { auditPhrase } from '../../../src/core/auditPhrases';

type AuditState = Extract<HostToWebview, { type: 'auditState' }>;

const intro = () => t('The audit compares this checkpoint with the fingerprints in your reference library (known open models) and gives each component — language model, vision encoder, audio encoder, projector — a verdict: identical, derived, no evidence of reuse, or inconclusive, with calibrated p-values and the tensors that support it.');

function methodSection(r: AuditResult): HTMLElement {
  const dl = h('dl', { class: 'kv method-kv' });
  for (const [k, v] of Object.entries(r.method)) append(dl, h('dt', { class: 'mono' }, k), h('dd', { class: 'mono' }, String(v)));
  return h('details', { class: 'section method', id: 'audit-method' }, h('summary', {}, t('Method parameters')), dl);
}

function summary(r: AuditResult): HTMLElement {
  const refs = staticTable(t('References checked'), [{ label: t('Reference') }, { label: t('Source') }, { label: t('Tensors'), numeric: true }, { label: t('Parameters'), numeric: true }],
    r.references.map((x) => [h('span', { class: 'mono' }, x.id), h('span', { class: 'mono value-text' }, x.source), int(x.tensors), compact(x.parameters)]), 'refs-table');
  return h('div', { class: 'audit-summary' },
    h('p', {}, r.references.length === 1
      ? t('Audited {0} tensors ({1} parameters) against 1 reference model in {2} s.', int(r.checkpoint.tensors), compact(r.checkpoint.parameters), r.seconds.toFixed(1))
      : t('Audited {0} tensors ({1} parameters) against {2} reference models in {3} s.', int(r.checkpoint.tensors), compact(r.checkpoint.parameters), r.references.length, r.seconds.toFixed(1))),
    r.notes.length ? h('ul', { class: 'notes' }, ...r.notes.map((n) => h('li', {}, auditPhrase(n, t)))) : null,
    h('details', { class: 'refs' }, h('summary', {}, t('References')), refs));
}

export class ProvenanceTab {
  readonly element: HTMLElement;
  private readonly job: JobPanel;
  private readonly intro: HTMLElement;
  private readonly results: HTMLElement;
  private readonly manage: HTMLButtonElement;
  private shownKey = '';

  constructor(
    host: HostClient, private readonly openTensor: (id: number) => void, private readonly addFinding?: (target: FindingTarget) => void,
    private readonly showCard?: (component: string) => void,
  ) {
    this.manage = button(t('Manage library'), 'secondary', () => host.post({ type: 'manageLibrary' }), { id: 'manage-library' });
    this.job = new JobPanel({
      id: 'audit-job', runLabel: t('Run audit'),
      run: () => host.post({ type: 'runAudit' }),
      cancel: () => host.post({ type: 'cancelJob', job: 'audit' }),
      extra: [this.manage],
    });
    this.intro = h('p', { class: 'intro' }, intro());
    this.results = h('div', { class: 'audit-results', id: 'audit-results' });
    this.element = h('div', { class: 'provenance page', id: 'provenance' },
      h('section', { class: 'section', 'aria-labelledby': 'audit-title' }, h('h2', { id: 'audit-title' }, t('Provenance')), this.intro, this.job.element),
      this.results);
    this.setState({ type: 'auditState', state: 'idle', libraryModels: 0 });
  }

  setState(m: AuditState): void {
    const lib = m.libraryModels === 0
      ? t('The reference library is empty: add reference models first (Manage library).')
      : m.libraryModels === 1 ? t('The reference library holds 1 model.') : t('The reference library holds {0} models.', int(m.libraryModels));
    const status: Record<AuditState['state'], string> = {
      idle: m.result ? t('Audit results. {0}', lib) : t('No audit yet. {0}', lib),
      running: m.progress?.message ? t('Auditing: {0}', m.progress.message) : t('Auditing…'),
      done: t('Audit complete. {0}', lib),
      cancelled: t('Audit cancelled. {0}', lib),
      error: t('Audit failed. {0}', lib),
    };
    const fraction = m.progress?.fraction ?? null;
    // With an empty library there is nothing to audit against: adding references is the thing to do.
    const empty = m.libraryModels === 0;
    this.manage.textContent = empty ? t('Add reference…') : t('Manage library');
    this.manage.classList.toggle('primary', empty);
    this.manage.classList.toggle('secondary', !empty);
    this.job.update({
      run: { label: t('Run audit'), primary: !empty },
      state: m.state, status: status[m.state], error: m.error, fraction,
      detail: m.state === 'running' && fraction !== null ? `${Math.round(100 * fraction)}%` : undefined,
    });
    this.intro.hidden = !!m.result;
    // The same result sent again (e.g. with a new library count) keeps the cards as they are (focus, open sections).
    const key = m.result ? JSON.stringify([m.result.checkpoint, m.result.seconds, m.result.references.map((x) => x.id)]) : '';
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.render(m.result, m.finishedAt);
    }
  }

  private render(r: AuditResult | undefined, finishedAt?: string): void {
    if (!r) {
      replace(this.results);
      return;
    }
    replace(this.results,
      h('section', { class: 'section', 'aria-labelledby': 'verdicts-title' },
        h('h2', { id: 'verdicts-title' }, t('Verdicts by component')),
        h('p', { class: 'checked-against' }, checkedAgainst(r, finishedAt)),
        h('div', { class: 'table-scroll' }, verdictTable(r, this.showCard)),
        summary(r),
        h('div', { class: 'cards' }, ...byVerdict(r.components).map((c) => componentCard(c, this.openTensor, this.addFinding)))),
      r.sidecars ? sidecarSection(r.sidecars) : null,
      methodSection(r));
  }
}
