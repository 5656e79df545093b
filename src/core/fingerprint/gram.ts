// Gram sketches (format version 2): the inner products of GRAM_SIZE full rows, and of GRAM_SIZE full columns, of a
// 2-D matrix. W·Wᵀ does not change when W's columns are rotated or permuted (W·Q), Wᵀ·W not when its rows are (Q·W):
// a residual stream multiplied by an orthogonal Q keeps every block matrix's Gram on the residual side. Which rows and
// columns depends only on the shape, so a suspect is read at the reference's positions. docs/matching.md §8.
import type { TensorEntry } from '../format/checkpoint';
import type { CheckpointReader } from '../format/tensorData';
import type { ModuleKind } from '../naming/classify';
import { fnv1a, mulberry32, pickDistinct, type RowIndices } from './plan';
import { gatherElements } from './sampler';

/** Rows (or columns) in one Gram sketch. */
export const GRAM_SIZE = 64;
/** Longest row (or column) a sketch reads; longer ones get no sketch on that side. */
export const GRAM_MAX_LENGTH = 65536;
/** Values stored per sketch: the upper triangle with the diagonal. */
export const GRAM_VALUES = (GRAM_SIZE * (GRAM_SIZE + 1)) / 2;

/**
 * Kinds whose rows and columns are indexed by hidden units (neurons, heads, channels): their Gram says nothing about
 * the data. Token-indexed matrices (embeddings, LM head) and position embeddings are left out: models trained on
 * similar text learn similar token geometry, so their Gram agrees without any reuse. Measured on the lineage
 * benchmark's models: LM-head Gram r up to 0.73 for same-data models with other seeds and 0.99 for a distilled
 * student, above a rotated fine-tuned copy's 0.93 — no threshold separates them.
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

/** Upper triangle (with diagonal) of the Gram of `k` vectors of length `len` stored one after another. */
export function gramTriangle(vectors: Float32Array, k: number, len: number): Float32Array {
  const out = new Float32Array((k * (k + 1)) / 2);
  let at = 0;
  for (let a = 0; a < k; a++) {
    const x = vectors.subarray(a * len, (a + 1) * len);
    for (let b = a; b < k; b++) {
      const y = vectors.subarray(b * len, (b + 1) * len);
      let s = 0;
      for (let i = 0; i < len; i++) {
        const p = x[i] * y[i];
        if (Number.isFinite(p)) s += p;
      }
      out[at++] = s;
    }
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
    const idx = new Float64Array(GRAM_SIZE * cols);
    for (let i = 0; i < GRAM_SIZE; i++) for (let c = 0; c < cols; c++) idx[i * cols + c] = plan.rowIdx[i] * cols + c;
    return gramTriangle(await gatherElements(reader, tensor, idx), GRAM_SIZE, cols);
  }
  if (plan.c0 === null) return null;
  // Read row by row (the window is contiguous in each row), then laid out column after column.
  const idx = new Float64Array(rows * GRAM_SIZE);
  for (let r = 0; r < rows; r++) for (let j = 0; j < GRAM_SIZE; j++) idx[r * GRAM_SIZE + j] = r * cols + plan.c0 + j;
  const byRow = await gatherElements(reader, tensor, idx);
  const byCol = new Float32Array(byRow.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < GRAM_SIZE; j++) byCol[j * rows + r] = byRow[r * GRAM_SIZE + j];
  return gramTriangle(byCol, GRAM_SIZE, rows);
}
