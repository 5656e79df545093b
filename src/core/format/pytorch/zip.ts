// A minimal, read-only zip reader for PyTorch checkpoints (docs/pytorch-format.md). It reads the central directory
// through a RangeReader, checks every entry against the file and against the others, and never extracts: callers
// get byte ranges. Only stored entries are read as they are; a deflated entry is inflated only when small (the
// caller's bound), never past that bound whatever its header declares.
import { inflateRawSync } from 'node:zlib';
import { CheckpointError, quoteCapped } from '../errors';
import { t } from '../../l10n';
import type { RangeReader } from '../rangeReader';

/** The end-of-central-directory record is 22 bytes plus a comment of at most 65,535 bytes. */
export const EOCD_SEARCH_BYTES = 22 + 65_535;
/** Most entries in one archive. */
export const MAX_ZIP_ENTRIES = 1_000_000;
/** Largest central directory read. */
export const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate (no other method is accepted). */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  headerOffset: number;
  /** Absolute offset of the entry's data: local header offset + 30 + name length + extra length (of the LOCAL header). */
  dataOffset: number;
  crc: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(file: string, reason: string, byteOffset?: number): CheckpointError {
  return new CheckpointError('invalid-header', reason, { file, byteOffset });
}

/** A u64 as a number, or an error when it is beyond 2^53. */
function u64(view: DataView, at: number, file: string, where: number): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CheckpointError('too-large', t('zip field {0} is beyond 2^53, which this reader cannot address exactly', String(v)), { file, byteOffset: where });
  }
  return Number(v);
}

interface Directory {
  entries: number;
  size: number;
  offset: number;
  /** Where the directory must end: the start of the (zip64) end record. */
  limit: number;
}

/** Finds the end-of-central-directory record in the last EOCD_SEARCH_BYTES bytes; follows the zip64 locator. */
async function findDirectory(reader: RangeReader, file: string): Promise<Directory> {
  const size = reader.size;
  const tailStart = Math.max(0, size - EOCD_SEARCH_BYTES);
  const tail = await reader.readDirect(tailStart, size - tailStart);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.length);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    // The record's comment must run exactly to the end of the file.
    if (view.getUint32(i, true) === SIG_EOCD && i + 22 + view.getUint16(i + 20, true) === tail.length) { at = i; break; }
  }
  if (at < 0) throw bad(file, t('no zip end-of-central-directory record in the last {0} bytes: not a zip file, or truncated', EOCD_SEARCH_BYTES));
  const eocdOffset = tailStart + at;
  const disk = view.getUint16(at + 4, true);
  const cdDisk = view.getUint16(at + 6, true);
  let entriesOnDisk = view.getUint16(at + 8, true);
  let entries = view.getUint16(at + 10, true);
  let cdSize = view.getUint32(at + 12, true);
  let cdOffset = view.getUint32(at + 16, true);
  let limit = eocdOffset;
  const locatorAt = at - 20;
  const hasLocator = locatorAt >= 0 ? view.getUint32(locatorAt, true) === SIG_EOCD64_LOCATOR : false;
  const needs64 = entries === 0xffff || entriesOnDisk === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  if (needs64 && !hasLocator && eocdOffset >= 20) {
    throw bad(file, t('zip end record asks for zip64 but no zip64 locator precedes it'), eocdOffset);
  }
  if (hasLocator) {
    const locatorOffset = tailStart + locatorAt;
    if (view.getUint32(locatorAt + 4, true) !== 0 || view.getUint32(locatorAt + 16, true) > 1) {
      throw bad(file, t('multi-disk zip archives are not supported'), locatorOffset);
    }
    const recordOffset = u64(view, locatorAt + 8, file, locatorOffset);
    if (recordOffset + 56 > locatorOffset) throw bad(file, t('zip64 end record at {0} does not fit before its locator', recordOffset), locatorOffset);
    const rec = await reader.readDirect(recordOffset, 56);
    const rv = new DataView(rec.buffer, rec.byteOffset, 56);
    if (rv.getUint32(0, true) !== SIG_EOCD64) throw bad(file, t('no zip64 end record where the zip64 locator points'), recordOffset);
    if (rv.getUint32(16, true) !== 0 || rv.getUint32(20, true) !== 0) throw bad(file, t('multi-disk zip archives are not supported'), recordOffset);
    entriesOnDisk = u64(rv, 24, file, recordOffset);
    entries = u64(rv, 32, file, recordOffset);
    cdSize = u64(rv, 40, file, recordOffset);
    cdOffset = u64(rv, 48, file, recordOffset);
    limit = recordOffset;
  } else if (disk !== 0 || cdDisk !== 0) {
    throw bad(file, t('multi-disk zip archives are not supported'), eocdOffset);
  }
  if (entriesOnDisk !== entries) throw bad(file, t('multi-disk zip archives are not supported'), eocdOffset);
  if (entries > MAX_ZIP_ENTRIES) {
    throw new CheckpointError('too-large', t('zip archive declares {0} entries, over the limit of {1}', entries, MAX_ZIP_ENTRIES), { file, byteOffset: eocdOffset });
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw new CheckpointError('too-large', t('zip central directory is {0} bytes, over the limit of {1}', cdSize, MAX_CENTRAL_DIRECTORY_BYTES), { file, byteOffset: eocdOffset });
  }
  if (cdOffset + cdSize > limit) {
    throw new CheckpointError('out-of-range', t('zip central directory [{0}, {1}) runs past its end record at byte {2}', cdOffset, cdOffset + cdSize, limit), { file, byteOffset: eocdOffset });
  }
  if (cdSize < entries * 46) throw bad(file, t('zip central directory of {0} bytes cannot hold its {1} entries', cdSize, entries), cdOffset);
  return { entries, size: cdSize, offset: cdOffset, limit };
}

