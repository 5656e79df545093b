// Per-layer aggregation: for each component and tensor pattern (module kind + parameter), the series over
// layers of std, L2 norm and absmax, plus a layer × module matrix for heatmaps and outlier flags for tables.
// Scale companions of FP8 weights (`…weight_scale_inv` …) are no modules: they are attached to their weight's
// series (whose statistics are of the dequantised values) and keep their own statistics in the tensor table.
import { classifyAll, COMPONENTS, MODULE_KINDS } from '../naming/classify';
import { scaleCompanions } from '../naming/companions';
import type { ComponentLayers, LayerAggregation, LayerSeries, OutlierFlag, TensorStats } from './types';

interface Point {
  std: number[];
  l2: number[];
  absmax: number[];
  tensors: number;
}

function patternOf(name: string, layer: number, expert: number | null): string {
  const segs = name.split('.');
  let layerDone = false;
  for (let i = 0; i < segs.length; i++) {
    if (!/^\d+$/.test(segs[i])) continue;
    const prev = i > 0 ? segs[i - 1].toLowerCase() : '';
    if (expert !== null && prev === 'experts' && Number(segs[i]) === expert) segs[i] = '{E}';
    else if (!layerDone && Number(segs[i]) === layer) { segs[i] = '{L}'; layerDone = true; }
  }
  return segs.join('.');
}

function labelOf(pattern: string): string {
  const at = pattern.indexOf('{L}.');
  return at >= 0 ? pattern.slice(at + 4) : pattern;
}

const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : null);
const max = (a: number[]) => (a.length ? Math.max(...a) : null);

/** Groups tensors with a layer index by component and name pattern; layers ascending in each series. */
export function aggregateLayers(stats: TensorStats[]): LayerAggregation {
  const roles = classifyAll(stats.map((s) => s.name));
  const companions = scaleCompanions(stats.map((s) => s.name));
  for (const s of stats) if (s.dequantised) companions.set(s.dequantised.scaleTensor, s.name);
  /** Weight name → the parameter names of its scale companions. */
  const scalesOf = new Map<string, string[]>();
  stats.forEach((s, i) => {
    const weight = companions.get(s.name);
    if (weight !== undefined) scalesOf.set(weight, [...(scalesOf.get(weight) ?? []), roles[i].param]);
  });
  const series = new Map<string, { head: Omit<LayerSeries, 'layers' | 'std' | 'l2' | 'absmax' | 'tensors'>; points: Map<number, Point> }>();
  stats.forEach((s, i) => {
    const role = roles[i];
    if (role.layer === null || companions.has(s.name)) return;
    const pattern = patternOf(s.name, role.layer, role.expert);
    let entry = series.get(pattern);
    if (!entry) {
      entry = { head: { component: role.component, kind: role.kind, param: role.param, pattern, label: labelOf(pattern) }, points: new Map() };
      series.set(pattern, entry);
    }
    for (const param of scalesOf.get(s.name) ?? []) {
      const list = (entry.head.scaleCompanions ??= []);
      if (!list.includes(param)) list.push(param);
    }
    let p = entry.points.get(role.layer);
    if (!p) { p = { std: [], l2: [], absmax: [], tensors: 0 }; entry.points.set(role.layer, p); }
    p.tensors++;
    if (s.std !== null) p.std.push(s.std);
    if (s.l2 !== null) p.l2.push(s.l2);
    if (s.absmax !== null) p.absmax.push(s.absmax);
  });
  const components: ComponentLayers[] = [];
  for (const component of COMPONENTS) {
    const list: LayerSeries[] = [];
    const layerSet = new Set<number>();
    for (const { head, points } of series.values()) {
      if (head.component !== component) continue;
      const layers = [...points.keys()].sort((a, b) => a - b);
      layers.forEach((l) => layerSet.add(l));
      list.push({
        ...head, layers,
        std: layers.map((l) => mean(points.get(l)!.std)),
        l2: layers.map((l) => mean(points.get(l)!.l2)),
        absmax: layers.map((l) => max(points.get(l)!.absmax)),
        tensors: layers.map((l) => points.get(l)!.tensors),
      });
    }
    if (!list.length) continue;
    list.sort((a, b) => MODULE_KINDS.indexOf(a.kind) - MODULE_KINDS.indexOf(b.kind) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    components.push({ component, layerCount: layerSet.size, series: list });
  }
  return { components };
}

export interface LayerMatrix {
  /** Row labels: layer indices, ascending. */
  layers: number[];
  /** Column labels: series labels in series order. */
  columns: string[];
  /** values[row][column]; null where a series has no point at that layer. */
  values: (number | null)[][];
}

/** Layer × module matrix of one statistic for one component: the heatmap's data. */
export function layerMatrix(component: ComponentLayers, stat: 'std' | 'l2' | 'absmax'): LayerMatrix {
  const layerSet = new Set<number>();
  for (const s of component.series) s.layers.forEach((l) => layerSet.add(l));
  const layers = [...layerSet].sort((a, b) => a - b);
  const columns = component.series.map((s) => s.label);
  const values = layers.map((l) => component.series.map((s) => {
    const i = s.layers.indexOf(l);
    return i >= 0 ? s[stat][i] : null;
  }));
  return { layers, columns, values };
}

export const EXTREME_KURTOSIS = 50;

/** Flags for the table: NaN/Inf present, all zeros, constant, excess kurtosis above `kurtosis` (default 50). */
export function outlierFlags(s: TensorStats, options: { kurtosis?: number } = {}): OutlierFlag[] {
  const flags: OutlierFlag[] = [];
  if (s.count === 0) flags.push('empty');
  if (s.nan > 0) flags.push('nan');
  if (s.posinf + s.neginf > 0) flags.push('inf');
  if (s.count > 0 && s.zeros === s.count) flags.push('all-zero');
  else if (s.finite > 1 && s.min !== null && s.min === s.max) flags.push('constant');
  if (s.kurtosis !== null && s.kurtosis > (options.kurtosis ?? EXTREME_KURTOSIS)) flags.push('extreme-kurtosis');
  return flags;
}
