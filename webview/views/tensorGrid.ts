// The virtualised tensor table: only the rows in view (plus a margin) exist in the DOM, at a fixed row height,
// over a spacer as tall as the whole table. Rows come from the RowCache; headers sort; arrows move the selection.
import type { TensorRow, TensorSortKey } from '../../src/shared/protocol';
import { append, h, icon, literal, literalText } from '../dom';
import { t } from '../../src/core/l10n';
import { columnsFor, defaultDescending, gridColumns, gridMinWidth, type Column } from './columns';
import type { RowCache } from './rowCache';

export const ROW_HEIGHT = 22;
const HEADER_HEIGHT = 26;
const OVERSCAN = 12;

export interface GridHandlers {
  sort(key: TensorSortKey, descending: boolean): void;
  select(index: number): void;
  open(row: TensorRow, index: number): void;
  scrolled(scrollTop: number): void;
  /** The context-menu key (or Shift+F10) on the selected row: Add finding on it. */
  addFinding?(row: TensorRow): void;
}

export class TensorGrid {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly message: HTMLElement;
  private readonly headRow: HTMLElement;
  private headers: HTMLElement[] = [];
  private columns: readonly Column[] = columnsFor(false);
  private statsShown = false;
  private hidden: ReadonlySet<string> = new Set();
  private readonly rendered = new Map<number, HTMLElement>();
  /** The row object each rendered element shows: a refreshed page (new objects) re-fills the cells. */
  private readonly shown = new WeakMap<HTMLElement, TensorRow>();
  private frame = 0;
  /** A restored scroll position, applied once the table has its height and is visible. */
  private pendingScroll: number | null = null;
  private sortKey: TensorSortKey = 'name';
  private descending = false;
  selected = -1;

  constructor(private readonly cache: RowCache, private readonly on: GridHandlers) {
    this.element = h('div', {
      class: 'grid', role: 'grid', tabindex: 0, 'aria-label': t('Tensors'), 'aria-rowcount': 1, 'aria-multiselectable': 'false',
    });
    this.element.style.setProperty('--wp-row-height', `${ROW_HEIGHT}px`);
    this.element.style.setProperty('--wp-header-height', `${HEADER_HEIGHT}px`);
    this.headRow = h('div', { class: 'tr head', role: 'row', 'aria-rowindex': 1 });
    this.buildHeader();
    this.body = h('div', { class: 'tbody', role: 'rowgroup' });
    this.message = h('div', { class: 'grid-message', role: 'presentation' });
    append(this.element, h('div', { class: 'thead', role: 'rowgroup' }, this.headRow), this.body, this.message);
    this.element.addEventListener('scroll', () => {
      this.schedule();
      this.on.scrolled(this.element.scrollTop);
    }, { passive: true });
    this.element.addEventListener('keydown', (e) => this.bodyKey(e));
    this.body.addEventListener('click', (e) => this.rowClick(e));
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.setSort('name', false);
  }

  /** Shows or hides the statistics columns (rows are filled again). */
  setStatsColumns(on: boolean): void {
    if (on === this.statsShown) return;
    this.statsShown = on;
    this.rebuild();
  }

  /** Hides the columns with these ids (the reviewer's choice; the name always shows). */
  setHiddenColumns(hidden: ReadonlySet<string>): void {
    this.hidden = new Set(hidden);
    this.rebuild();
  }

  private rebuild(): void {
    this.columns = columnsFor(this.statsShown, this.hidden);
    this.buildHeader();
    this.setSort(this.sortKey, this.descending);
    for (const el of this.rendered.values()) el.remove();
    this.rendered.clear();
    this.schedule();
  }

  get hasStatsColumns(): boolean {
    return this.statsShown;
  }

