// The tensor table's columns: header label, width, sort key and how a row's cell reads. The statistics columns
// join once any tensor has statistics; outlier flags show an icon and words, never colour alone.
import type { TensorRow, TensorSortKey } from '../../src/shared/protocol';
import { h, icon } from '../dom';
import { bytes, int, shape } from '../format';
import { num } from '../charts/svg';
import { localisedRecord, t } from '../../src/core/l10n';
import { COMPONENT_SHORT_LABEL } from '../../src/shared/findingsView';

export interface Column {
  id: string;
  label: string;
  width: string;
  /** Minimum width in px, for the horizontal scroll extent. */
  min: number;
  numeric: boolean;
  sortKey?: TensorSortKey;
  text(r: TensorRow): string;
  /** A richer cell (icon + text); `text` stays the accessible/plain form. */
  node?(r: TensorRow): Node | null;
}

export const COLUMNS: readonly Column[] = [
  { id: 'name', get label() { return t('Name'); }, width: 'minmax(220px, 1fr)', min: 220, numeric: false, sortKey: 'name', text: (r) => r.name },
  { id: 'dtype', label: 'DType', width: '80px', min: 80, numeric: false, sortKey: 'dtype', text: (r) => r.dtype },
  { id: 'shape', get label() { return t('Shape'); }, width: '104px', min: 104, numeric: false, text: (r) => shape(r.shape) },
  { id: 'count', get label() { return t('Parameters'); }, width: '104px', min: 104, numeric: true, sortKey: 'count', text: (r) => int(r.count) },
  { id: 'bytes', get label() { return t('Bytes'); }, width: '84px', min: 84, numeric: true, sortKey: 'bytes', text: (r) => bytes(r.bytes) },
  { id: 'component', get label() { return t('Component'); }, width: '92px', min: 92, numeric: false, sortKey: 'component', text: (r) => COMPONENT_SHORT_LABEL[r.component] ?? r.component },
  { id: 'layer', get label() { return t('Layer'); }, width: '52px', min: 52, numeric: true, sortKey: 'layer', text: (r) => (r.layer === null ? '' : String(r.layer)) },
  { id: 'kind', get label() { return t('Kind'); }, width: '88px', min: 88, numeric: false, sortKey: 'kind', text: (r) => r.kind },
  { id: 'file', get label() { return t('File'); }, width: 'minmax(120px, 0.6fr)', min: 120, numeric: false, sortKey: 'file', text: (r) => r.file },
];

/** Outlier flags in words (the table, the detail pane and the tests use the same wording). */
export const FLAG_TEXT: Record<string, string> = localisedRecord({
  nan: 'NaN', inf: 'Inf', 'all-zero': 'all zero', constant: 'constant', 'extreme-kurtosis': 'extreme kurtosis', empty: 'empty',
});
const SEVERE = new Set(['nan', 'inf', 'all-zero']);

export function flagText(flags: string[]): string {
  return flags.map((f) => FLAG_TEXT[f] ?? f).join(', ');
}

/** Icon (error for NaN/Inf/all-zero, warning otherwise) and the flags in words. */
export function flagNode(flags: string[]): Node | null {
  if (!flags.length) return null;
  const severe = flags.some((f) => SEVERE.has(f));
  return h('span', { class: `flags ${severe ? 'severe' : 'warn'}` }, icon(severe ? 'error' : 'warning'), h('span', {}, flagText(flags)));
}

const stat = (v: number | null | undefined) => (v === null || v === undefined ? '' : num(v));

export const STATS_COLUMNS: readonly Column[] = [
  { id: 'std', get label() { return t('Std'); }, width: '72px', min: 72, numeric: true, sortKey: 'std', text: (r) => stat(r.stats?.std) },
  { id: 'absmax', get label() { return t('Abs max'); }, width: '72px', min: 72, numeric: true, sortKey: 'absmax', text: (r) => stat(r.stats?.absmax) },
  { id: 'kurtosis', get label() { return t('Kurtosis'); }, width: '72px', min: 72, numeric: true, sortKey: 'kurtosis', text: (r) => stat(r.stats?.kurtosis) },
  {
    id: 'zeros', get label() { return t('Zeros'); }, width: '60px', min: 60, numeric: true, sortKey: 'zeros',
    text: (r) => (r.stats?.zerosFraction === null || r.stats?.zerosFraction === undefined ? '' : `${num(100 * r.stats.zerosFraction, 3)}%`),
  },
  {
    id: 'flags', get label() { return t('Flags'); }, width: '112px', min: 112, numeric: false, sortKey: 'flags',
    text: (r) => flagText(r.stats?.flags ?? []), node: (r) => flagNode(r.stats?.flags ?? []),
  },
];

/** The base columns, with the statistics columns inserted before File when `stats` is on, less the hidden ones. */
export function columnsFor(stats: boolean, hidden: ReadonlySet<string> = new Set()): readonly Column[] {
  const all = stats ? [...COLUMNS.slice(0, -1), ...STATS_COLUMNS, COLUMNS[COLUMNS.length - 1]] : COLUMNS;
  return all.filter((c) => c.id === 'name' || !hidden.has(c.id));
}

/** Every column a reviewer may show or hide (the name always shows). */
export const CHOOSABLE_COLUMNS: readonly Column[] = [...COLUMNS.slice(1, -1), ...STATS_COLUMNS, COLUMNS[COLUMNS.length - 1]];

/**
 * What is hidden until the reviewer chooses: the byte size (parameters × dtype) and, for one file, the file — so
 * that the statistics fit beside the module tree in a 1440 px window.
 */
export function defaultHiddenColumns(files: number): string[] {
  return files > 1 ? ['bytes'] : ['bytes', 'file'];
}

export const gridColumns = (cols: readonly Column[]) => cols.map((c) => c.width).join(' ');
export const gridMinWidth = (cols: readonly Column[]) => cols.reduce((s, c) => s + c.min, 0);

/** Numbers sort largest first on the first click, text A→Z. */
export function defaultDescending(key: TensorSortKey): boolean {
  return ['count', 'bytes', 'std', 'absmax', 'kurtosis', 'zeros', 'flags', 'mean'].includes(key);
}
