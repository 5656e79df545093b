// A small GGUF writer for the tests: llama.cpp's layout (magic, version, counts, metadata, tensor infos, aligned
// data), llama.cpp's names and its q/k row interleaving, and simple quantisers for Q8_0, Q4_K and Q6_K blocks. The
// quantisers are not llama.cpp's (they search no scales) but write valid blocks of the same layout; the dequantiser
// here works element by element from the layout, independently of src/core/format/blocks.ts.
import { writeFileSync } from 'node:fs';
import { encodeFloats } from '../../../src/core/format/writer';
import { f16BitsToNumber } from '../../../src/core/format/dtype';
import type { Model } from '../../fixtures/models';

export type GgufType = 'F32' | 'F16' | 'Q8_0' | 'Q4_K' | 'Q6_K';
const TYPE_IDS: Record<GgufType, number> = { F32: 0, F16: 1, Q8_0: 8, Q4_K: 12, Q6_K: 14 };
const BLOCK: Record<GgufType, [number, number]> = { F32: [1, 4], F16: [1, 2], Q8_0: [32, 34], Q4_K: [256, 144], Q6_K: [256, 210] };

export type MetaValue = string | number | boolean | string[] | { u64: bigint } | { f32: number } | { i32s: number[] };

export interface GgufTensor {
  name: string;
  /** Shape as PyTorch writes it ([out, in]); GGUF stores it reversed. */
  shape: number[];
  type: GgufType;
  data: Uint8Array;
}

const f16 = (x: number): number => new Uint16Array(encodeFloats('F16', [x]).buffer)[0];
const half = (bits: number): number => f16BitsToNumber(bits);

function q8_0(x: Float32Array): Uint8Array {
  const out = new Uint8Array((x.length / 32) * 34);
  for (let b = 0; b < x.length / 32; b++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[b * 32 + j]));
    const d = amax / 127;
    const bits = f16(d);
    out[b * 34] = bits & 255; out[b * 34 + 1] = bits >> 8;
    for (let j = 0; j < 32; j++) out[b * 34 + 2 + j] = (d ? Math.round(x[b * 32 + j] / d) : 0) & 255;
  }
  return out;
}

