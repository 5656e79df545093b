// Planned, coalesced Range reads. A recording pass of the fingerprinter lists every byte range it will read; those
// ranges are merged when close (gap threshold, largest merged size), fetched with bounded parallelism in the order the
// fingerprinter will want them, handed out from memory and freed once every read they serve has been done.
import type { ByteSource } from '../format/tensorData';
import { abortError, displayUrl } from './errors';
import type { HttpClient } from './http';

export interface CoalesceOptions {
  /** Merge two wanted ranges when at most this many bytes apart (default 2 KiB, about what a request costs in headers). */
  gapBytes?: number;
  /** Largest merged range (default 1 MiB); a single wanted range may be larger. */
  maxBytes?: number;
}

export const DEFAULT_GAP_BYTES = 2 << 10;
export const DEFAULT_MAX_MERGED_BYTES = 1 << 20;

/** One read the fingerprinter will make. */
export interface WantedRead {
  file: number;
  position: number;
  length: number;
  /** Order of first use (reads recorded earlier are wanted earlier). */
  seq: number;
}

interface MergedRange {
  file: number;
  start: number;
  end: number;
  seq: number;
  /** Reads still to be served from it. */
  pending: number;
  state: 'queued' | 'fetching' | 'ready' | 'freed';
  data: Buffer | null;
  promise?: Promise<Buffer>;
  waiters: number;
}

/** Merges reads per file. Overlapping reads always merge; close ones merge while the result stays under maxBytes. */
export function coalesce(reads: WantedRead[], options: CoalesceOptions = {}): MergedRange[] {
  const gap = options.gapBytes ?? DEFAULT_GAP_BYTES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MERGED_BYTES;
  const sorted = reads.filter((r) => r.length > 0).sort((a, b) => a.file - b.file || a.position - b.position || a.length - b.length);
  const out: MergedRange[] = [];
  let cur: MergedRange | null = null;
  for (const r of sorted) {
    const end = r.position + r.length;
    if (cur && cur.file === r.file && (r.position < cur.end || (r.position - cur.end <= gap && Math.max(cur.end, end) - cur.start <= maxBytes))) {
      cur.end = Math.max(cur.end, end);
      cur.seq = Math.min(cur.seq, r.seq);
      cur.pending++;
      continue;
    }
    cur = { file: r.file, start: r.position, end, seq: r.seq, pending: 1, state: 'queued', data: null, waiters: 0 };
    out.push(cur);
  }
  return out;
}

export interface FetcherStats {
  plannedBytes: number;
  plannedRanges: number;
  wantedBytes: number;
}

/** Serves planned reads of several files of one checkpoint from coalesced Range requests. */
export class RangeFetcher {
  readonly stats: FetcherStats;
  private readonly byFile: MergedRange[][];
  private readonly queue: MergedRange[];
  private next = 0;
  private inflight = 0;
  private heldBytes = 0;
  private failure: unknown = null;

  constructor(
    private readonly client: HttpClient,
    private readonly urls: string[],
    reads: WantedRead[],
    options: CoalesceOptions & { parallel?: number; maxBufferedBytes?: number; signal?: AbortSignal } = {},
  ) {
    const merged = coalesce(reads, options);
    this.byFile = urls.map(() => []);
    for (const m of merged) this.byFile[m.file].push(m);
    this.queue = [...merged].sort((a, b) => a.seq - b.seq || a.file - b.file || a.start - b.start);
    this.parallel = Math.max(1, options.parallel ?? 6);
    this.maxBuffered = options.maxBufferedBytes ?? 256 << 20;
    this.signal = options.signal;
    this.stats = {
      plannedBytes: merged.reduce((s, m) => s + m.end - m.start, 0),
      plannedRanges: merged.length,
      wantedBytes: reads.reduce((s, r) => s + r.length, 0),
    };
  }

  private readonly parallel: number;
  private readonly maxBuffered: number;
  private readonly signal?: AbortSignal;

  /** Starts fetching ahead of use, within the parallel and memory bounds. */
  start(): void {
    this.pump();
  }

  private pump(): void {
    while (this.inflight < this.parallel && this.next < this.queue.length) {
      const m = this.queue[this.next];
      if (m.state !== 'queued') { this.next++; continue; }
      if (this.heldBytes + (m.end - m.start) > this.maxBuffered && this.heldBytes > 0) break;
      this.next++;
      this.fetch(m);
    }
  }

  private fetch(m: MergedRange): Promise<Buffer> {
    if (m.promise) return m.promise;
    m.state = 'fetching';
    this.inflight++;
    this.heldBytes += m.end - m.start;
    m.promise = this.client.getRange(this.urls[m.file], m.start, m.end - m.start, this.signal).then(
      (buf) => {
        this.inflight--;
        if (m.state === 'fetching') { m.state = 'ready'; m.data = buf; }
        this.pump();
        return buf;
      },
      (e) => {
        this.inflight--;
        this.heldBytes -= m.end - m.start;
        this.failure ??= e;
        throw e;
      },
    );
    // A failure is reported to whoever reads the range; a range nobody awaits yet must not be an unhandled rejection.
    m.promise.catch(() => undefined);
    return m.promise;
  }

  private find(file: number, position: number, length: number): MergedRange | undefined {
    const list = this.byFile[file] ?? [];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start > position) hi = mid - 1; else lo = mid + 1;
    }
    const m = list[hi];
    return m && m.start <= position && position + length <= m.end ? m : undefined;
  }

  /** Bytes [position, position + length) of file `file`. Reads outside the plan are fetched directly. */
  async read(file: number, position: number, length: number, into?: Buffer): Promise<Buffer> {
    if (this.signal?.aborted) throw abortError();
    if (this.failure) throw this.failure;
    const out = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    if (length === 0) return out;
    const m = this.find(file, position, length);
    if (!m || m.state === 'freed') {
      const buf = await this.client.getRange(this.urls[file], position, length, this.signal);
      buf.copy(out);
      return out;
    }
    const data = m.data ?? await this.fetch(m);
    data.copy(out, 0, position - m.start, position - m.start + length);
    if (--m.pending <= 0 && (m.state as MergedRange['state']) !== 'freed') {
      m.state = 'freed';
      m.data = null;
      this.heldBytes -= m.end - m.start;
      this.pump();
    }
    return out;
  }

  /** A ByteSource over file `file` for the fingerprinter (no sampler-side coalescing: the plan does it). */
  source(file: number, size: number): ByteSource {
    return {
      path: displayUrl(this.urls[file]),
      size,
      coalesceGapBytes: 0,
      readDirect: (position, length, into) => this.read(file, position, length, into),
      read: (position, length) => this.read(file, position, length),
      close: async () => undefined,
    };
  }
}

/** A ByteSource that serves zeros and records every read: the planning pass. */
export function recordingSource(file: number, size: number, path: string, log: WantedRead[]): ByteSource {
  const record = (position: number, length: number, into?: Buffer): Promise<Buffer> => {
    log.push({ file, position, length, seq: log.length });
    return Promise.resolve(into && into.length >= length ? into.subarray(0, length) : Buffer.alloc(length));
  };
  return { path, size, coalesceGapBytes: 0, readDirect: record, read: (p, l) => record(p, l), close: async () => undefined };
}
