// Block-packed dtypes: several elements share a run of bytes, so an element has no byte offset of its own. Sub-byte
// floats of safetensors (F4: two per byte; F6: four per three bytes) and GGML's quantised blocks (GGUF: 32 or 256
// elements with their scales). Each decoder writes one block's elements as float32 values; ggml-quants.c defines the
// GGML layouts (docs/gguf-format.md gives them in words).

type Out = Float32Array | Float64Array;
/** Decodes the block at b[o] into out[k, k + elements). */
type BlockDecoder = (b: Uint8Array, o: number, out: Out, k: number, f16: Float32Array) => void;

export interface BlockLayout {
  elements: number;
  bytes: number;
  decode: BlockDecoder;
}

const half = (b: Uint8Array, o: number, f16: Float32Array): number => f16[b[o] | (b[o + 1] << 8)];

/** OCP FP4 E2M1: sign, 2 exponent bits (bias 1), 1 mantissa bit; max 6, no infinities or NaN. */
export function f4e2m1BitsToNumber(code: number): number {
  return f6BitsToNumber(code, 2, 1, 1);
}

/** A 6- or 4-bit float without special codes: sign, `e` exponent bits of bias `bias`, `m` mantissa bits. */
function f6BitsToNumber(code: number, e: number, m: number, bias: number): number {
  const sign = code & (1 << (e + m)) ? -1 : 1;
  const exp = (code >> m) & ((1 << e) - 1);
  const mant = code & ((1 << m) - 1);
  if (exp === 0) return sign * mant * 2 ** (1 - bias - m);
  return sign * (1 + mant / (1 << m)) * 2 ** (exp - bias);
}

/** OCP FP6 E2M3: bias 1, max 7.5. */
export const f6e2m3BitsToNumber = (code: number): number => f6BitsToNumber(code, 2, 3, 1);
/** OCP FP6 E3M2: bias 3, max 28. */
export const f6e3m2BitsToNumber = (code: number): number => f6BitsToNumber(code, 3, 2, 3);

const F4 = Float32Array.from({ length: 16 }, (_, c) => f4e2m1BitsToNumber(c));
const F6_E2M3 = Float32Array.from({ length: 64 }, (_, c) => f6e2m3BitsToNumber(c));
const F6_E3M2 = Float32Array.from({ length: 64 }, (_, c) => f6e3m2BitsToNumber(c));

/** Element 2k in the low nibble of byte k, 2k + 1 in the high nibble (the OCP MX and torch packing). */
const decodeF4: BlockDecoder = (b, o, out, k) => { out[k] = F4[b[o] & 15]; out[k + 1] = F4[b[o] >> 4]; };

/** Four 6-bit codes in a little-endian 24-bit word, element i in bits [6i, 6i + 6). */
function f6Decoder(table: Float32Array): BlockDecoder {
  return (b, o, out, k) => {
    const w = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
    out[k] = table[w & 63]; out[k + 1] = table[(w >> 6) & 63]; out[k + 2] = table[(w >> 12) & 63]; out[k + 3] = table[(w >> 18) & 63];
  };
}

// --- GGML 32-element blocks -------------------------------------------------------------------------------------

const q8_0: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  for (let j = 0; j < 32; j++) out[k + j] = d * ((b[o + 2 + j] << 24) >> 24);
};

const q4_0: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  for (let j = 0; j < 16; j++) {
    const q = b[o + 2 + j];
    out[k + j] = d * ((q & 15) - 8);
    out[k + j + 16] = d * ((q >> 4) - 8);
  }
};

const q4_1: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  const m = half(b, o + 2, f16);
  for (let j = 0; j < 16; j++) {
    const q = b[o + 4 + j];
    out[k + j] = d * (q & 15) + m;
    out[k + j + 16] = d * (q >> 4) + m;
  }
};

/** Q5_0 / Q5_1: the fifth bits of the 32 elements in one little-endian uint32 before the nibbles. */
function q5(withMin: boolean): BlockDecoder {
  const qhAt = withMin ? 4 : 2;
  return (b, o, out, k, f16) => {
    const d = half(b, o, f16);
    const m = withMin ? half(b, o + 2, f16) : 0;
    const qh = (b[o + qhAt] | (b[o + qhAt + 1] << 8) | (b[o + qhAt + 2] << 16) | (b[o + qhAt + 3] << 24)) >>> 0;
    const qs = o + qhAt + 4;
    const offset = withMin ? 0 : -16;
    for (let j = 0; j < 16; j++) {
      const lo = (b[qs + j] & 15) | (((qh >>> j) & 1) << 4);
      const hi = (b[qs + j] >> 4) | (((qh >>> (j + 16)) & 1) << 4);
      out[k + j] = d * (lo + offset) + m;
      out[k + j + 16] = d * (hi + offset) + m;
    }
  };
}

