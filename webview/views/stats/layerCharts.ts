// One component's per-layer charts: a line per tensor pattern (module kind + parameter) of the chosen statistic
// over the layers, and a module × layer heatmap of the same statistic with its numbers, shaded either within each
// module's own range (its range printed after the row) or on one scale shared by all modules.
import type { ComponentLayers, ComponentName } from '../../../src/shared/protocol';
import { h, segmented } from '../../dom';
import { int } from '../../format';
import type { LayerShade, LayerStat } from '../../state';
import { heatmap, type HeatmapSpec } from '../../charts/heatmap';
import { lineChart } from '../../charts/lineChart';
import { niceScale, num } from '../../charts/svg';
import { COMPONENT_SHORT_LABEL } from '../../../src/shared/findingsView';
import { localisedRecord, t } from '../../../src/core/l10n';

export const STAT_LABEL: Record<LayerStat, string> = localisedRecord({ std: 'Std', l2: 'L2 norm', absmax: 'Abs max' });

const PERCENT_TICKS = [0, 0.25, 0.5, 0.75, 1].map((at) => ({ at, text: `${at * 100}%` }));

type Shading = Pick<HeatmapSpec, 'shade' | 'scale' | 'note' | 'rowNotes' | 'rowNotesHeading'>;

/** Each row from its lowest (0 %) to its highest (100 %) value, the row's range printed after it. */
function perRow(aligned: (number | null)[][]): Shading {
  const ranges = aligned.map((vals) => {
    const f = vals.filter((v): v is number => v !== null);
    return f.length ? [Math.min(...f), Math.max(...f)] : [0, 0];
  });
  return {
    shade: (v, r) => {
      const [lo, hi] = ranges[r];
      return hi > lo ? (v - lo) / (hi - lo) : 0.5;
    },
    scale: { label: t('of the row\'s own range'), ticks: PERCENT_TICKS },
    rowNotes: ranges.map(([lo, hi]) => {
      const spread = Math.max(Math.abs(lo), Math.abs(hi)) > 0 ? (100 * (hi - lo)) / Math.max(Math.abs(lo), Math.abs(hi)) : 0;
      return t('{0} – {1} ({2}% spread)', num(lo, 3), num(hi, 3), spread.toFixed(spread < 10 ? 1 : 0));
    }),
    rowNotesHeading: t('range over the layers'),
    note: t('Shading is per row: each module is shaded from its lowest value over the layers (0%) to its highest (100%), and its range is printed at the end of the row, so a small spread shows as a small percentage. The numbers are in the cells where they fit, in the read-out and in the data table.'),
  };
}

/** One scale for every module, with numbered ticks at 1-2-5 steps. */
function shared(aligned: (number | null)[][], label: string): Shading {
  const all = aligned.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const ticks = all.length ? niceScale(Math.min(...all), Math.max(...all), 4) : [0, 1];
  const lo = ticks[0];
  const span = ticks[ticks.length - 1] - lo || 1;
  return {
    shade: (v) => (v - lo) / span,
    scale: { label, ticks: ticks.map((v) => ({ at: (v - lo) / span, text: num(v, 3) })) },
    note: t('Shading is shared: one scale for every module, from {0} to {1} (the colour scale under the map). The numbers are in the cells where they fit, in the read-out and in the data table.', num(lo, 3), num(ticks[ticks.length - 1], 3)),
  };
}

/** `setShade` is called when the reader picks the other shading (every component's heatmap follows it). */
export function layerCharts(c: ComponentLayers, stat: LayerStat, shade: LayerShade, setShade: (s: LayerShade) => void): HTMLElement {
  const layerSet = new Set<number>();
  for (const s of c.series) s.layers.forEach((l) => layerSet.add(l));
  const xs = [...layerSet].sort((a, b) => a - b);
  const aligned = c.series.map((s) => {
    const at = new Map(s.layers.map((l, i) => [l, s[stat][i]]));
    return xs.map((l) => at.get(l) ?? null);
  });
  const label = STAT_LABEL[stat];
  const component = COMPONENT_SHORT_LABEL[c.component as ComponentName] ?? c.component;
  const lines = lineChart({
    title: t('{0}: {1} per layer', component, label), xs, xLabel: t('layer'), yLabel: label,
    series: c.series.map((s, i) => ({ label: s.label, values: aligned[i] })),
  });
  const map = heatmap({
    title: t('{0}: {1} by module and layer', component, label), rowAxis: t('module'), colAxis: t('layer'),
    rowLabels: c.series.map((s) => s.label), colLabels: xs.map(String), values: aligned,
    ...(shade === 'row' ? perRow(aligned) : shared(aligned, label)),
    format: (v) => num(v, 3), cellText: true,
    controls: segmented(t('Heatmap shading'), 'shade', [['row', t('Per row')], ['shared', t('Shared scale')]], shade, (s) => { if (s !== shade) setShade(s); }, 'heatmap-shading'),
    label: shade === 'row'
      ? t('{0}: {1} of {2} modules over {3} layers, shaded within each module', component, label, c.series.length, xs.length)
      : t('{0}: {1} of {2} modules over {3} layers, shaded on one shared scale', component, label, c.series.length, xs.length),
    cls: `layer-heatmap shade-${shade}`,
  });
  const scales = [...new Set(c.series.flatMap((s) => s.scaleCompanions ?? []))];
  const id = `layers-${c.component}`;
  return h('section', { class: 'component-layers', id, 'aria-labelledby': `${id}-title`, 'data-component': c.component },
    h('h3', { id: `${id}-title` }, component, h('span', { class: 'muted heading-sub' }, ` · ${t('{0} layers · {1} series', int(c.layerCount), int(c.series.length))}`)),
    scales.length ? h('p', { class: 'muted scale-companions' }, t('Scale tensors ({0}) belong to their weights and are not charted: the weights are charted with their scales applied, and the Tensors table lists the scales\' own statistics.', scales.join(', '))) : null,
    h('div', { class: 'chart-row' }, lines.element, map.element));
}