  private buildHeader(): void {
    const cols = this.columns;
    this.element.setAttribute('aria-colcount', String(cols.length));
    this.element.style.setProperty('--wp-cols', gridColumns(cols));
    this.element.style.setProperty('--wp-grid-min', `${gridMinWidth(cols)}px`);
    this.headers = cols.map((c, i) => {
      const cell = h('div', {
        class: `th${c.numeric ? ' num' : ''}${c.sortKey ? ' sortable' : ''}`, role: 'columnheader', 'aria-colindex': i + 1,
        tabindex: -1, 'data-col': c.id,
      }, h('span', { class: 'label' }, c.label), icon('blank', 'sort-icon'));
      if (c.sortKey) {
        const key = c.sortKey;
        cell.addEventListener('click', () => this.toggleSort(key));
      }
      cell.addEventListener('keydown', (e) => this.headerKey(e, i));
      return cell;
    });
    this.headRow.replaceChildren(...this.headers);
  }

  setSort(key: TensorSortKey, descending: boolean): void {
    this.sortKey = key;
    this.descending = descending;
    let focusable = 0;
    this.columns.forEach((c, i) => {
      const cell = this.headers[i];
      const active = c.sortKey === key;
      if (c.sortKey) cell.setAttribute('aria-sort', active ? (descending ? 'descending' : 'ascending') : 'none');
      const ic = cell.querySelector('.sort-icon')!;
      ic.className = `codicon sort-icon codicon-${active ? (descending ? 'arrow-down' : 'arrow-up') : 'blank'}`;
      if (active) focusable = i;
    });
    this.headers.forEach((cell, i) => (cell.tabIndex = i === focusable ? 0 : -1));
  }

  /** The query changed: forget the rendered rows and go back to the top (or to a restored position). */
  reset(scrollTop = 0, selected = -1): void {
    for (const el of this.rendered.values()) el.remove();
    this.rendered.clear();
    this.selected = selected;
    this.element.scrollTop = 0;
    this.pendingScroll = scrollTop > 0 ? scrollTop : null;
    this.schedule();
  }

