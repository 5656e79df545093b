// The Tensors tab: module tree beside the virtualised table, its toolbar above, the detail pane below.
// Owns the table query (filter, regex, component, scope, sort) and keeps it in the persisted UI state.
// While statistics stream in, the rows in view are asked for again (at most 4 times a second).
import type { CheckpointSummary, ComponentName, FindingTarget, HostToWebview, TensorSortKey } from '../../src/shared/protocol';
import { h } from '../dom';
import { t } from '../../src/core/l10n';
import { progressText } from './stats/statsTab';
import type { HostClient } from '../host';
import type { StateStore } from '../state';
import { DetailPane } from './detailPane';
import { ModuleTree } from './moduleTree';
import { BLOCK, RowCache } from './rowCache';
import { ROW_HEIGHT, TensorGrid } from './tensorGrid';

type StatsState = Extract<HostToWebview, { type: 'statsState' }>;

/** Minimum time between two re-queries of the visible rows while statistics stream in (≤ 4/s). */
export const RELOAD_MS = 250;
import { TensorToolbar, ToolbarValues } from './toolbar';
import { ColumnChooser } from './columnChooser';
import { defaultHiddenColumns } from './columns';

export class TensorsTab {
  readonly element: HTMLElement;
  private readonly cache: RowCache;
  private readonly grid: TensorGrid;
  private readonly toolbar: TensorToolbar;
  private readonly tree: ModuleTree;
  private readonly detail: DetailPane;
  private lastReload = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private revealing = 0;
  /** A slim progress line above the table while statistics are computed. */
  private readonly statsLine: HTMLElement;
  private readonly statsFill: HTMLElement;

  constructor(summary: CheckpointSummary, private readonly host: HostClient, private readonly store: StateStore,
    addFinding?: (target: FindingTarget) => void) {
    const s = store.state;
    this.cache = new RowCache((q) => host.queryTensors(q), {
      changed: () => {
        if (!this.grid.hasStatsColumns && this.cache.anyStats()) this.grid.setStatsColumns(true);
        this.grid.refresh();
        this.toolbar.setCount(this.cache.total);
      },
      filterError: (m) => this.toolbar.setFilterError(m),
      failed: (m) => this.toolbar.setFilterError(m, 'load'),
    });
    this.grid = new TensorGrid(this.cache, {
      sort: (key, descending) => this.setSort(key, descending),
      select: (index) => store.update({ selected: index }),
      open: (row) => void this.openDetail(row.id),
      scrolled: (scrollTop) => store.update({ scrollTop: Math.round(scrollTop) }),
      addFinding: addFinding ? (row) => addFinding({ kind: 'tensors', tensors: [row.name] }) : undefined,
    });
    const hidden = new Set(s.hiddenColumns ?? defaultHiddenColumns(summary.files.length));
    this.grid.setHiddenColumns(hidden);
    const chooser = new ColumnChooser(hidden, (next) => {
      store.update({ hiddenColumns: [...next] });
      this.grid.setHiddenColumns(next);
    });
    this.toolbar = new TensorToolbar(
      { filter: s.filter, regex: s.regex, component: s.component, prefix: s.prefix },
      summary.components.map((c) => c.name), summary.tensors,
      { changed: (v) => this.setFilter(v) }, [chooser.element]);
    this.tree = new ModuleTree(s.expanded, {
      load: (path) => host.treeChildren(path),
      scope: (path) => this.setFilter({ prefix: path }),
      openTensor: (id) => void this.openDetail(id),
      expandedChanged: (paths) => store.update({ expanded: paths }),
    });
    this.tree.setScope(s.prefix);
    this.detail = new DetailPane({
      detail: (id) => host.tensorDetail(id),
      stats: (id) => host.tensorStats(id),
      scale: () => store.state.histScale,
      setScale: (histScale) => store.update({ histScale }),
    }, () => {
      store.update({ detailId: null });
      this.grid.element.focus();
    }, addFinding ? (name) => addFinding({ kind: 'tensors', tensors: [name] }) : undefined);
    const treePane = h('nav', { class: 'tree-pane', 'aria-label': t('Modules') }, h('h2', { class: 'pane-title' }, t('Modules')), this.tree.element);
    this.statsFill = h('span', { class: 'progress-fill' });
    this.statsLine = h('div', { class: 'stats-line', id: 'tensors-stats-progress', hidden: true },
      h('div', { class: 'progress', role: 'progressbar', 'aria-label': t('Statistics'), 'aria-valuemin': 0, 'aria-valuemax': 100 }, this.statsFill),
      h('span', { class: 'stats-line-text muted' }));
    this.element = h('div', { class: 'tensors' },
      this.toolbar.element,
      this.statsLine,
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

  /** A statistics job reported: columns appear with the first results, the rows in view are asked again. */
  statsState(m: StatsState): void {
    if (m.tensorsWithStats > 0) this.grid.setStatsColumns(true);
    this.showProgress(m);
    if (m.state === 'running' && m.tensorsWithStats === 0) return;
    if (m.state !== 'running') {
      this.reloadNow();
      return;
    }
    const wait = this.lastReload + RELOAD_MS - Date.now();
    if (wait <= 0) this.reloadNow();
    else if (this.reloadTimer === undefined) this.reloadTimer = setTimeout(() => this.reloadNow(), wait);
  }

  private showProgress(m: StatsState): void {
    const p = m.progress;
    this.statsLine.hidden = m.state !== 'running';
    if (m.state !== 'running') return;
    const fraction = p && p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : null;
    const bar = this.statsLine.firstElementChild!;
    bar.classList.toggle('indeterminate', fraction === null);
    if (fraction === null) bar.removeAttribute('aria-valuenow');
    else bar.setAttribute('aria-valuenow', (100 * fraction).toFixed(0));
    this.statsFill.style.width = fraction === null ? '' : `${100 * fraction}%`;
    this.statsLine.lastElementChild!.textContent = p ? t('Computing statistics: {0}', progressText(p)) : t('Computing statistics…');
  }

  private reloadNow(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.lastReload = Date.now();
    const [first, last] = this.grid.windowRange();
    this.cache.reload(first, last);
    this.detail.refreshStats();
  }

  /**
   * Shows one tensor: opens its detail, scopes the table to its module (filters cleared, sort kept) and selects
   * its row. Used by the Provenance evidence links and the host's showView.
   */
  async reveal(id: number): Promise<void> {
    const ticket = ++this.revealing;
    this.store.update({ detailId: id });
    const d = await this.detail.show(id);
    if (!d || ticket !== this.revealing) return;
    const name = d.row.name;
    const dot = name.lastIndexOf('.');
    const prefix = dot > 0 ? name.slice(0, dot) : '';
    const s = this.store.state;
    this.store.update({ filter: '', component: '', prefix });
    this.toolbar.setFilterText('');
    this.toolbar.setComponent('');
    this.toolbar.setScope(prefix);
    this.tree.setScope(prefix);
    let index = -1;
    const base = { filter: '', regex: s.regex, sortKey: s.sortKey, descending: s.descending, ...(prefix ? { prefix } : {}) };
    for (let start = 0; index < 0 && start < 50 * BLOCK; start += BLOCK) {
      const page = await this.host.queryTensors({ ...base, start, count: BLOCK });
      if (ticket !== this.revealing) return;
      const at = page.rows.findIndex((r) => r.id === id);
      if (at >= 0) index = start + at;
      if (start + BLOCK >= page.total) break;
    }
    this.applyQuery(Math.max(0, (index - 3) * ROW_HEIGHT), index);
    this.grid.element.focus({ preventScroll: true });
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
