// safetensors header: 8-byte little-endian length N, N bytes of UTF-8 JSON, then the data buffer.
// Everything is validated before use; each problem names the file, the tensor and the byte offset.
import { isUtf8 } from 'node:buffer';
import { CheckpointError, quoteCapped } from './errors';
import { t } from '../l10n';
import { byteLength, DType, dtypeBlock, parseDType } from './dtype';
import { JsonCursor, Opaque, type Scalar } from './jsonCursor';
import { scanJson } from './jsonScan';

/** Largest header, in bytes, of one file and of all the files of a checkpoint together (docs/limits.md). */
export const DEFAULT_MAX_HEADER_BYTES = 32 * 1024 * 1024;
/** The safetensors format's own limit on a file's header (the reference implementation refuses larger ones). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;
/** Most tensors in one checkpoint (all its files together). */
export const DEFAULT_MAX_TENSORS = 150_000;
/** Most __metadata__ entries in one checkpoint (all its files together). */
export const DEFAULT_MAX_METADATA_ENTRIES = 50_000;
/** Most dimensions of a tensor's shape (fingerprints hold the same). */
export const MAX_DIMS = 16;

export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: number[];
  /** Number of elements. */
  count: number;
  /** Absolute byte range [begin, end) in the file. */
  begin: number;
  end: number;
  /** Index of the file within its checkpoint (0 for a single file). */
  fileIndex: number;
  /**
   * GGUF q/k projections of llama-type models: llama.cpp's converter interleaves the two halves of each of these
   * many heads' rows. Readers present the rows in Hugging Face order (rowOrder.ts).
   */
  interleavedHeads?: number;
}

export interface SafetensorsHeader {
  file: string;
  fileSize: number;
  headerLength: number;
  /** Absolute offset of the data buffer (8 + headerLength). */
  dataStart: number;
  /** Tensors in header order. */
  tensors: TensorInfo[];
  metadata: Record<string, string>;
  /** Absolute byte ranges [begin, end) of the data area that belong to no tensor (only with hiddenBytes 'warn'). */
  hiddenBytes: { begin: number; end: number }[];
}

export interface HeaderOptions {
  /**
   * Largest header (default DEFAULT_MAX_HEADER_BYTES): of each file, and of all of a checkpoint's files together. A
   * file's header is never read past SAFETENSORS_MAX_HEADER_BYTES, whatever this says.
   */
  maxHeaderBytes?: number;
  /**
   * Bytes of the data area that belong to no tensor (a hole between two tensors, bytes after the last): the format
   * requires the tensors to cover the data exactly, since hidden bytes escape every statistic and fingerprint.
   * 'refuse' (default) throws CheckpointError `hidden-bytes`; 'warn' keeps them in SafetensorsHeader.hiddenBytes
   * for the caller to show (the editor shows the inventory under a warning).
   */
  hiddenBytes?: 'refuse' | 'warn';
  /** Most tensors (default DEFAULT_MAX_TENSORS): in each file, and in all of a checkpoint's files together. */
  maxTensors?: number;
  /** Most __metadata__ entries (default DEFAULT_MAX_METADATA_ENTRIES), likewise. */
  maxMetadataEntries?: number;
}

/** The options with their defaults filled in. */
export function headerLimits(options: HeaderOptions = {}): Required<HeaderOptions> {
  return {
    maxHeaderBytes: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    hiddenBytes: options.hiddenBytes ?? 'refuse',
    maxTensors: options.maxTensors ?? DEFAULT_MAX_TENSORS,
    maxMetadataEntries: options.maxMetadataEntries ?? DEFAULT_MAX_METADATA_ENTRIES,
  };
}

