// Test helpers for the statistics engine: a tiny safetensors writer, value encoders for every dtype, and a
// float64 reference implementation written independently of src/core/stats (sort, two-pass moments).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bf16BitsToNumber, DType, dtypeSize, e8m0BitsToNumber, f16BitsToNumber, f8e4m3BitsToNumber, f8e4m3fnuzBitsToNumber, f8e5m2BitsToNumber,
  f8e5m2fnuzBitsToNumber,
} from '../../../src/core/format/dtype';
import { encodeFloats } from '../../../src/core/format/writer';

export interface GenTensor {
  name: string;
  dtype: DType;
  shape: number[];
  data: Uint8Array;
}

export function tmpDir(prefix = 'wp-stats-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a safetensors file. `pad: false` leaves the header unpadded so the data start may be misaligned. */
export function writeSafetensorsFile(path: string, tensors: GenTensor[], options: { pad?: boolean } = {}): void {
  const header: Record<string, unknown> = {};
  let off = 0;
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * dtypeSize(t.dtype);
    if (bytes !== t.data.length) throw new Error(`${t.name}: ${t.data.length} bytes for ${bytes}`);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  if (options.pad !== false) json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([prefix, json, ...tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.length))]));
}

/** Deterministic PRNG (xorshift32) in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

export function normals(n: number, seed: number, scale = 1, offset = 0): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(r(), 1e-12);
    out[i] = offset + scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  }
  return out;
}

/** Encodes float values in a float dtype; returns the bytes and the exact values the dtype stores. */
export function encode(dtype: DType, values: ArrayLike<number>): { data: Uint8Array; exact: Float64Array } {
  const n = values.length;
  const exact = new Float64Array(n);
  switch (dtype) {
    case 'F64': { const a = Float64Array.from(values); exact.set(a); return { data: new Uint8Array(a.buffer), exact }; }
    case 'F32': { const a = Float32Array.from(values); exact.set(a); return { data: new Uint8Array(a.buffer), exact }; }
    case 'BF16': case 'F16': {
      const data = encodeFloats(dtype, values);
      const a = new Uint16Array(data.buffer, data.byteOffset, n);
      for (let i = 0; i < n; i++) exact[i] = dtype === 'BF16' ? bf16BitsToNumber(a[i]) : f16BitsToNumber(a[i]);
      return { data, exact };
    }
    default: throw new Error(`encode: ${dtype} is not a float dtype`);
  }
}

/** Random codes of an integer or 8-bit dtype, with their exact values. */
/** Values of the 16 FP4 E2M1 codes, from the OCP MX specification's table. */
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

/** A 6-bit float value from its fields, written out per format: FP6 E2M3 (bias 1) and E3M2 (bias 3). */
function fp6(dtype: 'F6_E2M3' | 'F6_E3M2', c: number): number {
  const s = c & 32 ? -1 : 1;
  if (dtype === 'F6_E2M3') { const e = (c >> 3) & 3; const m = c & 7; return s * (e === 0 ? m / 8 : (1 + m / 8) * 2 ** (e - 1)); }
  const e = (c >> 2) & 7; const m = c & 3; return s * (e === 0 ? (m / 4) * 2 ** -2 : (1 + m / 4) * 2 ** (e - 3));
}

/**
 * Sub-byte floats (F4: element 2k in the low nibble of byte k; F6: four codes in a little-endian 24-bit word) and
 * C64 (float32 pairs: `exact` holds 2n values, real and imaginary parts, as statistics count them).
 */
function packedCodes(dtype: 'F4' | 'F6_E2M3' | 'F6_E3M2' | 'C64', n: number, r: () => number): { data: Uint8Array; exact: Float64Array } {
  if (dtype === 'C64') {
    const f = Float32Array.from({ length: 2 * n }, () => (r() - 0.5) * 0.1);
    return { data: new Uint8Array(f.buffer), exact: Float64Array.from(f) };
  }
  const exact = new Float64Array(n);
  if (dtype === 'F4') {
    const data = new Uint8Array(n / 2);
    for (let i = 0; i < n; i++) { const c = Math.floor(r() * 16); data[i >> 1] |= i & 1 ? c << 4 : c; exact[i] = E2M1[c]; }
    return { data, exact };
  }
  const data = new Uint8Array((n / 4) * 3);
  for (let i = 0; i < n; i += 4) {
    let w = 0;
    for (let j = 0; j < 4; j++) { const c = Math.floor(r() * 64); w |= c << (6 * j); exact[i + j] = fp6(dtype, c); }
    data[(i / 4) * 3] = w & 255; data[(i / 4) * 3 + 1] = (w >> 8) & 255; data[(i / 4) * 3 + 2] = (w >> 16) & 255;
  }
  return { data, exact };
}

