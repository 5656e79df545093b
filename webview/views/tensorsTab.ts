// The Tensors tab: module tree beside the virtualised table, its toolbar above, the detail pane below.
// Owns the table query (filter, regex, component, scope, sort) and keeps it in the persisted UI state.
import type { CheckpointSummary, ComponentName, TensorSortKey } from '../../src/shared/protocol';
import { h } from '../dom';
import type { HostClient } from '../host';
import type { StateStore } from '../state';
import { DetailPane } from './detailPane';
import { ModuleTree } from './moduleTree';
import { RowCache } from './rowCache';
import { TensorGrid } from './tensorGrid';
import { TensorToolbar, ToolbarValues } from './toolbar';

export class TensorsTab {
  readonly element: HTMLElement;
  private readonly cache: RowCache;
  private readonly grid: TensorGrid;
  private readonly toolbar: TensorToolbar;
  private readonly tree: ModuleTree;
  private readonly detail: DetailPane;

  constructor(summary: CheckpointSummary, host: HostClient, private readonly store: StateStore) {
    const s = store.state;
    this.cache = new RowCache((q) => host.queryTensors(q), {
      changed: () => {
        this.grid.refresh();
        this.toolbar.setCount(this.cache.total);
      },
      filterError: (m) => this.toolbar.setFilterError(m),
      failed: (m) => this.toolbar.setFilterError(m, 'Could not load tensors: '),
    });
    this.grid = new TensorGrid(this.cache, {
      sort: (key, descending) => this.setSort(key, descending),
      select: (index) => store.update({ selected: index }),
      open: (row) => void this.openDetail(row.id),
      scrolled: (scrollTop) => store.update({ scrollTop: Math.round(scrollTop) }),
    });
    this.toolbar = new TensorToolbar(
      { filter: s.filter, regex: s.regex, component: s.component, prefix: s.prefix },
      summary.components.map((c) => c.name), summary.tensors,
      { changed: (v) => this.setFilter(v) });
    this.tree = new ModuleTree(s.expanded, {
      load: (path) => host.treeChildren(path),
      scope: (path) => this.setFilter({ prefix: path }),
      openTensor: (id) => void this.openDetail(id),
      expandedChanged: (paths) => store.update({ expanded: paths }),
    });
    this.tree.setScope(s.prefix);
    this.detail = new DetailPane((id) => host.tensorDetail(id), () => {
      store.update({ detailId: null });
      this.grid.element.focus();
    });
    const treePane = h('nav', { class: 'tree-pane', 'aria-label': 'Modules' }, h('h2', { class: 'pane-title' }, 'Modules'), this.tree.element);
    this.element = h('div', { class: 'tensors' },
      this.toolbar.element,
      h('div', { class: 'tensors-main' }, treePane, h('div', { class: 'table-pane' }, this.grid.element)),
      this.detail.element);

    this.grid.setSort(s.sortKey, s.descending);
    this.applyQuery(s.scrollTop, s.selected);
    if (s.detailId !== null && s.detailId < summary.tensors) void this.detail.show(s.detailId);
    this.toolbar.setCount(-1);
  }

  focusTable(): void {
    this.grid.element.focus();
  }

  showComponent(c: ComponentName): void {
    this.toolbar.setComponent(c);
    this.setFilter({ component: c });
  }

  private async openDetail(id: number): Promise<void> {
    this.store.update({ detailId: id });
    await this.detail.show(id);
  }

  private setSort(sortKey: TensorSortKey, descending: boolean): void {
    this.store.update({ sortKey, descending });
    this.applyQuery();
  }

  private setFilter(v: Partial<ToolbarValues>): void {
    const s = this.store.state;
    const changed = (Object.keys(v) as (keyof ToolbarValues)[]).some((k) => v[k] !== s[k]);
    if (!changed) return;
    this.store.update(v);
    if (v.prefix !== undefined) {
      this.toolbar.setScope(v.prefix);
      this.tree.setScope(v.prefix);
    }
    this.applyQuery();
  }

  /** Sends the current query: the cache starts over and the grid goes back to the top (or a restored spot). */
  private applyQuery(scrollTop = 0, selected = -1): void {
    const s = this.store.state;
    this.cache.setQuery({
      filter: s.filter, regex: s.regex, sortKey: s.sortKey, descending: s.descending,
      ...(s.component ? { component: s.component } : {}),
      ...(s.prefix ? { prefix: s.prefix } : {}),
    });
    this.store.update({ selected, scrollTop });
    this.toolbar.setCount(-1);
    this.grid.reset(scrollTop, selected);
  }
}