/** Reads and checks the 8-byte prefix; returns the JSON length. */
export function parseHeaderLength(prefix: Uint8Array, fileSize: number, file: string, options: HeaderOptions = {}): number {
  const max = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (fileSize < 8 || prefix.length < 8) {
    throw new CheckpointError('truncated', t('file is {0} bytes, shorter than the 8-byte header length', fileSize), { file, byteOffset: 0 });
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new CheckpointError('header-too-large', t('header length {0} exceeds the safetensors format\'s limit of {1} bytes', String(length), SAFETENSORS_MAX_HEADER_BYTES), { file, byteOffset: 0 });
  }
  if (length > BigInt(max)) {
    throw new CheckpointError('header-too-large', t('header length {0} exceeds the limit of {1} bytes (setting weightprint.maxHeaderBytes)', String(length), max), { file, byteOffset: 0 });
  }
  const n = Number(length);
  if (8 + n > fileSize) {
    throw new CheckpointError('header-beyond-file', t('header length {0} runs past the end of the {1}-byte file (truncated?)', n, fileSize), { file, byteOffset: 0 });
  }
  if (n < 2) {
    throw new CheckpointError('invalid-header', t('header length {0} is too short to hold a JSON object', n), { file, byteOffset: 0 });
  }
  return n;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Deepest nesting accepted in a header (a valid one needs 3: the object, an entry, its shape). */
const MAX_HEADER_DEPTH = 64;

/**
 * Parses and validates the JSON header. `json` holds exactly headerLength bytes. The bytes are checked (UTF-8, JSON
 * syntax, depth) and then read straight into tensor entries: no JSON.parse, so memory follows the tensor count.
 */
export function parseHeaderJson(json: Uint8Array, fileSize: number, file: string, fileIndex = 0, options: HeaderOptions = {}): SafetensorsHeader {
  const headerLength = json.length;
  const dataStart = 8 + headerLength;
  if (!isUtf8(json)) {
    throw new CheckpointError('not-utf8', t('header is not valid UTF-8'), { file, byteOffset: 8 + Math.max(0, firstInvalidUtf8(json)) });
  }
  const problem = scanJson(json, { maxDepth: MAX_HEADER_DEPTH });
  if (problem?.kind === 'syntax') throw new CheckpointError('invalid-json', t('header is not valid JSON ({0})', problem.reason), { file, byteOffset: 8 + problem.offset });
  if (problem) throw new CheckpointError('invalid-header', t('header is over a limit ({0})', problem.reason), { file, byteOffset: 8 + problem.offset });
  const cursor = new JsonCursor(json);
  if (cursor.peek() !== 0x7b) throw new CheckpointError('invalid-header', t('header JSON is not an object'), { file, byteOffset: 8 });

  const { maxTensors, maxMetadataEntries } = headerLimits(options);
  let metadata: Record<string, string> | undefined;
  const names = new Set<string>();
  const tensors: TensorInfo[] = [];
  cursor.members((name, keyOffset) => {
    if (names.has(name) || (name === '__metadata__' && metadata)) {
      throw new CheckpointError('duplicate-name', t('tensor name appears more than once in the header'), { file, tensor: name, byteOffset: 8 + keyOffset });
    }
    if (name === '__metadata__') {
      metadata = readMetadata(cursor, file, maxMetadataEntries);
      return;
    }
    names.add(name);
    if (tensors.length === maxTensors) {
      throw new CheckpointError('too-many-tensors', t('header holds more than {0} tensors, the limit', maxTensors), { file, byteOffset: 8 + keyOffset });
    }
    tensors.push(validateTensor(name, readEntry(cursor), dataStart, fileSize, file, fileIndex));
  });
  checkOverlaps(tensors, file);
  const hiddenBytes = findHiddenBytes(tensors, dataStart, fileSize);
  if (hiddenBytes.length && (options.hiddenBytes ?? 'refuse') === 'refuse') throw hiddenBytesError(hiddenBytes, tensors, file);
  return { file, fileSize, headerLength, dataStart, tensors, metadata: metadata ?? {}, hiddenBytes };
}

interface RawEntry {
  /** A field the entry repeats (JSON.parse would keep the last; the reference refuses the file). */
  repeated?: string;
  /** undefined: the field is missing; otherwise the value, or what stands in its place. */
  dtype?: Scalar;
  shape?: Scalar[] | Scalar;
  offsets?: Scalar[] | Scalar;
}

/** One tensor entry's fields (the last of a repeated field wins, as in JSON.parse); anything else is skipped. */
function readEntry(cursor: JsonCursor): RawEntry | Opaque | Scalar {
  if (cursor.peek() !== 0x7b) return cursor.scalar(64);
  const entry: RawEntry = {};
  const seen = new Set<string>();
  cursor.members((key) => {
    if (seen.has(key)) entry.repeated ??= key;
    seen.add(key);
    if (key === 'dtype') entry.dtype = cursor.scalar(64);
    else if (key === 'shape') entry.shape = cursor.scalarArray(MAX_DIMS);
    else if (key === 'data_offsets') entry.offsets = cursor.scalarArray(3);
    else cursor.skip();
  });
  return entry;
}

function readMetadata(cursor: JsonCursor, file: string, maxEntries: number): Record<string, string> {
  const where = { file, tensor: '__metadata__' };
  if (cursor.peek() !== 0x7b) throw new CheckpointError('invalid-header', t('__metadata__ is not an object of strings'), where);
  const out: Record<string, string> = Object.create(null);
  let entries = 0;
  cursor.members((key, keyOffset) => {
    if (++entries > maxEntries) {
      throw new CheckpointError('too-much-metadata', t('__metadata__ holds more than {0} entries, the limit', maxEntries), { ...where, byteOffset: 8 + keyOffset });
    }
    if (cursor.peek() !== 0x22) throw new CheckpointError('invalid-header', t('__metadata__ value for {0} is not a string', quoteCapped(key)), where);
    out[key] = cursor.string() as string;
  });
  return out;
}

/** A value from a header for a message: numbers as they are, strings shortened, arrays and objects elided. */
function describe(v: Scalar | Scalar[] | undefined): string {
  if (v instanceof Opaque) return v.text;
  if (Array.isArray(v)) return '[…]';
  if (typeof v === 'string') return quoteCapped(v, 40);
  return String(v);
}

/** A shape for a message: at most 8 dimensions. */
function shapeText(shape: number[]): string {
  return shape.length > 8 ? `[${shape.slice(0, 8).join(',')},…]` : JSON.stringify(shape);
}

function validateTensor(name: string, value: RawEntry | Opaque | Scalar, dataStart: number, fileSize: number, file: string, fileIndex: number): TensorInfo {
  const where = { file, tensor: name };
  if (typeof value !== 'object' || value === null || value instanceof Opaque) {
    throw new CheckpointError('invalid-header', t('entry is not an object with dtype, shape and data_offsets'), where);
  }
  const entry = value;
  if (entry.repeated !== undefined) {
    throw new CheckpointError('invalid-header', t('field {0} appears more than once in the entry', quoteCapped(entry.repeated, 40)), where);
  }
  if (typeof entry.dtype !== 'string') {
    if (entry.dtype instanceof Opaque && entry.dtype.text.startsWith('"')) {
      throw new CheckpointError('unknown-dtype', t('unknown dtype {0}', entry.dtype.text), where);
    }
    throw new CheckpointError('invalid-header', t('dtype is missing or not a string'), where);
  }
  const dtype = parseDType(entry.dtype);
  if (!dtype) {
    throw new CheckpointError('unknown-dtype', t('unknown dtype {0}', quoteCapped(entry.dtype, 40)), where);
  }
  if (!Array.isArray(entry.shape)) {
    if (entry.shape instanceof Opaque && entry.shape.text.startsWith(`[${MAX_DIMS}+`)) {
      throw new CheckpointError('invalid-shape', t('shape has more than {0} dimensions', MAX_DIMS), where);
    }
    throw new CheckpointError('invalid-shape', t('shape is missing or not an array'), where);
  }
  let count = 1;
  const shape: number[] = [];
  for (const dim of entry.shape) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new CheckpointError('invalid-shape', t('shape entry {0} is not a non-negative integer below 2^53', describe(dim)), where);
    }
    shape.push(dim);
    count *= dim;
  }
  if (!Number.isSafeInteger(count)) {
    throw new CheckpointError('too-large', t('shape {0} has more than 2^53 elements', shapeText(shape)), where);
  }
  const offsets = entry.offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new CheckpointError('invalid-offsets', t('data_offsets is not a pair [begin, end]'), where);
  }
  const [b, e] = offsets;
  for (const o of [b, e]) {
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
      throw new CheckpointError('invalid-offsets', t('data offset {0} is not a non-negative integer', describe(o)), where);
    }
    if (!Number.isSafeInteger(o)) {
      throw new CheckpointError('too-large', t('data offset {0} is beyond 2^53 bytes, which this reader cannot address exactly', o), where);
    }
  }
  const begin = b as number;
  const end = e as number;
  if (end < begin) {
    throw new CheckpointError('invalid-offsets', t('data_offsets end {0} is before begin {1}', end, begin), { ...where, byteOffset: dataStart + begin });
  }
  const expected = byteLength(dtype, count);
  if (expected === undefined) {
    throw new CheckpointError('size-mismatch', t('shape {0} holds {1} elements, not a whole number of {2} blocks of {3}', shapeText(shape), count, dtype, dtypeBlock(dtype).elements), { ...where, byteOffset: dataStart + begin });
  }
  if (!Number.isSafeInteger(expected) || end - begin !== expected) {
    throw new CheckpointError('size-mismatch', t('byte length {0} does not match shape {1} × {2} ({3} bytes)', end - begin, shapeText(shape), dtype, expected), { ...where, byteOffset: dataStart + begin });
  }
  if (dataStart + end > fileSize) {
    throw new CheckpointError('out-of-range', t('data range [{0}, {1}) ends at byte {2}, past the end of the {3}-byte file', begin, end, dataStart + end, fileSize), { ...where, byteOffset: dataStart + begin });
  }
  return { name, dtype, shape, count, begin: dataStart + begin, end: dataStart + end, fileIndex };
}

