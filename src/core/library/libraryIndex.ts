// The library index (docs/library-index.md): one file per library folder, `weightprint-index.jsonl`, holding for each
// .wpf its compact screening signatures (match/referenceSet.ts). It is a cache: an entry is used only while its .wpf
// has the same size and modification time; anything else in it (a missing, foreign, corrupt or hostile index or line)
// is rebuilt from the .wpf files. Loading streams line by line, so memory holds the index, never the fingerprints.
import { createReadStream } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FINGERPRINT_EXTENSION, FingerprintError, readFingerprint } from '../fingerprint/io';
import type { Fingerprint } from '../fingerprint/types';
import { t } from '../l10n';
import { indexReference, type IndexedReference, type ReferenceSet } from '../match/referenceSet';
import { parseIndexLine, serializeIndexLine, INDEX_HEADER, isIndexHeader, MAX_INDEX_LINE } from './indexLine';

export const INDEX_FILE = 'weightprint-index.jsonl';

export interface IndexProblem { path: string; reason: string }

export interface LoadedIndex extends ReferenceSet {
  /** .wpf files and folders that could not be used. */
  problems: IndexProblem[];
  /** Index files that were not used as they were (corrupt, foreign): rebuilt, nothing lost. */
  notices: IndexProblem[];
  /** Entries taken from index files as they were, and entries (re)built from their .wpf. */
  reused: number;
  built: number;
  /** Index files written (folders where something changed and the folder was writable). */
  written: string[];
}

export interface IndexOptions {
  /** Write the refreshed index back (default true); a read-only folder is indexed in memory only. */
  write?: boolean;
  /** Ignore existing index files. */
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

interface FileStamp { name: string; size: number; mtimeMs: number }

/** Reads lines of at most MAX_INDEX_LINE bytes; a longer line ends the reading with an error. */
async function* lines(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        const part = chunk.subarray(start, nl);
        if (pendingBytes + part.length > MAX_INDEX_LINE) throw new Error(t('a line is longer than {0} bytes', MAX_INDEX_LINE));
        yield Buffer.concat([...pending, part]).toString('utf8');
        pending = []; pendingBytes = 0;
        start = nl + 1;
      }
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > MAX_INDEX_LINE) throw new Error(t('a line is longer than {0} bytes', MAX_INDEX_LINE));
      if (rest.length) pending.push(Buffer.from(rest));
    }
    if (pendingBytes) yield Buffer.concat(pending).toString('utf8');
  } finally {
    stream.destroy();
  }
}

/** The entries of a folder's index file keyed by .wpf name, or a reason it cannot be used. */
async function readIndexFile(path: string): Promise<{ entries: Map<string, { stamp: FileStamp; ref: IndexedReference }> } | { reason: string }> {
  const entries = new Map<string, { stamp: FileStamp; ref: IndexedReference }>();
  let first = true;
  try {
    for await (const line of lines(path)) {
      if (first) {
        first = false;
        let header: unknown;
        try { header = JSON.parse(line); } catch { return { reason: t('not a Weightprint library index') }; }
        if (isIndexHeader(header) === 'other-version') return { reason: 'version' };
        if (!isIndexHeader(header)) return { reason: t('not a Weightprint library index') };
        continue;
      }
      if (!line.trim()) continue;
      const parsed = parseIndexLine(line);
      // A bad line costs only its own entry: the .wpf is indexed again.
      if (parsed) entries.set(parsed.stamp.name, parsed);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { reason: 'missing' };
    return { reason: String((e as Error).message ?? e).slice(0, 200) };
  }
  return { entries };
}

/** Writes the index through a temporary file and a rename; returns false when the folder is not writable. */
async function writeIndexFile(folder: string, entries: { stamp: FileStamp; ref: IndexedReference }[]): Promise<boolean> {
  const target = join(folder, INDEX_FILE);
  const temp = join(folder, `.${INDEX_FILE}.${process.pid}-${Date.now()}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx');
  } catch {
    return false;
  }
  try {
    await handle.write(JSON.stringify(INDEX_HEADER) + '\n');
    for (const e of entries) await handle.write(serializeIndexLine(e.stamp, e.ref) + '\n');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
    return true;
  } catch {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    return false;
  }
}

/**
 * Loads the index of every folder, refreshing it from the .wpf files that are new or changed (and dropping the
 * entries of removed ones). A reference id seen twice is reported and skipped, as ReferenceLibrary does.
 */
export async function loadLibraryIndex(folders: string[], options: IndexOptions = {}): Promise<LoadedIndex> {
  const problems: IndexProblem[] = [];
  const notices: IndexProblem[] = [];
  const references: IndexedReference[] = [];
  const ids = new Map<string, string>();
  const written: string[] = [];
  let reused = 0; let built = 0;
  for (const folder of folders.map((f) => resolve(f))) {
    let names: string[];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith(FINGERPRINT_EXTENSION)).sort();
    } catch (e) {
      problems.push({ path: folder, reason: t('cannot list the folder ({0})', (e as NodeJS.ErrnoException).code ?? String(e)) });
      continue;
    }
    const indexPath = join(folder, INDEX_FILE);
    const old = options.rebuild ? { reason: 'rebuild' } : await readIndexFile(indexPath);
    if ('reason' in old && old.reason !== 'missing' && old.reason !== 'rebuild' && old.reason !== 'version') {
      notices.push({ path: indexPath, reason: t('rebuilt from the fingerprints: {0}', old.reason) });
    }
    const previous = 'entries' in old ? old.entries : new Map<string, { stamp: FileStamp; ref: IndexedReference }>();
    const kept: { stamp: FileStamp; ref: IndexedReference }[] = [];
    let changed = previous.size !== names.length;
    for (const [i, name] of names.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.(i, names.length);
      const path = join(folder, name);
      let st;
      try {
        st = await stat(path);
      } catch (e) {
        problems.push({ path, reason: t('cannot read the fingerprint ({0})', (e as NodeJS.ErrnoException).code ?? String(e)) });
        continue;
      }
      const stamp: FileStamp = { name, size: st.size, mtimeMs: st.mtimeMs };
      const hit = previous.get(name);
      let ref: IndexedReference;
      if (hit && hit.stamp.size === stamp.size && hit.stamp.mtimeMs === stamp.mtimeMs) {
        ref = { ...hit.ref, path };
        reused++;
      } else {
        changed = true;
        try {
          ref = indexReference(await readFingerprint(path), path);
        } catch (e) {
          problems.push({ path, reason: e instanceof FingerprintError ? e.reason : String((e as Error).message ?? e) });
          continue;
        }
        built++;
      }
      kept.push({ stamp, ref });
      const seen = ids.get(ref.id);
      if (seen) {
        problems.push({ path, reason: t('duplicate reference id {0} (already loaded from {1})', JSON.stringify(ref.id), seen) });
        continue;
      }
      ids.set(ref.id, path);
      references.push(ref);
    }
    if (changed && options.write !== false && (await writeIndexFile(folder, kept))) written.push(indexPath);
  }
  return {
    references, problems, notices, reused, built, written,
    load: async (r: IndexedReference): Promise<Fingerprint> => {
      const fp = await readFingerprint(r.path);
      if (fp.model.id !== r.id) throw new FingerprintError(r.path, t('changed while the audit ran (its id is now {0})', JSON.stringify(fp.model.id)));
      return fp;
    },
  };
}

