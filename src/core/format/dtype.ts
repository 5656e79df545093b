// Tensor dtypes: how many bytes hold how many elements, and exact decoding to JavaScript numbers. Element dtypes have
// a byte size of their own; block dtypes (blocks.ts) pack several elements into a run of bytes.
import { lookupTable } from '../lookup';
import { BLOCK_LAYOUTS, type BlockDType } from './blocks';

/** Every dtype of the safetensors format (its reference implementation's list). */
export const SAFETENSORS_DTYPES = [
  'F64', 'F32', 'F16', 'BF16', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ', 'F6_E2M3', 'F6_E3M2', 'F4',
  'C64', 'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL',
] as const;
/** GGML's quantised block types, as GGUF stores them (their names in ggml). */
export const GGML_BLOCK_DTYPES = ['Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K', 'IQ4_NL', 'IQ4_XS', 'MXFP4'] as const;
export const DTYPES = [...SAFETENSORS_DTYPES, ...GGML_BLOCK_DTYPES] as const;
export type DType = (typeof DTYPES)[number];

const ELEMENT_SIZES = lookupTable({
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1, F8_E8M0: 1, F8_E4M3FNUZ: 1, F8_E5M2FNUZ: 1, C64: 8,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
}) satisfies Readonly<Record<Exclude<DType, BlockDType>, number>>;

/** Names other writers use for the same dtype (the dtype text is untrusted: no prototype to answer "constructor"). */
const ALIASES: Readonly<Record<string, DType>> = lookupTable({ E8M0: 'F8_E8M0' });

/** A dtype name of a safetensors header. */
export function parseDType(text: string): DType | undefined {
  if ((SAFETENSORS_DTYPES as readonly string[]).includes(text)) return text as DType;
  return ALIASES[text];
}

/** A dtype name as Weightprint writes it (fingerprints, library index): any format's. */
export function parseAnyDType(text: string): DType | undefined {
  if ((DTYPES as readonly string[]).includes(text)) return text as DType;
  return ALIASES[text];
}

export function isBlockDType(dtype: DType): dtype is BlockDType {
  return Object.hasOwn(BLOCK_LAYOUTS, dtype);
}

/** Elements per block and bytes per block (1 and the element size for element dtypes). */
export function dtypeBlock(dtype: DType): { elements: number; bytes: number } {
  return isBlockDType(dtype) ? BLOCK_LAYOUTS[dtype] : { elements: 1, bytes: ELEMENT_SIZES[dtype] };
}

/** Bytes per element: a fraction for block dtypes (0.5 for F4, 34/32 for Q8_0). Byte offsets come from elementBytes. */
export function dtypeSize(dtype: DType): number {
  const b = dtypeBlock(dtype);
  return b.bytes / b.elements;
}

/** Bytes of `count` elements, or undefined when `count` is not a whole number of blocks. */
export function byteLength(dtype: DType, count: number): number | undefined {
  const b = dtypeBlock(dtype);
  return count % b.elements === 0 ? (count / b.elements) * b.bytes : undefined;
}

/**
 * The bytes to read for elements [first, first + count) of a tensor, relative to its start: whole blocks, and the
 * elements of the first block to skip.
 */
export function elementSpan(dtype: DType, first: number, count: number): { byteStart: number; byteEnd: number; skip: number } {
  const b = dtypeBlock(dtype);
  const block0 = Math.floor(first / b.elements);
  const block1 = Math.ceil((first + count) / b.elements);
  return { byteStart: block0 * b.bytes, byteEnd: block1 * b.bytes, skip: first - block0 * b.elements };
}

export function isFloatDType(dtype: DType): boolean {
  return dtype.startsWith('F') || dtype === 'BF16' || isBlockDType(dtype);
}

/** IEEE half precision, including subnormals, infinities and NaN. */
export function f16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

export function bf16BitsToNumber(bits: number): number {
  u32Scratch[0] = (bits & 0xffff) << 16;
  return f32Scratch[0];
}

/**
 * An 8-bit float: a sign bit, `e` exponent bits of bias `bias` and 7 − e mantissa bits. Special codes by family:
 * 'ieee' (infinities and NaNs at the top exponent), 'fn' (no infinities; only all-ones is NaN), 'fnuz' (no
 * infinities, no negative zero; 0x80 is the one NaN).
 */
function fp8BitsToNumber(bits: number, e: number, bias: number, kind: 'ieee' | 'fn' | 'fnuz'): number {
  if (kind === 'fnuz' && bits === 0x80) return NaN;
  const m = 7 - e;
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> m) & ((1 << e) - 1);
  const mant = bits & ((1 << m) - 1);
  const top = (1 << e) - 1;
  if (kind === 'ieee' && exp === top) return mant ? NaN : sign * Infinity;
  if (kind === 'fn' && exp === top && mant === (1 << m) - 1) return NaN;
  if (exp === 0) return sign * mant * 2 ** (1 - bias - m);
  return sign * (1 + mant / (1 << m)) * 2 ** (exp - bias);
}

/** OCP FP8 E4M3 ("FN" variant used by safetensors/PyTorch): no infinities, S.1111.111 is NaN, max 448. */
export const f8e4m3BitsToNumber = (bits: number): number => fp8BitsToNumber(bits, 4, 7, 'fn');
/** OCP FP8 E5M2: IEEE-like, with infinities and NaN. */
export const f8e5m2BitsToNumber = (bits: number): number => fp8BitsToNumber(bits, 5, 15, 'ieee');
/** FP8 E4M3 FNUZ (Graphcore/AMD, torch.float8_e4m3fnuz): bias 8, max 240. */
export const f8e4m3fnuzBitsToNumber = (bits: number): number => fp8BitsToNumber(bits, 4, 8, 'fnuz');
/** FP8 E5M2 FNUZ (torch.float8_e5m2fnuz): bias 16, max 57344. */
export const f8e5m2fnuzBitsToNumber = (bits: number): number => fp8BitsToNumber(bits, 5, 16, 'fnuz');

