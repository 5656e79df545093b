// The frame every chart shares: a titled <figure>, the SVG (role="img" with a label), an optional legend and
// live read-out, and the chart's data as a real table — visually hidden (read by screen readers) until the
// "Show data table" toggle puts it on screen. Plus a keyboard/mouse cursor over a chart's x positions.
import { h } from '../dom';
import { uid } from './svg';
import { t } from '../../src/core/l10n';

export interface FigureParts {
  title: string;
  /** The accessible name of the SVG (what the picture shows). */
  label: string;
  svg: SVGSVGElement;
  table: HTMLTableElement;
  cls?: string;
  controls?: HTMLElement | null;
  legend?: HTMLElement | null;
  readout?: HTMLElement | null;
  note?: string;
  /** Make the plot focusable (charts with a cursor). */
  focusable?: boolean;
}

export interface Figure {
  element: HTMLElement;
  plot: HTMLElement;
}

export function chartFigure(p: FigureParts): Figure {
  const titleId = uid('chart-title');
  const tableId = uid('chart-table');
  p.svg.setAttribute('role', 'img');
  p.svg.setAttribute('aria-label', p.label);
  const toggle = h('button', { class: 'link-button table-toggle', type: 'button', 'aria-expanded': 'false', 'aria-controls': tableId }, t('Show data table'));
  const tableWrap = h('div', { class: 'chart-table sr-only', id: tableId, role: 'region', 'aria-labelledby': titleId }, p.table);
  toggle.addEventListener('click', () => {
    const show = tableWrap.classList.toggle('sr-only') === false;
    // On screen the table scrolls: a Tab stop, so that the keyboard can scroll it too.
    if (show) tableWrap.tabIndex = 0;
    else tableWrap.removeAttribute('tabindex');
    toggle.setAttribute('aria-expanded', String(show));
    toggle.textContent = show ? t('Hide data table') : t('Show data table');
  });
  const plot = h('div', {
    class: 'chart-plot', tabindex: p.focusable ? 0 : undefined,
    'aria-describedby': p.readout?.id || undefined,
  }, p.svg);
  const element = h('figure', { class: `chart ${p.cls ?? ''}`.trim(), 'aria-labelledby': titleId },
    h('figcaption', { class: 'chart-caption' }, h('span', { class: 'chart-title', id: titleId }, p.title), toggle),
    p.controls ?? null,
    plot,
    p.legend ?? null,
    p.readout ?? null,
    p.note ? h('p', { class: 'chart-note muted' }, p.note) : null,
    tableWrap);
  return { element, plot };
}

/** A polite live region under a chart that says what the cursor points at. */
export function readout(): HTMLElement {
  return h('div', { class: 'chart-readout', id: uid('readout'), 'aria-live': 'polite' }, '\u00a0');
}

/**
 * A cursor over n x positions: the mouse picks the nearest, arrows / Home / End move it while the plot has
 * focus. `xOf` is in viewBox units of the SVG, which is `width` wide.
 */
export function attachCursor(plot: HTMLElement, svg: SVGSVGElement, width: number, n: number, xOf: (i: number) => number, move: (i: number | null) => void): void {
  if (n <= 0) return;
  let at: number | null = null;
  const set = (i: number | null) => {
    at = i === null ? null : Math.max(0, Math.min(n - 1, i));
    move(at);
  };
  svg.addEventListener('mousemove', (e) => {
    const r = svg.getBoundingClientRect();
    if (r.width <= 0) return;
    const vx = ((e.clientX - r.left) / r.width) * width;
    let best = 0;
    for (let i = 1; i < n; i++) if (Math.abs(xOf(i) - vx) < Math.abs(xOf(best) - vx)) best = i;
    if (best !== at) set(best);
  });
  svg.addEventListener('mouseleave', () => {
    if (document.activeElement !== plot) set(null);
  });
  plot.addEventListener('focus', () => set(at ?? 0));
  plot.addEventListener('blur', () => set(null));
  plot.addEventListener('keydown', (e) => {
    const keys: Record<string, () => number> = {
      ArrowRight: () => (at ?? -1) + 1, ArrowLeft: () => (at ?? 1) - 1, Home: () => 0, End: () => n - 1,
      PageDown: () => (at ?? 0) + 10, PageUp: () => (at ?? 0) - 10,
    };
    const k = keys[e.key];
    if (!k) return;
    e.preventDefault();
    set(k());
  });
}
