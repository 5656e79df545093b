// Every file a command writes (audit --notes, fingerprint --out, the extension's export and Save Review As) is checked
// before the work and written atomically after it: a clear error for a missing folder, a folder, a device, an
// unwritable place or a full disk; never over a file the same command reads (compared by device and inode, and by real
// path), and never over a review store unless the caller says so (--force).
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { writeAtomic } from './atomicWrite';
import { nodeStoreFs, type StoreFs } from './fsLayer';
import { t } from './l10n';

export type OutputProblem = 'missing-folder' | 'not-a-folder' | 'is-a-folder' | 'not-a-file' | 'is-input' | 'review-store' | 'not-writable' | 'no-space' | 'io';

export class OutputError extends Error {
  constructor(readonly code: OutputProblem, readonly path: string, message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'OutputError';
  }
}

/** A review store or its backup (`x.safetensors.review.json`, `….review.json.bak`). */
const REVIEW_STORE_NAME = /\.review\.json(\.bak)?$/i;

export interface OutputCheck {
  /** Files the command reads (checkpoint files, index, config.json, library files): never written over. */
  inputs?: readonly string[];
  /** Review stores that matter to the command (the checkpoint's own, whether it exists yet or not). */
  reviewStores?: readonly string[];
  /** Writing over a review store is meant (--force, Save Review As). */
  allowReviewStore?: boolean;
  /** The writer creates a missing folder itself (fingerprint --out): the folder is left to it. */
  createsFolder?: boolean;
}

type Stat = { dev: bigint; ino: bigint; isFile(): boolean; isDirectory(): boolean };

async function statOrNull(path: string): Promise<Stat | null> {
  try {
    return await fsp.stat(path, { bigint: true });
  } catch {
    return null;
  }
}

async function realOrSelf(path: string): Promise<string> {
  return fsp.realpath(path).catch(() => resolve(path));
}

const sameFile = (a: Stat, b: Stat) => a.dev === b.dev && a.ino === b.ino;

/** Largest `*.review.json` read to tell JSON review notes (replaceable) from a review store. */
const MAX_SNIFF_BYTES = 64 << 20;

/**
 * True when a file named like a review store is JSON review notes written by an earlier export (format
 * "weightprint-review-export", review/export/json.ts): exporting again to that name is meant. Anything else with such a
 * name (a store, an unreadable or an oversized file) counts as a store.
 */
async function isReviewExport(path: string): Promise<boolean> {
  try {
    const h = await fsp.open(path, 'r');
    try {
      if ((await h.stat()).size > MAX_SNIFF_BYTES) return false;
      const doc = JSON.parse(await h.readFile('utf8')) as unknown;
      return typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === 'weightprint-review-export';
    } finally {
      await h.close();
    }
  } catch {
    return false;
  }
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? String((e as Error)?.message ?? e);
}

/** The OutputError for a failed write of `path` (a full disk, a read-only place, a vanished folder …). */
export function outputError(e: unknown, path: string): OutputError {
  if (e instanceof OutputError) return e;
  const code = errnoOf(e);
  const folder = dirname(resolve(path));
  switch (code) {
    case 'ENOSPC': case 'EDQUOT': return new OutputError('no-space', path, t('cannot write {0}: no space left on the device ({1})', path, code), e);
    case 'EACCES': case 'EPERM': case 'EROFS': return new OutputError('not-writable', path, t('cannot write {0}: the folder {1} is not writable ({2})', path, folder, code), e);
    case 'ENOENT': return new OutputError('missing-folder', path, t('cannot write {0}: the folder {1} does not exist', path, folder), e);
    case 'ENOTDIR': return new OutputError('not-a-folder', path, t('cannot write {0}: {1} is not a folder', path, folder), e);
    case 'EISDIR': return new OutputError('is-a-folder', path, t('cannot write {0}: it is a folder; give a file name', path), e);
    default: return new OutputError('io', path, t('cannot write {0} ({1})', path, code), e);
  }
}

/** Throws an OutputError when `path` cannot or must not be written (see the file comment); writes nothing. */
export async function checkOutputPath(path: string, check: OutputCheck = {}): Promise<void> {
  const abs = resolve(path);
  const folder = dirname(abs);
  const folderStat = await fsp.stat(folder).catch((e: unknown) => { if (check.createsFolder) return null; throw outputError(e, path); });
  if (folderStat && !folderStat.isDirectory() && !check.createsFolder) throw new OutputError('not-a-folder', path, t('cannot write {0}: {1} is not a folder', path, folder));
  const target = await statOrNull(abs);
  if (target?.isDirectory()) throw new OutputError('is-a-folder', path, t('cannot write {0}: it is a folder; give a file name', path));
  if (target && !target.isFile()) throw new OutputError('not-a-file', path, t('cannot write {0}: it is not a regular file (a device, pipe or socket)', path));
  const real = await realOrSelf(abs);
  for (const input of check.inputs ?? []) {
    const s = await statOrNull(input);
    if ((target && s && sameFile(target, s)) || real === (await realOrSelf(input))) {
      throw new OutputError('is-input', path, t('cannot write {0}: it is {1}, which this command reads; choose another file', path, resolve(input)));
    }
  }
  if (!check.allowReviewStore) {
    let store = target !== null && (REVIEW_STORE_NAME.test(basename(abs)) || REVIEW_STORE_NAME.test(basename(real))) && !(await isReviewExport(abs));
    for (const other of check.reviewStores ?? []) {
      const s = await statOrNull(other);
      if (resolve(other) === abs || real === (await realOrSelf(other)) || (target && s && sameFile(target, s))) store = true;
    }
    if (store) throw new OutputError('review-store', path, t('cannot write {0}: it is a review store, whose findings would be lost', path));
  }
  if (!folderStat?.isDirectory()) return;
  try {
    await fsp.access(folder, constants.W_OK);
  } catch (e) {
    throw outputError(e, path);
  }
}

/** Writes `text` to `path` atomically (temp file, fsync, rename); failures are OutputErrors naming `path`. */
export async function writeOutputFile(path: string, text: string | Buffer, fs: Pick<StoreFs, 'create' | 'rename' | 'unlink' | 'syncDir'> = nodeStoreFs): Promise<void> {
  try {
    await writeAtomic(fs, resolve(path), typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  } catch (e) {
    // ENOENT from a folder that exists: a file system that creates no files there (/proc).
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT' && (await fsp.stat(dirname(resolve(path))).then((s) => s.isDirectory(), () => false))) {
      throw new OutputError('not-writable', path, t('cannot write {0}: the folder {1} is not writable ({2})', path, dirname(resolve(path)), 'ENOENT'), e);
    }
    throw outputError(e, path);
  }
}
