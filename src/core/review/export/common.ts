// Pieces shared by the Markdown and HTML exports, so both say the same things.
import { familyCounts, NAMED_REFERENCES } from '../../match/families';
import type { MethodParameters, TensorEvidence } from '../../match/types';
import { ownValue } from '../../lookup';
import { LABELS, type ReviewLabels } from '../labels';
import type { Finding } from '../types';
import type { ReviewReport } from './report';

export const DEFAULT_MAX_TABLE_ROWS = 60;

export function labelsOf(report: ReviewReport): ReviewLabels {
  return report.options?.labels ?? LABELS;
}

export function maxRows(report: ReviewReport): number {
  return report.options?.maxTableRows ?? DEFAULT_MAX_TABLE_ROWS;
}

/**
 * The label of an id from the report or a review file (verdict, state, relation, component …): the table's own entry,
 * else the id itself (an id such as "constructor" never reaches Object.prototype).
 */
export function word(table: Readonly<Record<string, string>>, id: string): string {
  return ownValue(table, id) ?? id;
}

/** The target as plain (unescaped) text; tensor names are listed separately by the renderers. */
export function targetText(f: Finding, labels: ReviewLabels): string {
  const t = f.target;
  switch (t.kind) {
    case 'model': return labels.wholeModel;
    case 'component': return word(labels.components, t.component);
    case 'layers': return labels.layersOf(word(labels.components, t.component), t.from, t.to);
    case 'tensors': return labels.tensorsTarget(t.tensors.length);
  }
}

/** A finding's verdict as plain text; a no-evidence finding names the references it rests on (from its evidence). */
export function verdictText(f: Finding, labels: ReviewLabels): string {
  const refs = f.verdict === 'no-evidence' ? f.evidence?.referencesChecked : undefined;
  return Array.isArray(refs) ? labels.noEvidenceAgainst(refs) : word(labels.findingVerdicts, f.verdict);
}

export function flagsOf(r: TensorEvidence, labels: ReviewLabels): string {
  const n = labels.flagNames;
  return [r.exact && n.exact, r.hashConfirmed && n.sha256, r.dtypeExact && n.dtype, r.permuted && n.permuted, r.hiddenPermuted && n.hiddenPermuted]
    .filter(Boolean).join(', ');
}

/** An audit sentence (relation, note) in the labels' language. */
export function phrase(text: string, labels: ReviewLabels): string {
  return labels.auditPhrase ? labels.auditPhrase(text) : text;
}

export function relationText(r: { relation: TensorEvidence['relation']; block?: number | null }, L: ReviewLabels): string {
  return word(L.relations, r.relation) + (r.block !== null && r.block !== undefined ? ` ${r.block}` : '');
}

/** Method parameters in a fixed order (name, value) for the parameter table. */
export function methodRows(m: MethodParameters): [string, string][] {
  return [
    ['formatVersion', String(m.formatVersion)],
    ['sampleTarget', String(m.sampleTarget)],
    ['windowCols', String(m.windowCols)],
    ['alphaTensor', String(m.alphaTensor)],
    ['minEffectR', String(m.minEffectR)],
    ['alphaComponent', String(m.alphaComponent)],
    ['minMatchedTensors', String(m.minMatchedTensors)],
    ['minSamples', String(m.minSamples)],
    ['minRelativeStd', String(m.minRelativeStd)],
    ['permutationHitAlpha', String(m.permutationHitAlpha)],
    ['permutationAgreementAlpha', String(m.permutationAgreementAlpha)],
  ];
}

/** Rows of a comparison's table shown in the documents: matched rows first (audit order), then the strongest others. */
export function shownRows(table: TensorEvidence[], limit: number): { rows: TensorEvidence[]; more: number } {
  const matched = table.filter((r) => r.matched);
  const rest = table.filter((r) => !r.matched);
  const rows = [...matched, ...rest].slice(0, limit);
  return { rows, more: table.length - rows.length };
}

/** Ids of a list the notes print in full up to 8; longer lists show the first 5 and how many more. */
export function shownReferences(ids: readonly string[], labels: ReviewLabels): { ids: string[]; more: string | null } {
  return ids.length <= NAMED_REFERENCES ? { ids: [...ids], more: null } : { ids: ids.slice(0, 5), more: labels.moreReferences(ids.length - 5) };
}

/** For an audit against more than 8 references: the sentence naming them by family (unknown families as "?"). */
export function familiesSentence(audit: { references: { family?: string | null }[] } | null, labels: ReviewLabels): string | null {
  if (!audit || audit.references.length <= NAMED_REFERENCES) return null;
  const families = familyCounts(audit.references).map(([f, n]) => `${f ?? '?'} ${n}`).join(', ');
  return labels.checkedAgainstFamilies(audit.references.length, families);
}
