// One component's per-layer charts: a line per tensor pattern (module kind + parameter) of the chosen statistic
// over the layers, and a module × layer heatmap of the same statistic, shaded within each module's own range.
import type { ComponentLayers, ComponentName } from '../../../src/shared/protocol';
import { h } from '../../dom';
import { int } from '../../format';
import type { LayerStat } from '../../state';
import { heatmap } from '../../charts/heatmap';
import { lineChart } from '../../charts/lineChart';
import { num } from '../../charts/svg';
import { COMPONENT_SHORT_LABEL } from '../../../src/shared/findingsView';
import { localisedRecord, t } from '../../../src/core/l10n';

export const STAT_LABEL: Record<LayerStat, string> = localisedRecord({ std: 'Std', l2: 'L2 norm', absmax: 'Abs max' });

export function layerCharts(c: ComponentLayers, stat: LayerStat): HTMLElement {
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
  const ranges = aligned.map((vals) => {
    const f = vals.filter((v): v is number => v !== null);
    return f.length ? [Math.min(...f), Math.max(...f)] : [0, 0];
  });
  const map = heatmap({
    title: t('{0}: {1} by module and layer', component, label), rowAxis: t('module'), colAxis: t('layer'),
    rowLabels: c.series.map((s) => s.label), colLabels: xs.map(String), values: aligned,
    shade: (v, r) => {
      const [lo, hi] = ranges[r];
      return hi > lo ? (v - lo) / (hi - lo) : 0.5;
    },
    format: (v) => num(v, 4), key: [t('lowest'), t('highest in its module')],
    note: t('Each row is shaded within its own range (lowest to highest over the layers), so modules of different scales compare.'),
    label: t('{0}: {1} of {2} modules over {3} layers, shaded within each module', component, label, c.series.length, xs.length),
    cls: 'layer-heatmap',
  });
  const id = `layers-${c.component}`;
  return h('section', { class: 'component-layers', id, 'aria-labelledby': `${id}-title`, 'data-component': c.component },
    h('h3', { id: `${id}-title` }, component, h('span', { class: 'muted heading-sub' }, ` · ${t('{0} layers · {1} series', int(c.layerCount), int(c.series.length))}`)),
    h('div', { class: 'chart-row' }, lines.element, map.element));
}
