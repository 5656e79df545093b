// UI state kept in vscode.setState, so a hidden and restored webview comes back as it was left.
import type { ComponentName, TensorSortKey, ViewName } from '../src/shared/protocol';
import { COMPONENTS, TENSOR_SORT_KEYS, VIEW_NAMES } from '../src/shared/vocabulary';

/** The editor's tabs are its views. */
export type TabId = ViewName;
export type LayerStat = 'std' | 'l2' | 'absmax';
/** Module × layer heatmap: shaded within each row's range, or on one scale shared by all rows. */
export type LayerShade = 'row' | 'shared';
const TAB_IDS: readonly string[] = VIEW_NAMES;

export interface UiState {
  v: 1;
  tab: TabId;
  filter: string;
  regex: boolean;
  component: ComponentName | '';
  /** Module tree scope of the table ('' = everything). */
  prefix: string;
  sortKey: TensorSortKey;
  descending: boolean;
  /** Selected row: position in the current filtered/sorted order, -1 for none. */
  selected: number;
  /** Tensor whose detail pane is open. */
  detailId: number | null;
  scrollTop: number;
  expanded: string[];
  /** Statistic of the per-layer charts and heatmaps. */
  layerStat: LayerStat;
  layerShade: LayerShade;
  /** Histogram scale in the detail pane. */
  histScale: 'linear' | 'symlog';
  /** Tensor table columns the reviewer hid; null until they choose (then the defaults of columns.ts apply). */
  hiddenColumns: string[] | null;
}

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per page. */
export function getVsCodeApi(): VsCodeApi {
  const g = globalThis as { __weightprintApi?: VsCodeApi };
  if (!g.__weightprintApi) {
    g.__weightprintApi = typeof acquireVsCodeApi === 'function'
      ? acquireVsCodeApi()
      : { postMessage: () => undefined, getState: () => undefined, setState: <T>(s: T) => s };
  }
  return g.__weightprintApi;
}

const SORT_KEYS: readonly string[] = TENSOR_SORT_KEYS;
const COMPONENT_LIST: readonly string[] = COMPONENTS;

export function defaultState(): UiState {
  return {
    v: 1, tab: 'overview', filter: '', regex: false, component: '', prefix: '', sortKey: 'name', descending: false,
    selected: -1, detailId: null, scrollTop: 0, expanded: [], layerStat: 'std', layerShade: 'row', histScale: 'linear', hiddenColumns: null,
  };
}

/** Whatever getState returns is checked field by field; anything odd falls back to the default. */
export function restoreState(raw: unknown): UiState {
  const s = defaultState();
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1) return s;
  const int = (v: unknown, min: number) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? v : undefined);
  if (typeof r.tab === 'string' && TAB_IDS.includes(r.tab)) s.tab = r.tab as TabId;
  if (typeof r.filter === 'string') s.filter = r.filter.slice(0, 10_000);
  if (typeof r.regex === 'boolean') s.regex = r.regex;
  if (typeof r.component === 'string' && (r.component === '' || COMPONENT_LIST.includes(r.component))) s.component = r.component as UiState['component'];
  if (typeof r.prefix === 'string') s.prefix = r.prefix;
  if (typeof r.sortKey === 'string' && SORT_KEYS.includes(r.sortKey)) s.sortKey = r.sortKey as TensorSortKey;
  if (typeof r.descending === 'boolean') s.descending = r.descending;
  s.selected = int(r.selected, -1) ?? -1;
  s.detailId = int(r.detailId, 0) ?? null;
  s.scrollTop = int(r.scrollTop, 0) ?? 0;
  if (r.layerStat === 'std' || r.layerStat === 'l2' || r.layerStat === 'absmax') s.layerStat = r.layerStat;
  if (r.layerShade === 'row' || r.layerShade === 'shared') s.layerShade = r.layerShade;
  if (r.histScale === 'linear' || r.histScale === 'symlog') s.histScale = r.histScale;
  if (Array.isArray(r.hiddenColumns)) s.hiddenColumns = r.hiddenColumns.filter((c): c is string => typeof c === 'string' && /^[a-z]{1,20}$/.test(c)).slice(0, 30);
  if (Array.isArray(r.expanded)) s.expanded = r.expanded.filter((p): p is string => typeof p === 'string').slice(0, 1000);
  return s;
}

/** Holds the state and persists it (coalesced, so scrolling does not call setState on every frame). */
export class StateStore {
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly state: UiState;

  constructor(private readonly api: VsCodeApi) {
    this.state = restoreState(api.getState());
  }

  update(patch: Partial<UiState>): void {
    Object.assign(this.state, patch);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), 100);
    }
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.api.setState({ ...this.state, expanded: [...this.state.expanded] });
  }
}
