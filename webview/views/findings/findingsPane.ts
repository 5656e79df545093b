// The Findings tab: the review store's status (with Save Review As… when it cannot be written), every finding
// (target, verdict as icon AND words, state, confidence, reviewer, updated, rationale with its Markdown as inert
// elements: webview/markdown.ts) with Confirm, Reject, Edit and Delete, the Add finding form and Undo. Every change
// is asked of the host, which owns the store and pushes the new list back; nothing here changes a finding by itself.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { ComponentName, Finding, FindingDraft, FindingsStatus, FindingTarget } from '../../../src/shared/protocol';
import type { HostClient } from '../../host';
import {
  COMPONENT_LABEL, COMPONENT_NAMES, CONFIDENCE_LABEL, CONFIDENCE_LEVELS, displayGroups, draftOf, findingVerdictLabel, shortTime, STATE_ICON, STATE_LABEL, summaryText, targetLabel, VERDICT_ICON, VERDICT_LABEL, VERDICTS,
} from '../../../src/shared/findingsView';
import { t, t as tr } from '../../../src/core/l10n';
import { auditPhrase } from '../../../src/core/auditPhrases';
import { append, ce, h, icon, literal, literalText, replace } from '../../dom';
import { markdownNodes } from '../../markdown';
import { FindingsClient, type FindingsOutcome, type FindingsPush } from './client';
import { formTarget, isUndoKey, TARGET_KINDS, type TargetKind } from './formModel';

type ValueEl = HTMLElement & { value: string };

export interface FindingsPaneHooks {
  /** Brings the Findings tab to the front. */
  select(): void;
  /** Shows a target elsewhere in the editor (a component's card, a layer's tensors). */
  showTarget(target: FindingTarget): void;
}

function option(value: string, label: string, selected: boolean): HTMLElement {
  return ce('vscode-option', { value, selected }, label);
}

function select(id: string, label: string, values: readonly string[], labels: (v: string) => string, current: string): ValueEl {
  return ce('vscode-single-select', { id, 'aria-label': label }, ...values.map((v) => option(v, labels(v), v === current))) as ValueEl;
}

export function verdictBadge(f: Pick<Finding, 'verdict' | 'evidence'>): HTMLElement {
  return h('span', { class: `finding-verdict fv-${f.verdict}`, 'data-verdict': f.verdict }, icon(VERDICT_ICON[f.verdict] ?? 'question'), h('span', {}, findingVerdictLabel(f)));
}

export function stateBadge(f: Pick<Finding, 'state'>): HTMLElement {
  return h('span', { class: `finding-state fs-${f.state}`, 'data-state': f.state }, icon(STATE_ICON[f.state]), h('span', {}, STATE_LABEL[f.state]));
}

export class FindingsPane {
  readonly element: HTMLElement;
  private readonly client: FindingsClient;
  private readonly summary: HTMLElement;
  private readonly status: HTMLElement;
  private readonly list: HTMLElement;
  private readonly formBox: HTMLElement;
  private readonly note: HTMLElement;
  private readonly undoButton: HTMLElement;
  private readonly addButton: HTMLElement;
  private findings: Finding[] = [];
  private current: FindingsStatus | null = null;
  private canUndo = false;
  private editing: string | null = null;
  private highlight: string | null = null;
  /** When the last outcome note was written: a later push from elsewhere (a command, another window) clears it. */
  private noteAt = 0;

  constructor(host: HostClient, private readonly components: readonly ComponentName[], private readonly hooks: FindingsPaneHooks) {
    this.client = new FindingsClient(host, {
      findings: (m) => this.setFindings(m),
      openForm: (m) => {
        this.hooks.select();
        this.openForm(m.target);
      },
    });
    this.summary = h('p', { class: 'findings-summary', id: 'findings-summary' }, t('Loading the review…'));
    this.status = h('div', { class: 'findings-status', id: 'findings-status', role: 'status' });
    this.addButton = ce('vscode-button', { id: 'finding-add', icon: 'add' }, t('Add finding'));
    this.addButton.addEventListener('click', () => this.openForm());
    this.undoButton = ce('vscode-button', { id: 'finding-undo', secondary: true, icon: 'discard', disabled: true }, t('Undo'));
    this.undoButton.addEventListener('click', () => void this.undo());
    this.formBox = h('div', { class: 'finding-form-box', id: 'finding-form-box', hidden: true });
    this.note = h('p', { class: 'findings-note muted', id: 'findings-note', 'aria-live': 'polite' });
    this.list = h('ul', { class: 'findings-list', id: 'findings-list', 'aria-label': t('Findings') });
    this.element = h('div', { class: 'findings page', id: 'findings' },
      h('section', { class: 'section', 'aria-labelledby': 'findings-title' },
        h('h2', { id: 'findings-title' }, t('Findings')),
        this.summary, this.status,
        h('div', { class: 'findings-toolbar' }, this.addButton, this.undoButton),
        this.note, this.formBox, this.list));
    this.element.addEventListener('keydown', (e) => {
      if (isUndoKey(e, (e.target as Element | null)?.tagName ?? '')) {
        e.preventDefault();
        void this.undo();
      }
    });
    this.client.refresh();
  }

