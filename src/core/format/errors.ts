import { t } from '../l10n';
import { isUnsafeFileError } from './safeRead';

/** Why a checkpoint cannot be read, with where: file, tensor and byte offset when known. */
export type CheckpointErrorCode =
  | 'not-found' | 'io' | 'truncated' | 'header-too-large' | 'header-beyond-file' | 'not-utf8' | 'invalid-json'
  | 'invalid-header' | 'unknown-dtype' | 'invalid-shape' | 'invalid-offsets' | 'size-mismatch' | 'out-of-range'
  | 'overlap' | 'duplicate-name' | 'too-large' | 'too-many-tensors' | 'missing-shard' | 'wrong-shard' | 'invalid-index' | 'empty'
  | 'not-regular' | 'too-much-metadata' | 'hidden-bytes';

export interface CheckpointErrorWhere {
  file: string;
  tensor?: string;
  byteOffset?: number;
}

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;
  readonly file: string;
  readonly tensor?: string;
  readonly byteOffset?: number;
  /** Why, in the display language of when it was thrown (the editor's error view shows it). */
  readonly reason: string;

  constructor(code: CheckpointErrorCode, reason: string, where: CheckpointErrorWhere) {
    super(formatMessage(reason, where));
    this.name = 'CheckpointError';
    this.code = code;
    this.reason = reason;
    this.file = where.file;
    this.tensor = where.tensor;
    this.byteOffset = where.byteOffset;
  }
}

/** `s` as a JSON string literal, cut to its first `max` characters (with an ellipsis): for names in messages. */
export function quoteCapped(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
}

/** "file, tensor "x", byte N: reason" in the display language (the reason is already translated). */
function formatMessage(reason: string, where: CheckpointErrorWhere): string {
  const { file, tensor, byteOffset } = where;
  if (tensor !== undefined && byteOffset !== undefined) return t('{0}, tensor {1}, byte {2}: {3}', file, quoteCapped(tensor), byteOffset, reason);
  if (tensor !== undefined) return t('{0}, tensor {1}: {2}', file, quoteCapped(tensor), reason);
  if (byteOffset !== undefined) return t('{0}, byte {1}: {2}', file, byteOffset, reason);
  return t('{0}: {1}', file, reason);
}

export function isCheckpointError(e: unknown): e is CheckpointError {
  return e instanceof CheckpointError;
}

/**
 * The CheckpointError for a failure to open or read `file`: a missing file (`notFound` says it), a file refused by
 * safeRead (not regular, over its limit), or another file system error (its code).
 */
export function checkpointFileError(e: unknown, file: string, notFound: string): CheckpointError {
  if (e instanceof CheckpointError) return e;
  if (isUnsafeFileError(e)) return new CheckpointError(e.problem === 'too-large' ? 'too-large' : 'not-regular', e.message, { file });
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CheckpointError('not-found', notFound, { file });
  return new CheckpointError('io', t('cannot open ({0})', code ?? String((e as Error)?.message ?? e).slice(0, 120)), { file });
}
