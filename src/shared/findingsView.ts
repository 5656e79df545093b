// The findings' view model, shared by the host (Review Findings tree, commands) and the webview (Findings pane):
// labels and icons of verdicts and states, target wording, grouping by component, and the check of what a form
// sends. Pure functions over protocol types: no vscode, no Node, no DOM.
import { formatDateTime, localisedRecord, t } from '../core/l10n';
import { COMPONENTS } from './vocabulary';
import { VERDICT_WORDS } from '../core/match/verdictWords';
import { sortFindingsForNotes } from '../core/review/order';
import type { Verdict } from '../core/match/types';
import type { ComponentName, Confidence, Finding, FindingDraft, FindingState, FindingTarget, FindingVerdict } from './protocol';

/** `t` under another name where a parameter is called `t`. */
const tr = t;

export const VERDICTS: readonly FindingVerdict[] = ['no-evidence', 'independent', 'derived', 'identical-copy', 'inconclusive', 'note'];
export const CONFIDENCE_LEVELS: readonly Confidence[] = ['low', 'medium', 'high'];
export const STATES: readonly FindingState[] = ['suggested', 'confirmed', 'rejected'];
export const COMPONENT_NAMES: readonly ComponentName[] = COMPONENTS;

/** The same words as the exports (src/core/review/labels.ts). */
export const VERDICT_LABEL: Record<FindingVerdict, string> = localisedRecord({
  'no-evidence': 'no evidence of reuse', independent: 'independent', derived: 'derived', 'identical-copy': 'identical copy', inconclusive: 'inconclusive', note: 'note',
});
/** Codicon names: a verdict is shown as an icon AND words, never colour alone. */
export const VERDICT_ICON: Record<FindingVerdict, string> = {
  'no-evidence': 'search', independent: 'pass', derived: 'git-merge', 'identical-copy': 'copy', inconclusive: 'question', note: 'note',
};

/**
 * A finding's verdict as its badge says it: a no-evidence finding names what it rests on, "no evidence of reuse
 * against 2 references (lm_A, vit_R)" (the first five ids), as the notes do (labels noEvidenceAgainst).
 */
export function findingVerdictLabel(f: Pick<Finding, 'verdict' | 'evidence'>): string {
  const refs = f.verdict === 'no-evidence' ? f.evidence?.referencesChecked : undefined;
  if (!Array.isArray(refs)) return VERDICT_LABEL[f.verdict] ?? f.verdict;
  const ids = refs.slice(0, 5).join(', ') + (refs.length > 5 ? ', …' : '');
  return refs.length === 1 ? t('no evidence of reuse against 1 reference ({0})', ids) : t('no evidence of reuse against {0} references ({1})', refs.length, ids);
}
/** Component ids as the tables and cards show them (English: the id itself; other languages: the component's name). */
export const COMPONENT_SHORT_LABEL: Record<ComponentName, string> = localisedRecord({
  language: 'language', vision: 'vision', audio: 'audio', projector: 'projector', other: 'other',
});
/** Audit verdicts (the Provenance view, the comparison report): the same words as the exports. */
export const AUDIT_VERDICT_LABEL: Record<Verdict, string> = localisedRecord(VERDICT_WORDS);
export const STATE_LABEL: Record<FindingState, string> = localisedRecord({ suggested: 'suggested', confirmed: 'confirmed', rejected: 'rejected' });
export const CONFIDENCE_LABEL: Record<Confidence, string> = localisedRecord({ low: 'low', medium: 'medium', high: 'high' });
export const STATE_ICON: Record<FindingState, string> = { suggested: 'lightbulb', confirmed: 'check', rejected: 'circle-slash' };
export const COMPONENT_LABEL: Record<ComponentName, string> = localisedRecord({
  language: 'language model', vision: 'vision encoder', audio: 'audio encoder', projector: 'projector', other: 'other',
});

