// Test doubles for the review store's file layer: a fault-injecting StoreFs that "crashes" at a chosen step.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeStoreFs, type StoreFs } from '../../../src/core/review/fsLayer';

export function tempDir(prefix = 'wp-review-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fixed clock that advances by one second per call. */
export function fixedClock(start = '2025-01-02T03:04:05.000Z'): () => Date {
  let t = Date.parse(start);
  return () => { const d = new Date(t); t += 1000; return d; };
}

export function counterIds(prefix = 'f'): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(4, '0')}`;
}

export class CrashError extends Error {
  constructor(readonly step: string) { super(`simulated crash at ${step}`); }
}

/**
 * Counts every mutating step (create, write, sync, close, rename, unlink, syncDir); at step `crashAt` the process
 * "dies": the step fails (a write writes half its bytes first) and every later call fails too, as no code would run.
 */
export class CrashingFs implements StoreFs {
  steps: string[] = [];
  dead = false;
  constructor(private readonly crashAt: number, private readonly inner: StoreFs = nodeStoreFs) {}

  private step(name: string): boolean {
    if (this.dead) throw new CrashError(`after death: ${name}`);
    this.steps.push(name);
    if (this.steps.length - 1 === this.crashAt) { this.dead = true; return true; }
    return false;
  }

  readFile(path: string) { if (this.dead) throw new CrashError('read'); return this.inner.readFile(path); }
  stat(path: string) { if (this.dead) throw new CrashError('stat'); return this.inner.stat(path); }
  async create(path: string) {
    if (this.step(`create ${path}`)) throw new CrashError('create');
    const h = await this.inner.create(path);
    return {
      write: async (data: Buffer) => {
        if (this.step('write')) { await h.write(data.subarray(0, data.length >> 1)); throw new CrashError('write (torn)'); }
        await h.write(data);
      },
      sync: async () => { if (this.step('sync')) throw new CrashError('sync'); await h.sync(); },
      close: async () => { if (this.dead) { await h.close(); throw new CrashError('close after death'); } if (this.step('close')) { await h.close(); throw new CrashError('close'); } await h.close(); },
    };
  }
  async rename(from: string, to: string) { if (this.step(`rename ${from} -> ${to}`)) throw new CrashError('rename'); await this.inner.rename(from, to); }
  async unlink(path: string) { if (this.step(`unlink ${path}`)) throw new CrashError('unlink'); await this.inner.unlink(path); }
  async syncDir(path: string) { if (this.step('syncDir')) throw new CrashError('syncDir'); await this.inner.syncDir(path); }
}

/** A StoreFs whose writes fail with an errno code (EROFS, EACCES) in one folder. */
export function readOnlyFs(folder: string, code = 'EROFS'): StoreFs {
  const fail = (path: string) => {
    if (path.startsWith(folder)) throw Object.assign(new Error(`${code}: read-only file system, open '${path}'`), { code });
  };
  return {
    ...nodeStoreFs,
    create: async (path) => { fail(path); return nodeStoreFs.create(path); },
    rename: async (from, to) => { fail(to); return nodeStoreFs.rename(from, to); },
  };
}

/**
 * Polls `check` until it returns a value other than undefined: tests wait for a state, not for a time. The bound only
 * turns a state that never comes into a failure.
 */
export async function eventually<T>(what: string, check: () => T | undefined, boundMs = 60_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${boundMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
