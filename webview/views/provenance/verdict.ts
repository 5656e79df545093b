// Wording and icons of audit verdicts, and the number formats of the Provenance view (p-values from log10).
import type { AuditResult } from '../../../src/shared/protocol';
import { h, icon } from '../../dom';
import { formatP } from '../../../src/shared/pValue';
import { AUDIT_VERDICT_LABEL } from '../../../src/shared/findingsView';

export type Verdict = AuditResult['components'][number]['verdict'];

export const VERDICT_TEXT: Record<Verdict, string> = AUDIT_VERDICT_LABEL;
const VERDICT_ICON: Record<Verdict, string> = {
  identical: 'copy', derived: 'git-merge', 'no-evidence': 'pass', inconclusive: 'question',
};

/** The verdict as an icon AND words (never colour alone). */
export function verdictBadge(v: Verdict): HTMLElement {
  return h('span', { class: `verdict verdict-${v}`, 'data-verdict': v }, icon(VERDICT_ICON[v] ?? 'question'), h('span', {}, VERDICT_TEXT[v] ?? v));
}

/** p-values as the CLI and the review notes write them ("<1e-300" for the tiny ones): src/core/match/pValue.ts. */
export const pValue = formatP;

export const r3 = (r: number | null | undefined) => (r === null || r === undefined || !Number.isFinite(r) ? '—' : r.toFixed(3));
