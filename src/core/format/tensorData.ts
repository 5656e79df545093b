// Reading tensor elements from a checkpoint through bounded, paged file access.
import { Checkpoint, CheckpointFile, TensorEntry } from './checkpoint';
import { decode, dtypeSize } from './dtype';
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

  /** Raw bytes of elements [start, start + count) of a tensor, read through the page cache. */
  async readElementsRaw(tensor: TensorEntry, start: number, count: number): Promise<Buffer> {
    const size = dtypeSize(tensor.dtype);
    const first = Math.max(0, Math.min(start, tensor.count));
    const n = Math.max(0, Math.min(count, tensor.count - first));
    if (n === 0) return Buffer.alloc(0);
    return (await this.reader(tensor.fileIndex)).read(tensor.begin + first * size, n * size);
  }

  /** Decoded values of elements [start, start + count). */
  async readElements(tensor: TensorEntry, start: number, count: number): Promise<Float64Array> {
    const raw = await this.readElementsRaw(tensor, start, count);
    return decode(tensor.dtype, raw);
  }

  async close(): Promise<void> {
    const all = [...this.readers.values()];
    this.readers.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}
