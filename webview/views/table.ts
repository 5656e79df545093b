// A small static table (summary sections): cells are text or nodes built by the caller.
import { h, type Child } from '../dom';

export interface StaticColumn {
  label: string;
  numeric?: boolean;
}

export function staticTable(label: string, columns: StaticColumn[], rows: Child[][], cls = ''): HTMLTableElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.label)));
  const body = rows.map((r) => h('tr', {}, ...r.map((cell, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : undefined, class: columns[i]?.numeric ? 'num' : '' }, cell))));
  return h('table', { class: `static ${cls}`.trim(), 'aria-label': label }, h('thead', {}, head), h('tbody', {}, ...body));
}

/** A share bar (decorative; the percentage is also written out). */
export function shareBar(part: number, whole: number): HTMLElement {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${whole > 0 ? Math.max(0.5, (100 * part) / whole) : 0}%`;
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}
