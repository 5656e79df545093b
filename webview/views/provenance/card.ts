// One component's audit card: verdict (icon and words), reference and relation, the evidence numbers, the
// suspect-layer × reference-layer similarity heatmap of the best comparison, the evidence table, the other
// references checked and the weak-evidence context.
import type { AuditResult } from '../../../src/shared/protocol';
import type { ComponentName, FindingTarget } from '../../../src/shared/protocol';
import { append, h, icon } from '../../dom';
import { compact, int } from '../../format';
import { heatmap } from '../../charts/heatmap';
import { staticTable } from '../table';
import { evidenceSection, weakContext } from './evidence';
import { pValue, r3, verdictBadge } from './verdict';
import { componentLabel } from './verdictTable';
import { t } from '../../../src/core/l10n';
import { auditPhrase } from '../../../src/core/auditPhrases';

const nameOf = (c: { name: string }) => componentLabel(c.name);

type Component = AuditResult['components'][number];
type Comparison = Component['comparisons'][number];

function layerHeatmap(c: Component, cmp: Comparison): HTMLElement {
  const hm = cmp.heatmap;
  if (!hm.suspectLayers.length || !hm.referenceLayers.length) {
    return h('p', { class: 'muted no-heatmap' }, t('No layered tensors were compared: no layer heatmap for this component.'));
  }
  const fig = heatmap({
    title: t('{0} ↔ {1}: best |r| per layer pair', nameOf(c), cmp.reference), rowAxis: t('suspect layer'), colAxis: t('reference layer'),
    rowLabels: hm.suspectLayers.map(String), colLabels: hm.referenceLayers.map(String), values: hm.r,
    shade: (v) => Math.max(0, Math.min(1, v)), format: (v) => v.toFixed(2), cellText: true,
    scale: { label: '|r|', ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ at: v, text: String(v) })) },
    note: t('Each cell is the best |r| (centred correlation) between tensors of a suspect layer (row) and a reference layer (column), read on the colour scale under the map: from 0 (no similarity) to 1 (identical up to scale). A diagonal of cells near 1 is reuse; independent models give cells near 0 everywhere.'),
    label: t('Similarity heatmap of {0} suspect layers by {1} reference layers of {2}', hm.suspectLayers.length, hm.referenceLayers.length, cmp.reference),
    cls: 'provenance-heatmap',
  }).element;
  // Each cell is a suspect layer of this component: the context menu adds a finding on that layer.
  for (const cell of fig.querySelectorAll<SVGRectElement>('rect.hm-cell[data-r]')) {
    const layer = hm.suspectLayers[Number(cell.getAttribute('data-r'))];
    if (layer !== undefined) cell.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'heatmapCell', component: c.name, layer, preventDefaultContextMenuItems: true }));
  }
  return fig;
}

function otherReferences(c: Component, shown: Comparison): HTMLElement | null {
  const others = c.comparisons.filter((x) => x !== shown);
  if (!others.length) return null;
  return h('details', { class: 'other-refs' }, h('summary', {}, t('Other references checked ({0})', others.length)),
    staticTable(t('Other references for {0}', nameOf(c)), [{ label: t('Reference') }, { label: t('Verdict') }, { label: t('Matched / informative'), numeric: true },
      { label: t('Median r'), numeric: true }, { label: t('Combined p'), numeric: true }],
    others.map((o) => [h('span', { class: 'mono' }, o.reference), verdictBadge(o.verdict),
      `${int(o.evidence.matchedTensors)} / ${int(o.evidence.informativeTensors)}`, r3(o.evidence.medianR), pValue(o.evidence.pValue, o.evidence.log10PValue)])));
}

