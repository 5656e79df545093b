// Every GGML block type against an element-by-element reading of its layout (ggml-quants.c's block structs): random
// blocks with sane scales, each element computed on its own here and compared with the block decoders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, decodeBlocksInto, f16BitsToNumber, type DType } from '../../src/core/format/dtype';
import type { BlockDType } from '../../src/core/format/blocks';

const h = (b: Uint8Array, o: number): number => f16BitsToNumber(b[o] | (b[o + 1] << 8));
const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const IQ4 = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
const MXFP4 = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

/** Scale and min of sub-block j of a Q4_K/Q5_K block (get_scale_min_k4). */
function k4(b: Uint8Array, s: number, j: number): [number, number] {
  return j < 4 ? [b[s + j] & 63, b[s + j + 4] & 63] : [(b[s + j + 4] & 15) | ((b[s + j - 4] >> 6) << 4), (b[s + j + 4] >> 4) | ((b[s + j] >> 6) << 4)];
}

/** The 16 signed scales of a Q3_K block, unpacked with ggml's 32-bit mask arithmetic. */
function q3Scales(b: Uint8Array, s: number): number[] {
  const aux = [u32(b, s), u32(b, s + 4), u32(b, s + 8), 0];
  const tmp = aux[2];
  const m1 = 0x03030303; const m2 = 0x0f0f0f0f;
  aux[2] = ((aux[0] >>> 4) & m2) | (((tmp >>> 4) & m1) << 4);
  aux[3] = ((aux[1] >>> 4) & m2) | (((tmp >>> 6) & m1) << 4);
  aux[0] = (aux[0] & m2) | (((tmp >>> 0) & m1) << 4);
  aux[1] = (aux[1] & m2) | (((tmp >>> 2) & m1) << 4);
  const out: number[] = [];
  for (const w of aux) for (let k = 0; k < 4; k++) out.push(((w >>> (8 * k)) & 255) - 32);
  return out;
}

type Layout = { elements: number; bytes: number; halves: number[]; element: (b: Uint8Array, e: number) => number };

const nib = (byte: number, high: boolean) => (high ? byte >> 4 : byte & 15);

