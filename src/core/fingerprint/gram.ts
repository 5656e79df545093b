// Gram sketches (format version 2): the inner products of GRAM_SIZE full rows, and of GRAM_SIZE full columns, of a
// 2-D matrix. W·Wᵀ does not change when W's columns are rotated or permuted (W·Q), Wᵀ·W not when its rows are (Q·W):
// a residual stream multiplied by an orthogonal Q keeps every block matrix's Gram on the residual side. Which rows and
// columns depends only on the shape, so a suspect is read at the reference's positions. docs/matching.md §8.
import type { TensorEntry } from '../format/checkpoint';
import { decodeBlocksInto, decodeInto, elementSpan, isBlockDType } from '../format/dtype';
import { fileRow, hasInterleavedRows } from '../format/rowOrder';
import type { CheckpointReader } from '../format/tensorData';
import type { ModuleKind } from '../naming/classify';
import { fnv1a, mulberry32, pickDistinct, type RowIndices } from './plan';

/** Rows (or columns) in one Gram sketch. */
export const GRAM_SIZE = 32;
/** Longest row (or column) a sketch reads; longer ones get no sketch on that side. */
export const GRAM_MAX_LENGTH = 65536;
/** Values stored per sketch: the upper triangle with the diagonal. */
export const GRAM_VALUES = (GRAM_SIZE * (GRAM_SIZE + 1)) / 2;

/**
 * Kinds whose rows and columns are indexed by hidden units (neurons, heads, channels): their Gram says nothing about
 * the data. Token-indexed matrices (embeddings, LM head) and position embeddings are left out: models trained on
 * similar text learn similar token geometry, so their Gram agrees without any reuse. Measured on the lineage
 * benchmark's models: LM-head Gram r up to 0.75 for same-data models with other seeds and 0.97–0.99 for a distilled
 * student, as high as a rotated fine-tuned copy's 0.97–0.99: no threshold separates them (docs/matching.md §8).
 */
export const GRAM_KINDS: ReadonlySet<ModuleKind> = new Set<ModuleKind>([
  'attn-q', 'attn-k', 'attn-v', 'attn-o', 'attn-qkv', 'attn-q-a', 'attn-q-b', 'attn-kv-a', 'attn-kv-b',
  'mlp-gate', 'mlp-up', 'mlp-down', 'mlp-gate-up', 'projector', 'patch-embed', 'conv',
]);

export interface GramPlan {
  /** Rows whose full length is read (sorted), or null when this side gets no sketch. */
  rowIdx: RowIndices | null;
  /** First of GRAM_SIZE contiguous columns read in full, or null. */
  c0: number | null;
}

const cache = new Map<string, GramPlan>();

export function gramPlan(shape: readonly number[]): GramPlan {
  const key = shape.join('x');
  const hit = cache.get(key);
  if (hit) return hit;
  let plan: GramPlan = { rowIdx: null, c0: null };
  if (shape.length === 2) {
    const [rows, cols] = shape;
    const rand = mulberry32(fnv1a(`wpf2:gram:${key}`));
    const rowIdx = rows >= GRAM_SIZE && cols >= GRAM_SIZE && cols <= GRAM_MAX_LENGTH ? pickDistinct(rows, GRAM_SIZE, rand) : null;
    const c0 = cols >= GRAM_SIZE && rows >= GRAM_SIZE && rows <= GRAM_MAX_LENGTH ? Math.floor(rand() * (cols - GRAM_SIZE + 1)) : null;
    plan = { rowIdx, c0 };
  }
  if (cache.size > 4096) cache.clear();
  cache.set(key, plan);
  return plan;
}

export function hasGramSide(shape: readonly number[], side: 'rows' | 'cols'): boolean {
  const plan = gramPlan(shape);
  return side === 'rows' ? plan.rowIdx !== null : plan.c0 !== null;
}

/**
 * Upper triangle (with diagonal) of the Gram of `k` vectors of length `len` stored one after another. Non-finite
 * values count as zero (their products are left out of the sums).
 */
