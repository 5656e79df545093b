// On-demand Range reads for an audit of a Hub checkpoint. Unlike the fingerprinter's (fetcher.ts), an audit's reads
// depend on what it has read: the suspect's own samples, then windows at each reference's positions, row windows of
// the permutation search, probe rows, hashes of exact copies. So bytes are fetched when asked for: reads waiting at
// the same moment are merged when close (gap threshold, largest request), and what was fetched stays in a cache
// bounded in bytes (least recently used goes first) so that the many repeated reads (every reference of a shape reads
// the suspect at the same positions) cost nothing. The cache keeps exact ranges, not aligned blocks: a sample window
// is 128 bytes of a row kilobytes long, and a 16 KiB block around each would fetch a hundred times what is used.
import { setMaxListeners } from 'node:events';
import type { ByteSource } from '../format/tensorData';
import { abortError, displayUrl } from './errors';
import { DEFAULT_GAP_BYTES, DEFAULT_MAX_MERGED_BYTES } from './fetcher';
import type { HttpClient } from './http';

export interface RemoteSourceOptions {
  /** Reads waiting at once are merged when at most this many bytes apart (default 2 KiB); samplers merge at it too. */
  gapBytes?: number;
  /** Largest merged request and largest cached range (default 1 MiB); a longer read is fetched alone, not cached. */
  maxRequestBytes?: number;
  /** Bound of the cache (default 64 MiB). */
  cacheBytes?: number;
  /** Reads one sampled gather keeps in flight (default 8). */
  readParallelism?: number;
  signal?: AbortSignal;
}

export const DEFAULT_CACHE_BYTES = 64 << 20;
const DEFAULT_READ_PARALLELISM = 8;
/** Cached ranges are found through the 64 KiB buckets they overlap. */
const BUCKET = 64 << 10;

export interface RemoteCacheStats {
  /** Reads asked for, and how many were served from the cache or from a request already under way. */
  reads: number;
  hits: number;
  /** Range requests made for the reads (merged), and their bytes. */
  ranges: number;
  rangeBytes: number;
  /** Bytes the reads asked for. */
  wantedBytes: number;
  /** Bytes held by the cache now, and at most. */
  cachedBytes: number;
  peakCachedBytes: number;
}

interface Extent {
  file: number;
  start: number;
  end: number;
  data: Buffer | null;
  promise: Promise<Buffer>;
}

interface Want {
  position: number;
  length: number;
  resolve: (b: Buffer) => void;
  reject: (e: unknown) => void;
}

/** The bytes of one checkpoint's files over HTTP Range, read on demand through one bounded cache. */
export class RemoteRangeCache {
  readonly stats: RemoteCacheStats = { reads: 0, hits: 0, ranges: 0, rangeBytes: 0, wantedBytes: 0, cachedBytes: 0, peakCachedBytes: 0 };
  private readonly gap: number;
  private readonly maxRequest: number;
  private readonly cacheBytes: number;
  private readonly parallelism: number;
  /** Per file: bucket → ranges (cached or being fetched) that overlap it. */
  private readonly index: Map<number, Set<Extent>>[];
  /** Cached ranges, least recently used first. */
  private readonly lru = new Set<Extent>();
  private readonly waiting: Want[][];
  private flushing = false;
  private failure: unknown = null;
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;