/** How a target reads in a list: "whole model", "vision encoder", "language model, layers 2–5", "q_proj.weight". */
export function targetLabel(t: FindingTarget): string {
  switch (t.kind) {
    case 'model': return tr('whole model');
    case 'component': return COMPONENT_LABEL[t.component] ?? t.component;
    case 'layers': return t.from === t.to ? tr('{0}, layer {1}', COMPONENT_LABEL[t.component] ?? t.component, t.from)
      : tr('{0}, layers {1}–{2}', COMPONENT_LABEL[t.component] ?? t.component, t.from, t.to);
    case 'tensors': return t.tensors.length === 1 ? t.tensors[0] : tr('{0} tensors ({1}, …)', t.tensors.length, t.tensors[0]);
  }
}

/** The component a finding is grouped under; tensor targets ask `componentOf` (the checkpoint's naming). */
export type FindingGroup = ComponentName | 'model';

export function groupOf(f: Finding, componentOf?: (tensor: string) => ComponentName | undefined): FindingGroup {
  const t = f.target;
  if (t.kind === 'model') return 'model';
  if (t.kind === 'component' || t.kind === 'layers') return t.component;
  const comps = new Set(t.tensors.map((n) => componentOf?.(n) ?? 'other'));
  return comps.size === 1 ? [...comps][0] : 'model';
}

export const GROUP_ORDER: readonly FindingGroup[] = ['model', 'language', 'vision', 'audio', 'projector', 'other'];
export const GROUP_LABEL: Record<FindingGroup, string> = localisedRecord({
  model: 'whole model', language: 'language model', vision: 'vision encoder', audio: 'audio encoder', projector: 'projector', other: 'other',
});

/**
 * Findings grouped by component in a fixed order (whole model first); inside a group the notes' order (component
 * and layer findings before tensor sets, then created time, then id), so the lists read as the exports do.
 */
export function groupFindings(findings: readonly Finding[], componentOf?: (tensor: string) => ComponentName | undefined): { group: FindingGroup; label: string; findings: Finding[] }[] {
  const by = new Map<FindingGroup, Finding[]>();
  for (const f of findings) {
    const g = groupOf(f, componentOf);
    let list = by.get(g);
    if (!list) by.set(g, (list = []));
    list.push(f);
  }
  return GROUP_ORDER.filter((g) => by.has(g)).map((g) => ({ group: g, label: GROUP_LABEL[g], findings: sortFindingsForNotes(by.get(g)!) }));
}

/** Counts by state, for a summary line. */
export function stateCounts(findings: readonly Finding[]): Record<FindingState, number> {
  const out: Record<FindingState, number> = { suggested: 0, confirmed: 0, rejected: 0 };
  for (const f of findings) out[f.state]++;
  return out;
}

export function summaryText(findings: readonly Finding[]): string {
  if (findings.length === 0) return t('No findings yet.');
  const c = stateCounts(findings);
  const parts = STATES.filter((s) => c[s] > 0).map((s) => t('{0} {1}', c[s], STATE_LABEL[s]));
  return findings.length === 1 ? t('1 finding: {0}.', parts.join(', ')) : t('{0} findings: {1}.', findings.length, parts.join(', '));
}

/** A short date-time for lists, in the display language and the machine's time zone (stored as UTC ISO text). */
export function shortTime(iso: string, timeZone?: string): string {
  return formatDateTime(iso, timeZone);
}

/**
 * A module-tree path that is one layer of a repeated block (`model.layers.3`, `model.visual.blocks.7`,
 * `…encoder.layers.11`): its layer index, else null.
 */
