// Reading and writing the review file through StoreFs: a read is classified (missing, a review, or bad and why)
// before the store looks at it; a write is atomic (core's writeAtomic: temp file in the same folder, fsync, rename,
// folder fsync).
import { createHash } from 'node:crypto';
import { writeAtomic as writeFileAtomically } from '../atomicWrite';
import { JsonSyntaxError, parseJsonBytes } from '../format/jsonScan';
import { t } from '../l10n';
import { parseReviewDocument, REVIEW_SCHEMA_VERSION } from './document';
import type { StoreFs, StoreStat } from './fsLayer';
import { ioError, type ParsedDisk } from './storeStatus';

export const BACKUP_SUFFIX = '.bak';
/** What parsing a review store may build (some 10,000 findings; it is parsed twice, see parseReviewDocument). */
const REVIEW_JSON_LIMITS = { maxValues: 600_000, maxKeys: 200_000, maxContainers: 100_000 };

export type { ParsedDisk } from './storeStatus';

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The file's stat, or null when it does not exist. */
export async function statOrNull(fs: StoreFs, path: string): Promise<StoreStat | null> {
  try {
    return await fs.stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ioError(e, 'read', path);
  }
}

/** Reads and classifies the review file; throws only when it cannot be read at all. */
export async function readReviewFile(fs: StoreFs, path: string): Promise<ParsedDisk> {
  let bytes: Buffer;
  let stat: StoreStat;
  try {
    stat = await fs.stat(path);
    bytes = await fs.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw ioError(e, 'read', path);
  }
  const hash = sha(bytes);
  let raw: unknown;
  try {
    raw = parseJsonBytes(bytes, REVIEW_JSON_LIMITS);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { kind: 'bad', bytes, stat, hash, status: 'unreadable', message: e.kind === 'syntax' ? t('not valid JSON ({0})', e.message) : t('over a limit ({0})', e.message) };
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > REVIEW_SCHEMA_VERSION) {
    return { kind: 'bad', bytes, stat, hash, status: 'newer-schema', message: `schemaVersion ${version}`, schemaVersion: version };
  }
  try {
    return { kind: 'ok', bytes, stat, hash, doc: parseReviewDocument(bytes.toString('utf8')) };
  } catch (e) {
    return { kind: 'bad', bytes, stat, hash, status: 'unreadable', message: (e as Error).message };
  }
}

/** Writes `target` (the review at `path` or its backup) atomically (see writeAtomic); errors name `path`. */
export async function writeAtomic(fs: StoreFs, path: string, target: string, bytes: Buffer, check?: () => Promise<boolean>): Promise<boolean> {
  try {
    return await writeFileAtomically(fs, target, bytes, check);
  } catch (e) {
    throw ioError(e, 'write', path);
  }
}