  constructor(private readonly client: HttpClient, private readonly urls: string[], options: RemoteSourceOptions = {}) {
    this.gap = Math.max(0, options.gapBytes ?? DEFAULT_GAP_BYTES);
    this.maxRequest = Math.max(1, options.maxRequestBytes ?? DEFAULT_MAX_MERGED_BYTES);
    this.cacheBytes = Math.max(0, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.parallelism = Math.max(1, options.readParallelism ?? DEFAULT_READ_PARALLELISM);
    this.index = urls.map(() => new Map());
    this.waiting = urls.map(() => []);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
    // Every request and every retry's wait listens to it, and dozens of reads may be under way at once.
    setMaxListeners(10_000, this.signal);
  }

  /**
   * Bytes [position, position + length) of file `file`: the parts already cached or being fetched are taken from
   * there, only the missing parts are asked for.
   */
  read(file: number, position: number, length: number, into?: Buffer): Promise<Buffer> {
    if (this.signal.aborted) return Promise.reject(this.failure ?? abortError());
    if (this.failure) return Promise.reject(this.failure);
    this.stats.reads++;
    this.stats.wantedBytes += length;
    if (length === 0) return Promise.resolve(Buffer.alloc(0));
    if (length > this.maxRequest) {
      // Long reads (hashing an exact copy) go straight through, uncached: they would push out everything else.
      this.stats.ranges++;
      this.stats.rangeBytes += length;
      return this.fetch(file, position, length).then((data) => copyOut(data, length, into));
    }
    const end = position + length;
    const overlapping = this.overlapping(file, position, end);
    const parts: { at: number; length: number; base: number; src: Buffer | Promise<Buffer> }[] = [];
    let missing = false;
    for (let cursor = position; cursor < end;) {
      let best: Extent | undefined;
      for (const e of overlapping) if (e.start <= cursor && e.end > cursor && (!best || e.end > best.end)) best = e;
      if (best) {
        const stop = Math.min(best.end, end);
        parts.push({ at: cursor, length: stop - cursor, base: best.start, src: best.data ?? best.promise });
        if (best.data) { this.lru.delete(best); this.lru.add(best); }
        cursor = stop;
        continue;
      }
      let next = end;
      for (const e of overlapping) if (e.start > cursor && e.start < next) next = e.start;
      parts.push({ at: cursor, length: next - cursor, base: cursor, src: this.enqueue(file, cursor, next - cursor) });
      missing = true;
      cursor = next;
    }
    if (!missing) this.stats.hits++;
    const assemble = (bufs: Buffer[]): Buffer => {
      if (parts.length === 1) return copyOut(bufs[0].subarray(position - parts[0].base), length, into);
      const out = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
      parts.forEach((p, k) => bufs[k].copy(out, p.at - position, p.at - p.base, p.at - p.base + p.length));
      return out;
    };
    if (parts.every((p) => Buffer.isBuffer(p.src))) return Promise.resolve(assemble(parts.map((p) => p.src as Buffer)));
    return Promise.all(parts.map((p) => p.src)).then(assemble);
  }

  /** Cached and pending ranges of `file` that overlap [start, end). */
  private overlapping(file: number, start: number, end: number): Set<Extent> {
    const out = new Set<Extent>();
    const map = this.index[file];
    for (let b = Math.floor(start / BUCKET); b <= Math.floor((end - 1) / BUCKET); b++) {
      for (const e of map.get(b) ?? []) if (e.start < end && e.end > start) out.add(e);
    }
    return out;
  }

  /** A read of bytes nobody has asked for yet: fetched with the others waiting now (flush). */
  private enqueue(file: number, position: number, length: number): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting[file].push({ position, length, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the current turn, so that every read the samplers start together is merged in one pass.
        setImmediate(() => this.flush());
      }
    });
  }

  /** A ByteSource over file `file`. Closing it does nothing: the audit closes the cache (close()). */
  source(file: number, size: number): ByteSource {
    return {
      path: displayUrl(this.urls[file]),
      size,
      coalesceGapBytes: this.gap,
      readParallelism: this.parallelism,
      readDirect: (position, length, into) => this.read(file, position, length, into),
      read: (position, length) => this.read(file, position, length),
      close: async () => undefined,
    };
  }

  /** Stops requests under way (their reads reject) and empties the cache. */
  close(): void {
    this.stop.abort();
    for (const m of this.index) m.clear();
    this.lru.clear();
    this.stats.cachedBytes = 0;
  }

  private fetch(file: number, start: number, length: number): Promise<Buffer> {
    return this.client.getRange(this.urls[file], start, length, this.signal).catch((e) => {
      // The first failure ends the audit: requests under way stop, later reads fail at once with it instead of
      // each retrying its own range.
      if (!this.failure && !this.stop.signal.aborted) {
        this.failure = e;
        this.stop.abort();
      }
      throw this.failure ?? e;
    });
  }

  private buckets(e: Extent, add: boolean): void {
    const map = this.index[e.file];
    for (let b = Math.floor(e.start / BUCKET); b <= Math.floor((e.end - 1) / BUCKET); b++) {
      let set = map.get(b);
      if (add) {
        if (!set) map.set(b, set = new Set());
        set.add(e);
      } else if (set) {
        set.delete(e);
        if (set.size === 0) map.delete(b);
      }
    }
  }

  /** Merges the waiting reads of each file and starts one request per merged range. */
  private flush(): void {
    this.flushing = false;
    this.waiting.forEach((wants, file) => {
      if (wants.length === 0) return;
      this.waiting[file] = [];
      wants.sort((a, b) => a.position - b.position || a.length - b.length);
      let group: Want[] = [];
      let start = 0;
      let end = 0;
      for (const w of wants) {
        const wEnd = w.position + w.length;
        // Close reads share a request unless bytes between them are cached or on their way already.
        if (group.length && (w.position < end || (w.position - end <= this.gap && Math.max(end, wEnd) - start <= this.maxRequest
          && this.overlapping(file, end, w.position).size === 0))) {
          group.push(w);
          end = Math.max(end, wEnd);
          continue;
        }
        if (group.length) this.start(file, start, end, group);
        group = [w];
        start = w.position;
        end = wEnd;
      }
      if (group.length) this.start(file, start, end, group);
    });
  }

  private start(file: number, start: number, end: number, wants: Want[]): void {
    this.stats.ranges++;
    this.stats.rangeBytes += end - start;
    const extent: Extent = { file, start, end, data: null, promise: this.fetch(file, start, end - start) };
    this.buckets(extent, true);
    extent.promise.then((data) => {
      extent.data = data;
      if (this.stop.signal.aborted) { this.buckets(extent, false); return; }
      this.lru.add(extent);
      this.stats.cachedBytes += data.length;
      this.evict();
      this.stats.peakCachedBytes = Math.max(this.stats.peakCachedBytes, this.stats.cachedBytes);
    }, () => this.buckets(extent, false));
    for (const w of wants) extent.promise.then((data) => w.resolve(data.subarray(w.position - start, w.position - start + w.length)), w.reject);
  }

  private evict(): void {
    for (const e of this.lru) {
      if (this.stats.cachedBytes <= this.cacheBytes) break;
      this.lru.delete(e);
      this.buckets(e, false);
      this.stats.cachedBytes -= e.end - e.start;
    }
  }
}

/** The first `length` bytes of `data`, copied (into `into` when it is long enough) so that no cached buffer leaks out. */
function copyOut(data: Buffer, length: number, into?: Buffer): Buffer {
  const out = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  data.copy(out, 0, 0, length);
  return out;
}
