// Hot loops. Each works on typed-array views of a whole read chunk: no per-element calls, no DataView.
// Code counting (8/16-bit) and the float path (32/64-bit: exact float64 moments and extremes + fine buckets).
import { EMPTY_MOMENTS, mergeMoments, Moments, momentsFromShiftedSums } from './moments';

/** Counts 16-bit little-endian codes in bytes [start, end) of `buf` (start even). Reads pairs as 32-bit words. */
export function countCodes16(buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  if (start & 1) throw new RangeError('countCodes16 needs an even byte offset');
  let p = start;
  if (p & 2 && p + 2 <= end) {
    counts[new Uint16Array(buf, p, 1)[0]]++;
    p += 2;
  }
  const words = (end - p) >>> 2;
  if (words > 0) {
    const u = new Uint32Array(buf, p, words);
    for (let i = 0; i < words; i++) {
      const w = u[i];
      counts[w & 0xffff]++;
      counts[w >>> 16]++;
    }
    p += words * 4;
  }
  if (p + 2 <= end) counts[new Uint16Array(buf, p, 1)[0]]++;
}

/** Counts 8-bit codes in bytes [start, end) of `buf`. */
export function countCodes8(buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  const n = end - start;
  if (n <= 0) return;
  const b = new Uint8Array(buf, start, n);
  let i = 0;
  const words = n >>> 2;
  if ((start & 3) === 0 && words > 0) {
    const u = new Uint32Array(buf, start, words);
    for (let k = 0; k < words; k++) {
      const w = u[k];
      counts[w & 0xff]++;
      counts[(w >>> 8) & 0xff]++;
      counts[(w >>> 16) & 0xff]++;
      counts[w >>> 24]++;
    }
    i = words * 4;
  }
  for (; i < n; i++) counts[b[i]]++;
}

/** Running state of the float path over one task. */
export class FloatAccumulator {
  readonly buckets = new Uint32Array(65536);
  moments: Moments = { ...EMPTY_MOMENTS };
  min = Infinity;
  max = -Infinity;
  zerosPos = 0;
  zerosNeg = 0;
  nan = 0;
  posinf = 0;
  neginf = 0;
  /** OR of the low 16 bits of every float32 value seen: 0 when all are exact BF16 values (buckets are exact). */
  lowBits = 0;
}

const BLOCK = 4096;

/**
 * Float32 values f[start, end) (u: the same memory as Uint32). Shifted power sums per 4,096-value block are
 * added into per-call sums (blocked summation), converted to central moments and merged into the accumulator.
 * Non-finite values or zeros in the range trigger an exact second look at this range only.
 */
export function accumulateF32(f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator): void {
  if (end <= start) return;
  const buckets = acc.buckets;
  const zp0 = buckets[0];
  const zn0 = buckets[0x8000];
  let shift = 0;
  let ns = 0;
  for (let i = start; i < end && ns < 1024; i++) {
    const x = f[i];
    if (x - x === 0) { shift += x; ns++; }
  }
  if (ns > 0) shift /= ns;
  let mn = Infinity, mx = -Infinity, s1 = 0, s2 = 0, s3 = 0, s4 = 0, low = 0;
  for (let b0 = start; b0 < end; b0 += BLOCK) {
    const b1 = b0 + BLOCK < end ? b0 + BLOCK : end;
    let a1 = 0, a2 = 0, a3 = 0, a4 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0;
    let i = b0;
    // Four values per iteration, two sets of accumulators: independent dependency chains for the FPU.
    for (; i + 3 < b1; i += 4) {
      const w0 = u[i], w1 = u[i + 1], w2 = u[i + 2], w3 = u[i + 3];
      buckets[w0 >>> 16]++;
      buckets[w1 >>> 16]++;
      buckets[w2 >>> 16]++;
      buckets[w3 >>> 16]++;
      low |= w0 | w1 | w2 | w3;
      const x = f[i], y = f[i + 1], z = f[i + 2], q = f[i + 3];
      mn = Math.min(mn, x, y, z, q);
      mx = Math.max(mx, x, y, z, q);
      const dx = x - shift, dy = y - shift, dz = z - shift, dq = q - shift;
      const x2 = dx * dx, y2 = dy * dy, z2 = dz * dz, q2 = dq * dq;
      a1 += dx + dz; c1 += dy + dq;
      a2 += x2 + z2; c2 += y2 + q2;
      a3 += x2 * dx + z2 * dz; c3 += y2 * dy + q2 * dq;
      a4 += x2 * x2 + z2 * z2; c4 += y2 * y2 + q2 * q2;
    }
    for (; i < b1; i++) {
      const w = u[i];
      buckets[w >>> 16]++;
      low |= w;
      const x = f[i];
      mn = Math.min(mn, x);
      mx = Math.max(mx, x);
      const d = x - shift;
      const d2 = d * d;
      a1 += d; a2 += d2; a3 += d2 * d; a4 += d2 * d2;
    }
    s1 += a1 + c1; s2 += a2 + c2; s3 += a3 + c3; s4 += a4 + c4;
  }
  acc.lowBits |= low & 0xffff;
  let n = end - start;
  if (!(s1 - s1 === 0 && s2 - s2 === 0 && s3 - s3 === 0 && mn - mn === 0 && mx - mx === 0)) {
    // NaN or ±Inf in the range (or overflow): redo the moments with an explicit test per value.
    mn = Infinity; mx = -Infinity; s1 = 0; s2 = 0; s3 = 0; s4 = 0;
    for (let b0 = start; b0 < end; b0 += BLOCK) {
      const b1 = b0 + BLOCK < end ? b0 + BLOCK : end;
      let a1 = 0, a2 = 0, a3 = 0, a4 = 0;
      for (let i = b0; i < b1; i++) {
        const x = f[i];
        if (x - x !== 0) {
          n--;
          if (x !== x) acc.nan++; else if (x > 0) acc.posinf++; else acc.neginf++;
          continue;
        }
        if (x < mn) mn = x;
        if (x > mx) mx = x;
        const d = x - shift;
        const d2 = d * d;
        a1 += d; a2 += d2; a3 += d2 * d; a4 += d2 * d2;
      }
      s1 += a1; s2 += a2; s3 += a3; s4 += a4;
    }
  }
  if (buckets[0] !== zp0 || buckets[0x8000] !== zn0) {
    for (let i = start; i < end; i++) {
      const w = u[i];
      if (w === 0) acc.zerosPos++;
      else if (w === 0x80000000) acc.zerosNeg++;
    }
  }
  if (n > 0) {
    acc.moments = mergeMoments(acc.moments, momentsFromShiftedSums(n, shift, s1, s2, s3, s4));
    if (mn < acc.min) acc.min = mn;
    if (mx > acc.max) acc.max = mx;
  }
}

