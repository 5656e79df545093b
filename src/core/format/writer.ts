// Writes safetensors files: for the demo set, test fixtures and benchmarks. Tensors are given as raw bytes.
import { open } from 'node:fs/promises';
import { byteLength, DType } from './dtype';

export interface TensorToWrite {
  name: string;
  dtype: DType;
  shape: number[];
  /** Raw little-endian bytes; omitted for a zero-filled (sparse) tensor. */
  data?: Uint8Array;
}

/** Header JSON bytes padded with spaces to a multiple of 8, as the reference implementation does. */
export function encodeHeader(tensors: TensorToWrite[], metadata?: Record<string, string>): { json: Buffer; dataBytes: number } {
  const header: Record<string, unknown> = Object.create(null);
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const bytes = byteLength(t.dtype, t.shape.reduce((a, b) => a * b, 1)) ?? NaN;
    // l10n-ignore: a caller's programming error (demo, fixtures, benchmarks), not a message for a reviewer
    if (t.data && t.data.length !== bytes) throw new Error(`${t.name}: ${t.data.length} bytes given, shape needs ${bytes}`);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  return { json, dataBytes: offset };
}

export async function writeSafetensors(path: string, tensors: TensorToWrite[], metadata?: Record<string, string>): Promise<void> {
  const { json, dataBytes } = encodeHeader(tensors, metadata);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  const handle = await open(path, 'w');
  try {
    await handle.write(prefix, 0, 8, 0);
    await handle.write(json, 0, json.length, 8);
    let pos = 8 + json.length;
    for (const t of tensors) {
      const bytes = byteLength(t.dtype, t.shape.reduce((a, b) => a * b, 1)) ?? NaN;
      if (t.data && bytes > 0) await handle.write(t.data, 0, bytes, pos);
      pos += bytes;
    }
    // Sparse tensors at the end still need the file to be long enough.
    await handle.truncate(8 + json.length + dataBytes);
  } finally {
    await handle.close();
  }
}

/** Little-endian bytes of float values in a float dtype (F32/F64/F16/BF16 by rounding to nearest even). */
export function encodeFloats(dtype: 'F32' | 'F64' | 'F16' | 'BF16', values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  if (dtype === 'F64') return new Uint8Array(Float64Array.from(values).buffer);
  const f32 = Float32Array.from(values);
  if (dtype === 'F32') return new Uint8Array(f32.buffer);
  const out = new Uint16Array(n);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < n; i++) out[i] = dtype === 'BF16' ? float32BitsToBf16(u32[i]) : float32ToF16(f32[i]);
  return new Uint8Array(out.buffer);
}

function float32BitsToBf16(bits: number): number {
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return ((bits >>> 16) | 0x40) & 0xffff;
  const rounding = 0x7fff + ((bits >>> 16) & 1);
  return ((bits + rounding) >>> 16) & 0xffff;
}

function float32ToF16(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -24 / 2) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let exp = Math.floor(Math.log2(a));
  let mant = Math.round((a / 2 ** exp - 1) * 1024);
  if (mant === 1024) { mant = 0; exp++; }
  if (exp > 15) return sign | 0x7c00;
  return sign | ((exp + 15) << 10) | mant;
}
