// safetensors header: 8-byte little-endian length N, N bytes of UTF-8 JSON, then the data buffer.
// Everything is validated before use; each problem names the file, the tensor and the byte offset.
import { CheckpointError } from './errors';
import { t } from '../l10n';
import { DType, dtypeSize, parseDType } from './dtype';
import { findDuplicateTopLevelKey } from './jsonKeys';

export const DEFAULT_MAX_HEADER_BYTES = 100 * 1024 * 1024;

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
}

export interface HeaderOptions {
  maxHeaderBytes?: number;
}

/** Reads and checks the 8-byte prefix; returns the JSON length. */
export function parseHeaderLength(prefix: Uint8Array, fileSize: number, file: string, options: HeaderOptions = {}): number {
  const max = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (fileSize < 8 || prefix.length < 8) {
    throw new CheckpointError('truncated', t('file is {0} bytes, shorter than the 8-byte header length', fileSize), { file, byteOffset: 0 });
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = view.getBigUint64(0, true);
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

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

/** Parses and validates the JSON header. `json` holds exactly headerLength bytes. */
export function parseHeaderJson(json: Uint8Array, fileSize: number, file: string, fileIndex = 0): SafetensorsHeader {
  const headerLength = json.length;
  const dataStart = 8 + headerLength;
  let text: string;
  try {
    text = utf8.decode(json);
  } catch {
    const at = firstInvalidUtf8(json);
    throw new CheckpointError('not-utf8', t('header is not valid UTF-8'), { file, byteOffset: 8 + Math.max(0, at) });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    const pos = m ? Buffer.byteLength(text.slice(0, Number(m[1])), 'utf8') : 0;
    throw new CheckpointError('invalid-json', t('header is not valid JSON ({0})', firstLine((e as Error).message)), { file, byteOffset: 8 + pos });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CheckpointError('invalid-header', t('header JSON is not an object'), { file, byteOffset: 8 });
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const duplicate = findDuplicateTopLevelKey(text, entries.length);
  if (duplicate !== undefined) {
    throw new CheckpointError('duplicate-name', t('tensor name appears more than once in the header'), { file, tensor: duplicate.key, byteOffset: 8 + Buffer.byteLength(text.slice(0, duplicate.index), 'utf8') });
  }

  let metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, value] of entries) {
    if (name === '__metadata__') {
      metadata = validateMetadata(value, file);
      continue;
    }
    tensors.push(validateTensor(name, value, dataStart, fileSize, file, fileIndex));
  }
  checkOverlaps(tensors, file);
  return { file, fileSize, headerLength, dataStart, tensors, metadata };
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}

function validateMetadata(value: unknown, file: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CheckpointError('invalid-header', t('__metadata__ is not an object of strings'), { file, tensor: '__metadata__' });
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new CheckpointError('invalid-header', t('__metadata__ value for {0} is not a string', JSON.stringify(k)), { file, tensor: '__metadata__' });
    }
    out[k] = v;
  }
  return out;
}

function validateTensor(name: string, value: unknown, dataStart: number, fileSize: number, file: string, fileIndex: number): TensorInfo {
  const where = { file, tensor: name };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CheckpointError('invalid-header', t('entry is not an object with dtype, shape and data_offsets'), where);
  }
  const entry = value as Record<string, unknown>;
  if (typeof entry.dtype !== 'string') {
    throw new CheckpointError('invalid-header', t('dtype is missing or not a string'), where);
  }
  const dtype = parseDType(entry.dtype);
  if (!dtype) {
    throw new CheckpointError('unknown-dtype', t('unknown dtype {0}', JSON.stringify(entry.dtype.slice(0, 40))), where);
  }
  if (!Array.isArray(entry.shape)) {
    throw new CheckpointError('invalid-shape', t('shape is missing or not an array'), where);
  }
  let count = 1;
  const shape: number[] = [];
  for (const dim of entry.shape as unknown[]) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new CheckpointError('invalid-shape', t('shape entry {0} is not a non-negative integer below 2^53', String(JSON.stringify(dim))), where);
    }
    shape.push(dim);
    count *= dim;
  }
  if (!Number.isSafeInteger(count)) {
    throw new CheckpointError('too-large', t('shape {0} has more than 2^53 elements', JSON.stringify(shape)), where);
  }
  const offsets = entry.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new CheckpointError('invalid-offsets', t('data_offsets is not a pair [begin, end]'), where);
  }
  const [b, e] = offsets as unknown[];
  for (const o of [b, e]) {
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
      throw new CheckpointError('invalid-offsets', t('data offset {0} is not a non-negative integer', String(JSON.stringify(o))), where);
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
  const expected = count * dtypeSize(dtype);
  if (!Number.isSafeInteger(expected) || end - begin !== expected) {
    throw new CheckpointError('size-mismatch', t('byte length {0} does not match shape {1} × {2} ({3} bytes)', end - begin, JSON.stringify(shape), dtype, expected), { ...where, byteOffset: dataStart + begin });
  }
  if (dataStart + end > fileSize) {
    throw new CheckpointError('out-of-range', t('data range [{0}, {1}) ends at byte {2}, past the end of the {3}-byte file', begin, end, dataStart + end, fileSize), { ...where, byteOffset: dataStart + begin });
  }
  return { name, dtype, shape, count, begin: dataStart + begin, end: dataStart + end, fileIndex };
}

function checkOverlaps(tensors: TensorInfo[], file: string): void {
  const sorted = tensors.filter((t) => t.end > t.begin).sort((x, y) => x.begin - y.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.begin < prev.end) {
      throw new CheckpointError('overlap', t('data range overlaps tensor {0} (which ends at byte {1})', JSON.stringify(prev.name), prev.end), { file, tensor: cur.name, byteOffset: cur.begin });
    }
  }
}
