// Heatmap: rows × columns of values, shaded by the opacity of a theme colour (CSS class, --vscode-charts-*),
// values printed in the cells where they fit, optional notes at the end of each row, a 2-D keyboard/mouse cursor
// with a read-out, a colour scale with numbered ticks under the map (what the shading means in every theme:
// the scale is drawn with the cells' own colour) and the values as a table.
import { staticTable } from '../views/table';
import { chartFigure, readout, type Figure } from './figure';
import { svgEl, svgText, svgTitle } from './svg';
import { t as tr } from '../../src/core/l10n';

export interface HeatmapSpec {
  title: string;
  rowAxis: string;
  colAxis: string;
  rowLabels: string[];
  colLabels: string[];
  /** values[row][col]; null = no value. */
  values: (number | null)[][];
  /** 0..1 intensity of a cell. */
  shade(v: number, row: number, col: number): number;
  format(v: number): string;
  /** The colour scale under the map. */
  scale: HeatScale;
  note?: string;
  /** Print values inside cells when they are large enough. */
  cellText?: boolean;
  /** A short text after each row (e.g. the row's own range), under the heading `rowNotesHeading`. */
  rowNotes?: string[];
  rowNotesHeading?: string;
  /** Controls above the plot (e.g. a shading toggle). */
  controls?: HTMLElement;
  label: string;
  cls?: string;
}

export interface HeatScale {
  /** What the shading measures, e.g. "|r|". */
  label: string;
  /** Ticks along the scale: `at` is the shade (0..1) that `spec.shade` gives their value. */
  ticks: { at: number; text: string }[];
}

const SCALE_STEPS = 48;

const MAX_W = 640;
const CHAR_W = 6.2;
const opacity = (t: number) => (0.06 + 0.94 * t).toFixed(3);

function clip(s: string, n: number): string {
  return s.length > n ? `…${s.slice(s.length - n + 1)}` : s;
}

/** The colour scale: a bar shaded like the cells from 0 to 1, numbered ticks under it and its label after it. */
function colourScale(scale: HeatScale, x: number, y: number, w: number): SVGGElement {
  const key = svgEl('g', { class: 'axis hm-scale', 'aria-hidden': 'true' });
  for (let k = 0; k < SCALE_STEPS; k++) {
    key.append(svgEl('rect', { x: (x + (k * w) / SCALE_STEPS).toFixed(2), y, width: (w / SCALE_STEPS + 0.3).toFixed(2), height: 10, class: 'hm-cell hm-scale-step', 'fill-opacity': opacity((k + 0.5) / SCALE_STEPS) }));
  }
  key.append(svgEl('rect', { x, y, width: w, height: 10, class: 'hm-scale-frame' }));
  for (const tk of scale.ticks) {
    const tx = x + Math.max(0, Math.min(1, tk.at)) * w;
    key.append(svgEl('line', { x1: tx, x2: tx, y1: y + 10, y2: y + 14, class: 'tick' }),
      svgText(tx, y + 24, tk.text, { 'text-anchor': 'middle', class: 'hm-scale-tick' }));
  }
  key.append(svgText(x + w + 10, y + 9, scale.label, { class: 'axis-label hm-scale-label' }));
  return key;
}

