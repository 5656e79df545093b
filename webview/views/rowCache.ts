// Pages of the tensor table, fetched from the host in fixed blocks as the window scrolls.
// Bounded: only the most recently used blocks are kept. A new query drops everything and ignores late replies.
import type { TensorPage, TensorQuery, TensorRow } from '../../src/shared/protocol';

export const BLOCK = 100;
const MAX_BLOCKS = 60;

export type QueryBase = Omit<TensorQuery, 'start' | 'count'>;

export interface RowCacheEvents {
  /** Rows or the total changed. */
  changed(): void;
  /** The host reported an invalid filter (or cleared it). */
  filterError(message: string | undefined): void;
  failed(message: string): void;
}

export class RowCache {
  private blocks = new Map<number, TensorRow[]>();
  private inFlight = new Set<number>();
  /** Blocks whose request failed: not retried until the query changes. */
  private failedBlocks = new Set<number>();
  private generation = 0;
  private query: QueryBase | undefined;
  /** -1 until the first page of the current query has arrived. */
  total = -1;

  constructor(private readonly fetch: (q: TensorQuery) => Promise<TensorPage>, private readonly events: RowCacheEvents) {}

  setQuery(q: QueryBase): void {
    this.query = q;
    this.generation++;
    this.blocks.clear();
    this.inFlight.clear();
    this.failedBlocks.clear();
    this.total = -1;
  }

  get(index: number): TensorRow | undefined {
    const b = this.blocks.get(Math.floor(index / BLOCK));
    return b?.[index % BLOCK];
  }

  /** Asks for every block that overlaps [first, last] and is neither cached nor on its way. */
  ensure(first: number, last: number): void {
    if (!this.query) return;
    const lo = Math.max(0, Math.floor(first / BLOCK));
    const hi = this.total >= 0 ? Math.min(Math.floor(last / BLOCK), Math.floor(Math.max(0, this.total - 1) / BLOCK)) : Math.max(lo, Math.floor(last / BLOCK));
    for (let b = lo; b <= hi; b++) {
      const block = this.blocks.get(b);
      if (block) {
        // Refresh recency.
        this.blocks.delete(b);
        this.blocks.set(b, block);
      } else if (!this.inFlight.has(b) && !this.failedBlocks.has(b)) {
        this.load(b);
      }
    }
  }

  /**
   * Rows changed on the host (statistics arrived): asks again for the blocks overlapping [first, last], keeping
   * their current rows on screen until the new ones come, and forgets the other blocks.
   */
  reload(first: number, last: number): void {
    if (!this.query || this.total < 0) return;
    const lo = Math.max(0, Math.floor(first / BLOCK));
    const hi = Math.min(Math.floor(Math.max(lo * BLOCK, last) / BLOCK), Math.floor(Math.max(0, this.total - 1) / BLOCK));
    for (const b of [...this.blocks.keys()]) if (b < lo || b > hi) this.blocks.delete(b);
    this.failedBlocks.clear();
    for (let b = lo; b <= hi; b++) this.load(b);
  }

  /** Whether any cached row carries statistics. */
  anyStats(): boolean {
    for (const rows of this.blocks.values()) if (rows.some((r) => r.stats)) return true;
    return false;
  }

  private load(block: number): void {
    const generation = this.generation;
    const query = this.query!;
    this.inFlight.add(block);
    this.fetch({ ...query, start: block * BLOCK, count: BLOCK }).then(
      (page) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(block);
        this.blocks.set(block, page.rows);
        while (this.blocks.size > MAX_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
        const first = this.total < 0;
        this.total = page.total;
        if (first || page.filterError !== undefined) this.events.filterError(page.filterError);
        this.events.changed();
      },
      (e: unknown) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(block);
        this.failedBlocks.add(block);
        this.events.failed(e instanceof Error ? e.message : String(e));
      },
    );
  }
}