export function componentCard(c: Component, openTensor: (id: number) => void, addFinding?: (target: FindingTarget) => void): HTMLElement {
  const id = `card-${c.name}`;
  const e = c.evidence;
  const best = c.comparisons.find((x) => x.reference === c.reference) ?? c.comparisons[0];
  const dl = h('dl', { class: 'kv card-kv' });
  const add = (k: string, v: string | Node) => append(dl, h('dt', {}, k), h('dd', {}, v));
  add(t('Reference'), c.reference === null ? '—' : h('span', { class: 'mono reference-id' }, c.reference));
  add(t('Relation'), auditPhrase(c.relation, t));
  add(t('Matched / informative tensors'), `${int(e.matchedTensors)} / ${int(e.informativeTensors)}`);
  add(t('Parameters covered'), `${(100 * e.coveredParameterFraction).toFixed(1)}%`);
  add(t('Median r'), r3(e.medianR));
  add(t('Combined p-value'), pValue(e.pValue, e.log10PValue));
  add(t('Exact / up to dtype / permuted'), `${int(e.exactTensors)} / ${int(e.dtypeExactTensors)} / ${int(e.permutedTensors)}${e.hiddenPermutation ? ` · ${t('hidden dimension permuted')}` : ''}`);
  add(t('Component size'), t('{0} tensors · {1} parameters', int(c.tensors), compact(c.parameters)));
  if (c.screening) add(t('Screening'), screeningText(c.screening));
  const addButton = addFinding ? h('button', { type: 'button', class: 'button secondary card-add-finding', 'data-component': c.name }, icon('comment-draft'), ` ${t('Add finding…')}`) : null;
  addButton?.addEventListener('click', () => addFinding!({ kind: 'component', component: c.name as ComponentName }));
  const card = h('section', { class: `card verdict-card-${c.verdict}`, id, 'aria-labelledby': `${id}-title`, 'data-component': c.name },
    h('header', { class: 'card-head' }, h('h3', { id: `${id}-title` }, nameOf(c)), verdictBadge(c.verdict), addButton),
    dl);
  // The editor's context menu (webview/context): Add Finding… on this component (heatmap cells: on one layer).
  card.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'componentCard', component: c.name, preventDefaultContextMenuItems: true }));
  const runnersUp = c.screening?.runnersUp.length ? runnersUpList(c.screening) : null;
  if (!best) {
    card.append(h('p', { class: 'muted' }, c.screening ? t('No reference passed the screening: none was compared in full.') : t('No reference was compared with this component.')));
    if (runnersUp) card.append(runnersUp);
    return card;
  }
  card.append(
    h('h4', {}, `${t('Layer similarity against')} `, h('span', { class: 'mono' }, best.reference)),
    layerHeatmap(c, best),
    evidenceSection(best, openTensor));
  const others = otherReferences(c, best);
  if (others) card.append(others);
  if (runnersUp) card.append(runnersUp);
  card.append(weakContext(best));
  return card;
}

type Screening = NonNullable<Component['screening']>;

/** "1,002 references: 1,001 ruled out by screening, 1 compared in full" (stages with none left out). */
function screeningText(s: Screening): string {
  const parts = [
    s.references - s.withCandidates ? t('{0} ruled out by shape', int(s.references - s.withCandidates)) : '',
    s.withCandidates - s.shortlisted ? t('{0} ruled out by screening', int(s.withCandidates - s.shortlisted)) : '',
    s.shortlisted - s.compared ? t('{0} left out by the budget', int(s.shortlisted - s.compared)) : '',
    t('{0} compared in full', int(s.compared)),
  ].filter(Boolean);
  return `${s.references === 1 ? t('1 reference') : t('{0} references', int(s.references))}: ${parts.join(', ')}`;
}

/** The strongest other references by screening score, collapsed: context, not evidence. */
function runnersUpList(s: Screening): HTMLElement {
  return h('details', { class: 'runners-up' },
    h('summary', {}, t('Runners-up in the screening ({0})', int(s.runnersUp.length))),
    staticTable(t('Runners-up in the screening'), [
      { label: t('Reference') }, { label: t('Family') }, { label: t('Screening signal') }, { label: t('Best sketch |r|'), numeric: true }, { label: t('Compared in full') },
    ], s.runnersUp.map((r) => [h('span', { class: 'mono' }, r.reference), r.family ?? t('unknown family'), r.signal ?? '—', r.bestR.toFixed(2), r.compared ? t('yes') : t('no')])));
}
