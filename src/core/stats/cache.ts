// Cached statistics, one JSON file per checkpoint in a folder chosen by the caller (the extension's global
// storage, or $XDG_CACHE_HOME/weightprint for the CLI). An entry is used only while every file keeps its
// size and mtime and the headers keep their hash; partial entries (a cancelled run) are resumed.
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '../format/checkpoint';
import { parseJsonBytes, scanJson } from '../format/jsonScan';
import { readFileWithLimit } from '../format/safeRead';
import type { TensorStats } from './types';

// 2: warnings are English data (version 1 could hold them in the UI language of the run).
export const STATS_CACHE_VERSION = 2;
/**
 * Largest cache file read or written (docs/statistics.md), and what parsing it may build: the statistics of some
 * 5,000 tensors at 64 bins. Larger results are not cached.
 */
export const MAX_STATS_CACHE_BYTES = 32 * 1024 * 1024;
const CACHE_JSON_LIMITS = { maxValues: 2_000_000, maxKeys: 200_000, maxContainers: 100_000 };

export interface FileIdentity {
  path: string;
  size: number;
  mtimeMs: number;
}

interface CacheFile {
  format: 'weightprint-stats-cache';
  version: number;
  path: string;
  headerHash: string;
  files: FileIdentity[];
  bins: number;
  complete: boolean;
  tensors: TensorStats[];
}

export type CacheStatus = 'fresh' | 'partial' | 'stale' | 'missing';

export async function fileIdentities(checkpoint: Checkpoint): Promise<FileIdentity[]> {
  return Promise.all(checkpoint.files.map(async (f) => {
    const s = await stat(f.path);
    return { path: f.path, size: s.size, mtimeMs: s.mtimeMs };
  }));
}

export class StatsCache {
  /** Identity seen by the last load(), stored by the next save() (so a file changed mid-run is not trusted). */
  private identity?: FileIdentity[];

  constructor(readonly dir: string) {}

  fileFor(checkpoint: Checkpoint): string {
    return join(this.dir, `${createHash('sha256').update(checkpoint.path).digest('hex').slice(0, 32)}.stats.json`);
  }

  private async read(checkpoint: Checkpoint): Promise<CacheFile | undefined> {
    try {
      const data = parseJsonBytes(await readFileWithLimit(this.fileFor(checkpoint), MAX_STATS_CACHE_BYTES), CACHE_JSON_LIMITS) as CacheFile;
      return data?.format === 'weightprint-stats-cache' && data.version === STATS_CACHE_VERSION ? data : undefined;
    } catch {
      return undefined;
    }
  }

  private static matches(entry: CacheFile, checkpoint: Checkpoint, identity: FileIdentity[], bins: number): boolean {
    return entry.path === checkpoint.path && entry.headerHash === checkpoint.headerHash && entry.bins === bins
      && entry.files.length === identity.length
      && entry.files.every((f, i) => f.path === identity[i].path && f.size === identity[i].size && f.mtimeMs === identity[i].mtimeMs);
  }

  async status(checkpoint: Checkpoint, bins: number): Promise<CacheStatus> {
    const entry = await this.read(checkpoint);
    if (!entry) return 'missing';
    if (!StatsCache.matches(entry, checkpoint, await fileIdentities(checkpoint), bins)) return 'stale';
    return entry.complete ? 'fresh' : 'partial';
  }

  /** Cached statistics by tensor name, or undefined when there is no valid entry. */
  async load(checkpoint: Checkpoint, bins: number): Promise<Map<string, TensorStats> | undefined> {
    this.identity = await fileIdentities(checkpoint);
    const entry = await this.read(checkpoint);
    if (!entry || !StatsCache.matches(entry, checkpoint, this.identity, bins)) return undefined;
    return new Map(entry.tensors.map((t) => [t.name, t]));
  }

  /** Writes atomically (temporary file + rename); an entry over the cache's limits is not kept (read() would refuse it). */
  async save(checkpoint: Checkpoint, bins: number, tensors: TensorStats[], complete: boolean): Promise<void> {
    const identity = this.identity ?? await fileIdentities(checkpoint);
    const entry: CacheFile = {
      format: 'weightprint-stats-cache', version: STATS_CACHE_VERSION, path: checkpoint.path, headerHash: checkpoint.headerHash,
      files: identity, bins, complete, tensors,
    };
    const text = Buffer.from(JSON.stringify(entry));
    if (text.length > MAX_STATS_CACHE_BYTES || scanJson(text, CACHE_JSON_LIMITS)) {
      await this.clear(checkpoint);
      return;
    }
    await mkdir(this.dir, { recursive: true });
    const file = this.fileFor(checkpoint);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(tmp, text);
      await rename(tmp, file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async clear(checkpoint: Checkpoint): Promise<void> {
    await unlink(this.fileFor(checkpoint)).catch(() => undefined);
  }
}
