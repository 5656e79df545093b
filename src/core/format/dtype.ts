// safetensors dtypes: element sizes and exact decoding to JavaScript numbers.
import { lookupTable } from '../lookup';

export const DTYPES = [
  'F64', 'F32', 'F16', 'BF16', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ',
  'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL',
] as const;
export type DType = (typeof DTYPES)[number];

const SIZES: Readonly<Record<DType, number>> = lookupTable({
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1, F8_E8M0: 1, F8_E4M3FNUZ: 1, F8_E5M2FNUZ: 1,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
});

/** Names other writers use for the same dtype (the dtype text is untrusted: no prototype to answer "constructor"). */
const ALIASES: Readonly<Record<string, DType>> = lookupTable({ E8M0: 'F8_E8M0' });

export function parseDType(text: string): DType | undefined {
  if ((DTYPES as readonly string[]).includes(text)) return text as DType;
  return ALIASES[text];
}

export function dtypeSize(dtype: DType): number {
  return SIZES[dtype];
}

export function isFloatDType(dtype: DType): boolean {
  return dtype.startsWith('F') || dtype === 'BF16';
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

/** OCP FP8 E4M3 ("FN" variant used by safetensors/PyTorch): no infinities, S.1111.111 is NaN, max 448. */
export function f8e4m3BitsToNumber(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> 3) & 0xf;
  const mant = bits & 0x7;
  if (exp === 0xf && mant === 0x7) return NaN;
  if (exp === 0) return sign * mant * 2 ** -9;
  return sign * (1 + mant / 8) * 2 ** (exp - 7);
}

/** OCP FP8 E5M2: IEEE-like, with infinities and NaN. */
export function f8e5m2BitsToNumber(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> 2) & 0x1f;
  const mant = bits & 0x3;
  if (exp === 0) return sign * mant * 2 ** -16;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 4) * 2 ** (exp - 15);
}

/**
 * FP8 E4M3 FNUZ (Graphcore/AMD, torch.float8_e4m3fnuz): exponent bias 8, no infinities and no negative zero; the
 * code 0x80 is the one NaN; max 240.
 */
export function f8e4m3fnuzBitsToNumber(bits: number): number {
  if (bits === 0x80) return NaN;
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> 3) & 0xf;
  const mant = bits & 0x7;
  if (exp === 0) return sign * mant * 2 ** -10;
  return sign * (1 + mant / 8) * 2 ** (exp - 8);
}

/** FP8 E5M2 FNUZ (torch.float8_e5m2fnuz): exponent bias 16, no infinities, no negative zero, 0x80 is NaN; max 57344. */
export function f8e5m2fnuzBitsToNumber(bits: number): number {
  if (bits === 0x80) return NaN;
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> 2) & 0x1f;
  const mant = bits & 0x3;
  if (exp === 0) return sign * mant * 2 ** -17;
  return sign * (1 + mant / 4) * 2 ** (exp - 16);
}

/** OCP E8M0 scale: an unsigned power of two, 0xff is NaN. */
export function e8m0BitsToNumber(bits: number): number {
  return bits === 0xff ? NaN : 2 ** (bits - 127);
}

let f16Table: Float32Array | undefined;
let f8e4m3Table: Float32Array | undefined;
let f8e5m2Table: Float32Array | undefined;
const f8FnuzTables: Partial<Record<'F8_E4M3FNUZ' | 'F8_E5M2FNUZ', Float32Array>> = {};
let e8m0Table: Float64Array | undefined;

/** Lookup table of all 65,536 half-precision codes (exact in float32). */
export function f16Table65536(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = f16BitsToNumber(i);
  }
  return f16Table;
}

export function f8Table(dtype: 'F8_E4M3' | 'F8_E5M2' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ'): Float32Array {
  if (dtype === 'F8_E4M3FNUZ' || dtype === 'F8_E5M2FNUZ') {
    let table = f8FnuzTables[dtype];
    if (!table) {
      const decodeBits = dtype === 'F8_E4M3FNUZ' ? f8e4m3fnuzBitsToNumber : f8e5m2fnuzBitsToNumber;
      table = f8FnuzTables[dtype] = Float32Array.from({ length: 256 }, (_, i) => decodeBits(i));
    }
    return table;
  }
  if (dtype === 'F8_E4M3') {
    if (!f8e4m3Table) {
      f8e4m3Table = new Float32Array(256);
      for (let i = 0; i < 256; i++) f8e4m3Table[i] = f8e4m3BitsToNumber(i);
    }
    return f8e4m3Table;
  }
  if (!f8e5m2Table) {
    f8e5m2Table = new Float32Array(256);
    for (let i = 0; i < 256; i++) f8e5m2Table[i] = f8e5m2BitsToNumber(i);
  }
  return f8e5m2Table;
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
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * SIZES[dtype]);
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

export function decode(dtype: DType, bytes: Uint8Array, byteOffset = 0, count?: number): Float64Array {
  const n = count ?? Math.floor((bytes.length - byteOffset) / SIZES[dtype]);
  const out = new Float64Array(n);
  decodeInto(dtype, bytes, byteOffset, n, out);
  return out;
}
