// Cached statistics, one JSON file per checkpoint in a folder chosen by the caller (the extension's global
// storage, or $XDG_CACHE_HOME/weightprint for the CLI). An entry is used only while every file keeps its
// size and mtime and the headers keep their hash; partial entries (a cancelled run) are resumed.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '../format/checkpoint';
import type { TensorStats } from './types';

// 2: warnings are English data (version 1 could hold them in the UI language of the run).
export const STATS_CACHE_VERSION = 2;

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
      const data = JSON.parse(await readFile(this.fileFor(checkpoint), 'utf8')) as CacheFile;
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

  /** Writes atomically (temporary file + rename). */
  async save(checkpoint: Checkpoint, bins: number, tensors: TensorStats[], complete: boolean): Promise<void> {
    const identity = this.identity ?? await fileIdentities(checkpoint);
    const entry: CacheFile = {
      format: 'weightprint-stats-cache', version: STATS_CACHE_VERSION, path: checkpoint.path, headerHash: checkpoint.headerHash,
      files: identity, bins, complete, tensors,
    };
    await mkdir(this.dir, { recursive: true });
    const file = this.fileFor(checkpoint);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(entry));
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
