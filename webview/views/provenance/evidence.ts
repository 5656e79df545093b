// Per-tensor evidence of one comparison (suspect ↔ reference, relation, r, z, p, flags) with links to the
// tensors, and the weak-evidence context (raw cosine vs centred r of norms, std-curve r) kept apart.
import type { AuditResult } from '../../../src/shared/protocol';
import { h, literalText } from '../../dom';
import { int, middle } from '../../format';
import { staticTable } from '../table';
import { pValue, r3 } from './verdict';
import { t } from '../../../src/core/l10n';
import { auditPhrase } from '../../../src/core/auditPhrases';
import { relationLabel } from '../../../src/shared/relationWords';

type Comparison = AuditResult['components'][number]['comparisons'][number];
type Row = Comparison['table'][number];

const SHOWN = 200;

function flags(e: Row): string {
  const f: string[] = [e.matched ? t('matched') : t('not matched')];
  if (e.exact) f.push(e.hashConfirmed ? t('exact (hash)') : t('exact'));
  if (e.dtypeExact) f.push(t('exact up to dtype'));
  if (e.permuted) f.push(e.permutationConfirmed ? t('permuted (confirmed)') : t('permuted'));
  if (e.hiddenPermuted) f.push(t('hidden-permuted'));
  return f.join(', ');
}

/**
 * The per-tensor table. For a comparison without evidence of reuse the rows are only the nearest candidates: they are
 * shown collapsed, as "closest unrelated pairs (for context)".
 */
export function evidenceSection(c: Comparison, openTensor: (id: number) => void): HTMLElement {
  if (c.verdict !== 'no-evidence' || c.table.length === 0) {
    return h('div', {}, h('h4', {}, t('Evidence per tensor ({0})', int(c.table.length))), evidenceTable(c, openTensor));
  }
  return h('details', { class: 'closest-pairs' },
    h('summary', {}, t('Closest unrelated pairs, for context ({0})', int(c.table.length))),
    h('p', { class: 'muted' }, t('No pair matched: each row is the reference tensor nearest to a suspect tensor, and none is evidence of reuse.')),
    evidenceTable(c, openTensor));
}

function evidenceTable(c: Comparison, openTensor: (id: number) => void): HTMLElement {
  const rows = c.table;
  const body = (n: number) => rows.slice(0, n).map((e) => {
    const link = h('button', {
      type: 'button', class: 'link-button tensor-link mono', 'data-tensor': e.suspectIndex,
      title: literalText(t('Show {0} in the Tensors tab', e.suspect)),
    }, middle(e.suspect));
    link.addEventListener('click', () => openTensor(e.suspectIndex));
    // A pair that did not match is the nearest candidate, not a "same" tensor.
    return [link, h('span', { class: 'mono', title: literalText(e.reference) }, middle(e.reference)), e.matched ? relationLabel(e.relation, e.block) : t('nearest candidate'), r3(e.r), e.z.toFixed(1),
      e.zEmpirical === null ? '—' : e.zEmpirical.toFixed(1), pValue(e.p, e.log10P), h('span', { class: e.matched ? 'flag-matched' : 'muted' }, flags(e))];
  });
  const columns = [{ label: t('Suspect tensor') }, { label: t('Reference tensor') }, { label: t('Relation') }, { label: 'r', numeric: true },
    { label: 'z', numeric: true }, { label: t('z (empirical)'), numeric: true }, { label: 'p', numeric: true }, { label: t('Flags') }];
  const wrap = h('div', { class: 'evidence-wrap' });
  const render = (n: number) => {
    const table = staticTable(t('Evidence against {0}', c.reference), columns, body(n), 'evidence-table');
    wrap.replaceChildren(table);
    if (rows.length > n) {
      const more = h('button', { type: 'button', class: 'link-button show-more' }, t('Show all {0} tensors', int(rows.length)));
      more.addEventListener('click', () => {
        render(rows.length);
        wrap.querySelector<HTMLElement>(`tbody tr:nth-child(${n + 1}) .tensor-link`)?.focus(); // l10n-ignore: a selector
      });
      wrap.append(more);
    }
  };
  if (rows.length === 0) wrap.append(h('p', { class: 'muted' }, t('No tensor of this component had a candidate in this reference.')));
  else render(SHOWN);
  return wrap;
}

export function weakContext(c: Comparison): HTMLElement {
  const ctx = c.context;
  const norms = ctx.norms.slice(0, 100).map((n) => [h('span', { class: 'mono' }, n.suspect), h('span', { class: 'mono' }, n.reference), r3(n.rawCosine), r3(n.centredR)]);
  return h('section', { class: 'weak-evidence', 'aria-label': t('Weak evidence (context only — never decides)') },
    h('h4', {}, t('Weak evidence (context only — never decides)')),
    h('p', { class: 'muted' }, auditPhrase(ctx.note, t)),
    h('p', {}, `${t('Correlation of the per-layer std curves:')} `, h('strong', {}, r3(ctx.stdCurveR))),
    norms.length
      ? staticTable(t('Norm weights: raw cosine vs centred r'), [{ label: t('Suspect norm') }, { label: t('Reference norm') }, { label: t('Raw cosine'), numeric: true }, { label: t('Centred r'), numeric: true }], norms, 'weak-table')
      : h('p', { class: 'muted' }, t('No norm-like tensors were compared.')),
    ctx.norms.length > 100 ? h('p', { class: 'muted' }, t('… {0} more', int(ctx.norms.length - 100))) : null);
}