  dispose(): void {
    this.client.dispose();
  }

  /** Opens the form for a new finding on `target` (default: the whole model). */
  openForm(target?: FindingTarget, editing?: Finding): void {
    this.editing = editing?.id ?? null;
    this.note.textContent = '';
    const draft: FindingDraft = editing ? draftOf(editing) : { target: target ?? { kind: 'model' }, verdict: 'note', confidence: 'medium', rationale: '' };
    this.renderForm(draft);
    this.formBox.hidden = false;
    requestAnimationFrame(() => this.formBox.querySelector<HTMLElement>(editing ? '#finding-rationale' : '#finding-verdict')?.focus());
    this.formBox.scrollIntoView({ block: 'nearest' });
  }

  /** Scrolls to a finding and marks it (the side bar's reveal). */
  showFinding(id: string): void {
    this.highlight = id;
    this.render();
    const el = this.list.querySelector<HTMLElement>(`[data-finding-id="${CSS.escape(id)}"]`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  }

  private setFindings(m: FindingsPush): void {
    this.findings = m.findings;
    this.current = m.status;
    this.canUndo = m.canUndo;
    this.undoButton.toggleAttribute('disabled', !m.canUndo || !m.status.writable);
    replace(this.undoButton, m.undoLabel ?? t('Undo'));
    this.undoButton.title = m.canUndo ? t('{0} (Ctrl+Z here, or Weightprint: Undo Last Finding Change)', m.undoLabel ?? t('Undo')) : t('Nothing to undo');
    this.addButton.toggleAttribute('disabled', !m.status.writable);
    // With no findings the list says so (and how to get some): the summary line stays empty rather than repeat it.
    this.summary.textContent = m.findings.length ? summaryText(m.findings) : '';
    if (Date.now() - this.noteAt > 1500) this.note.textContent = '';
    this.renderStatus(m.status, m.reviewer);
    if (this.editing && !m.findings.some((f) => f.id === this.editing)) this.closeForm();
    this.render();
  }

  private renderStatus(s: FindingsStatus, reviewer: string): void {
    const problem = s.kind !== 'ok' && s.kind !== 'new';
    this.status.className = `findings-status${problem ? ` message ${s.kind === 'unreadable' ? 'error' : 'warning'}` : ' muted'}`;
    this.status.setAttribute('data-status', s.kind);
    const parts: (Node | string)[] = [];
    if (problem) parts.push(icon(s.kind === 'unreadable' ? 'error' : s.kind === 'read-only' ? 'lock' : 'warning'));
    parts.push(h('span', {}, literal(s.message)));
    if (!problem && s.path) parts.push(h('span', { class: 'findings-reviewer' }, ` ${t('New findings are signed “{0}” (setting weightprint.review.reviewer).', literalText(reviewer))}`));
    replace(this.status, ...parts);
    if (problem && s.canSaveAs) {
      const save = ce('vscode-button', { id: 'review-save-as', secondary: true, icon: 'save-as' }, t('Save Review As…'));
      save.addEventListener('click', () => void this.client.saveAs().then((r) => this.outcome(r, t('Saved.'))));
      this.status.append(save);
    }
  }

  private render(): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.closest?.('[data-finding-id]')?.getAttribute('data-finding-id');
    const focusedAction = (document.activeElement as HTMLElement | null)?.getAttribute?.('data-action');
    if (this.findings.length === 0) {
      replace(this.list, h('li', { class: 'muted findings-empty' }, t('No findings yet. Run an audit (Provenance) to get one suggestion per component, or add your own: right-click a tensor, a module, a component card or a heatmap cell, or use Add finding.')));
      return;
    }
    replace(this.list, ...displayGroups(this.findings).map((g) => h('li', { class: 'findings-group', 'data-group': g.key },
      h('h3', { class: 'findings-group-title' }, `${g.label} (${g.findings.length})`),
      h('ul', { class: 'findings-list-inner', 'aria-label': g.label }, ...g.findings.map((f) => this.item(f))))));
    if (focusedId) {
      const el = this.list.querySelector<HTMLElement>(`[data-finding-id="${CSS.escape(focusedId)}"]`);
      const target = (focusedAction ? el?.querySelector<HTMLElement>(`[data-action="${focusedAction}"]`) : null) ?? el;
      target?.focus();
    }
  }