  /** New rows or a new total arrived. */
  refresh(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** The rows the grid keeps rendered: the visible ones plus the overscan. */
  windowRange(): [number, number] {
    const [first, last] = this.visibleRange();
    return [Math.max(0, first - OVERSCAN), last + OVERSCAN];
  }

  private visibleRange(): [number, number] {
    const top = this.element.scrollTop;
    const height = Math.max(0, this.element.clientHeight - HEADER_HEIGHT);
    const first = Math.floor(top / ROW_HEIGHT);
    const last = Math.ceil((top + height) / ROW_HEIGHT) - 1;
    return [first, last];
  }

  /** Renders now (tests and keyboard handling call it synchronously through schedule's frame). */
  render(): void {
    const total = this.cache.total;
    this.element.setAttribute('aria-rowcount', String(Math.max(0, total) + 1));
    this.element.setAttribute('aria-busy', total < 0 ? 'true' : 'false');
    this.body.style.height = `${Math.max(0, total) * ROW_HEIGHT}px`;
    if (this.pendingScroll !== null && total >= 0 && this.element.clientHeight > 0) {
      this.element.scrollTop = this.pendingScroll;
      this.pendingScroll = null;
    }
    this.message.textContent = total < 0 ? t('Loading tensors…') : total === 0 ? t('No tensors match the filter.') : '';
    this.message.hidden = total !== 0 && total !== -1;
    const [vFirst, vLast] = this.visibleRange();
    const first = Math.max(0, vFirst - OVERSCAN);
    const last = total < 0 ? vLast + OVERSCAN : Math.min(total - 1, vLast + OVERSCAN);
    this.cache.ensure(first, last);
    for (const [i, el] of this.rendered) {
      if (i < first || i > last) {
        el.remove();
        this.rendered.delete(i);
      }
    }
    if (total < 0) return;
    for (let i = first; i <= last; i++) {
      const row = this.cache.get(i);
      let el = this.rendered.get(i);
      if (!el) {
        el = h('div', { class: 'tr', role: 'row', id: `wp-row-${i}`, 'aria-rowindex': i + 2 });
        el.style.top = `${i * ROW_HEIGHT}px`;
        this.rendered.set(i, el);
        this.body.append(el);
      }
      if (row && this.shown.get(el) !== row) this.fill(el, row);
      else if (!row && el.dataset.tensor === undefined && !el.firstChild) this.placeholder(el);
      el.setAttribute('aria-selected', i === this.selected ? 'true' : 'false');
      el.classList.toggle('selected', i === this.selected);
    }
    if (this.rendered.has(this.selected)) this.element.setAttribute('aria-activedescendant', `wp-row-${this.selected}`);
    else this.element.removeAttribute('aria-activedescendant');
  }

  private fill(el: HTMLElement, row: TensorRow): void {
    el.textContent = '';
    el.dataset.tensor = String(row.id);
    // The editor's context menu (package.json webview/context) reads this: Add Finding… on this tensor.
    el.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'tensorRow', tensor: row.name, preventDefaultContextMenuItems: true }));
    this.shown.set(el, row);
    el.classList.remove('loading');
    this.columns.forEach((c, ci) => {
      const text = c.text(row);
      const cell = h('div', { class: `td${c.numeric ? ' num' : ''}${ci === 0 ? ' name' : ''}`, role: 'gridcell', 'aria-colindex': ci + 1, 'data-col': c.id });
      // The name is cut at its start (its tail tells tensors apart); the text itself stays left-to-right.
      const rich = c.node?.(row);
      cell.append(ci === 0 ? h('span', { class: 'ltr' }, literal(text)) : rich ?? literal(text));
      if (ci === 0 || c.id === 'file') cell.title = literalText(text);
      el.append(cell);
    });
  }

  private placeholder(el: HTMLElement): void {
    el.classList.add('loading');
    el.append(h('div', { class: 'td', role: 'gridcell', 'aria-colindex': 1 }, '…'));
  }

  /** Moves the selection and keeps it in view. */
  select(index: number, scroll = true): void {
    const total = this.cache.total;
    if (total <= 0) return;
    const i = Math.max(0, Math.min(total - 1, index));
    this.selected = i;
    if (scroll) {
      const top = i * ROW_HEIGHT;
      const view = Math.max(ROW_HEIGHT, this.element.clientHeight - HEADER_HEIGHT);
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > this.element.scrollTop + view) this.element.scrollTop = top + ROW_HEIGHT - view;
    }
    this.render();
    this.on.select(i);
  }

  private pageSize(): number {
    return Math.max(1, Math.floor((this.element.clientHeight - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
  }

  private bodyKey(e: KeyboardEvent): void {
    if (e.target !== this.element) return;
    const s = this.selected;
    const moves: Record<string, () => number> = {
      ArrowDown: () => (s < 0 ? 0 : s + 1),
      ArrowUp: () => (s < 0 ? 0 : s - 1),
      PageDown: () => Math.max(0, s) + this.pageSize(),
      PageUp: () => Math.max(0, s) - this.pageSize(),
      Home: () => 0,
      End: () => this.cache.total - 1,
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      this.select(move());
      return;
    }
    if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && s >= 0 && this.on.addFinding) {
      const row = this.cache.get(s);
      if (row) {
        e.preventDefault();
        this.on.addFinding(row);
      }
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (s < 0) {
        this.select(0);
        return;
      }
      const row = this.cache.get(s);
      if (row) this.on.open(row, s);
    }
  }

  private rowClick(e: MouseEvent): void {
    const el = (e.target as Element).closest('.tr');
    if (!el || !(el instanceof HTMLElement) || !el.id) return;
    const index = Number(el.id.slice('wp-row-'.length));
    this.element.focus({ preventScroll: true });
    this.select(index, false);
    const row = this.cache.get(index);
    if (row) this.on.open(row, index);
  }

  private toggleSort(key: TensorSortKey): void {
    const descending = key === this.sortKey ? !this.descending : defaultDescending(key);
    this.setSort(key, descending);
    this.on.sort(key, descending);
  }

  private headerKey(e: KeyboardEvent, i: number): void {
    const go = (j: number) => {
      const k = (j + this.headers.length) % this.headers.length;
      this.headers.forEach((c, n) => (c.tabIndex = n === k ? 0 : -1));
      this.headers[k].focus();
    };
    if (e.key === 'ArrowRight') go(i + 1);
    else if (e.key === 'ArrowLeft') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(this.headers.length - 1);
    else if (e.key === 'ArrowDown') this.element.focus();
    else if ((e.key === 'Enter' || e.key === ' ') && this.columns[i].sortKey) this.toggleSort(this.columns[i].sortKey!);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
}