/** Refuses two tensors whose data ranges overlap (empty tensors excepted). */
export function checkOverlaps(tensors: TensorInfo[], file: string): void {
  const sorted = tensors.filter((t) => t.end > t.begin).sort((x, y) => x.begin - y.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.begin < prev.end) {
      throw new CheckpointError('overlap', t('data range overlaps tensor {0} (which ends at byte {1})', quoteCapped(prev.name), prev.end), { file, tensor: cur.name, byteOffset: cur.begin });
    }
  }
}

/**
 * Ranges of the data area [dataStart, fileSize) that no tensor covers. Gaps shorter than `minGap` bytes are padding
 * the format allows (GGUF's alignment); safetensors allows none.
 */
export function findHiddenBytes(tensors: TensorInfo[], dataStart: number, fileSize: number, minGap = 1): { begin: number; end: number }[] {
  const out: { begin: number; end: number }[] = [];
  let at = dataStart;
  for (const x of [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (x.begin - at >= minGap) out.push({ begin: at, end: x.begin });
    at = Math.max(at, x.end);
  }
  if (fileSize - at >= minGap) out.push({ begin: at, end: fileSize });
  return out;
}

function hiddenBytesError(hidden: { begin: number; end: number }[], tensors: TensorInfo[], file: string): CheckpointError {
  return new CheckpointError('hidden-bytes', hiddenBytesText(hidden, tensors), { file, byteOffset: hidden[0].begin });
}

/** "3 ranges of bytes (4,096 in all) belong to no tensor, the first [a, b) after tensor X: …". */
export function hiddenBytesText(hidden: { begin: number; end: number }[], tensors: TensorInfo[]): string {
  const total = hidden.reduce((s, h) => s + h.end - h.begin, 0);
  const first = hidden[0];
  const before = tensors.filter((x) => x.end <= first.begin && x.end > x.begin).sort((a, b) => b.end - a.end)[0];
  const where = before ? t('after tensor {0}', quoteCapped(before.name)) : t('before the first tensor');
  return t('{0} byte(s) in {1} range(s) belong to no tensor, the first [{2}, {3}) {4}: the safetensors format requires the tensors to cover the data exactly (hidden bytes escape every statistic and fingerprint)',
    total, hidden.length, first.begin, first.end, where);
}