export function gramTriangle(vectors: Float32Array, k: number, len: number): Float32Array {
  const v = new Float64Array(vectors.length);
  for (let i = 0; i < vectors.length; i++) v[i] = Number.isFinite(vectors[i]) ? vectors[i] : 0;
  const out = new Float32Array((k * (k + 1)) / 2);
  let at = 0;
  for (let a = 0; a < k; a++) {
    const x = a * len;
    for (let b = a; b < k; b++) {
      const y = b * len;
      let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
      let i = 0;
      for (; i + 3 < len; i += 4) {
        s0 += v[x + i] * v[y + i]; s1 += v[x + i + 1] * v[y + i + 1];
        s2 += v[x + i + 2] * v[y + i + 2]; s3 += v[x + i + 3] * v[y + i + 3];
      }
      for (; i < len; i++) s0 += v[x + i] * v[y + i];
      out[at++] = s0 + s1 + s2 + s3;
    }
  }
  return out;
}

/**
 * Two row windows closer than this many bytes are read in one request. Larger than sampler.ts's gap: a column
 * sketch wants a few bytes of every row, and one sequential read of the rows between costs less than a request per
 * row (measured on bench/fingerprint.mjs with column sketches: a 256-byte gap, i.e. ~357,000 separate reads, 46.4 s;
 * this 64 KiB gap with 4 MiB runs, 18.1 s).
 */
const GAP_BYTES = 1 << 16;
const MAX_RUN_BYTES = 1 << 22;

/**
 * The window [c0, c0 + width) of each of `rows` (ascending) of a 2-D tensor, decoded into one array, row after row.
 * Nearby windows share one read; only the windows are decoded (a column sketch of a BF16 [4096, 2048] matrix reads
 * its bytes once and decodes 1/64 of them).
 */
async function readWindows(reader: CheckpointReader, tensor: TensorEntry, wantedRows: ArrayLike<number>, c0: number, width: number): Promise<Float32Array> {
  const cols = tensor.shape[1];
  const file = await reader.reader(tensor.fileIndex);
  const gap = file.coalesceGapBytes ?? GAP_BYTES;
  const out = new Float32Array(wantedRows.length * width);
  // Rows in file order (llama.cpp's interleaved q/k rows map to other file rows), each with its place in `out`.
  const rows = Array.from(wantedRows, (r, i) => ({ file: hasInterleavedRows(tensor) ? fileRow(r, tensor.shape[0], tensor.interleavedHeads) : r, i }));
  rows.sort((a, b) => a.file - b.file);
  let scratch: Buffer | undefined;
  const span = (r: number) => elementSpan(tensor.dtype, r * cols + c0, width);
  let k = 0;
  while (k < rows.length) {
    const start = span(rows[k].file).byteStart;
    let end = k + 1;
    while (end < rows.length && span(rows[end].file).byteStart - span(rows[end - 1].file).byteEnd <= gap && span(rows[end].file).byteEnd - start <= MAX_RUN_BYTES) end++;
    const length = span(rows[end - 1].file).byteEnd - start;
    if (length <= MAX_RUN_BYTES && !scratch) scratch = Buffer.allocUnsafe(MAX_RUN_BYTES);
    const buf = await file.readDirect(tensor.begin + start, length, length <= MAX_RUN_BYTES ? scratch : undefined);
    for (let i = k; i < end; i++) {
      const s = span(rows[i].file);
      const into = out.subarray(rows[i].i * width, (rows[i].i + 1) * width);
      if (isBlockDType(tensor.dtype)) decodeBlocksInto(tensor.dtype, buf, s.byteStart - start, s.skip, width, into);
      else decodeInto(tensor.dtype, buf, s.byteStart - start, width, into);
    }
    k = end;
  }
  return out;
}

/** The sketch of `tensor` on one side, read at the shape's plan, or null when the shape has none on that side. */
export async function readGram(reader: CheckpointReader, tensor: TensorEntry, side: 'rows' | 'cols'): Promise<Float32Array | null> {
  if (tensor.shape.length !== 2) return null;
  const [rows, cols] = tensor.shape;
  const plan = gramPlan(tensor.shape);
  if (side === 'rows') {
    if (!plan.rowIdx) return null;
    return gramTriangle(await readWindows(reader, tensor, plan.rowIdx, 0, cols), GRAM_SIZE, cols);
  }
  if (plan.c0 === null) return null;
  const all = new Int32Array(rows).map((_, r) => r);
  const byRow = await readWindows(reader, tensor, all, plan.c0, GRAM_SIZE);
  const byCol = new Float32Array(byRow.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < GRAM_SIZE; j++) byCol[j * rows + r] = byRow[r * GRAM_SIZE + j];
  return gramTriangle(byCol, GRAM_SIZE, rows);
}
