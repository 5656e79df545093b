// One opened checkpoint on the host side: owns the Checkpoint, its inventory, the tensor table and the paged
// reader, and answers the webview's questions. vscode-free, so it can be exercised without an editor.
import { CheckpointError } from '../core/format/errors';
import { Checkpoint, openCheckpoint } from '../core/format/checkpoint';
import { CheckpointReader } from '../core/format/tensorData';
import { buildInventory, Inventory } from '../core/inventory/inventory';
import { TensorTable, treeChildren } from '../core/inventory/query';
import type { CheckpointSummary, ErrorInfo, TensorDetail, TensorPage, TensorQuery, TreeNode } from '../shared/protocol';

/** How many leading values the detail pane shows. */
export const DETAIL_VALUES = 64;

export interface SessionOptions {
  maxHeaderBytes?: number;
}

export type LoadResult = { ok: true; session: CheckpointSession } | { ok: false; error: ErrorInfo };

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof CheckpointError) {
    return { message: e.message, code: e.code, file: e.file, tensor: e.tensor, byteOffset: e.byteOffset };
  }
  if (e instanceof Error) return { message: e.message };
  return { message: String(e) };
}

/** JSON cannot carry NaN or infinities: they travel as strings. */
export function jsonSafe(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}

export class CheckpointSession {
  private readonly table: TensorTable;
  private readonly reader: CheckpointReader;
  private closed = false;

  private constructor(readonly checkpoint: Checkpoint, readonly inventory: Inventory) {
    this.table = new TensorTable(inventory.rows);
    this.reader = new CheckpointReader(checkpoint);
  }

  /** Opens and validates a checkpoint; never throws: a failure comes back as an ErrorInfo for the error view. */
  static async load(path: string, options: SessionOptions = {}): Promise<LoadResult> {
    try {
      const checkpoint = await openCheckpoint(path, { maxHeaderBytes: options.maxHeaderBytes });
      return { ok: true, session: new CheckpointSession(checkpoint, buildInventory(checkpoint)) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  }

  get summary(): CheckpointSummary {
    return this.inventory.summary;
  }

  query(q: TensorQuery): TensorPage {
    return this.table.query(q);
  }

  treeChildren(path: string): TreeNode[] {
    return treeChildren(this.inventory.rows, path);
  }

  async detail(id: number): Promise<TensorDetail> {
    if (this.closed) throw new Error('the checkpoint was closed');
    const row = this.inventory.rows[id];
    const tensor = this.checkpoint.tensors[id];
    if (!row || !tensor || !Number.isInteger(id)) throw new Error(`no tensor with id ${id}`);
    const values = await this.reader.readElements(tensor, 0, DETAIL_VALUES);
    const role = this.inventory.roles[id];
    return {
      row,
      filePath: this.checkpoint.files[tensor.fileIndex].path,
      offsets: [tensor.begin, tensor.end],
      firstValues: Array.from(values, jsonSafe),
      param: role.param,
      expert: role.expert,
    };
  }

  /** Closes the file handles. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reader.close();
  }
}
