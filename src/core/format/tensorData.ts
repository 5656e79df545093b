// Reading tensor elements from a checkpoint through bounded, paged file access.
import { Checkpoint, CheckpointFile, TensorEntry } from './checkpoint';
import { decodeBlocksInto, decodeInto, elementSpan, isBlockDType } from './dtype';
import { fileElement, hasInterleavedRows, realView } from './rowOrder';
import { RangeReader, RangeReaderOptions } from './rangeReader';

/**
 * Random access to the bytes of one checkpoint file, wherever they live: a local file (RangeReader) or an HTTP
 * resource read with Range requests (src/core/remote). Everything that samples tensors reads through this.
 */
export interface ByteSource {
  /** What the bytes are (path or URL without credentials), for messages. */
  readonly path: string;
  readonly size: number;
  /** Exactly [position, position + length); `into` may be used as the result buffer when long enough. */
  readDirect(position: number, length: number, into?: Buffer): Promise<Buffer>;
  /** Same bytes as readDirect; may go through a cache. */
  read(position: number, length: number): Promise<Buffer>;
  /**
   * Samplers merge two wanted elements into one read when they are at most this many bytes apart. Local files use
   * the sampler's default (4 KiB); a remote source sets 0 and coalesces the exact ranges itself.
   */
  readonly coalesceGapBytes?: number;
  /**
   * Reads one sampled gather may have in flight at once (default 1: one after another, as local files want). A
   * remote source sets more, so that the round trips of a tensor's sampled rows overlap.
   */
  readonly readParallelism?: number;
  close(): Promise<void>;
}

/** Opens the ByteSource of file `fileIndex` of a checkpoint. */
export type ByteSourceFactory = (file: CheckpointFile, fileIndex: number) => Promise<ByteSource>;

export interface CheckpointReaderOptions extends RangeReaderOptions {
  /** Where the bytes come from; default: the local file at CheckpointFile.path. */
  openSource?: ByteSourceFactory;
}

/** Keeps one ByteSource per file of a checkpoint, opened on first use. */
export class CheckpointReader {
  private readonly readers = new Map<number, Promise<ByteSource>>();

  constructor(readonly checkpoint: Checkpoint, private readonly options: CheckpointReaderOptions = {}) {}

  reader(fileIndex: number): Promise<ByteSource> {
    let r = this.readers.get(fileIndex);
    if (!r) {
      const file = this.checkpoint.files[fileIndex];
      r = this.options.openSource ? this.options.openSource(file, fileIndex) : RangeReader.open(file.path, this.options);
      this.readers.set(fileIndex, r);
    }
    return r;
  }

  /**
   * Decoded values of elements [start, start + count) in file order (a C64 tensor: its real and imaginary parts, as
   * realView counts them), read through the page cache.
   */
  async readElements(entry: TensorEntry, start: number, count: number): Promise<Float64Array> {
    const tensor = realView(entry);
    const first = Math.max(0, Math.min(start, tensor.count));
    const n = Math.max(0, Math.min(count, tensor.count - first));
    const out = new Float64Array(n);
    if (n === 0) return out;
    const span = elementSpan(tensor.dtype, first, n);
    const raw = await (await this.reader(tensor.fileIndex)).read(tensor.begin + span.byteStart, span.byteEnd - span.byteStart);
    if (isBlockDType(tensor.dtype)) decodeBlocksInto(tensor.dtype, raw, 0, span.skip, n, out);
    else decodeInto(tensor.dtype, raw, 0, n, out);
    return out;
  }

  async close(): Promise<void> {
    const all = [...this.readers.values()];
    this.readers.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}

/** Flat element indices in Hugging Face order mapped to the file's order (the same array when the orders agree). */
export function fileIndices(tensor: TensorEntry, indices: ArrayLike<number>): ArrayLike<number> {
  if (!hasInterleavedRows(tensor)) return indices;
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    out[i] = v >= 0 && v < tensor.count && Number.isInteger(v) ? fileElement(tensor, v) : v;
  }
  return out;
}
