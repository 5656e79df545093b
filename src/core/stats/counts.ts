// Count tables in the two forms a partial travels in (dense, or the non-zero entries), and the hand-over of the
// WebAssembly kernels' count tables: collected as (index, count) pairs in one SIMD pass, never as a dense copy.
import { PAIR_COUNT, PAIR_INDEX, WasmKernels } from './wasm';

/** Non-zero entries of a count table (sent instead of the dense table when it is mostly empty). */
export interface SparseCounts {
  size: number;
  index: Uint32Array;
  count: Uint32Array;
}

/** A count table as a partial carries it: `table` is empty when `sparse` is set. */
export interface CountTable {
  table: Uint32Array;
  sparse?: SparseCounts;
}

let pairScratch = { index: new Uint32Array(0), count: new Uint32Array(0) };

/** Sparse form of a table with at most size/8 non-zero entries, else undefined (one pass, left early). */
export function sparsify(table: Uint32Array): SparseCounts | undefined {
  const limit = table.length >>> 3;
  if (pairScratch.index.length < limit) pairScratch = { index: new Uint32Array(limit), count: new Uint32Array(limit) };
  const { index, count } = pairScratch;
  let nz = 0;
  for (let i = 0; i < table.length; i++) {
    const c = table[i];
    if (c === 0) continue;
    if (nz === limit) return undefined;
    index[nz] = i;
    count[nz++] = c;
  }
  return { size: table.length, index: index.slice(0, nz), count: count.slice(0, nz) };
}

/** The partial form of a dense table (the table itself, or its non-zero entries). */
export function compactTable(table: Uint32Array): CountTable {
  const sparse = sparsify(table);
  return sparse ? { table: new Uint32Array(0), sparse } : { table };
}

/** Adds sparse entries into a dense table. */
export function scatterInto(into: Uint32Array, index: Uint32Array, count: Uint32Array, n = index.length): void {
  for (let i = 0; i < n; i++) into[index[i]] += count[i];
}

/** Adds the module's count tables (T0 + … + T3) into `into` and clears them. */
export function foldTables(k: WasmKernels, into: Uint32Array): void {
  const nz = k.collect(PAIR_INDEX, PAIR_COUNT);
  scatterInto(into, k.pairIndex, k.pairCount, nz);
}

/** The module's count tables as a new table of `size` entries in partial form; clears them. */
export function takeTables(k: WasmKernels, size: number): CountTable {
  const nz = k.collect(PAIR_INDEX, PAIR_COUNT);
  if (nz > size >>> 3) {
    const table = new Uint32Array(size);
    scatterInto(table, k.pairIndex, k.pairCount, nz);
    return { table };
  }
  return { table: new Uint32Array(0), sparse: { size, index: k.pairIndex.slice(0, nz), count: k.pairCount.slice(0, nz) } };
}