export function heatmap(spec: HeatmapSpec): Figure {
  const rows = spec.rowLabels.length;
  const cols = spec.colLabels.length;
  const labelChars = Math.min(30, Math.max(2, ...spec.rowLabels.map((l) => l.length)));
  const left = 14 + labelChars * 6.6;
  const notes = spec.rowNotes ?? [];
  const notesW = notes.length ? 10 + CHAR_W * Math.max(...notes.map((n) => n.length), (spec.rowNotesHeading ?? '').length) : 0;
  // Values in the cells when the longest of them fits its cell (cells widen up to 64 px for them).
  const longest = spec.cellText ? spec.values.flat().reduce<number>((m, v) => (v === null ? m : Math.max(m, spec.format(v).length)), 0) : 0;
  const textW = longest * 5.8 + 6;
  const maxCw = spec.cellText ? Math.max(44, Math.min(64, Math.ceil(textW))) : 44;
  const cw = Math.max(8, Math.min(maxCw, Math.floor((MAX_W - left - notesW - 10) / Math.max(1, cols))));
  const ch = Math.max(8, Math.min(26, cw));
  // Room for the axis label above the column numbers (they touched at 28).
  const top = 34;
  const scaleW = Math.max(160, Math.min(260, cols * cw));
  const W = Math.ceil(Math.max(left + cols * cw + notesW + 10, left + scaleW + 12 + CHAR_W * spec.scale.label.length));
  const H = top + rows * ch + 50;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart-svg heatmap ${spec.cls ?? ''}`.trim(), width: W, preserveAspectRatio: 'xMinYMin meet' });
  const g = svgEl('g', { class: 'axis' });
  const colStep = Math.max(1, Math.ceil(cols / Math.max(1, Math.floor((cols * cw) / 28))));
  spec.colLabels.forEach((c, j) => {
    if (j % colStep === 0 || j === cols - 1) g.append(svgText(left + j * cw + cw / 2, top - 8, clip(c, 6), { 'text-anchor': 'middle' }));
  });
  const rowStep = Math.max(1, Math.ceil(12 / ch));
  spec.rowLabels.forEach((r, i) => {
    if (i % rowStep === 0 || i === rows - 1) {
      const t = svgText(left - 6, top + i * ch + ch / 2 + 4, clip(r, 30), { 'text-anchor': 'end', class: 'row-label' });
      t.append(svgTitle(r));
      g.append(t);
    }
  });
  g.append(svgText(left + (cols * cw) / 2, 11, spec.colAxis, { 'text-anchor': 'middle', class: 'axis-label' }));
  const cells = svgEl('g', { class: 'cells' });
  const rects: SVGRectElement[][] = [];
  const text = spec.cellText && ch >= 14 && textW <= cw;
  for (let i = 0; i < rows; i++) {
    rects.push([]);
    for (let j = 0; j < cols; j++) {
      const v = spec.values[i]?.[j] ?? null;
      const x = left + j * cw;
      const y = top + i * ch;
      const t = v === null ? 0 : Math.max(0, Math.min(1, spec.shade(v, i, j)));
      const desc = `${spec.rowAxis} ${spec.rowLabels[i]}, ${spec.colAxis} ${spec.colLabels[j]}: ${v === null ? tr('no value') : spec.format(v)}`;
      const rect = svgEl('rect', {
        x: x + 0.5, y: y + 0.5, width: cw - 1, height: ch - 1, class: v === null ? 'hm-cell hm-empty' : 'hm-cell',
        'fill-opacity': v === null ? undefined : opacity(t), 'data-r': i, 'data-c': j, 'data-value': v ?? undefined,
      }, svgTitle(desc));
      rects[i].push(rect);
      cells.append(rect);
      if (text && v !== null) cells.append(svgText(x + cw / 2, y + ch / 2 + 4, spec.format(v), { 'text-anchor': 'middle', class: t > 0.55 ? 'hm-text strong' : 'hm-text' }));
    }
  }
  notes.forEach((n, i) => g.append(svgText(left + cols * cw + 8, top + i * ch + ch / 2 + 4, n, { class: 'row-note' })));
  if (notes.length && spec.rowNotesHeading) g.append(svgText(left + cols * cw + 8, top - 8, spec.rowNotesHeading, { class: 'axis-label' }));
  const focus = svgEl('rect', { class: 'hm-focus', width: cw, height: ch, visibility: 'hidden' });
  svg.append(g, cells, colourScale(spec.scale, left, top + rows * ch + 12, scaleW), focus);

  const out = readout();
  const table = staticTable(spec.title, [{ label: `${spec.rowAxis} \\ ${spec.colAxis}` }, ...spec.colLabels.map((c) => ({ label: c, numeric: true }))],
    spec.rowLabels.map((r, i) => [r, ...spec.colLabels.map((_, j) => {
      const v = spec.values[i]?.[j] ?? null;
      return v === null ? '—' : spec.format(v);
    })]), 'data-table');
  const fig = chartFigure({ title: spec.title, label: spec.label, svg, table, readout: out, focusable: true, note: spec.note, cls: 'chart-heatmap', controls: spec.controls });
  let at: [number, number] | null = null;
  const set = (p: [number, number] | null) => {
    at = p && rows && cols ? [Math.max(0, Math.min(rows - 1, p[0])), Math.max(0, Math.min(cols - 1, p[1]))] : null;
    if (!at) {
      focus.setAttribute('visibility', 'hidden');
      out.textContent = '\u00a0';
      return;
    }
    focus.setAttribute('x', String(left + at[1] * cw));
    focus.setAttribute('y', String(top + at[0] * ch));
    focus.setAttribute('visibility', 'visible');
    out.textContent = rects[at[0]][at[1]].querySelector('title')?.textContent ?? '';
  };
  cells.addEventListener('mouseover', (e) => {
    const r = (e.target as Element).closest('rect');
    if (r?.hasAttribute('data-r')) set([Number(r.getAttribute('data-r')), Number(r.getAttribute('data-c'))]);
  });
  svg.addEventListener('mouseleave', () => { if (document.activeElement !== fig.plot) set(null); });
  fig.plot.addEventListener('focus', () => set(at ?? [0, 0]));
  fig.plot.addEventListener('blur', () => set(null));
  fig.plot.addEventListener('keydown', (e) => {
    const [r, c] = at ?? [0, 0];
    const moves: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], Home: [r, 0], End: [r, cols - 1],
    };
    if (!moves[e.key]) return;
    e.preventDefault();
    set(moves[e.key]);
  });
  fig.plot.classList.add('scroll-x');
  return fig;
}
