// Reading a GGUF header's primitives from the bytes read so far: running out asks for more bytes (NeedMoreBytes)
// until the whole file is at hand, when it is truncation.
import { CheckpointError } from '../errors';
import { t } from '../../l10n';

export interface Cursor {
  bytes: Buffer;
  at: number;
  file: string;
  /** The bytes are the whole file: running out is truncation, not a reason to read more. */
  complete: boolean;
}

/** Thrown when the header continues past the bytes read so far. */
export class NeedMoreBytes extends Error {}

export function need(cur: Cursor, n: number): void {
  if (cur.at + n <= cur.bytes.length) return;
  if (!cur.complete) throw new NeedMoreBytes();
  throw new CheckpointError('truncated', t('GGUF header ends after {0} bytes, in the middle of an entry', cur.bytes.length), { file: cur.file, byteOffset: cur.at });
}

export function readU32(cur: Cursor): number {
  need(cur, 4);
  const v = cur.bytes.readUInt32LE(cur.at);
  cur.at += 4;
  return v;
}

/** A uint64 that must be a safe integer (counts, sizes, offsets). */
export function readU64(cur: Cursor, what: string, tensor?: string): number {
  need(cur, 8);
  const v = cur.bytes.readBigUInt64LE(cur.at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError('too-large', t('{0} {1} is beyond 2^53', what, String(v)), { file: cur.file, tensor, byteOffset: cur.at });
  cur.at += 8;
  return Number(v);
}

/** A gguf_string: uint64 length, then that many UTF-8 bytes (read only once they are all there). */
export function readString(cur: Cursor): string {
  const at = cur.at;
  const n = readU64(cur, t('string length'));
  if (n > cur.bytes.length - cur.at) {
    if (!cur.complete) throw new NeedMoreBytes();
    throw new CheckpointError('truncated', t('string of {0} bytes at byte {1} runs past the end of the file', n, at), { file: cur.file, byteOffset: at });
  }
  const s = cur.bytes.toString('utf8', cur.at, cur.at + n);
  cur.at += n;
  return s;
}