const F32_MAX = 3.4028234663852886e38;

/**
 * Exact float64 values v[start, end) (F64 data, or integers converted without loss below 2^53). Values are
 * rounded to float32 only to pick their bucket; finite values beyond the float32 range land in the extreme bucket.
 */
export function accumulateF64(v: Float64Array, start: number, end: number, acc: FloatAccumulator, scratch: Float32Array): void {
  if (end <= start) return;
  acc.lowBits = 1;
  const buckets = acc.buckets;
  const su = new Uint32Array(scratch.buffer, scratch.byteOffset, scratch.length);
  let shift = 0;
  let ns = 0;
  for (let i = start; i < end && ns < 1024; i++) {
    const x = v[i];
    if (x - x === 0) { shift += x; ns++; }
  }
  if (ns > 0) shift /= ns;
  let n = 0, mn = Infinity, mx = -Infinity, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  const step = Math.min(BLOCK, scratch.length);
  for (let b0 = start; b0 < end; b0 += step) {
    const b1 = b0 + step < end ? b0 + step : end;
    scratch.set(v.subarray(b0, b1));
    let a1 = 0, a2 = 0, a3 = 0, a4 = 0;
    for (let i = b0; i < b1; i++) {
      const x = v[i];
      if (x - x !== 0) {
        if (x !== x) acc.nan++; else if (x > 0) acc.posinf++; else acc.neginf++;
        continue;
      }
      let k = su[i - b0] >>> 16;
      if ((k & 0x7f80) === 0x7f80) k = (k & 0x8000) | 0x7f7f;
      else if (x > F32_MAX || x < -F32_MAX) k = (k & 0x8000) | 0x7f7f;
      buckets[k]++;
      n++;
      if (x === 0) { if (1 / x > 0) acc.zerosPos++; else acc.zerosNeg++; }
      if (x < mn) mn = x;
      if (x > mx) mx = x;
      const d = x - shift;
      const d2 = d * d;
      a1 += d; a2 += d2; a3 += d2 * d; a4 += d2 * d2;
    }
    s1 += a1; s2 += a2; s3 += a3; s4 += a4;
  }
  if (n > 0) {
    acc.moments = mergeMoments(acc.moments, momentsFromShiftedSums(n, shift, s1, s2, s3, s4));
    if (mn < acc.min) acc.min = mn;
    if (mx > acc.max) acc.max = mx;
  }
}

/** Block geometry of a scale grid over a weight viewed as rows × cols. */
export interface ScaleGrid {
  cols: number;
  blockRows: number;
  blockCols: number;
  scaleCols: number;
}

const f32One = new Float32Array(1);
const u32One = new Uint32Array(f32One.buffer);

/**
 * FP8 codes bytes[0, n) (tensor elements e0 …) dequantised as float32(code value × block scale). Within one block
 * every value is a function of the code, so the pass only counts codes per block column (one table increment per
 * value); when a block row ends, each (code, count) of each block becomes one weighted float value: shifted power
 * sums, extremes, zero/NaN/Inf counts and fine buckets are updated `count` at a time.
 */
