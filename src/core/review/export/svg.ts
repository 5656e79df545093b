// Inline SVG charts for the HTML export: the layer × layer similarity heatmap with a numbered colour scale and
// per-layer line charts (each series its own colour, marker and dash; y ticks at 1-2-5 steps enclosing the data).
// Coordinates are rounded to 0.1 so the output is byte-stable.
import type { LayerHeatmap } from '../../match/types';
import { niceScale } from '../../ticks';
import { html } from './escape';

const c1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** |r| in [0, 1] → a sequential blue scale (#f7fbff at 0 → #08306b at 1); the chart draws it as a numbered scale. */
export function heatColor(v: number): string {
  const t = Math.max(0, Math.min(1, v));
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const ch = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  return `#${ch.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

function tickEvery(n: number): number {
  return n <= 16 ? 1 : Math.ceil(n / 16);
}

export function heatmapSvg(h: LayerHeatmap, labels: { suspectLayer: string; referenceLayer: string; title: string }): string {
  const rows = h.suspectLayers.length;
  const cols = h.referenceLayers.length;
  if (!rows || !cols) return '';
  const cell = Math.max(4, Math.min(32, Math.floor(480 / Math.max(rows, cols))));
  const left = 56;
  const top = 16;
  const width = left + cols * cell + 64;
  const height = top + Math.max(rows * cell, 80) + 44;
  const out: string[] = [
    // l10n-ignore (the aria-label is the caller's translated title)
    `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${html(labels.title)}">`,
    `<title>${html(labels.title)}</title>`,
  ];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = h.r[i][j];
      const x = left + j * cell;
      const y = top + i * cell;
      const fill = v === null ? '#e0e0e0' : heatColor(v);
      const tip = `${labels.suspectLayer} ${h.suspectLayers[i]} × ${labels.referenceLayer} ${h.referenceLayers[j]}: ${v === null ? '–' : v.toFixed(3)}`;
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}"><title>${html(tip)}</title></rect>`);
      if (cell >= 28 && v !== null) {
        out.push(`<text x="${c1(x + cell / 2)}" y="${c1(y + cell / 2 + 3.5)}" text-anchor="middle" class="cell" fill="${v > 0.55 ? '#fff' : '#000'}">${v.toFixed(2)}</text>`);
      }
    }
  }
  const rs = tickEvery(rows);
  for (let i = 0; i < rows; i += rs) out.push(`<text x="${left - 4}" y="${c1(top + i * cell + cell / 2 + 3.5)}" text-anchor="end" class="tick">${h.suspectLayers[i]}</text>`);
  const cs = tickEvery(cols);
  for (let j = 0; j < cols; j += cs) out.push(`<text x="${c1(left + j * cell + cell / 2)}" y="${top + rows * cell + 14}" text-anchor="middle" class="tick">${h.referenceLayers[j]}</text>`);
  out.push(`<text x="${c1(left + (cols * cell) / 2)}" y="${top + rows * cell + 34}" text-anchor="middle" class="axis">${html(labels.referenceLayer)}</text>`);
  out.push(`<text x="12" y="${c1(top + (rows * cell) / 2)}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${c1(top + (rows * cell) / 2)})">${html(labels.suspectLayer)}</text>`);
  // Colour scale: |r| from 0 (bottom) to 1 (top), ticks every 0.25.
  const sx = left + cols * cell + 16;
  const sh = Math.max(80, rows * cell);
  for (let k = 0; k < 20; k++) out.push(`<rect x="${sx}" y="${c1(top + sh - ((k + 1) * sh) / 20)}" width="12" height="${c1(sh / 20)}" fill="${heatColor((k + 0.5) / 20)}"/>`);
  out.push(`<rect x="${sx}" y="${top}" width="12" height="${sh}" fill="none" class="ax"/>`, `<text x="${sx}" y="${top - 5}" class="tick">|r|</text>`);
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + sh - v * sh;
    out.push(`<line x1="${sx + 12}" y1="${c1(y)}" x2="${sx + 15}" y2="${c1(y)}" class="ax"/><text x="${sx + 17}" y="${c1(y + 3.5)}" class="tick">${v}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

export interface LineSeries {
  label: string;
  x: number[];
  y: (number | null)[];
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

const DASHES = ['', ' stroke-dasharray="6 3"', ' stroke-dasharray="9 3 2 3"'];

function niceNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(1).replace('.0e', 'e') : String(Number(v.toPrecision(3)));
}

/**
 * Series k: colour k mod 10, marker k mod 5, dash (k + ⌊k / 10⌋) mod 3: colour and marker repeat together every
 * 10 series, and then the dash differs, so no two of the first 30 series look alike.
 */
function marker(k: number, x: number, y: number, color: string): string {
  const r = 2.8;
  const p = (pts: number[][]) => `<polygon points="${pts.map(([a, b]) => `${c1(a)},${c1(b)}`).join(' ')}" fill="${color}"/>`; // l10n-ignore
  switch (k % 5) {
    case 0: return `<circle cx="${c1(x)}" cy="${c1(y)}" r="${r}" fill="${color}"/>`; // l10n-ignore
    case 1: return `<rect x="${c1(x - r)}" y="${c1(y - r)}" width="${2 * r}" height="${2 * r}" fill="${color}"/>`; // l10n-ignore
    case 2: return p([[x, y - r - 0.8], [x + r + 0.6, y + r], [x - r - 0.6, y + r]]);
    case 3: return p([[x, y - r - 1], [x + r + 1, y], [x, y + r + 1], [x - r - 1, y]]);
    default: return p([[x, y + r + 0.8], [x + r + 0.6, y - r], [x - r - 0.6, y - r]]);
  }
}

/** A line chart of series over layers, with a legend; y from the data's range (0 … max when `zeroBased`). */
export function lineChartSvg(series: LineSeries[], opts: { title: string; xLabel: string; yLabel: string; zeroBased?: boolean; yMax?: number }): string {
  const pts = series.flatMap((s) => s.y.filter((v): v is number => v !== null && Number.isFinite(v)));
  const xs = series.flatMap((s) => s.x);
  if (!pts.length || !xs.length) return '';
  const W = 560;
  const H = 200;
  const m = { l: 64, r: 12, t: 12, b: 36 };
  const ticks = niceScale(opts.zeroBased ? Math.min(0, ...pts) : Math.min(...pts), Math.max(opts.yMax ?? -Infinity, ...pts), 4);
  const y0 = ticks[0];
  const y1 = ticks[ticks.length - 1];
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs) === x0 ? x0 + 1 : Math.max(...xs);
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => m.t + (1 - (y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const legendRows = Math.ceil(series.length / 2);
  const total = H + 8 + legendRows * 16;
  const out: string[] = [
    // l10n-ignore (the aria-label is the caller's translated title)
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${W}" height="${total}" viewBox="0 0 ${W} ${total}" role="img" aria-label="${html(opts.title)}">`,
    `<title>${html(opts.title)}</title>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" class="ax"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" class="ax"/>`,
  ];
  for (const v of ticks) {
    out.push(`<line x1="${m.l - 3}" y1="${c1(py(v))}" x2="${W - m.r}" y2="${c1(py(v))}" class="grid"/>`);
    out.push(`<text x="${m.l - 6}" y="${c1(py(v) + 3.5)}" text-anchor="end" class="tick">${niceNumber(v)}</text>`);
  }
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  const step = tickEvery(xTicks.length);
  for (let i = 0; i < xTicks.length; i += step) out.push(`<text x="${c1(px(xTicks[i]))}" y="${H - m.b + 14}" text-anchor="middle" class="tick">${xTicks[i]}</text>`);
  out.push(`<text x="${c1((m.l + W - m.r) / 2)}" y="${H - 4}" text-anchor="middle" class="axis">${html(opts.xLabel)}</text>`);
  out.push(`<text x="12" y="${c1((m.t + H - m.b) / 2)}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${c1((m.t + H - m.b) / 2)})">${html(opts.yLabel)}</text>`);
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    const dash = DASHES[(k + Math.floor(k / PALETTE.length)) % DASHES.length];
    const segs: string[][] = [[]];
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || !Number.isFinite(y)) { if (segs[segs.length - 1].length) segs.push([]); return; }
      segs[segs.length - 1].push(`${c1(px(x))},${c1(py(y))}`);
    });
    for (const seg of segs) {
      if (seg.length > 1) out.push(`<polyline points="${seg.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`); // l10n-ignore
      for (const p of seg) { const [cx, cy] = p.split(',').map(Number); out.push(marker(k, cx, cy, color)); }
    }
    const lx = 16 + (k % 2) * (W / 2);
    const ly = H + 8 + Math.floor(k / 2) * 16;
    // l10n-ignore
    out.push(`<line x1="${lx}" y1="${ly + 5}" x2="${lx + 22}" y2="${ly + 5}" stroke="${color}" stroke-width="1.5"${dash}/>${marker(k, lx + 11, ly + 5, color)}<text x="${lx + 28}" y="${ly + 9}" class="tick">${html(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