/** OCP E8M0 scale: an unsigned power of two, 0xff is NaN. */
export function e8m0BitsToNumber(bits: number): number {
  return bits === 0xff ? NaN : 2 ** (bits - 127);
}

let f16Table: Float32Array | undefined;
const f8Tables: Partial<Record<F8DType, Float32Array>> = {};
let e8m0Table: Float64Array | undefined;

type F8DType = 'F8_E4M3' | 'F8_E5M2' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ';
const F8_DECODERS: Record<F8DType, (bits: number) => number> = {
  F8_E4M3: f8e4m3BitsToNumber, F8_E5M2: f8e5m2BitsToNumber, F8_E4M3FNUZ: f8e4m3fnuzBitsToNumber, F8_E5M2FNUZ: f8e5m2fnuzBitsToNumber,
};

/** Lookup table of all 65,536 half-precision codes (exact in float32). */
export function f16Table65536(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = f16BitsToNumber(i);
  }
  return f16Table;
}

/** Lookup table of the 256 codes of a float8 dtype (exact in float32). */
export function f8Table(dtype: F8DType): Float32Array {
  return (f8Tables[dtype] ??= Float32Array.from({ length: 256 }, (_, i) => F8_DECODERS[dtype](i)));
}

function e8m0Table256(): Float64Array {
  if (!e8m0Table) {
    e8m0Table = new Float64Array(256);
    for (let i = 0; i < 256; i++) e8m0Table[i] = e8m0BitsToNumber(i);
  }
  return e8m0Table;
}

/**
 * Decodes `count` little-endian elements of `dtype` from `bytes` (starting at `byteOffset`) into `out`.
 * 64-bit integers beyond 2^53 lose precision (they become the nearest double).
 */
export function decodeInto(
  dtype: DType, bytes: Uint8Array, byteOffset: number, count: number, out: Float64Array | Float32Array,
): void {
  if (isBlockDType(dtype)) {
    decodeBlocksInto(dtype, bytes, byteOffset, 0, count, out);
    return;
  }
  if (dtype === 'C64') throw new Error('decodeInto: C64 is read through realView'); // l10n-ignore: a caller's programming error
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * ELEMENT_SIZES[dtype]);
  switch (dtype) {
    case 'F64': for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true); break;
    case 'F32': for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true); break;
    case 'F16': { const t = f16Table65536(); for (let i = 0; i < count; i++) out[i] = t[view.getUint16(i * 2, true)]; break; }
    case 'BF16': for (let i = 0; i < count; i++) out[i] = bf16BitsToNumber(view.getUint16(i * 2, true)); break;
    case 'F8_E4M3': case 'F8_E5M2': case 'F8_E4M3FNUZ': case 'F8_E5M2FNUZ': {
      const t = f8Table(dtype);
      for (let i = 0; i < count; i++) out[i] = t[view.getUint8(i)];
      break;
    }
    case 'F8_E8M0': { const t = e8m0Table256(); for (let i = 0; i < count; i++) out[i] = t[view.getUint8(i)]; break; }
    case 'I64': for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true)); break;
    case 'U64': for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(i * 8, true)); break;
    case 'I32': for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true); break;
    case 'U32': for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true); break;
    case 'I16': for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true); break;
    case 'U16': for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true); break;
    case 'I8': for (let i = 0; i < count; i++) out[i] = view.getInt8(i); break;
    case 'U8': for (let i = 0; i < count; i++) out[i] = view.getUint8(i); break;
    case 'BOOL': for (let i = 0; i < count; i++) out[i] = view.getUint8(i) ? 1 : 0; break;
  }
}

/**
 * Elements [skip, skip + count) of the blocks that start at bytes[byteOffset], into out[0, count): whole blocks are
 * decoded in place, a partial first or last block through a scratch block.
 */
export function decodeBlocksInto(
  dtype: BlockDType, bytes: Uint8Array, byteOffset: number, skip: number, count: number, out: Float64Array | Float32Array,
): void {
  const { elements: E, bytes: B, decode: decodeBlock } = BLOCK_LAYOUTS[dtype];
  const f16 = f16Table65536();
  const scratch = blockScratch;
  let k = 0;
  let block = Math.floor(skip / E);
  let within = skip - block * E;
  while (k < count) {
    const o = byteOffset + block * B;
    const take = Math.min(E - within, count - k);
    if (within === 0 && take === E) {
      decodeBlock(bytes, o, out, k, f16);
    } else {
      decodeBlock(bytes, o, scratch, 0, f16);
      for (let j = 0; j < take; j++) out[k + j] = scratch[within + j];
    }
    k += take;
    block++;
    within = 0;
  }
}

const blockScratch = new Float32Array(256);

export function decode(dtype: DType, bytes: Uint8Array, byteOffset = 0, count?: number): Float64Array {
  const b = dtypeBlock(dtype);
  const n = count ?? Math.floor((bytes.length - byteOffset) / b.bytes) * b.elements;
  const out = new Float64Array(n);
  decodeInto(dtype, bytes, byteOffset, n, out);
  return out;
}