  private item(f: Finding): HTMLElement {
    const writable = !!this.current?.writable;
    const target = f.target.kind === 'component' || f.target.kind === 'layers'
      ? h('button', { type: 'button', class: 'link-button finding-target', title: t('Show in the editor') }, literal(targetLabel(f.target)))
      : h('span', { class: `finding-target${f.target.kind === 'tensors' ? ' mono' : ''}` }, literal(targetLabel(f.target)));
    if (target instanceof HTMLButtonElement) target.addEventListener('click', () => this.hooks.showTarget(f.target));
    const meta = h('dl', { class: 'kv finding-meta' });
    const add = (k: string, v: string | Node) => append(meta, h('dt', {}, k), h('dd', {}, v));
    add(t('State'), stateBadge(f));
    add(t('Confidence'), CONFIDENCE_LABEL[f.confidence] ?? f.confidence);
    add(t('Reviewer'), h('span', {}, literal(f.reviewer)));
    add(t('Updated'), shortTime(f.updated));
    if (f.evidence) {
      const e = f.evidence;
      add(t('Audit evidence'), `${auditPhrase(e.relation, t)}${e.reference ? ` ${t('vs {0}', e.reference)}` : ''} · ${t('{0}/{1} tensors matched', e.evidence.matchedTensors, e.evidence.informativeTensors)}`);
    }
    if (f.target.kind === 'tensors' && f.target.tensors.length > 1) {
      add(t('Tensors'), h('span', { class: 'mono finding-tensors' }, literal(f.target.tensors.join('\n'))));
    }
    const actions = h('div', { class: 'finding-actions', role: 'group', 'aria-label': t('Finding actions') });
    const action = (name: string, label: string, ic: string, run: () => void, show = true) => {
      if (!show) return;
      const b = ce('vscode-button', { secondary: true, icon: ic, 'data-action': name, disabled: !writable }, label);
      b.addEventListener('click', run);
      actions.append(b);
    };
    action('confirm', t('Confirm'), 'check', () => void this.client.setState(f.id, 'confirmed').then((r) => this.outcome(r, t('Confirmed.'))), f.state !== 'confirmed');
    action('reject', t('Reject'), 'circle-slash', () => void this.client.setState(f.id, 'rejected').then((r) => this.outcome(r, t('Rejected.'))), f.state !== 'rejected');
    action('edit', t('Edit'), 'edit', () => this.openForm(undefined, f));
    action('delete', t('Delete'), 'trash', () => void this.client.remove(f.id).then((r) => this.outcome(r, t('Deleted. Undo brings it back.'))));
    const li = h('li', {
      class: `finding-item state-${f.state}${f.id === this.highlight ? ' highlighted' : ''}`, 'data-finding-id': f.id, tabindex: -1,
      'aria-label': t('{0} finding on {1}, {2}', literalText(findingVerdictLabel(f)), literalText(targetLabel(f.target)), STATE_LABEL[f.state]),
    },
    h('div', { class: 'finding-head' }, verdictBadge(f), target),
    meta,
    f.rationale.trim() ? h('div', { class: 'finding-rationale' }, ...markdownNodes(f.rationale)) : h('p', { class: 'finding-rationale muted' }, t('No rationale.')),
    actions);
    return li;
  }

  private async undo(): Promise<void> {
    if (!this.canUndo) {
      this.note.textContent = t('Nothing to undo.');
      return;
    }
    this.outcome(await this.client.undo(), t('Undone.'));
  }

  private outcome(r: FindingsOutcome, done: string): void {
    this.noteAt = Date.now();
    this.note.className = `findings-note${r.ok && !r.message ? ' muted' : ' message warning'}`;
    this.note.textContent = r.ok ? (r.message ? t('{0} Not saved: {1}', done, r.message) : done) : t('Not done: {0}', r.message ?? t('unknown error'));
  }

  private closeForm(): void {
    this.editing = null;
    this.formBox.hidden = true;
    replace(this.formBox);
  }

