// Wording and icons of audit verdicts, and the number formats of the Provenance view (p-values from log10).
import type { AuditResult } from '../../../src/shared/protocol';
import { h, icon } from '../../dom';
import { num } from '../../charts/svg';
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

/** p-values: plain when ≥ 1e-4, otherwise m·10^e from log10 (so p = 0 in float64 still reads 2.1e-204286). */
export function pValue(p: number, log10?: number | null): string {
  const l = log10 !== undefined && log10 !== null && Number.isFinite(log10) ? log10 : p > 0 ? Math.log10(p) : null;
  if (l === null) return p === 0 ? '< 1e-308' : num(p);
  if (l >= -4) return Number((10 ** l).toPrecision(3)).toString();
  const e = Math.floor(l);
  let m = 10 ** (l - e);
  let ex = e;
  if (m >= 9.95) { m /= 10; ex++; }
  return `${m.toFixed(1)}e${ex}`;
}

export const r3 = (r: number | null | undefined) => (r === null || r === undefined || !Number.isFinite(r) ? '—' : r.toFixed(3));
