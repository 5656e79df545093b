// Multi-line chart over layers: one line per series, each with its own combination of colour, marker shape and
// dash pattern (never colour alone), y ticks at 1-2-5 steps that enclose the data, a legend whose entries
// show/hide series, a cursor read-out and the data as a table.
import { h } from '../dom';
import { staticTable } from '../views/table';
import { attachCursor, chartFigure, readout, type Figure } from './figure';
import { extent, linear, niceScale, num, svgEl, svgText, svgTitle } from './svg';
import { t } from '../../src/core/l10n';

export interface LineSeries {
  label: string;
  /** Aligned with the chart's xs; null = no point. */
  values: (number | null)[];
}

export interface LineChartSpec {
  title: string;
  xs: number[];
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
}

const W = 600;
const H = 240;
const M = { left: 62, right: 16, top: 12, bottom: 40 };
const COLOURS = 6;
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'] as const;
const DASHES = 3;

function marker(shape: (typeof SHAPES)[number], cx: number, cy: number, attrs: Record<string, string | number>): SVGElement {
  const r = 3.2;
  if (shape === 'circle') return svgEl('circle', { cx, cy, r, ...attrs });
  if (shape === 'square') return svgEl('rect', { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, ...attrs });
  const pts = shape === 'triangle'
    ? [[cx, cy - r - 0.8], [cx + r + 0.6, cy + r], [cx - r - 0.6, cy + r]]
    : shape === 'triangle-down'
      ? [[cx, cy + r + 0.8], [cx + r + 0.6, cy - r], [cx - r - 0.6, cy - r]]
      : [[cx, cy - r - 1], [cx + r + 1, cy], [cx, cy + r + 1], [cx - r - 1, cy]];
  return svgEl('polygon', { points: pts.map((p) => p.join(',')).join(' '), ...attrs });
}

/**
 * Series i: colour i mod 6, marker i mod 5 and dash pattern (i + ⌊i / 30⌋) mod 3. Colour and marker repeat
 * together only every 30 series, and then the dash differs: no two of the first 90 series look alike.
 */
export function seriesStyle(i: number): { colour: number; shape: (typeof SHAPES)[number]; dash: number } {
  return { colour: i % COLOURS, shape: SHAPES[i % SHAPES.length], dash: (i + Math.floor(i / (COLOURS * SHAPES.length))) % DASHES };
}

export const seriesClass = (i: number) => {
  const st = seriesStyle(i);
  return `series-${st.colour} dash-${st.dash}`;
};

/** A small legend swatch: a line segment with the series' marker. */
export function swatch(i: number): SVGSVGElement {
  const s = svgEl('svg', { viewBox: '0 0 26 10', width: 26, height: 10, class: `swatch ${seriesClass(i)}`, 'aria-hidden': 'true' });
  s.append(svgEl('line', { x1: 1, x2: 25, y1: 5, y2: 5, class: 'series-line' }), marker(seriesStyle(i).shape, 13, 5, { class: 'series-marker' }));
  return s;
}