/** Why a name is refused (we never extract, but a name that would escape a folder marks a hostile file), or undefined. */
function nameProblem(name: string): string | undefined {
  if (name.length === 0) return t('an empty name');
  if (name.includes('\0')) return t('a NUL character');
  if (name.includes('\\')) return t('a backslash');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return t('an absolute path');
  if (name.split('/').includes('..')) return t('a ".." segment');
  return undefined;
}

/**
 * The entries of a zip file, in central-directory order. Refused: multi-disk or encrypted archives, methods other than
 * stored and deflate, stored entries whose two sizes differ, entries whose data runs past the end of the file or into
 * the central directory, entries that overlap, names with "..", an absolute path, a backslash or NUL, names not in
 * UTF-8, and names that appear twice.
 */
export async function readZipEntries(reader: RangeReader, file: string): Promise<ZipEntry[]> {
  const dir = await findDirectory(reader, file);
  const cd = await reader.readDirect(dir.offset, dir.size);
  const view = new DataView(cd.buffer, cd.byteOffset, cd.length);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < dir.entries; i++) {
    const where = dir.offset + p;
    if (p + 46 > cd.length || view.getUint32(p, true) !== SIG_CENTRAL) {
      throw bad(file, t('zip central directory entry {0} is missing or malformed', i), where);
    }
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let diskStart = view.getUint16(p + 34, true);
    let headerOffset = view.getUint32(p + 42, true);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw bad(file, t('zip central directory entry {0} runs past the directory', i), where);
    let name: string;
    try {
      name = utf8.decode(cd.subarray(p + 46, p + 46 + nameLength));
    } catch {
      throw bad(file, t('zip entry {0} has a name that is not valid UTF-8', i), where);
    }
    // zip64 extended information: only the fields whose 32-bit value is all ones, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (e + 4 + len > extraEnd) throw bad(file, t('zip entry {0} has an extra field that runs past its end', quoteCapped(name)), where);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + len) throw bad(file, t('zip entry {0} has a zip64 field too short for its sizes', quoteCapped(name)), where);
          const v = u64(view, q, file, where);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (headerOffset === 0xffffffff) headerOffset = take();
        if (diskStart === 0xffff) {
          if (q + 4 > e + 4 + len) throw bad(file, t('zip entry {0} has a zip64 field too short for its sizes', quoteCapped(name)), where);
          diskStart = view.getUint32(q, true);
        }
      }
      e += 4 + len;
    }
    p = end;
    const problem = nameProblem(name);
    if (problem) throw bad(file, t('zip entry {0} has {1} in its name (a path-traversal name marks a hostile file)', quoteCapped(name), problem), where);
    if (names.has(name)) throw new CheckpointError('duplicate-name', t('zip entry {0} appears more than once', quoteCapped(name)), { file, byteOffset: where });
    names.add(name);
    if (diskStart !== 0) throw bad(file, t('multi-disk zip archives are not supported'), where);
    if (flags & 0x41) throw bad(file, t('zip entry {0} is encrypted', quoteCapped(name)), where);
    if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
      throw bad(file, t('zip entry {0} uses compression method {1}; only stored (0) and deflate (8) are read', quoteCapped(name), method), where);
    }
    if (method === METHOD_STORED && size !== compressedSize) {
      throw new CheckpointError('size-mismatch', t('stored zip entry {0} declares {1} bytes compressed but {2} bytes uncompressed', quoteCapped(name), compressedSize, size), { file, byteOffset: where });
    }
    entries.push({ name, method, compressedSize, size, headerOffset, dataOffset: 0, crc });
  }
  if (p !== cd.length) throw bad(file, t('zip central directory holds {0} bytes after its last entry', cd.length - p), dir.offset + p);
  await locateData(reader, entries, dir.offset, file);
  return entries;
}