export function randomCodes(dtype: DType, n: number, seed: number): { data: Uint8Array; exact: Float64Array } {
  const r = rng(seed);
  if (dtype === 'F4' || dtype === 'F6_E2M3' || dtype === 'F6_E3M2' || dtype === 'C64') return packedCodes(dtype, n, r);
  const size = dtypeSize(dtype);
  const data = new Uint8Array(n * size);
  const exact = new Float64Array(n);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'I8': { const v = Math.floor(r() * 256) - 128; dv.setInt8(i, v); exact[i] = v; break; }
      case 'U8': { const v = Math.floor(r() * 256); dv.setUint8(i, v); exact[i] = v; break; }
      case 'BOOL': { const v = r() < 0.3 ? 1 : 0; dv.setUint8(i, v); exact[i] = v; break; }
      case 'I16': { const v = Math.round((r() - 0.5) * 2000); dv.setInt16(i * 2, v, true); exact[i] = v; break; }
      case 'U16': { const v = Math.floor(r() * 65536); dv.setUint16(i * 2, v, true); exact[i] = v; break; }
      case 'I32': { const v = Math.round((r() - 0.5) * 4e9); dv.setInt32(i * 4, v, true); exact[i] = v; break; }
      case 'U32': { const v = Math.floor(r() * 4294967296); dv.setUint32(i * 4, v, true); exact[i] = v; break; }
      case 'I64': { const v = Math.round((r() - 0.5) * 2 ** 52); dv.setBigInt64(i * 8, BigInt(v), true); exact[i] = v; break; }
      case 'U64': { const v = Math.floor(r() * 2 ** 52); dv.setBigUint64(i * 8, BigInt(v), true); exact[i] = v; break; }
      case 'F8_E4M3': case 'F8_E5M2': case 'F8_E8M0': case 'F8_E4M3FNUZ': case 'F8_E5M2FNUZ': {
        // Mostly small magnitudes, all codes possible (NaN and Inf included).
        const c = r() < 0.98 ? (Math.floor(r() * 80) + (dtype === 'F8_E8M0' ? 90 : 0)) | (dtype !== 'F8_E8M0' && r() < 0.5 ? 0x80 : 0) : Math.floor(r() * 256);
        dv.setUint8(i, c);
        exact[i] = dtype === 'F8_E4M3' ? f8e4m3BitsToNumber(c) : dtype === 'F8_E5M2' ? f8e5m2BitsToNumber(c)
          : dtype === 'F8_E4M3FNUZ' ? f8e4m3fnuzBitsToNumber(c) : dtype === 'F8_E5M2FNUZ' ? f8e5m2fnuzBitsToNumber(c) : e8m0BitsToNumber(c);
        break;
      }
      default: throw new Error(`randomCodes: ${dtype}`);
    }
  }
  return { data, exact };
}

export interface Reference {
  count: number;
  finite: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  absmax: number | null;
  l2: number | null;
  zeros: number;
  nan: number;
  posinf: number;
  neginf: number;
  skewness: number | null;
  kurtosis: number | null;
  p1: number | null;
  p50: number | null;
  p99: number | null;
  /** Linear histogram counts with the engine's documented bin rule. */
  histogram: number[] | null;
  sorted: Float64Array;
}

/** Float64 reference: sort, Neumaier-summed mean, two-pass central moments, NumPy "linear" percentiles. */
export function reference(values: ArrayLike<number>, bins = 64): Reference {
  const finite: number[] = [];
  let nan = 0, posinf = 0, neginf = 0, zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nan++;
    else if (v === Infinity) posinf++;
    else if (v === -Infinity) neginf++;
    else { finite.push(v); if (v === 0) zeros++; }
  }
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  const out: Reference = {
    count: values.length, finite: n, mean: null, std: null, min: null, max: null, absmax: null, l2: null, zeros, nan, posinf, neginf,
    skewness: null, kurtosis: null, p1: null, p50: null, p99: null, histogram: null, sorted,
  };
  if (n === 0) return out;
  let sum = 0, c = 0;
  for (const v of sorted) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  const mean = (sum + c) / n;
  let m2 = 0, m3 = 0, m4 = 0, sq = 0;
  for (const v of sorted) {
    const d = v - mean;
    m2 += d * d; m3 += d * d * d; m4 += d * d * d * d; sq += v * v;
  }
  out.mean = mean;
  out.std = Math.sqrt(m2 / n);
  out.min = sorted[0];
  out.max = sorted[n - 1];
  out.absmax = Math.max(Math.abs(out.min), Math.abs(out.max));
  out.l2 = Math.sqrt(sq);
  if (m2 > 0) {
    out.skewness = Math.sqrt(n) * m3 / m2 ** 1.5;
    out.kurtosis = n * m4 / (m2 * m2) - 3;
  }
  const pct = (q: number) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  out.p1 = pct(0.01); out.p50 = pct(0.5); out.p99 = pct(0.99);
  let lo = out.min, hi = out.max;
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const h = new Array<number>(bins).fill(0);
  for (const v of sorted) {
    let b = Math.floor(((v - lo) / (hi - lo)) * bins);
    if (b < 0) b = 0; else if (b >= bins) b = bins - 1;
    h[b]++;
  }
  out.histogram = h;
  return out;
}
