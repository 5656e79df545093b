// Histogram of one tensor's values: one bar per bin (linear bins, or bins uniform in symlog space drawn at equal
// width), count axis, edge labels, a cursor read-out and the bins as a table.
import type { TensorStats } from '../../src/shared/protocol';
import { segmented } from '../dom';
import { int, percent } from '../format';
import { staticTable } from '../views/table';
import { attachCursor, chartFigure, readout, type Figure } from './figure';
import { linear, niceTicks, num, svgEl, svgText, svgTitle } from './svg';
import { t } from '../../src/core/l10n';

type Histogram = NonNullable<TensorStats['histogram']>;

const W = 560;
const H = 200;
const M = { left: 58, right: 14, top: 10, bottom: 40 };

export function histogramChart(hist: Histogram, title: string, controls: HTMLElement | null = null): Figure {
  const bins = hist.counts.length;
  const total = hist.counts.reduce((a, c) => a + c, 0);
  const maxCount = Math.max(1, ...hist.counts);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const bw = plotW / Math.max(1, bins);
  const x = (i: number) => M.left + i * bw;
  const yTicks = niceTicks(0, maxCount, 4);
  const yMax = Math.max(maxCount, yTicks[yTicks.length - 1] ?? maxCount);
  const y = linear(0, yMax, M.top + plotH, M.top);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg histogram', preserveAspectRatio: 'xMidYMid meet' });
  const axis = svgEl('g', { class: 'axis' });
  for (const t of yTicks) {
    axis.append(svgEl('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: 'gridline' }));
    axis.append(svgText(M.left - 6, y(t) + 4, num(t), { 'text-anchor': 'end' }));
  }
  const tickBins = [...new Set([0, Math.round(bins / 4), Math.round(bins / 2), Math.round((3 * bins) / 4), bins])];
  for (const i of tickBins) {
    axis.append(svgEl('line', { x1: x(i), x2: x(i), y1: M.top + plotH, y2: M.top + plotH + 4, class: 'tick' }));
    axis.append(svgText(x(i), M.top + plotH + 16, num(hist.edges[i]), { 'text-anchor': i === 0 ? 'start' : i === bins ? 'end' : 'middle' }));
  }
  axis.append(svgText(M.left + plotW / 2, H - 4, hist.scale === 'symlog' ? t('value (symlog bins, linthresh {0})', num(hist.linthresh ?? 0)) : t('value'), { 'text-anchor': 'middle', class: 'axis-label' }));
  axis.append(svgText(12, M.top + plotH / 2, t('count'), { 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${M.top + plotH / 2})` }));
  axis.append(svgEl('line', { x1: M.left, x2: W - M.right, y1: M.top + plotH, y2: M.top + plotH, class: 'axis-line' }));
  const bars = svgEl('g', { class: 'bars' });
  const rects: SVGRectElement[] = [];
  const range = (i: number) => `[${num(hist.edges[i])}, ${num(hist.edges[i + 1])}${i === bins - 1 ? ']' : ')'}`;
  hist.counts.forEach((c, i) => {
    const top = y(c);
    const r = svgEl('rect', {
      x: x(i) + 0.5, width: Math.max(0.5, bw - 1), y: top, height: Math.max(0, M.top + plotH - top),
      class: 'hist-bar', 'data-bin': i, 'data-count': c,
    }, svgTitle(`${range(i)}: ${int(c)}`));
    rects.push(r);
    bars.append(r);
  });
  svg.append(axis, bars);
  const out = readout();
  const rows = hist.counts.map((c, i) => [String(i + 1), num(hist.edges[i], 6), num(hist.edges[i + 1], 6), int(c)]);
  const table = staticTable(t('{0}: bins', title), [{ label: t('Bin'), numeric: true }, { label: t('From'), numeric: true }, { label: t('To'), numeric: true }, { label: t('Count'), numeric: true }], rows, 'data-table');
  const label = t('{0}: {1} {2} bins from {3} to {4}, {5} values, largest bin {6}', title, bins, hist.scale, num(hist.edges[0]), num(hist.edges[bins]), int(total), range(hist.counts.indexOf(Math.max(...hist.counts))));
  const fig = chartFigure({ title, label, svg, table, controls, readout: out, focusable: true, cls: 'chart-histogram', note: hist.exact ? undefined : t('Counts near a bin edge may fall in the neighbouring bin (values are bucketed finely first).') });
  let active: SVGRectElement | undefined;
  attachCursor(fig.plot, svg, W, bins, (i) => x(i) + bw / 2, (i) => {
    active?.classList.remove('active');
    active = i === null ? undefined : rects[i];
    active?.classList.add('active');
    out.textContent = i === null ? '\u00a0' : t('Bin {0} of {1}: {2} · {3} values ({4})', i + 1, bins, range(i), int(hist.counts[i]), percent(hist.counts[i], total));
  });
  return fig;
}

/** Linear / symlog as two toggle buttons (aria-pressed). */
export function scaleToggle(current: 'linear' | 'symlog', changed: (s: 'linear' | 'symlog') => void): HTMLElement {
  return segmented(t('Histogram scale'), 'scale', [['linear', t('Linear')], ['symlog', t('Symlog')]], current, changed);
}
