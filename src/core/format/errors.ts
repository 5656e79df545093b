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

function formatMessage(reason: string, where: CheckpointErrorWhere): string {
  const parts = [where.file];
  if (where.tensor !== undefined) parts.push(`tensor ${JSON.stringify(where.tensor)}`);
  if (where.byteOffset !== undefined) parts.push(`byte ${where.byteOffset}`);
  return `${parts.join(', ')}: ${reason}`;
}

export function isCheckpointError(e: unknown): e is CheckpointError {
  return e instanceof CheckpointError;
}
