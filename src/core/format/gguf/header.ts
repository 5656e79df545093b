// The header of a GGUF file (llama.cpp, versions 2 and 3): key/value metadata, then tensor infos, then aligned
// tensor data. Our own bounded parser rather than @huggingface/gguf: a hostile header's lengths and counts are checked
// against the bytes actually read and the header limits before anything is allocated, and the parser shares the
// paged reader and error type of every other format (docs/gguf-format.md).
import { CheckpointError, quoteCapped } from '../errors';
import { t } from '../../l10n';
import { byteLength, DType, dtypeBlock } from '../dtype';
import { checkOverlaps, findHiddenBytes, headerLimits, MAX_DIMS, type HeaderOptions, type SafetensorsHeader, type TensorInfo } from '../header';
import { lookupTable } from '../../lookup';
import type { ConfigSummary } from '../config';
import type { EmbeddedTokenizer } from './tokenizer';
import { NeedMoreBytes, readString, readU32, readU64, type Cursor } from './cursor';
import { ggufMetadataText, GgufValue, readValue } from './values';

export { NeedMoreBytes };

/** ggml_type numbers → dtype; types not listed (IQ1–IQ3 grids, ternary) are refused by name. */
const GGML_TYPES: Readonly<Record<number, DType>> = lookupTable({
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 6: 'Q5_0', 7: 'Q5_1', 8: 'Q8_0', 10: 'Q2_K', 11: 'Q3_K', 12: 'Q4_K', 13: 'Q5_K',
  14: 'Q6_K', 15: 'Q8_K', 20: 'IQ4_NL', 23: 'IQ4_XS', 24: 'I8', 25: 'I16', 26: 'I32', 27: 'I64', 28: 'F64', 30: 'BF16', 39: 'MXFP4',
} as Record<number, DType>);

const UNSUPPORTED_TYPES: Readonly<Record<number, string>> = lookupTable({
  9: 'Q8_1', 16: 'IQ2_XXS', 17: 'IQ2_XS', 18: 'IQ3_XXS', 19: 'IQ1_S', 21: 'IQ3_S', 22: 'IQ2_S', 29: 'IQ1_M', 34: 'TQ1_0', 35: 'TQ2_0',
} as Record<number, string>);

/** GGML_MAX_DIMS. */
const GGUF_MAX_DIMS = 4;
const DEFAULT_ALIGNMENT = 32;

export interface GgufHeader extends SafetensorsHeader {
  version: number;
  alignment: number;
  /** Metadata values as read. */
  values: Map<string, GgufValue>;
  /** The model configuration from the metadata (general.architecture and its keys). */
  config?: ConfigSummary;
  /** The tokenizer in the metadata (tokenizer.ggml.*). */
  tokenizer?: EmbeddedTokenizer;
}

/**
 * Parses a GGUF header from its first `bytes` (which may end before the header does: NeedMoreBytes asks for more).
 * Tensor offsets become absolute byte ranges in the file; every range is checked against the file's size.
 */
