// Running state of the float path over one task: exact moments and extremes, special-value counts and the 65,536
// fine buckets. The buckets stay in the sparse form the WebAssembly kernels hand over until a JavaScript kernel
// needs the dense table, so a chunk counted in WebAssembly allocates no 256 KiB table.
import { CountTable, compactTable, foldTables, scatterInto, SparseCounts, takeTables } from './counts';
import { EMPTY_MOMENTS, Moments } from './moments';
import type { WasmKernels } from './wasm';

export const BUCKETS = 65536;

export class FloatAccumulator {
  #dense?: Uint32Array;
  #sparse?: SparseCounts;
  moments: Moments = { ...EMPTY_MOMENTS };
  min = Infinity;
  max = -Infinity;
  zerosPos = 0;
  zerosNeg = 0;
  nan = 0;
  posinf = 0;
  neginf = 0;
  /** OR of the low 16 bits of every float32 value seen: 0 when all are exact BF16 values (buckets are exact). */
  lowBits = 0;

  /** The dense fine-bucket table (made on first use, from the sparse counts held so far). */
  get buckets(): Uint32Array {
    if (!this.#dense) {
      const dense = new Uint32Array(BUCKETS);
      if (this.#sparse) scatterInto(dense, this.#sparse.index, this.#sparse.count);
      this.#sparse = undefined;
      this.#dense = dense;
    }
    return this.#dense;
  }

  /** Moves the counts of the module's tables into the buckets (clearing the tables). */
  addTables(k: WasmKernels): void {
    if (this.#dense || this.#sparse) {
      foldTables(k, this.buckets);
      return;
    }
    const c = takeTables(k, BUCKETS);
    if (c.sparse) this.#sparse = c.sparse; else this.#dense = c.table;
  }

  /** The buckets in partial form; the accumulator must not be used afterwards (the tables move out). */
  takeCounts(): CountTable {
    if (this.#sparse) return { table: new Uint32Array(0), sparse: this.#sparse };
    if (!this.#dense) return { table: new Uint32Array(0), sparse: { size: BUCKETS, index: new Uint32Array(0), count: new Uint32Array(0) } };
    return compactTable(this.#dense);
  }
}
