// What the review store says: its status (new, ok, or why it refuses to write) with a sentence the UI shows as is,
// and the errors its operations throw, both in the display language.
import { basename, dirname } from 'node:path';
import { t } from '../l10n';
import { REVIEW_SCHEMA_VERSION, type CheckpointBinding } from './document';
import type { StoreStat } from './fsLayer';
import type { ReviewDocument } from './types';

/** A review file as read from disk: missing, a review, or bad and why (reviewFile.ts reads it). */
export type ParsedDisk =
  | { kind: 'missing' }
  | { kind: 'ok'; bytes: Buffer; stat: StoreStat; hash: string; doc: ReviewDocument }
  | { kind: 'bad'; bytes: Buffer; stat: StoreStat; hash: string; status: 'unreadable' | 'newer-schema'; message: string; schemaVersion?: number };

/**
 * - `new`: no file yet (the first change creates it);
 * - `ok`: loaded and writable;
 * - `hash-mismatch`: the file belongs to another checkpoint (its findings are shown, writes are refused);
 * - `unreadable`: not JSON or not a review store (left untouched, writes refused);
 * - `newer-schema`: written by a newer Weightprint (left untouched, writes refused).
 */
export type StoreStatusKind = 'new' | 'ok' | 'hash-mismatch' | 'unreadable' | 'newer-schema';

export interface StoreStatus {
  kind: StoreStatusKind;
  /** A sentence the UI can show as is. */
  message: string;
  path: string;
  checkpointHash: string;
  /** hash-mismatch: the header hash recorded in the file. */
  storedHash?: string;
  /** hash-mismatch: the checkpoint name recorded in the file. */
  storedName?: string;
  /** newer-schema: the file's schemaVersion. */
  storedSchemaVersion?: number;
}

export type ReviewStoreErrorCode = 'read-only' | 'unreadable' | 'newer-schema' | 'hash-mismatch' | 'unknown-finding' | 'io';

export class ReviewStoreError extends Error {
  constructor(readonly code: ReviewStoreErrorCode, message: string, readonly path: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'ReviewStoreError';
  }
}

const READ_ONLY_CODES = new Set(['EACCES', 'EROFS', 'EPERM']);

/** A reason on one line (a JSON parser quotes the file, line breaks included), at most 300 characters. */
function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** The status of the store at `path` for the checkpoint `binding` once the file read as `d`. */
/** "3 findings in model.safetensors.review.json." */
export function findingsIn(n: number, file: string): string {
  return n === 1 ? t('1 finding in {0}.', file) : t('{0} findings in {1}.', n, file);
}

export function statusFor(d: ParsedDisk, path: string, binding: CheckpointBinding): StoreStatus {
  const base = { path, checkpointHash: binding.headerHash };
  const file = basename(path);
  if (d.kind === 'missing') return { ...base, kind: 'new', message: t('No review yet; the first finding creates {0}.', file) };
  if (d.kind === 'bad') {
    return d.status === 'newer-schema'
      ? { ...base, kind: 'newer-schema', storedSchemaVersion: d.schemaVersion, message: t('{0} was written by a newer Weightprint (schema {1}; this version reads {2}). It is left untouched; update Weightprint or save elsewhere.', file, d.schemaVersion ?? '?', REVIEW_SCHEMA_VERSION) }
      : { ...base, kind: 'unreadable', message: t('{0} cannot be read as a review ({1}). It is left untouched; fix it or save elsewhere.', file, oneLine(d.message)) };
  }
  if (d.doc.checkpoint.headerHash !== binding.headerHash) {
    return {
      ...base, kind: 'hash-mismatch', storedHash: d.doc.checkpoint.headerHash, storedName: d.doc.checkpoint.name,
      message: t('{0} was written for another checkpoint ({1}, header hash {2}…; this checkpoint\'s is {3}…). Its findings are shown read-only; save elsewhere to review this checkpoint.',
        file, d.doc.checkpoint.name, d.doc.checkpoint.headerHash.slice(0, 12), binding.headerHash.slice(0, 12)),
    };
  }
  return { ...base, kind: 'ok', message: findingsIn(d.doc.findings.length, file) };
}

/** The store's error for a failed read or write of the review at `path` (a ReviewStoreError passes through). */
export function ioError(e: unknown, op: 'read' | 'write', path: string): ReviewStoreError {
  if (e instanceof ReviewStoreError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (op === 'write' && READ_ONLY_CODES.has(code)) {
    return new ReviewStoreError('read-only', t('cannot write in {0} ({1}): the folder is read-only. Save the review elsewhere.', dirname(path), code), path, e);
  }
  const why = code || String((e as Error)?.message ?? e);
  return new ReviewStoreError('io', op === 'read' ? t('cannot read {0} ({1})', path, why) : t('cannot write {0} ({1})', path, why), path, e);
}