  private renderForm(draft: FindingDraft): void {
    const t = draft.target;
    const comps = this.components.length ? this.components : COMPONENT_NAMES;
    const kind = select('finding-target-kind', tr('Target'), TARGET_KINDS.map((k) => k.kind), (v) => TARGET_KINDS.find((k) => k.kind === v)!.label, t.kind);
    const component = select('finding-component', tr('Component'), comps, (v) => COMPONENT_LABEL[v as ComponentName] ?? v,
      t.kind === 'component' || t.kind === 'layers' ? t.component : comps[0]);
    const from = ce('vscode-textfield', { id: 'finding-from', 'aria-label': tr('From layer'), type: 'number', min: 0 }) as ValueEl;
    const to = ce('vscode-textfield', { id: 'finding-to', 'aria-label': tr('To layer'), type: 'number', min: 0 }) as ValueEl;
    from.value = t.kind === 'layers' ? String(t.from) : '0';
    to.value = t.kind === 'layers' ? String(t.to) : '0';
    const tensors = ce('vscode-textarea', { id: 'finding-tensors', 'aria-label': tr('Tensor names, one per line'), rows: 3, resize: 'vertical' }) as ValueEl;
    tensors.value = t.kind === 'tensors' ? t.tensors.join('\n') : '';
    const verdict = select('finding-verdict', tr('Verdict'), VERDICTS, (v) => VERDICT_LABEL[v as FindingDraft['verdict']], draft.verdict);
    const confidence = select('finding-confidence', tr('Confidence'), CONFIDENCE_LEVELS, (v) => CONFIDENCE_LABEL[v as FindingDraft['confidence']] ?? v, draft.confidence);
    const rationale = ce('vscode-textarea', {
      id: 'finding-rationale', 'aria-label': tr('Rationale'), rows: 5, resize: 'vertical', placeholder: tr('Why: the evidence you relied on, what you checked (Markdown in the exports).'),
    }) as ValueEl;
    rationale.value = draft.rationale;
    const error = h('p', { class: 'message error finding-form-error', role: 'alert', hidden: true });
    const componentRow = h('div', { class: 'form-row' }, h('label', { for: 'finding-component' }, tr('Component')), component);
    const layersRow = h('div', { class: 'form-row' }, h('label', { for: 'finding-from' }, tr('Layers')), from, h('span', {}, tr('to')), to);
    const tensorsRow = h('div', { class: 'form-row form-row-wide' }, h('label', { for: 'finding-tensors' }, tr('Tensors')), tensors);
    const syncKind = () => {
      const k = (kind.value || t.kind) as TargetKind;
      componentRow.hidden = k !== 'component' && k !== 'layers';
      layersRow.hidden = k !== 'layers';
      tensorsRow.hidden = k !== 'tensors';
    };
    kind.addEventListener('change', syncKind);
    const save = ce('vscode-button', { id: 'finding-save', icon: 'check' }, this.editing ? tr('Save changes') : tr('Add finding'));
    const cancel = ce('vscode-button', { id: 'finding-cancel', secondary: true }, tr('Cancel'));
    cancel.addEventListener('click', () => this.closeForm());
    const submit = async () => {
      const target = formTarget({ kind: kind.value || t.kind, component: component.value, from: from.value, to: to.value, tensors: tensors.value });
      if ('error' in target) {
        error.hidden = false;
        error.textContent = target.error;
        return;
      }
      const d: FindingDraft = {
        target: target.target, verdict: (verdict.value || draft.verdict) as FindingDraft['verdict'],
        confidence: (confidence.value || draft.confidence) as FindingDraft['confidence'], rationale: rationale.value,
      };
      save.toggleAttribute('disabled', true);
      const r = this.editing ? await this.client.update(this.editing, d) : await this.client.add(d);
      save.toggleAttribute('disabled', false);
      if (!r.ok) {
        error.hidden = false;
        error.textContent = r.message ?? tr('The finding could not be saved.');
        return;
      }
      const wasEditing = !!this.editing;
      this.closeForm();
      this.outcome(r, wasEditing ? tr('Finding changed.') : tr('Finding added.'));
      if (r.findingId) this.showFinding(r.findingId);
    };
    save.addEventListener('click', () => void submit());
    const form = h('form', { class: 'finding-form', id: 'finding-form', 'aria-label': this.editing ? tr('Edit finding') : tr('Add finding') },
      h('h3', {}, this.editing ? tr('Edit finding') : tr('Add finding')),
      h('div', { class: 'form-row' }, h('label', { for: 'finding-target-kind' }, tr('Target')), kind),
      componentRow, layersRow, tensorsRow,
      h('div', { class: 'form-row' }, h('label', { for: 'finding-verdict' }, tr('Verdict')), verdict),
      h('div', { class: 'form-row' }, h('label', { for: 'finding-confidence' }, tr('Confidence')), confidence),
      h('div', { class: 'form-row form-row-wide' }, h('label', { for: 'finding-rationale' }, tr('Rationale')), rationale),
      error,
      h('div', { class: 'form-buttons' }, save, cancel));
    form.addEventListener('submit', (e) => { e.preventDefault(); void submit(); });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); this.closeForm(); this.addButton.focus(); }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    });
    replace(this.formBox, form);
    syncKind();
  }
}
