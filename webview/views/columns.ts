// The tensor table's columns: header label, width, sort key and how a row's cell reads.
import type { TensorRow, TensorSortKey } from '../../src/shared/protocol';
import { bytes, int, shape } from '../format';

export interface Column {
  id: string;
  label: string;
  width: string;
  /** Minimum width in px, for the horizontal scroll extent. */
  min: number;
  numeric: boolean;
  sortKey?: TensorSortKey;
  text(r: TensorRow): string;
}

export const COLUMNS: readonly Column[] = [
  { id: 'name', label: 'Name', width: 'minmax(260px, 1fr)', min: 260, numeric: false, sortKey: 'name', text: (r) => r.name },
  { id: 'dtype', label: 'DType', width: '80px', min: 80, numeric: false, sortKey: 'dtype', text: (r) => r.dtype },
  { id: 'shape', label: 'Shape', width: '116px', min: 116, numeric: false, text: (r) => shape(r.shape) },
  { id: 'count', label: 'Parameters', width: '120px', min: 120, numeric: true, sortKey: 'count', text: (r) => int(r.count) },
  { id: 'bytes', label: 'Bytes', width: '84px', min: 84, numeric: true, sortKey: 'bytes', text: (r) => bytes(r.bytes) },
  { id: 'component', label: 'Component', width: '100px', min: 100, numeric: false, sortKey: 'component', text: (r) => r.component },
  { id: 'layer', label: 'Layer', width: '62px', min: 62, numeric: true, sortKey: 'layer', text: (r) => (r.layer === null ? '' : String(r.layer)) },
  { id: 'kind', label: 'Kind', width: '92px', min: 92, numeric: false, sortKey: 'kind', text: (r) => r.kind },
  { id: 'file', label: 'File', width: 'minmax(120px, 0.6fr)', min: 120, numeric: false, sortKey: 'file', text: (r) => r.file },
];

export const GRID_COLUMNS = COLUMNS.map((c) => c.width).join(' ');
export const GRID_MIN_WIDTH = COLUMNS.reduce((s, c) => s + c.min, 0);

/** Numbers sort largest first on the first click, text A→Z. */
export function defaultDescending(key: TensorSortKey): boolean {
  return key === 'count' || key === 'bytes';
}
