// The answer first: one row per component — verdict, reference, how much matched, how strongly — with reused
// components on top. The Provenance tab opens with it (each component links to its card) and the Overview repeats
// it once an audit has run.
import type { AuditResult, ComponentName } from '../../../src/shared/protocol';
import { COMPONENTS } from '../../../src/shared/vocabulary';
import { COMPONENT_SHORT_LABEL } from '../../../src/shared/findingsView';
import { auditPhrase } from '../../../src/core/auditPhrases';
import { t } from '../../../src/core/l10n';
import { h } from '../../dom';
import { int } from '../../format';
import { staticTable } from '../table';
import { familyCounts, NAMED_REFERENCES } from '../../../src/shared/families';
import { pValue, r3, verdictBadge, type Verdict } from './verdict';

type Component = AuditResult['components'][number];

const VERDICT_RANK: Record<Verdict, number> = { identical: 0, derived: 1, inconclusive: 2, 'no-evidence': 3 };

/** Reused components first (identical, derived), then inconclusive, then no evidence; the component order within. */
export function byVerdict(components: readonly Component[]): Component[] {
  const order = (c: Component) => COMPONENTS.indexOf(c.name as ComponentName);
  return [...components].sort((a, b) => (VERDICT_RANK[a.verdict] ?? 9) - (VERDICT_RANK[b.verdict] ?? 9) || order(a) - order(b));
}

export const componentLabel = (name: string): string => COMPONENT_SHORT_LABEL[name as ComponentName] ?? name;

/**
 * The verdict table. `showCard` makes the component names buttons that open its card; `compact` leaves out the
 * evidence columns (the Overview).
 */
export function verdictTable(r: AuditResult, showCard?: (component: string) => void, compact = false): HTMLTableElement {
  const rows = byVerdict(r.components).map((c) => {
    const name = componentLabel(c.name);
    let first: Node | string = name;
    if (showCard) {
      const link = h('button', { type: 'button', class: 'link-button verdict-row-link', 'data-component': c.name, title: t('Show the {0} card', name) }, name);
      link.addEventListener('click', () => showCard(c.name));
      first = link;
    }
    const reference = c.reference === null ? '—' : h('span', { class: 'mono reference-id' }, c.reference);
    if (compact) return [first, verdictBadge(c.verdict), reference, auditPhrase(c.relation, t)];
    const e = c.evidence;
    return [first, verdictBadge(c.verdict), reference, `${int(e.matchedTensors)} / ${int(e.informativeTensors)}`,
      `${(100 * e.coveredParameterFraction).toFixed(1)}%`, r3(e.medianR), pValue(e.pValue, e.log10PValue), auditPhrase(c.relation, t)];
  });
  const columns = compact
    ? [{ label: t('Component') }, { label: t('Verdict') }, { label: t('Reference') }, { label: t('Relation') }]
    : [{ label: t('Component') }, { label: t('Verdict') }, { label: t('Reference') }, { label: t('Matched / informative'), numeric: true },
      { label: t('Parameters covered'), numeric: true }, { label: t('Median r'), numeric: true }, { label: t('Combined p'), numeric: true }, { label: t('Relation') }];
  const table = staticTable(t('Verdicts by component'), columns, rows, 'verdict-table');
  table.setAttribute('id', compact ? 'overview-verdicts' : 'verdict-table');
  return table;
}

/** "Audited against N references (a, b, …) at 14:02" — what the verdicts were checked against, and when. */
export function checkedAgainst(r: AuditResult, finishedAt?: string): string {
  const ids = r.references.map((x) => x.id);
  const shown = ids.length > NAMED_REFERENCES
    ? t('families: {0}', familyCounts(r.references).map(([f, n]) => `${f ?? t('unknown family')} ${int(n)}`).join(', '))
    : ids.join(', ');
  const when = finishedAt ? new Date(finishedAt) : undefined;
  const time = when && !Number.isNaN(when.getTime()) ? when.toLocaleString() : undefined;
  const refs = ids.length === 1 ? t('Checked against 1 reference ({0}).', shown) : t('Checked against {0} references ({1}).', int(ids.length), shown);
  return time ? `${refs} ${t('Audit finished {0}.', time)}` : refs;
}