function q4_k(x: Float32Array): Uint8Array {
  const out = new Uint8Array((x.length / 256) * 144);
  for (let b = 0; b < x.length / 256; b++) {
    const o = b * 144;
    const scale: number[] = []; const mins: number[] = [];
    for (let s = 0; s < 8; s++) {
      let lo = Infinity; let hi = -Infinity;
      for (let j = 0; j < 32; j++) { const v = x[b * 256 + s * 32 + j]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
      const min = Math.max(0, -lo);
      scale.push((hi + min) / 15); mins.push(min);
    }
    const d = half(f16(Math.max(...scale) / 63)); const dmin = half(f16(Math.max(...mins) / 63));
    const sc = scale.map((s) => (d ? Math.min(63, Math.round(s / d)) : 0));
    const m = mins.map((v) => (dmin ? Math.min(63, Math.round(v / dmin)) : 0));
    const db = f16(d); const mb = f16(dmin);
    out[o] = db & 255; out[o + 1] = db >> 8; out[o + 2] = mb & 255; out[o + 3] = mb >> 8;
    for (let j = 0; j < 4; j++) {
      out[o + 4 + j] = sc[j] | ((sc[j + 4] >> 4) << 6);
      out[o + 8 + j] = m[j] | ((m[j + 4] >> 4) << 6);
      out[o + 12 + j] = (sc[j + 4] & 15) | ((m[j + 4] & 15) << 4);
    }
    for (let s = 0; s < 8; s++) {
      const step = d * sc[s]; const shift = dmin * m[s];
      for (let j = 0; j < 32; j++) {
        const q = step ? Math.max(0, Math.min(15, Math.round((x[b * 256 + s * 32 + j] + shift) / step))) : 0;
        out[o + 16 + (s >> 1) * 32 + j] |= s & 1 ? q << 4 : q;
      }
    }
  }
  return out;
}

function q6_k(x: Float32Array): Uint8Array {
  const out = new Uint8Array((x.length / 256) * 210);
  for (let b = 0; b < x.length / 256; b++) {
    const o = b * 210;
    const subs: number[] = [];
    for (let s = 0; s < 16; s++) {
      let amax = 0;
      for (let j = 0; j < 16; j++) amax = Math.max(amax, Math.abs(x[b * 256 + s * 16 + j]));
      subs.push(amax / 31);
    }
    const d = half(f16(Math.max(...subs) / 127));
    const db = f16(d);
    out[o + 208] = db & 255; out[o + 209] = db >> 8;
    for (let s = 0; s < 16; s++) {
      const sc = d ? Math.min(127, Math.round(subs[s] / d)) : 0;
      out[o + 192 + s] = sc & 255;
      for (let j = 0; j < 16; j++) {
        const e = s * 16 + j; // element within the block
        const q = (sc ? Math.max(-32, Math.min(31, Math.round(x[b * 256 + e] / (d * sc)))) : 0) + 32;
        const [ql, qh, shift] = q6Place(e);
        out[o + ql] |= shift >= 4 ? (q & 15) << 4 : q & 15;
        out[o + 128 + qh] |= (q >> 4) << shift;
      }
    }
  }
  return out;
}

/** Where element e (0…255) of a Q6_K block keeps its low nibble (ql byte) and high bits (qh byte), and which quarter it is. */
function q6Place(e: number): [number, number, number] {
  const n = e >> 7; const r = e & 127; const quarter = r >> 5; const l = r & 31;
  const ql = n * 64 + (quarter & 1 ? 32 : 0) + l;
  const qh = n * 32 + l;
  return [ql, qh, [0, 2, 4, 6][quarter]];
}

/** Values element by element from the block layouts (independent of blocks.ts). */
export function referenceDequant(type: GgufType, data: Uint8Array, count: number): Float64Array {
  const out = new Float64Array(count);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < count; i++) {
    if (type === 'F32') { out[i] = dv.getFloat32(i * 4, true); continue; }
    if (type === 'F16') { out[i] = half(dv.getUint16(i * 2, true)); continue; }
    if (type === 'Q8_0') { const o = Math.floor(i / 32) * 34; out[i] = half(dv.getUint16(o, true)) * dv.getInt8(o + 2 + (i % 32)); continue; }
    const e = i % 256;
    if (type === 'Q4_K') {
      const o = Math.floor(i / 256) * 144;
      const s = e >> 5;
      const sc = s < 4 ? data[o + 4 + s] & 63 : (data[o + 12 + s - 4] & 15) | ((data[o + 4 + s - 4] >> 6) << 4);
      const m = s < 4 ? data[o + 8 + s] & 63 : (data[o + 12 + s - 4] >> 4) | ((data[o + 8 + s - 4] >> 6) << 4);
      const byte = data[o + 16 + (s >> 1) * 32 + (e & 31)];
      const q = s & 1 ? byte >> 4 : byte & 15;
      out[i] = half(dv.getUint16(o, true)) * sc * q - half(dv.getUint16(o + 2, true)) * m;
      continue;
    }
    const o = Math.floor(i / 256) * 210;
    const [ql, qh, shift] = q6Place(e);
    const low = shift >= 4 ? data[o + ql] >> 4 : data[o + ql] & 15;
    const high = (data[o + 128 + qh] >> shift) & 3;
    out[i] = half(dv.getUint16(o + 208, true)) * dv.getInt8(o + 192 + (e >> 4)) * ((low | (high << 4)) - 32);
  }
  return out;
}

/** Quantises or casts float values to a GGUF type. */
export function quantise(type: GgufType, values: Float32Array): Uint8Array {
  if (type === 'F32') return new Uint8Array(Float32Array.from(values).buffer);
  if (type === 'F16') return encodeFloats('F16', values);
  if (type === 'Q8_0') return q8_0(values);
  return type === 'Q4_K' ? q4_k(values) : q6_k(values);
}

/** llama.cpp's converter (`permute`): within each head, the two halves of its rows interleaved. */
export function interleaveRows(data: Float32Array, rows: number, heads: number): Float32Array {
  const cols = data.length / rows; const d = rows / heads; const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < 2; j++) {
      for (let i = 0; i < d / 2; i++) out.set(data.subarray((h * d + j * (d / 2) + i) * cols, (h * d + j * (d / 2) + i + 1) * cols), (h * d + 2 * i + j) * cols);
    }
  }
  return out;
}

const HF_TO_GGUF: [RegExp, string][] = [
  [/^model\.embed_tokens\.weight$/, 'token_embd.weight'], [/^lm_head\.weight$/, 'output.weight'], [/^model\.norm\.weight$/, 'output_norm.weight'],
  [/^model\.layers\.(\d+)\.self_attn\.q_proj\./, 'blk.$1.attn_q.'], [/^model\.layers\.(\d+)\.self_attn\.k_proj\./, 'blk.$1.attn_k.'],
  [/^model\.layers\.(\d+)\.self_attn\.v_proj\./, 'blk.$1.attn_v.'], [/^model\.layers\.(\d+)\.self_attn\.o_proj\./, 'blk.$1.attn_output.'],
  [/^model\.layers\.(\d+)\.mlp\.gate_proj\./, 'blk.$1.ffn_gate.'], [/^model\.layers\.(\d+)\.mlp\.up_proj\./, 'blk.$1.ffn_up.'],
  [/^model\.layers\.(\d+)\.mlp\.down_proj\./, 'blk.$1.ffn_down.'], [/^model\.layers\.(\d+)\.input_layernorm\./, 'blk.$1.attn_norm.'],
  [/^model\.layers\.(\d+)\.post_attention_layernorm\./, 'blk.$1.ffn_norm.'],
];

