// Reading tensor elements from a checkpoint through bounded, paged file access.
import { Checkpoint, TensorEntry } from './checkpoint';
import { decode, dtypeSize } from './dtype';
import { RangeReader, RangeReaderOptions } from './rangeReader';

/** Keeps one RangeReader per file of a checkpoint, opened on first use. */
export class CheckpointReader {
  private readonly readers = new Map<number, Promise<RangeReader>>();

  constructor(readonly checkpoint: Checkpoint, private readonly options: RangeReaderOptions = {}) {}

  reader(fileIndex: number): Promise<RangeReader> {
    let r = this.readers.get(fileIndex);
    if (!r) {
      r = RangeReader.open(this.checkpoint.files[fileIndex].path, this.options);
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
