// Views of a tensor that differ from its bytes' order: rows stored interleaved by llama.cpp's converter, and complex
// elements read as their real and imaginary parts.
import type { TensorInfo } from './header';

/**
 * The file row that holds Hugging Face row `r` of a q/k projection whose rows llama.cpp's converter reordered: within
 * each head of D rows, HF rows [0, D/2) and [D/2, D) are interleaved (HF row j·D/2 + i is file row 2i + j).
 */
export function fileRow(r: number, rows: number, heads: number): number {
  const d = rows / heads;
  const h = Math.floor(r / d);
  const within = r - h * d;
  const halfD = d / 2;
  const j = within >= halfD ? 1 : 0;
  return h * d + 2 * (within - j * halfD) + j;
}

/** Whether the tensor's rows are stored interleaved and its shape allows undoing it. */
export function hasInterleavedRows(t: Pick<TensorInfo, 'interleavedHeads' | 'shape'>): t is { interleavedHeads: number; shape: number[] } {
  const heads = t.interleavedHeads;
  const rows = t.shape[0];
  return heads !== undefined && heads > 0 && t.shape.length >= 1 && rows % heads === 0 && (rows / heads) % 2 === 0;
}

/** Flat element index in the file of flat element `i` in Hugging Face order. */
export function fileElement(t: TensorInfo & { interleavedHeads: number }, i: number): number {
  const rows = t.shape[0];
  const cols = rows > 0 ? t.count / rows : 0;
  if (cols === 0) return i;
  const r = Math.floor(i / cols);
  return fileRow(r, rows, t.interleavedHeads) * cols + (i - r * cols);
}

/**
 * What statistics and fingerprints read: a C64 tensor as float32 pairs (torch.view_as_real: shape + [2]); any other
 * tensor as it is.
 */
export function realView<T extends TensorInfo>(t: T): T {
  if (t.dtype !== 'C64') return t;
  return { ...t, dtype: 'F32', shape: [...t.shape, 2], count: t.count * 2 };
}
