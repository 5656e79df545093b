// Paged read access to checkpoint files through Node file handles. A slice of a tensor costs the pages it
// touches, never the whole tensor; the page cache is bounded, so memory does not grow with the checkpoint.
import type { FileHandle } from 'node:fs/promises';
import { CheckpointError, checkpointFileError } from './errors';
import { t } from '../l10n';
import { openRegularFile } from './safeRead';

export interface RangeReaderOptions {
  pageSize?: number;
  maxPages?: number;
}

/** Reads byte ranges of one file. Small reads go through an LRU page cache; large reads go straight to disk. */
export class RangeReader {
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly pages = new Map<number, Buffer>();

  private constructor(private readonly handle: FileHandle, readonly path: string, readonly size: number, options: RangeReaderOptions) {
    this.pageSize = options.pageSize ?? 64 * 1024;
    this.maxPages = options.maxPages ?? 64;
  }

  static async open(path: string, options: RangeReaderOptions = {}): Promise<RangeReader> {
    try {
      const { handle, size } = await openRegularFile(path);
      return new RangeReader(handle, path, size, options);
    } catch (e) {
      throw checkpointFileError(e, path, t('file not found'));
    }
  }

  /** Reads exactly [position, position + length), bypassing the cache. */
  async readDirect(position: number, length: number, into?: Buffer): Promise<Buffer> {
    if (position < 0 || position + length > this.size) {
      throw new CheckpointError('out-of-range', t('read of {0} bytes at {1} is outside the {2}-byte file', length, position, this.size), { file: this.path, byteOffset: position });
    }
    const buf = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buf, done, length - done, position + done);
      if (bytesRead === 0) {
        throw new CheckpointError('truncated', t('file ended after {0} bytes while reading', position + done), { file: this.path, byteOffset: position + done });
      }
      done += bytesRead;
    }
    return buf;
  }

  /** Reads a range through the page cache: for the small, repeated reads of a viewer. */
  async read(position: number, length: number): Promise<Buffer> {
    if (length > this.pageSize * this.maxPages / 2) return this.readDirect(position, length);
    if (position < 0 || position + length > this.size) {
      throw new CheckpointError('out-of-range', t('read of {0} bytes at {1} is outside the {2}-byte file', length, position, this.size), { file: this.path, byteOffset: position });
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const at = position + done;
      const pageIndex = Math.floor(at / this.pageSize);
      const page = await this.page(pageIndex);
      const inPage = at - pageIndex * this.pageSize;
      const n = Math.min(length - done, page.length - inPage);
      page.copy(out, done, inPage, inPage + n);
      done += n;
    }
    return out;
  }

  private async page(index: number): Promise<Buffer> {
    const cached = this.pages.get(index);
    if (cached) {
      this.pages.delete(index);
      this.pages.set(index, cached);
      return cached;
    }
    const start = index * this.pageSize;
    const page = await this.readDirect(start, Math.min(this.pageSize, this.size - start));
    this.pages.set(index, page);
    if (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
    return page;
  }

  async close(): Promise<void> {
    this.pages.clear();
    await this.handle.close();
  }
}