export function parseGgufHeader(bytes: Buffer, fileSize: number, file: string, fileIndex = 0, options: HeaderOptions = {}): GgufHeader {
  const { maxTensors, maxMetadataEntries, maxHeaderBytes } = headerLimits(options);
  const cur: Cursor = { bytes, at: 0, file, complete: bytes.length >= fileSize };
  if (fileSize < 24) throw new CheckpointError('truncated', t('file is {0} bytes, shorter than a GGUF header', fileSize), { file, byteOffset: 0 });
  if (bytes.toString('latin1', 0, 4) !== 'GGUF') throw new CheckpointError('invalid-header', t('file does not start with the GGUF magic number'), { file, byteOffset: 0 });
  const version = bytes.readUInt32LE(4);
  cur.at = 8;
  if (version !== 2 && version !== 3) {
    const hint = bytes.readUInt32BE(4) === 2 || bytes.readUInt32BE(4) === 3 ? t(' (a big-endian file, which this reader does not read)') : '';
    throw new CheckpointError('invalid-header', t('GGUF version {0} is not supported (2 and 3 are){1}', version, hint), { file, byteOffset: 4 });
  }
  const tensorCount = readCount(cur, 8);
  const kvCount = readCount(cur, 16);
  if (tensorCount > maxTensors) throw new CheckpointError('too-many-tensors', t('header holds {0} tensors, more than the limit of {1}', tensorCount, maxTensors), { file, byteOffset: 8 });
  if (kvCount > maxMetadataEntries) throw new CheckpointError('too-much-metadata', t('header holds {0} metadata entries, more than the limit of {1}', kvCount, maxMetadataEntries), { file, byteOffset: 16 });

  const values = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const keyAt = cur.at;
    const key = readString(cur);
    if (values.has(key)) throw new CheckpointError('duplicate-name', t('metadata key {0} appears more than once', quoteCapped(key)), { file, byteOffset: keyAt });
    values.set(key, readValue(cur, readU32(cur)));
  }
  const alignment = alignmentOf(values.get('general.alignment'), file);

  const infos: { name: string; ne: number[]; type: number; offset: number; at: number }[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const at = cur.at;
    const name = readString(cur);
    if (names.has(name)) throw new CheckpointError('duplicate-name', t('tensor name appears more than once in the header'), { file, tensor: name, byteOffset: at });
    names.add(name);
    const dims = readU32(cur);
    if (dims > Math.min(GGUF_MAX_DIMS, MAX_DIMS)) throw new CheckpointError('invalid-shape', t('tensor has {0} dimensions; GGUF allows at most {1}', dims, GGUF_MAX_DIMS), { file, tensor: name, byteOffset: at });
    const ne: number[] = [];
    for (let d = 0; d < dims; d++) ne.push(readU64(cur, t('dimension'), name));
    const type = readU32(cur);
    const offset = readU64(cur, t('data offset'), name);
    infos.push({ name, ne, type, offset, at });
  }
  const headerEnd = cur.at;
  if (headerEnd > maxHeaderBytes) throw tooLarge(headerEnd, maxHeaderBytes, file);
  const dataStart = Math.ceil(headerEnd / alignment) * alignment;
  const tensors = infos.map((info) => tensorInfo(info, dataStart, alignment, fileSize, file, fileIndex));
  checkOverlaps(tensors, file);
  const hiddenBytes = findHiddenBytes(tensors, dataStart, fileSize, alignment);
  if (hiddenBytes.length && (options.hiddenBytes ?? 'refuse') === 'refuse') {
    const h = hiddenBytes[0];
    throw new CheckpointError('hidden-bytes', t('bytes [{0}, {1}) of the data belong to no tensor (more than the alignment of {2} bytes)', h.begin, h.end, alignment), { file, byteOffset: h.begin });
  }
  const metadata: Record<string, string> = Object.create(null);
  for (const [key, value] of values) metadata[key] = ggufMetadataText(value);
  return { file, fileSize, headerLength: headerEnd, dataStart, tensors, metadata, hiddenBytes, version, alignment, values };
}

export function tooLarge(bytes: number, max: number, file: string): CheckpointError {
  return new CheckpointError('header-too-large', t('GGUF header is longer than the limit of {0} bytes (setting weightprint.maxHeaderBytes)', max), { file, byteOffset: Math.min(bytes, max) });
}

function alignmentOf(v: GgufValue | undefined, file: string): number {
  if (v === undefined) return DEFAULT_ALIGNMENT;
  const n = typeof v === 'number' ? v : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1 << 20 || (n & (n - 1)) !== 0) {
    throw new CheckpointError('invalid-header', t('general.alignment is not a power of two up to 1 MiB'), { file });
  }
  return n;
}

function tensorInfo(
  info: { name: string; ne: number[]; type: number; offset: number; at: number }, dataStart: number, alignment: number, fileSize: number, file: string, fileIndex: number,
): TensorInfo {
  const where = { file, tensor: info.name, byteOffset: info.at };
  const dtype = GGML_TYPES[info.type];
  if (!dtype) {
    const known = UNSUPPORTED_TYPES[info.type];
    throw new CheckpointError('unknown-dtype', known ? t('GGML type {0} is not decoded by this reader', known) : t('unknown GGML type {0}', info.type), where);
  }
  let count = 1;
  for (const d of info.ne) count *= d;
  if (!Number.isSafeInteger(count)) throw new CheckpointError('too-large', t('shape has more than 2^53 elements'), where);
  const bytes = (info.ne[0] ?? 1) % dtypeBlock(dtype).elements === 0 ? byteLength(dtype, count) : undefined;
  if (bytes === undefined) {
    throw new CheckpointError('size-mismatch', t('row length {0} is not a whole number of {1} blocks', info.ne[0] ?? 1, dtype), where);
  }
  if (info.offset % alignment !== 0) {
    throw new CheckpointError('invalid-offsets', t('data offset {0} is not a multiple of the alignment {1}', info.offset, alignment), where);
  }
  const begin = dataStart + info.offset;
  const end = begin + bytes;
  if (!Number.isSafeInteger(end) || end > fileSize) {
    throw new CheckpointError('out-of-range', t('data range [{0}, {1}) runs past the end of the {2}-byte file', begin, end, fileSize), { ...where, byteOffset: begin });
  }
  // GGUF lists the fastest-varying dimension first; the shape is written the other way round, as PyTorch and
  // safetensors write it (a [vocab, hidden] embedding is ne = [hidden, vocab]).
  return { name: info.name, dtype, shape: [...info.ne].reverse(), count, begin, end, fileIndex };
}

function readCount(cur: Cursor, at: number): number {
  cur.at = at;
  return readU64(cur, t('count'));
}
