// The one typed message protocol between the extension host and the checkpoint webview.
// Types only: imported by the host (src/extension) and by the webview bundle.

export type ComponentName = 'language' | 'vision' | 'audio' | 'projector' | 'other';

export interface DTypeRow {
  dtype: string;
  tensors: number;
  parameters: number;
  bytes: number;
}

export interface ComponentRow {
  name: ComponentName;
  tensors: number;
  parameters: number;
  bytes: number;
  layers: number;
}

export interface FileRow {
  name: string;
  size: number;
  tensors: number;
  headerLength: number;
}

export interface CheckpointSummary {
  /** Display title (file or folder name). */
  title: string;
  path: string;
  kind: 'file' | 'sharded' | 'folder-of-files';
  files: FileRow[];
  tensors: number;
  parameters: number;
  bytes: number;
  fileBytes: number;
  dtypes: DTypeRow[];
  components: ComponentRow[];
  /** __metadata__ entries, untrusted strings. */
  metadata: [string, string][];
  config: [string, string][];
  family: string;
  headerHash: string;
  warnings: string[];
}

export interface TensorRow {
  /** Position in the checkpoint's name-sorted tensor list: the stable id of a tensor within one session. */
  id: number;
  name: string;
  dtype: string;
  shape: number[];
  count: number;
  bytes: number;
  file: string;
  component: ComponentName;
  layer: number | null;
  kind: string;
}

export type TensorSortKey = 'name' | 'dtype' | 'count' | 'bytes' | 'component' | 'layer' | 'kind' | 'file';

export interface TensorQuery {
  filter: string;
  /** Treat filter as a regular expression (case-insensitive). */
  regex: boolean;
  component?: ComponentName;
  /** Module tree path prefix (name segments joined by "."), to show one subtree. */
  prefix?: string;
  sortKey: TensorSortKey;
  descending: boolean;
  start: number;
  count: number;
}

export interface TensorPage {
  total: number;
  start: number;
  rows: TensorRow[];
  /** Set when the filter is not a valid regular expression. */
  filterError?: string;
}

export interface TreeNode {
  /** Full path of the node (name segments joined by "."). */
  path: string;
  /** Last segment. */
  label: string;
  tensors: number;
  parameters: number;
  /** Set when the node is itself a tensor. */
  tensorId?: number;
  hasChildren: boolean;
}

export interface TensorDetail {
  row: TensorRow;
  filePath: string;
  /** Absolute byte range [begin, end) in the file. */
  offsets: [number, number];
  /** First decoded values, as numbers (NaN/Infinity as strings because JSON cannot carry them). */
  firstValues: (number | string)[];
  param: string;
  expert: number | null;
}

export interface ErrorInfo {
  message: string;
  code?: string;
  file?: string;
  tensor?: string;
  byteOffset?: number;
}

export type HostToWebview =
  | { type: 'init'; summary: CheckpointSummary }
  | { type: 'loadError'; error: ErrorInfo }
  | { type: 'tensorPage'; requestId: number; page: TensorPage }
  | { type: 'treeChildren'; requestId: number; path: string; children: TreeNode[] }
  | { type: 'tensorDetail'; requestId: number; detail: TensorDetail }
  | { type: 'requestError'; requestId: number; error: ErrorInfo };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'queryTensors'; requestId: number; query: TensorQuery }
  | { type: 'getTreeChildren'; requestId: number; path: string }
  | { type: 'getTensorDetail'; requestId: number; id: number }
  /**
   * Sent once after the first paint of a view (and again after a reload), with what the page shows: the host
   * records it so that integration tests can check what a person sees without reaching into the webview's DOM.
   */
  | { type: 'rendered'; view: 'checkpoint' | 'error'; tensors: number; files: number; components: ComponentName[] };
