// The file operations the review store and the atomic writes of outputs use, behind an interface so tests can inject
// failures at every step.
import { promises as fsp } from 'node:fs';
import { readFileWithLimit } from './format/safeRead';

/** Largest review store read (docs/review-store.md, docs/limits.md); a real one is a few hundred kilobytes. */
export const MAX_REVIEW_BYTES = 16 * 1024 * 1024;

export interface StoreFileHandle {
  write(data: Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreStat {
  mtimeMs: number;
  size: number;
}

export interface StoreFs {
  readFile(path: string): Promise<Buffer>;
  stat(path: string): Promise<StoreStat>;
  /** Creates a new file for writing; fails when it exists (flag `wx`). */
  create(path: string): Promise<StoreFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync of a folder so a rename is durable; best effort (a no-op where folders cannot be opened). */
  syncDir(path: string): Promise<void>;
}

export const nodeStoreFs: StoreFs = {
  // Refuses a FIFO, a device or a file over MAX_REVIEW_BYTES before reading it.
  readFile: (path) => readFileWithLimit(path, MAX_REVIEW_BYTES),
  stat: async (path) => { const s = await fsp.stat(path); return { mtimeMs: s.mtimeMs, size: s.size }; },
  create: async (path) => {
    const h = await fsp.open(path, 'wx', 0o644);
    return {
      write: async (data) => { await h.writeFile(data); },
      sync: () => h.sync(),
      close: () => h.close(),
    };
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  syncDir: async (path) => {
    let h: fsp.FileHandle | undefined;
    try {
      h = await fsp.open(path, 'r');
      await h.sync();
    } catch {
      // Windows and some network file systems cannot open or fsync a folder; the rename is still atomic there.
    } finally {
      await h?.close().catch(() => undefined);
    }
  },
};
