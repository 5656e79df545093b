// One opened checkpoint on the host side: owns the Checkpoint, its inventory, the tensor table and the paged
// reader, and answers the webview's questions. vscode-free, so it can be exercised without an editor.
import { CheckpointError } from '../../core/format/errors';
import { Checkpoint, openCheckpoint } from '../../core/format/checkpoint';
import { CheckpointReader } from '../../core/format/tensorData';
import { architectureRows, matchArchitecture } from '../../core/catalogue';
import { buildInventory, Inventory } from '../../core/inventory/inventory';
import { TensorTable, treeChildren } from '../../core/inventory/query';
import { outlierFlags, type TensorStats } from '../../core/stats';
import { t } from '../../core/l10n';
import type { CheckpointSummary, ErrorInfo, StatsSummary, TensorDetail, TensorPage, TensorQuery, TreeNode } from '../../shared/protocol';

/** How many leading values the detail pane shows. */
export const DETAIL_VALUES = 64;

export interface SessionOptions {
  maxHeaderBytes?: number;
}

export type LoadResult = { ok: true; session: CheckpointSession } | { ok: false; error: ErrorInfo };

/** A load that never rejects: a thrown error becomes `{ok: false}`. */
export async function settleLoad(load: Promise<LoadResult>): Promise<LoadResult> {
  try {
    return await load;
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof CheckpointError) {
    return { message: e.message, code: e.code, file: e.file, tensor: e.tensor, byteOffset: e.byteOffset };
  }
  if (e instanceof Error) return { message: e.message || e.name || t('unknown error') };
  return { message: String(e) };
}

/** JSON cannot carry NaN or infinities: they travel as strings. */
export function jsonSafe(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}

/** The table's view of a tensor's statistics: the sortable numbers and the outlier flags. */
export function statsSummary(s: TensorStats): StatsSummary {
  return {
    mean: s.mean, std: s.std, min: s.min, max: s.max, absmax: s.absmax, kurtosis: s.kurtosis,
    zerosFraction: s.zerosFraction, nonFinite: s.nan + s.posinf + s.neginf, flags: outlierFlags(s),
  };
}

/** Architecture matches (header only: names, shapes, config.json) into the summary; a broken catalogue is a warning. */
export function addArchitecture(inventory: Inventory, checkpoint: Checkpoint): void {
  try {
    inventory.summary.architecture = architectureRows(matchArchitecture(checkpoint));
  } catch (e) {
    inventory.summary.warnings.push(t('Architecture catalogue unavailable: {0}', e instanceof Error ? e.message : String(e)));
  }
}

export class CheckpointSession {
  private readonly table: TensorTable;
  private readonly reader: CheckpointReader;
  /** Full statistics by tensor id, as they arrive (computed or cached). */
  private readonly stats: (TensorStats | undefined)[];
  private statsKnown = 0;
  private closed = false;
  private architectureMatched = false;

  private constructor(readonly checkpoint: Checkpoint, readonly inventory: Inventory) {
    this.table = new TensorTable(inventory.rows);
    this.reader = new CheckpointReader(checkpoint);
    this.stats = new Array<TensorStats | undefined>(inventory.rows.length);
  }

  /** Opens and validates a checkpoint; never throws: a failure comes back as an ErrorInfo for the error view. */
  static async load(path: string, options: SessionOptions = {}): Promise<LoadResult> {
    try {
      // Bytes hidden from every tensor are shown under a warning here (the inventory helps to look into them); the CLI refuses.
      const checkpoint = await openCheckpoint(path, { maxHeaderBytes: options.maxHeaderBytes, hiddenBytes: 'warn' });
      const inventory = buildInventory(checkpoint);
      return { ok: true, session: new CheckpointSession(checkpoint, inventory) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  }

  get summary(): CheckpointSummary {
    return this.inventory.summary;
  }

  /** Whether the summary holds the architecture matches (or the warning that the catalogue failed). */
  get hasArchitecture(): boolean {
    return this.architectureMatched;
  }

  /**
   * Matches the architecture catalogue into the summary, once. Not part of loading: the editor paints the Overview
   * first and sends the matches after (about 0.1 s for a 100,000-tensor header).
   */
  matchArchitecture(): CheckpointSummary {
    if (!this.architectureMatched) {
      this.architectureMatched = true;
      addArchitecture(this.inventory, this.checkpoint);
    }
    return this.inventory.summary;
  }

  query(q: TensorQuery): TensorPage {
    return this.table.query(q);
  }

  /**
   * Records the statistics of tensor `id` (its position in checkpoint order) and fills the table row's summary.
   * Call `statsChanged()` after a batch so that the next query sorts again.
   */
  setStats(id: number, stats: TensorStats): void {
    const row = this.inventory.rows[id];
    if (!row || row.name !== stats.name) throw new Error(t('statistics for {0} do not belong to tensor {1}', stats.name, id));
    if (!this.stats[id]) this.statsKnown++;
    this.stats[id] = stats;
    row.stats = statsSummary(stats);
  }

  /** Forgets every statistic (e.g. before a recomputation of a stale entry). */
  clearStats(): void {
    this.stats.fill(undefined);
    this.statsKnown = 0;
    for (const row of this.inventory.rows) delete row.stats;
    this.table.invalidate();
  }

  statsChanged(): void {
    this.table.invalidate();
  }

  /** Full statistics of one tensor, or null while unknown. Throws for an id that names no tensor. */
  tensorStats(id: number): TensorStats | null {
    if (!Number.isInteger(id) || id < 0 || id >= this.inventory.rows.length) throw new Error(t('no tensor with id {0}', id));
    return this.stats[id] ?? null;
  }

  /** Statistics known so far, in checkpoint order (holes for tensors not done yet). */
  allStats(): (TensorStats | undefined)[] {
    return this.stats;
  }

  get tensorsWithStats(): number {
    return this.statsKnown;
  }

  treeChildren(path: string): TreeNode[] {
    return treeChildren(this.inventory.rows, path);
  }

  async detail(id: number): Promise<TensorDetail> {
    if (this.closed) throw new Error(t('the checkpoint was closed'));
    const row = this.inventory.rows[id];
    const tensor = this.checkpoint.tensors[id];
    if (!row || !tensor || !Number.isInteger(id)) throw new Error(t('no tensor with id {0}', id));
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