export function accumulateScaledCodes(
  bytes: Uint8Array, e0: number, table: Float32Array, g: ScaleGrid, scale: Float64Array, acc: FloatAccumulator,
): void {
  const n = bytes.length;
  if (n === 0) return;
  const C = g.cols;
  // Four lanes of 256 counters per block column (a word's four bytes go to four tables: no store-to-load chains).
  const counts = new Uint32Array(g.scaleCols * 1024);
  const words = (bytes.byteOffset & 3) === 0 && (C & 3) === 0 && (g.blockCols & 3) === 0 && (e0 & 3) === 0
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, n >>> 2) : undefined;
  let r = Math.floor(e0 / C);
  let c = e0 - r * C;
  let p = 0;
  let blockRow = Math.floor(r / g.blockRows);
  // [shift, count, s1, s2, s3, s4, min, max, lowBits]
  const st = Float64Array.of(NaN, 0, 0, 0, 0, 0, Infinity, -Infinity, 0);
  while (p < n) {
    const br = Math.floor(r / g.blockRows);
    if (br !== blockRow) { flushBlockRow(blockRow, counts, g, scale, table, st, acc); blockRow = br; }
    const rowEnd = Math.min(C, c + (n - p));
    while (c < rowEnd) {
      const cb = Math.floor(c / g.blockCols);
      const segEnd = Math.min(rowEnd, (cb + 1) * g.blockCols);
      const base = cb * 1024;
      const stop = p + (segEnd - c);
      if (words !== undefined) {
        const wEnd = stop >>> 2;
        for (let q = p >>> 2; q < wEnd; q++) {
          const w = words[q];
          counts[base + (w & 0xff)]++;
          counts[base + 256 + ((w >>> 8) & 0xff)]++;
          counts[base + 512 + ((w >>> 16) & 0xff)]++;
          counts[base + 768 + (w >>> 24)]++;
        }
        p = wEnd << 2;
      }
      for (; p < stop; p++) counts[base + bytes[p]]++;
      c = segEnd;
    }
    if (c === C) { c = 0; r++; }
  }
  flushBlockRow(blockRow, counts, g, scale, table, st, acc);
  acc.lowBits |= st[8] & 0xffff;
  if (st[1] > 0) {
    acc.moments = mergeMoments(acc.moments, momentsFromShiftedSums(st[1], st[0], st[2], st[3], st[4], st[5]));
    if (st[6] < acc.min) acc.min = st[6];
    if (st[7] > acc.max) acc.max = st[7];
  }
}

/** Turns the code counts of one block row into weighted float values (see accumulateScaledCodes). */
function flushBlockRow(
  br: number, counts: Uint32Array, g: ScaleGrid, scale: Float64Array, table: Float32Array, st: Float64Array, acc: FloatAccumulator,
): void {
  const buckets = acc.buckets;
  let shift = st[0], m = st[1], s1 = st[2], s2 = st[3], s3 = st[4], s4 = st[5], mn = st[6], mx = st[7], low = st[8];
  for (let cb = 0; cb < g.scaleCols; cb++) {
    const s = scale[br * g.scaleCols + cb];
    const base = cb * 1024;
    for (let code = 0; code < 256; code++) {
      const i = base + code;
      counts[i] += counts[i + 256] + counts[i + 512] + counts[i + 768];
      counts[i + 256] = 0; counts[i + 512] = 0; counts[i + 768] = 0;
    }
    if (shift !== shift) {
      let w = 0, sum = 0;
      for (let code = 0; code < 256; code++) {
        const k = counts[base + code];
        const v = Math.fround(table[code] * s);
        if (k && v - v === 0) { w += k; sum += k * v; }
      }
      if (w > 0) shift = sum / w;
    }
    for (let code = 0; code < 256; code++) {
      const k = counts[base + code];
      if (k === 0) continue;
      counts[base + code] = 0;
      f32One[0] = table[code] * s;
      const v = f32One[0];
      if (v - v !== 0) {
        if (v !== v) acc.nan += k; else if (v > 0) acc.posinf += k; else acc.neginf += k;
        continue;
      }
      const bits = u32One[0];
      buckets[bits >>> 16] += k;
      low = (low | bits) & 0xffff;
      if (v === 0) { if (bits === 0) acc.zerosPos += k; else acc.zerosNeg += k; }
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      const d = v - shift;
      const d2 = d * d;
      m += k; s1 += k * d; s2 += k * d2; s3 += k * d2 * d; s4 += k * d2 * d2;
    }
  }
  st[0] = shift; st[1] = m; st[2] = s1; st[3] = s2; st[4] = s3; st[5] = s4; st[6] = mn; st[7] = mx; st[8] = low;
}