const LAYOUTS: Record<string, Layout> = {
  Q4_0: { elements: 32, bytes: 18, halves: [0], element: (b, e) => h(b, 0) * (nib(b[2 + (e & 15)], e >= 16) - 8) },
  Q4_1: { elements: 32, bytes: 20, halves: [0, 2], element: (b, e) => h(b, 0) * nib(b[4 + (e & 15)], e >= 16) + h(b, 2) },
  Q5_0: { elements: 32, bytes: 22, halves: [0], element: (b, e) => h(b, 0) * ((nib(b[6 + (e & 15)], e >= 16) | (((u32(b, 2) >>> e) & 1) << 4)) - 16) },
  Q5_1: { elements: 32, bytes: 24, halves: [0, 2], element: (b, e) => h(b, 0) * (nib(b[8 + (e & 15)], e >= 16) | (((u32(b, 4) >>> e) & 1) << 4)) + h(b, 2) },
  Q8_0: { elements: 32, bytes: 34, halves: [0], element: (b, e) => h(b, 0) * ((b[2 + e] << 24) >> 24) },
  IQ4_NL: { elements: 32, bytes: 18, halves: [0], element: (b, e) => h(b, 0) * IQ4[nib(b[2 + (e & 15)], e >= 16)] },
  MXFP4: { elements: 32, bytes: 17, halves: [], element: (b, e) => 2 ** (b[0] - 128) * MXFP4[nib(b[1 + (e & 15)], e >= 16)] },
  Q2_K: {
    elements: 256, bytes: 84, halves: [80, 82], element: (b, e) => {
      const n = e >> 7; const r = e & 127; const shift = r >> 5; const l = r & 31;
      const sc = b[n * 8 + shift * 2 + (l >> 4)];
      return h(b, 80) * (sc & 15) * ((b[16 + n * 32 + l] >> (2 * shift)) & 3) - h(b, 82) * (sc >> 4);
    },
  },
  Q3_K: {
    elements: 256, bytes: 110, halves: [108], element: (b, e) => {
      const n = e >> 7; const r = e & 127; const shift = r >> 5; const l = r & 31;
      const q = (b[32 + n * 32 + l] >> (2 * shift)) & 3;
      const high = b[l] & (1 << (n * 4 + shift)) ? 0 : 4;
      return h(b, 108) * q3Scales(b, 96)[n * 8 + shift * 2 + (l >> 4)] * (q - high);
    },
  },
  Q4_K: {
    elements: 256, bytes: 144, halves: [0, 2], element: (b, e) => {
      const sub = e >> 5; const [sc, m] = k4(b, 4, sub);
      return h(b, 0) * sc * nib(b[16 + (sub >> 1) * 32 + (e & 31)], (sub & 1) === 1) - h(b, 2) * m;
    },
  },
  Q5_K: {
    elements: 256, bytes: 176, halves: [0, 2], element: (b, e) => {
      const sub = e >> 5; const l = e & 31; const [sc, m] = k4(b, 4, sub);
      const q = nib(b[48 + (sub >> 1) * 32 + l], (sub & 1) === 1) + ((b[16 + l] >> sub) & 1 ? 16 : 0);
      return h(b, 0) * sc * q - h(b, 2) * m;
    },
  },
  Q6_K: {
    elements: 256, bytes: 210, halves: [208], element: (b, e) => {
      const n = e >> 7; const r = e & 127; const quarter = r >> 5; const l = r & 31;
      const low = nib(b[n * 64 + (quarter & 1 ? 32 : 0) + l], quarter >= 2);
      const high = (b[128 + n * 32 + l] >> (2 * quarter)) & 3;
      return h(b, 208) * ((b[192 + (e >> 4)] << 24) >> 24) * ((low | (high << 4)) - 32);
    },
  },
  Q8_K: {
    elements: 256, bytes: 292, halves: [], element: (b, e) => new DataView(b.buffer, b.byteOffset).getFloat32(0, true) * ((b[4 + e] << 24) >> 24),
  },
  IQ4_XS: {
    elements: 256, bytes: 136, halves: [0], element: (b, e) => {
      const ib = e >> 5; const r = e & 31;
      const ls = ((b[4 + (ib >> 1)] >> (4 * (ib & 1))) & 15) | ((((b[2] | (b[3] << 8)) >> (2 * ib)) & 3) << 4);
      return h(b, 0) * (ls - 32) * IQ4[nib(b[8 + ib * 16 + (r & 15)], r >= 16)];
    },
  },
};

function randomBlocks(layout: Layout, blocks: number, seed: number): Uint8Array {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) & 255;
  const out = Uint8Array.from({ length: layout.bytes * blocks }, next);
  for (let k = 0; k < blocks; k++) {
    const o = k * layout.bytes;
    // Scales of moderate size (f16 around 2^-6 … 2^-2), so that every value is finite.
    for (const at of layout.halves) { out[o + at] = next(); out[o + at + 1] = 0x20 + (next() & 0x0f); }
    if (layout === LAYOUTS.MXFP4) out[o] = 118 + (next() & 15);
    if (layout === LAYOUTS.Q8_K) new DataView(out.buffer).setFloat32(o, 0.01 * (1 + (next() & 7)), true);
  }
  return out;
}

test('every GGML block type decodes each element as its layout says', () => {
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    const blocks = 3;
    const bytes = randomBlocks(layout, blocks, name.length * 977);
    const got = decode(name as DType, bytes);
    assert.equal(got.length, blocks * layout.elements, name);
    for (let k = 0; k < blocks; k++) {
      const block = bytes.subarray(k * layout.bytes, (k + 1) * layout.bytes);
      for (let e = 0; e < layout.elements; e++) {
        const want = layout.element(block, e);
        const v = got[k * layout.elements + e];
        assert.ok(Number.isFinite(want) && Math.abs(v - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${name} block ${k} element ${e}: ${v} vs ${want}`);
      }
    }
    // Partial blocks: elements [5, 5 + 1.5 blocks) decode to the same values through the scratch block.
    const first = 5; const count = Math.floor(1.5 * layout.elements);
    const part = new Float32Array(count);
    decodeBlocksInto(name as BlockDType, bytes, 0, first, count, part);
    assert.deepEqual(Array.from(part), Array.from(got.subarray(first, first + count), Math.fround), name);
  }
});