export function layerIndexOfPath(path: string): number | null {
  const m = /(?:^|\.)(?:layers|layer|blocks|block|h|resblocks)\.(\d{1,6})$/.exec(path);
  return m ? Number(m[1]) : null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks a target from a message; undefined when it does not fit the protocol. */
export function parseTarget(v: unknown): FindingTarget | undefined {
  if (!isObj(v)) return undefined;
  switch (v.kind) {
    case 'model': return { kind: 'model' };
    case 'component':
      return COMPONENT_NAMES.includes(v.component as ComponentName) ? { kind: 'component', component: v.component as ComponentName } : undefined;
    case 'layers':
      if (!COMPONENT_NAMES.includes(v.component as ComponentName) || !isIndex(v.from) || !isIndex(v.to)) return undefined;
      return { kind: 'layers', component: v.component as ComponentName, from: Math.min(v.from, v.to), to: Math.max(v.from, v.to) };
    case 'tensors': {
      const t = v.tensors;
      if (!Array.isArray(t) || t.length === 0 || t.length > 100_000 || !t.every((n) => typeof n === 'string' && n.length > 0)) return undefined;
      return { kind: 'tensors', tensors: [...new Set(t as string[])].sort() };
    }
    default: return undefined;
  }
}

/** Rationale text is kept as typed, up to this many characters. */
export const MAX_RATIONALE = 20_000;

/** Checks what a form sends; throws a TypeError naming the problem. */
export function parseFindingDraft(v: unknown): FindingDraft {
  if (!isObj(v)) throw new TypeError('a finding must be an object');
  const target = parseTarget(v.target);
  if (!target) throw new TypeError('the finding has no valid target');
  if (!VERDICTS.includes(v.verdict as FindingVerdict)) throw new TypeError(`verdict must be one of ${VERDICTS.join(', ')}`);
  if (!CONFIDENCE_LEVELS.includes(v.confidence as Confidence)) throw new TypeError(`confidence must be one of ${CONFIDENCE_LEVELS.join(', ')}`);
  if (typeof v.rationale !== 'string') throw new TypeError('rationale must be text');
  if (v.rationale.length > MAX_RATIONALE) throw new TypeError(`the rationale is longer than ${MAX_RATIONALE} characters`);
  return { target, verdict: v.verdict as FindingVerdict, confidence: v.confidence as Confidence, rationale: v.rationale };
}

/** The draft an Edit form starts from. */
export function draftOf(f: Finding): FindingDraft {
  return { target: f.target, verdict: f.verdict, confidence: f.confidence, rationale: f.rationale };
}

/** The first line of a rationale, plain (Markdown marks dropped), for one-line lists and tooltips. */
export function rationaleLine(text: string, max = 120): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const plain = line.replace(/[*_`>#]/g, '').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/**
 * The target of a module-tree node: the tensor itself; a layer range when the node is one layer of a component
 * (`model.layers.3` → language, layer 3); the component when the node holds all of it; else its tensors.
 */
export function targetForModule(path: string, under: readonly { name: string; component: ComponentName; layer: number | null }[],
  componentSize?: (c: ComponentName) => number): FindingTarget | undefined {
  if (under.length === 0) return undefined;
  if (under.length === 1 && under[0].name === path) return { kind: 'tensors', tensors: [path] };
  const comps = new Set(under.map((t) => t.component));
  const layers = new Set(under.map((t) => t.layer));
  if (comps.size === 1) {
    const component = under[0].component;
    const layer = layerIndexOfPath(path);
    if (layer !== null && layers.size === 1 && under[0].layer !== null) return { kind: 'layers', component, from: under[0].layer, to: under[0].layer };
    if (componentSize && componentSize(component) === under.length) return { kind: 'component', component };
  }
  return { kind: 'tensors', tensors: [...new Set(under.map((t) => t.name))].sort() };
}

/**
 * The Findings tab's sections: whole model, then each component (its component and layer findings), then findings on
 * tensor sets (the webview does not classify tensor names): the order of the review notes (sortFindingsForNotes).
 */
export function displayGroups(findings: readonly Finding[]): { key: string; label: string; findings: Finding[] }[] {
  const groups = groupFindings(findings.filter((f) => f.target.kind !== 'tensors'));
  const tensors = sortFindingsForNotes(findings.filter((f) => f.target.kind === 'tensors'));
  return [
    ...groups.map((g) => ({ key: g.group, label: g.label, findings: g.findings })),
    ...(tensors.length ? [{ key: 'tensors', label: t('tensors'), findings: tensors }] : []),
  ];
}