const IQ4_NL_VALUES = Int8Array.from([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]);

const iq4_nl: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  for (let j = 0; j < 16; j++) {
    const q = b[o + 2 + j];
    out[k + j] = d * IQ4_NL_VALUES[q & 15];
    out[k + j + 16] = d * IQ4_NL_VALUES[q >> 4];
  }
};

/** MXFP4 (gpt-oss): an E8M0 exponent e (scale 2^(e − 128), i.e. half the OCP scale) and 32 FP4 E2M1 codes as doubled integers. */
const mxfp4: BlockDecoder = (b, o, out, k) => {
  const d = 2 ** (b[o] - 128);
  for (let j = 0; j < 16; j++) {
    const q = b[o + 1 + j];
    out[k + j] = d * 2 * F4[q & 15];
    out[k + j + 16] = d * 2 * F4[q >> 4];
  }
};

// --- GGML 256-element "K" blocks --------------------------------------------------------------------------------

const q8_k: BlockDecoder = (b, o, out, k) => {
  const d = new DataView(b.buffer, b.byteOffset + o, 4).getFloat32(0, true);
  for (let j = 0; j < 256; j++) out[k + j] = d * ((b[o + 4 + j] << 24) >> 24);
};

const q2_k: BlockDecoder = (b, o, out, k, f16) => {
  const sc = o;
  let q = o + 16;
  const d = half(b, o + 80, f16);
  const dmin = half(b, o + 82, f16);
  let is = 0;
  let y = k;
  for (let n = 0; n < 256; n += 128) {
    for (let shift = 0; shift < 8; shift += 2) {
      for (let half16 = 0; half16 < 32; half16 += 16) {
        const s = b[sc + is++];
        const dl = d * (s & 15);
        const ml = dmin * (s >> 4);
        for (let l = 0; l < 16; l++) out[y++] = dl * ((b[q + half16 + l] >> shift) & 3) - ml;
      }
    }
    q += 32;
  }
};

const q3_k: BlockDecoder = (b, o, out, k, f16) => {
  const hm = o;
  let q = o + 32;
  const s = o + 96;
  const d = half(b, o + 108, f16);
  // Sixteen 6-bit scales: low 4 bits in s[0..7] (nibbles), high 2 bits in s[8..11].
  const scales = new Int8Array(16);
  for (let i = 0; i < 16; i++) {
    const low = i < 8 ? b[s + i] & 15 : b[s + i - 8] >> 4;
    const high = (b[s + 8 + (i & 3)] >> (2 * (i >> 2))) & 3;
    scales[i] = (low | (high << 4)) - 32;
  }
  let is = 0;
  let m = 1;
  let y = k;
  for (let n = 0; n < 256; n += 128) {
    for (let shift = 0; shift < 8; shift += 2) {
      for (let half16 = 0; half16 < 32; half16 += 16) {
        const dl = d * scales[is++];
        for (let l = 0; l < 16; l++) {
          const v = ((b[q + half16 + l] >> shift) & 3) - (b[hm + half16 + l] & m ? 0 : 4);
          out[y++] = dl * v;
        }
      }
      m <<= 1;
    }
    q += 32;
  }
};

/** 6-bit scale (or, with `min`, the 6-bit min) of sub-block j (0…7) of a Q4_K / Q5_K block, packed in 12 bytes at `s`. */
function k4(b: Uint8Array, s: number, j: number, min: boolean): number {
  const m = min ? 4 : 0;
  if (j < 4) return b[s + j + m] & 63;
  return min ? (b[s + j + 4] >> 4) | ((b[s + j] >> 6) << 4) : (b[s + j + 4] & 15) | ((b[s + j - 4] >> 6) << 4);
}

/** Q4_K: eight sub-blocks of 32 elements, each with a 6-bit scale and min. */
const q4_k: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  const dmin = half(b, o + 2, f16);
  const s = o + 4;
  let q = o + 16;
  let y = k;
  for (let is = 0; is < 8; is += 2) {
    const d1 = d * k4(b, s, is, false); const n1 = dmin * k4(b, s, is, true);
    const d2 = d * k4(b, s, is + 1, false); const n2 = dmin * k4(b, s, is + 1, true);
    for (let l = 0; l < 32; l++) out[y + l] = d1 * (b[q + l] & 15) - n1;
    for (let l = 0; l < 32; l++) out[y + 32 + l] = d2 * (b[q + l] >> 4) - n2;
    q += 32; y += 64;
  }
};

