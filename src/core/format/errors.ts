import { t } from '../l10n';

/** Why a checkpoint cannot be read, with where: file, tensor and byte offset when known. */
export type CheckpointErrorCode =
  | 'not-found' | 'io' | 'truncated' | 'header-too-large' | 'header-beyond-file' | 'not-utf8' | 'invalid-json'
  | 'invalid-header' | 'unknown-dtype' | 'invalid-shape' | 'invalid-offsets' | 'size-mismatch' | 'out-of-range'
  | 'overlap' | 'duplicate-name' | 'too-large' | 'missing-shard' | 'wrong-shard' | 'invalid-index' | 'empty';

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

/** "file, tensor "x", byte N: reason" in the display language (the reason is already translated). */
function formatMessage(reason: string, where: CheckpointErrorWhere): string {
  const { file, tensor, byteOffset } = where;
  if (tensor !== undefined && byteOffset !== undefined) return t('{0}, tensor {1}, byte {2}: {3}', file, JSON.stringify(tensor), byteOffset, reason);
  if (tensor !== undefined) return t('{0}, tensor {1}: {2}', file, JSON.stringify(tensor), reason);
  if (byteOffset !== undefined) return t('{0}, byte {1}: {2}', file, byteOffset, reason);
  return t('{0}: {1}', file, reason);
}

export function isCheckpointError(e: unknown): e is CheckpointError {
  return e instanceof CheckpointError;
}
