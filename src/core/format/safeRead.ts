// Opening a file the tool did not write. Every file core reads goes through here: it is opened with O_NONBLOCK (a
// FIFO or a device opens at once instead of blocking), checked on the opened descriptor (fstat, so the path cannot be
// swapped between the check and the read), refused unless it is a regular file, and refused before any byte is read
// when it is larger than the caller's limit; reads stop at the limit even if the file grows meanwhile.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { t } from '../l10n';
import { parseJsonBytes, type JsonLimits } from './jsonScan';

// O_NONBLOCK and O_NOCTTY do not exist on Windows, which has no FIFOs or terminals among plain paths.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export type UnsafeFileProblem = 'not-regular' | 'too-large';

/** A file refused before reading: not a regular file, or over its limit. `message` is the reason, without the file. */
export class UnsafeFileError extends Error {
  constructor(readonly file: string, readonly problem: UnsafeFileProblem, message: string, readonly limit?: number) {
    super(message);
    this.name = 'UnsafeFileError';
  }
}

export function isUnsafeFileError(e: unknown): e is UnsafeFileError {
  return e instanceof UnsafeFileError;
}

function notRegularReason(s: Stats): string {
  if (s.isDirectory()) return t('is a folder, not a file');
  if (s.isFIFO()) return t('is a named pipe (FIFO), not a regular file');
  if (s.isSocket()) return t('is a socket, not a regular file');
  if (s.isCharacterDevice() || s.isBlockDevice()) return t('is a device, not a regular file');
  return t('is not a regular file');
}

/** Throws unless `s` is a regular file of at most `maxBytes` bytes. */
function check(path: string, s: Stats, maxBytes: number): void {
  if (!s.isFile()) throw new UnsafeFileError(path, 'not-regular', notRegularReason(s));
  if (s.size > maxBytes) throw tooLarge(path, maxBytes, s.size);
}

function tooLarge(path: string, maxBytes: number, size?: number): UnsafeFileError {
  const reason = size === undefined
    ? t('holds more than {0} bytes, over its limit', maxBytes)
    : t('is {0} bytes, over the limit of {1} bytes', size, maxBytes);
  return new UnsafeFileError(path, 'too-large', reason, maxBytes);
}

export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

/**
 * Opens a regular file of at most `maxBytes` bytes for reading; the caller closes the handle. File system errors
 * (ENOENT, EACCES, …) pass through as they are; anything else is refused with an UnsafeFileError.
 */
export async function openRegularFile(path: string, maxBytes = Infinity): Promise<OpenedFile> {
  // A look at the path first, so that a device is not even opened (opening some has effects); the fstat of the
  // descriptor below is the check that counts.
  check(path, await stat(path), maxBytes);
  const handle = await open(path, OPEN_FLAGS);
  try {
    const s = await handle.stat();
    check(path, s, maxBytes);
    return { handle, size: s.size };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

/** Grows `buf` for more bytes, up to maxBytes + 1 (one byte past the limit tells a file that grew over it). */
function grow(buf: Buffer, used: number, maxBytes: number): Buffer {
  const next = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(64 * 1024, buf.length * 2)));
  buf.copy(next, 0, 0, used);
  return next;
}

function initialBuffer(size: number, maxBytes: number): Buffer {
  // size + 1 so that the end of the file is seen without a second buffer; size 0 also covers files such as those of
  // /proc that are regular but say nothing of their length.
  return Buffer.allocUnsafe(Math.min(maxBytes + 1, size > 0 ? size + 1 : 64 * 1024));
}

/** The whole content of a regular file of at most `maxBytes` bytes. */
export async function readFileWithLimit(path: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openRegularFile(path, maxBytes);
  try {
    let buf = initialBuffer(size, maxBytes);
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        if (used > maxBytes) throw tooLarge(path, maxBytes);
        buf = grow(buf, used, maxBytes);
      }
      const { bytesRead } = await handle.read(buf, used, buf.length - used, used);
      if (bytesRead === 0) break;
      used += bytesRead;
    }
    if (used > maxBytes) throw tooLarge(path, maxBytes);
    return buf.subarray(0, used);
  } finally {
    await handle.close();
  }
}

/** readFileWithLimit for synchronous callers. */
export function readFileWithLimitSync(path: string, maxBytes: number): Buffer {
  check(path, statSync(path), maxBytes);
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const s = fstatSync(fd);
    check(path, s, maxBytes);
    let buf = initialBuffer(s.size, maxBytes);
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        if (used > maxBytes) throw tooLarge(path, maxBytes);
        buf = grow(buf, used, maxBytes);
      }
      const n = readSync(fd, buf, used, buf.length - used, used);
      if (n === 0) break;
      used += n;
    }
    if (used > maxBytes) throw tooLarge(path, maxBytes);
    return buf.subarray(0, used);
  } finally {
    closeSync(fd);
  }
}

/**
 * A JSON file read with readFileWithLimit and parsed with parseJsonBytes: throws what those throw (file system
 * errors, UnsafeFileError, JsonSyntaxError with the byte offset of a syntax error).
 */
export async function readJsonFileWithLimit(path: string, maxBytes: number, limits: JsonLimits = {}): Promise<unknown> {
  return parseJsonBytes(await readFileWithLimit(path, maxBytes), limits);
}