/** Q5_K: Q4_K's layout with a fifth bit per element from the 32 bytes of qh. */
const q5_k: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  const dmin = half(b, o + 2, f16);
  const s = o + 4;
  const qh = o + 16;
  let q = o + 48;
  let y = k;
  for (let is = 0; is < 8; is += 2) {
    const d1 = d * k4(b, s, is, false); const n1 = dmin * k4(b, s, is, true);
    const d2 = d * k4(b, s, is + 1, false); const n2 = dmin * k4(b, s, is + 1, true);
    for (let l = 0; l < 32; l++) out[y + l] = d1 * ((b[q + l] & 15) | (((b[qh + l] >> is) & 1) << 4)) - n1;
    for (let l = 0; l < 32; l++) out[y + 32 + l] = d2 * ((b[q + l] >> 4) | (((b[qh + l] >> (is + 1)) & 1) << 4)) - n2;
    q += 32; y += 64;
  }
};

const q6_k: BlockDecoder = (b, o, out, k, f16) => {
  let ql = o;
  let qh = o + 128;
  let sc = o + 192;
  const d = half(b, o + 208, f16);
  let y = k;
  for (let n = 0; n < 256; n += 128) {
    for (let half16 = 0; half16 < 32; half16 += 16) {
      const is = half16 >> 4;
      // Signed 8-bit sub-block scales, times the block's scale.
      const s1 = d * ((b[sc + is] << 24) >> 24); const s2 = d * ((b[sc + is + 2] << 24) >> 24);
      const s3 = d * ((b[sc + is + 4] << 24) >> 24); const s4 = d * ((b[sc + is + 6] << 24) >> 24);
      for (let l = half16; l < half16 + 16; l++) {
        const h = b[qh + l];
        const lo = b[ql + l]; const hi = b[ql + l + 32];
        out[y + l] = s1 * (((lo & 15) | ((h & 3) << 4)) - 32);
        out[y + l + 32] = s2 * (((hi & 15) | (((h >> 2) & 3) << 4)) - 32);
        out[y + l + 64] = s3 * (((lo >> 4) | (((h >> 4) & 3) << 4)) - 32);
        out[y + l + 96] = s4 * (((hi >> 4) | (((h >> 6) & 3) << 4)) - 32);
      }
    }
    y += 128; ql += 64; qh += 32; sc += 8;
  }
};

const iq4_xs: BlockDecoder = (b, o, out, k, f16) => {
  const d = half(b, o, f16);
  const scalesH = b[o + 2] | (b[o + 3] << 8);
  let qs = o + 8;
  let y = k;
  for (let ib = 0; ib < 8; ib++) {
    const ls = ((b[o + 4 + (ib >> 1)] >> (4 * (ib & 1))) & 15) | (((scalesH >> (2 * ib)) & 3) << 4);
    const dl = d * (ls - 32);
    for (let j = 0; j < 16; j++) {
      out[y + j] = dl * IQ4_NL_VALUES[b[qs + j] & 15];
      out[y + j + 16] = dl * IQ4_NL_VALUES[b[qs + j] >> 4];
    }
    y += 32; qs += 16;
  }
};

export const BLOCK_LAYOUTS = {
  F4: { elements: 2, bytes: 1, decode: decodeF4 },
  F6_E2M3: { elements: 4, bytes: 3, decode: f6Decoder(F6_E2M3) },
  F6_E3M2: { elements: 4, bytes: 3, decode: f6Decoder(F6_E3M2) },
  Q4_0: { elements: 32, bytes: 18, decode: q4_0 },
  Q4_1: { elements: 32, bytes: 20, decode: q4_1 },
  Q5_0: { elements: 32, bytes: 22, decode: q5(false) },
  Q5_1: { elements: 32, bytes: 24, decode: q5(true) },
  Q8_0: { elements: 32, bytes: 34, decode: q8_0 },
  Q2_K: { elements: 256, bytes: 84, decode: q2_k },
  Q3_K: { elements: 256, bytes: 110, decode: q3_k },
  Q4_K: { elements: 256, bytes: 144, decode: q4_k },
  Q5_K: { elements: 256, bytes: 176, decode: q5_k },
  Q6_K: { elements: 256, bytes: 210, decode: q6_k },
  Q8_K: { elements: 256, bytes: 292, decode: q8_k },
  IQ4_NL: { elements: 32, bytes: 18, decode: iq4_nl },
  IQ4_XS: { elements: 256, bytes: 136, decode: iq4_xs },
  MXFP4: { elements: 32, bytes: 17, decode: mxfp4 },
} as const satisfies Record<string, BlockLayout>;

export type BlockDType = keyof typeof BLOCK_LAYOUTS;