export const ggufName = (hf: string): string => HF_TO_GGUF.reduce((n, [re, to]) => n.replace(re, to), hf);

/**
 * A Hugging Face-layout Llama model as llama.cpp's converter writes it: GGUF names, q/k rows interleaved, norms in
 * F32 and matrices in `type` (Q8_0 for rows that are not whole K-quant blocks, as llama.cpp falls back).
 */
export function ggufFromModel(m: Model, type: GgufType, heads: number): GgufTensor[] {
  return m.map((t) => {
    const name = ggufName(t.name);
    let data = t.data;
    if (/attn_[qk]\.weight$/.test(name)) data = interleaveRows(data, t.shape[0], heads);
    const cols = t.shape[t.shape.length - 1];
    const blockOk = cols % BLOCK[type][0] === 0;
    const tt: GgufType = t.shape.length < 2 ? 'F32' : blockOk ? type : 'Q8_0';
    return { name, shape: t.shape, type: tt, data: quantise(tt, data) };
  });
}

function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; }
function u64(n: number | bigint): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; }
function str(s: string): Buffer { const b = Buffer.from(s, 'utf8'); return Buffer.concat([u64(b.length), b]); }

function metaValue(v: MetaValue): Buffer {
  if (typeof v === 'string') return Buffer.concat([u32(8), str(v)]);
  if (typeof v === 'boolean') return Buffer.concat([u32(7), Buffer.from([v ? 1 : 0])]);
  if (typeof v === 'number') return Buffer.concat([u32(4), u32(v)]);
  if (Array.isArray(v)) return Buffer.concat([u32(9), u32(8), u64(v.length), ...v.map(str)]);
  if ('u64' in v) return Buffer.concat([u32(10), u64(v.u64)]);
  if ('f32' in v) { const b = Buffer.alloc(4); b.writeFloatLE(v.f32); return Buffer.concat([u32(6), b]); }
  const b = Buffer.alloc(4 * v.i32s.length);
  v.i32s.forEach((x, i) => b.writeInt32LE(x, i * 4));
  return Buffer.concat([u32(9), u32(5), u64(v.i32s.length), b]);
}

export interface GgufFileOptions {
  version?: number;
  alignment?: number;
  /** Bytes appended after the last tensor's padding. */
  trailing?: number;
}

/** The bytes of a GGUF file. */
export function ggufBytes(tensors: GgufTensor[], metadata: Record<string, MetaValue>, options: GgufFileOptions = {}): Buffer {
  const alignment = options.alignment ?? 32;
  const meta = Object.entries(metadata);
  const parts: Buffer[] = [Buffer.from('GGUF', 'latin1'), u32(options.version ?? 3), u64(tensors.length), u64(meta.length)];
  for (const [k, v] of meta) parts.push(str(k), metaValue(v));
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    offsets.push(offset);
    parts.push(str(t.name), u32(t.shape.length), ...[...t.shape].reverse().map((d) => u64(d)), u32(TYPE_IDS[t.type]), u64(offset));
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  const head = Buffer.concat(parts);
  const dataStart = Math.ceil(head.length / alignment) * alignment;
  const out = Buffer.alloc(dataStart + offset + (options.trailing ?? 0));
  head.copy(out);
  tensors.forEach((t, i) => out.set(t.data, dataStart + offsets[i]));
  return out;
}

export function writeGguf(path: string, tensors: GgufTensor[], metadata: Record<string, MetaValue>, options?: GgufFileOptions): string {
  writeFileSync(path, ggufBytes(tensors, metadata, options));
  return path;
}

/** llama.cpp's metadata for a Llama model of these dimensions. */
export function llamaMetadata(heads: number, layers: number, name = 'test-llama'): Record<string, MetaValue> {
  return {
    'general.architecture': 'llama', 'general.name': name, 'general.quantization_version': 2, 'general.alignment': 32,
    'llama.block_count': layers, 'llama.attention.head_count': heads, 'llama.attention.head_count_kv': heads,
    'tokenizer.ggml.model': 'llama', 'tokenizer.ggml.tokens': ['<unk>', '<s>', '</s>', 'a', 'b'],
  };
}
