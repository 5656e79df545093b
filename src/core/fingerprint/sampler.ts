// Sampled reads: gathers tensor elements at arbitrary flat indices with few, coalesced reads. Cost follows the number
// of positions asked for, never the tensor's size.
import { createHash } from 'node:crypto';
import type { TensorEntry } from '../format/checkpoint';
import { decodeBlocksInto, decodeInto, dtypeBlock, elementSpan, isBlockDType } from '../format/dtype';
import { fileIndices, type CheckpointReader } from '../format/tensorData';

/** Two wanted elements closer than this many bytes are read in one request. */
const GAP_BYTES = 4096;
/** Largest single read. */
const MAX_RUN_BYTES = 1 << 20;

/**
 * Values of `tensor` at flat element `indices` (any order; each must be in [0, count)), decoded to float32.
 * Indices out of range give NaN.
 */
export async function gatherElements(reader: CheckpointReader, tensor: TensorEntry, wanted: ArrayLike<number>): Promise<Float32Array> {
  const n = wanted.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const indices = fileIndices(tensor, wanted);
  const block = dtypeBlock(tensor.dtype);
  const size = block.bytes / block.elements;
  const order = Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n; i++) if (indices[i] < indices[i - 1]) { sorted = false; break; }
  if (!sorted) order.sort((a, b) => indices[a] - indices[b]);
  const file = await reader.reader(tensor.fileIndex);
  const gapElems = Math.max(1, Math.floor((file.coalesceGapBytes ?? GAP_BYTES) / size));
  const maxRun = Math.max(1, Math.floor(MAX_RUN_BYTES / size));
  // Runs of sorted positions, four numbers each: first sorted index, end sorted index, first element, element count.
  const runs: number[] = [];
  let k = 0;
  while (k < n) {
    const first = indices[order[k]];
    if (!(first >= 0 && first < tensor.count && Number.isInteger(first))) { out[order[k]] = NaN; k++; continue; }
    let end = k + 1;
    let last = first;
    while (end < n) {
      const v = indices[order[end]];
      if (!(v >= 0 && v < tensor.count) || v - last > gapElems || v - first >= maxRun) break;
      last = v;
      end++;
    }
    runs.push(k, end, first, last - first + 1);
    k = end;
  }
  let scratch = new Float32Array(0);
  const readRun = async (r: number): Promise<void> => {
    const [from, end, first, span] = [runs[4 * r], runs[4 * r + 1], runs[4 * r + 2], runs[4 * r + 3]];
    const bytes = elementSpan(tensor.dtype, first, span);
    const buf = await file.readDirect(tensor.begin + bytes.byteStart, bytes.byteEnd - bytes.byteStart);
    // Decoding is synchronous, so overlapping reads never share `scratch` halfway.
    if (scratch.length < span) scratch = new Float32Array(Math.max(span, 1024));
    if (isBlockDType(tensor.dtype)) decodeBlocksInto(tensor.dtype, buf, 0, bytes.skip, span, scratch);
    else decodeInto(tensor.dtype, buf, 0, span, scratch);
    for (let i = from; i < end; i++) out[order[i]] = scratch[indices[order[i]] - first];
  };
  const count = runs.length / 4;
  // One read after another (local files), or up to `readParallelism` in flight (a remote source's round trips overlap).
  let next = 0;
  const worker = async (): Promise<void> => { while (next < count) await readRun(next++); };
  await Promise.all(Array.from({ length: Math.min(count, Math.max(1, Math.floor(file.readParallelism ?? 1))) }, worker));
  return out;
}

/** SHA-256 of a tensor's raw bytes, streamed in 4 MiB reads. */
export async function hashTensor(reader: CheckpointReader, tensor: TensorEntry): Promise<string> {
  const file = await reader.reader(tensor.fileIndex);
  const hash = createHash('sha256');
  const chunk = 4 << 20;
  const buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(1, tensor.end - tensor.begin)));
  for (let pos = tensor.begin; pos < tensor.end; pos += chunk) {
    const len = Math.min(chunk, tensor.end - pos);
    hash.update(await file.readDirect(pos, len, buf));
  }
  return hash.digest('hex');
}

/** Runs `fn` over items with at most `limit` in flight, keeping order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}