/** Reads each local header for the data offset; checks the name, that data ends before the directory, no overlaps. */
async function locateData(reader: RangeReader, entries: ZipEntry[], cdOffset: number, file: string): Promise<void> {
  for (const entry of entries) {
    const at = entry.headerOffset;
    if (at + 30 > cdOffset) {
      throw new CheckpointError('out-of-range', t('zip entry {0} has its local header at byte {1}, past the start of the central directory', quoteCapped(entry.name), at), { file, byteOffset: at });
    }
    const head = await reader.read(at, 30);
    const hv = new DataView(head.buffer, head.byteOffset, 30);
    if (hv.getUint32(0, true) !== SIG_LOCAL) throw bad(file, t('zip entry {0} has no local header where the directory points', quoteCapped(entry.name)), at);
    const nameLength = hv.getUint16(26, true);
    const extraLength = hv.getUint16(28, true);
    if (at + 30 + nameLength > cdOffset) throw bad(file, t('zip entry {0} has a local header that runs into the central directory', quoteCapped(entry.name)), at);
    const localName = await reader.read(at + 30, nameLength);
    if (localName.toString('utf8') !== entry.name || nameLength !== Buffer.byteLength(entry.name)) {
      throw bad(file, t('zip entry {0} has another name in its local header', quoteCapped(entry.name)), at);
    }
    entry.dataOffset = at + 30 + nameLength + extraLength;
    const end = entry.dataOffset + entry.compressedSize;
    if (end > reader.size) {
      throw new CheckpointError('out-of-range', t('zip entry {0} data [{1}, {2}) runs past the end of the {3}-byte file', quoteCapped(entry.name), entry.dataOffset, end, reader.size), { file, byteOffset: entry.dataOffset });
    }
    if (end > cdOffset) {
      throw new CheckpointError('out-of-range', t('zip entry {0} data [{1}, {2}) runs into the central directory at byte {3}', quoteCapped(entry.name), entry.dataOffset, end, cdOffset), { file, byteOffset: entry.dataOffset });
    }
  }
  const sorted = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.headerOffset < prev.dataOffset + prev.compressedSize) {
      throw new CheckpointError('overlap', t('zip entry {0} overlaps entry {1} (which ends at byte {2})', quoteCapped(cur.name), quoteCapped(prev.name), prev.dataOffset + prev.compressedSize), { file, byteOffset: cur.headerOffset });
    }
  }
}

/**
 * The bytes of a small entry: stored ones as they are, deflated ones inflated, never past `maxBytes` whatever the
 * entry declares (a zip bomb stops at the bound). The CRC-32 is checked.
 */
export async function readSmallEntry(reader: RangeReader, entry: ZipEntry, maxBytes: number, file: string): Promise<Buffer> {
  const where = { file, byteOffset: entry.dataOffset };
  if (entry.size > maxBytes || entry.compressedSize > maxBytes) {
    throw new CheckpointError('too-large', t('zip entry {0} declares {1} bytes ({2} compressed), over the limit of {3} bytes', quoteCapped(entry.name), entry.size, entry.compressedSize, maxBytes), where);
  }
  const stored = await reader.readDirect(entry.dataOffset, entry.compressedSize);
  let data = stored;
  if (entry.method === METHOD_DEFLATE) {
    try {
      data = inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new CheckpointError('size-mismatch', t('zip entry {0} inflates to more than its declared {1} bytes', quoteCapped(entry.name), entry.size), where);
      }
      throw bad(file, t('zip entry {0} is not valid deflate data ({1})', quoteCapped(entry.name), String(code ?? 'error')), entry.dataOffset);
    }
    if (data.length !== entry.size) {
      throw new CheckpointError('size-mismatch', t('zip entry {0} inflates to {1} bytes, not its declared {2}', quoteCapped(entry.name), data.length, entry.size), where);
    }
  }
  if (crc32(data) !== entry.crc) throw bad(file, t('zip entry {0} fails its CRC-32 check', quoteCapped(entry.name)), entry.dataOffset);
  return data;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zip uses). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