export function lineChart(spec: LineChartSpec): Figure {
  const { xs, series } = spec;
  const shown = series.map(() => true);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = linear(xs[0] ?? 0, xs[xs.length - 1] ?? 1, M.left + (xs.length === 1 ? plotW / 2 : 0), M.left + plotW);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg line-chart', preserveAspectRatio: 'xMidYMid meet' });
  const layer = svgEl('g');
  const cursor = svgEl('line', { y1: M.top, y2: M.top + plotH, class: 'cursor', visibility: 'hidden' });
  svg.append(layer, cursor);
  const out = readout();
  let at: number | null = null;

  const draw = () => {
    layer.replaceChildren();
    const ext = extent(series.flatMap((s, i) => (shown[i] ? s.values : [])));
    const [lo, hi] = ext ?? [0, 1];
    // The ticks enclose every value: the axis runs from the first tick to the last.
    const ticks = niceScale(lo, hi, 4);
    const y = linear(ticks[0], ticks[ticks.length - 1], M.top + plotH, M.top);
    const axis = svgEl('g', { class: 'axis' });
    for (const t of ticks) {
      axis.append(svgEl('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: 'gridline' }), svgText(M.left - 6, y(t) + 4, num(t, 4), { 'text-anchor': 'end', class: 'y-tick', 'data-value': t }));
    }
    const step = Math.max(1, Math.ceil(xs.length / 16));
    xs.forEach((v, i) => {
      if (i % step && i !== xs.length - 1) return;
      axis.append(svgEl('line', { x1: x(v), x2: x(v), y1: M.top + plotH, y2: M.top + plotH + 4, class: 'tick' }), svgText(x(v), M.top + plotH + 16, String(v), { 'text-anchor': 'middle' }));
    });
    axis.append(svgEl('line', { x1: M.left, x2: W - M.right, y1: M.top + plotH, y2: M.top + plotH, class: 'axis-line' }));
    axis.append(svgText(M.left + plotW / 2, H - 4, spec.xLabel, { 'text-anchor': 'middle', class: 'axis-label' }));
    axis.append(svgText(12, M.top + plotH / 2, spec.yLabel, { 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${M.top + plotH / 2})` }));
    layer.append(axis);
    series.forEach((s, si) => {
      if (!shown[si]) return;
      const st = seriesStyle(si);
      const g = svgEl('g', { class: `series ${seriesClass(si)}`, 'data-series': si, 'data-style': `${st.colour} ${st.shape} ${st.dash}` });
      let d = '';
      let pen = false;
      s.values.forEach((v, i) => {
        if (v === null) { pen = false; return; }
        d += `${pen ? 'L' : 'M'}${x(xs[i]).toFixed(2)} ${y(v).toFixed(2)} `;
        pen = true;
      });
      if (d) g.append(svgEl('path', { d: d.trim(), class: 'series-line' }));
      s.values.forEach((v, i) => {
        if (v === null) return;
        const m = marker(seriesStyle(si).shape, x(xs[i]), y(v), { class: 'series-marker pt', 'data-layer': xs[i], 'data-value': v });
        m.append(svgTitle(`${s.label}, layer ${xs[i]}: ${num(v, 6)}`));
        g.append(m);
      });
      layer.append(g);
    });
    show(at);
  };

  const show = (i: number | null) => {
    at = i;
    for (const m of layer.querySelectorAll('.pt.active')) m.classList.remove('active');
    if (i === null) {
      cursor.setAttribute('visibility', 'hidden');
      out.textContent = '\u00a0';
      return;
    }
    cursor.setAttribute('x1', String(x(xs[i])));
    cursor.setAttribute('x2', String(x(xs[i])));
    cursor.setAttribute('visibility', 'visible');
    for (const m of layer.querySelectorAll(`.pt[data-layer="${xs[i]}"]`)) m.classList.add('active');
    const parts = series.filter((_, si) => shown[si]).map((s) => `${s.label} ${num(s.values[i], 5)}`);
    out.textContent = `${spec.xLabel} ${xs[i]}: ${parts.join(' · ')}`;
  };

  const legend = h('ul', { class: 'legend', 'aria-label': t('{0}: series (press to show or hide)', spec.title) });
  series.forEach((s, si) => {
    const b = h('button', { type: 'button', class: 'legend-item', 'aria-pressed': 'true', 'data-series': si }, swatch(si), h('span', { class: 'mono' }, s.label));
    b.addEventListener('click', () => {
      shown[si] = !shown[si];
      b.setAttribute('aria-pressed', String(shown[si]));
      draw();
    });
    legend.append(h('li', {}, b));
  });

  const table = staticTable(t('{0}: {1} per {2}', spec.title, spec.yLabel, spec.xLabel), [{ label: spec.xLabel, numeric: true }, ...series.map((s) => ({ label: s.label, numeric: true }))],
    xs.map((v, i) => [String(v), ...series.map((s) => num(s.values[i], 6))]), 'data-table');
  const label = t('{0}: {1} of {2} series over {3} {4}s ({5}–{6})', spec.title, spec.yLabel, series.length, xs.length, spec.xLabel, xs[0], xs[xs.length - 1]);
  draw();
  const fig = chartFigure({ title: spec.title, label, svg, table, legend, readout: out, focusable: true, cls: 'chart-lines' });
  attachCursor(fig.plot, svg, W, xs.length, (i) => x(xs[i]), show);
  return fig;
}
