// Hot loops. Each works on typed-array views of a whole read chunk: no per-element calls, no DataView.
// Code counting (8/16-bit) and the float path (32/64-bit: exact float64 moments and extremes + fine buckets).
// The hot paths (16-bit codes, float32 values, FP8 codes with block scales) have a WebAssembly (SIMD) version
// (wasm/kernels.wat) used for ranges of at least WASM_MIN_VALUES values; the JavaScript versions (…Js) serve
// smaller ranges and runtimes without WebAssembly SIMD, and are the reference the tests compare against.
import { EMPTY_MOMENTS, mergeMoments, Moments, momentsFromShiftedSums } from './moments';
import { DATA, DATA_BYTES, TABLES, TABLES_BYTES, wasmKernels, WasmKernels } from './wasm';

/**
 * Smallest range (in values) sent to the WebAssembly kernels: below it, folding their four 65,536-entry count tables
 * into the result costs more than the JavaScript loop saves.
 */
export const WASM_MIN_VALUES = 1 << 16;

/** Counts 16-bit little-endian codes in bytes [start, end) of `buf` (start even). */
export function countCodes16(buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  const k = (end - start) >= 2 * WASM_MIN_VALUES ? wasmKernels() : undefined;
  if (k) countCodes16Wasm(k, buf, start, end, counts);
  else countCodes16Js(buf, start, end, counts);
}

/** countCodes16 in WebAssembly: 256 KiB blocks copied into the module's memory, four count tables. */
export function countCodes16Wasm(k: WasmKernels, buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  if (start & 1) throw new RangeError('countCodes16 needs an even byte offset'); // l10n-ignore: a programmer's error
  const n = end - start;
  if (n <= 0) return;
  const src = new Uint8Array(buf, start, n);
  const main = n - (n & 15);
  let p = 0;
  while (p < main) {
    const m = Math.min(DATA_BYTES, main - p);
    k.u8.set(src.subarray(p, p + m), DATA);
    k.count16(DATA, m);
    p += m;
  }
  foldTables(k, counts);
  if (p < n) countCodes16Js(buf, start + p, end, counts);
}

/** Adds the module's four count tables into `into` and clears them. */
function foldTables(k: WasmKernels, into: Uint32Array): void {
  k.fold();
  const t0 = k.t0;
  for (let i = 0; i < 65536; i++) into[i] += t0[i];
  t0.fill(0);
}

/** Counts 16-bit little-endian codes in bytes [start, end) of `buf` (start even). Reads pairs as 32-bit words. */
export function countCodes16Js(buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  if (start & 1) throw new RangeError('countCodes16 needs an even byte offset'); // l10n-ignore: a programmer's error
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
 * Float32 values f[start, end) (u: the same memory as Uint32) into the accumulator: exact float64 moments and
 * extremes, fine buckets, zero/NaN/Inf counts. WebAssembly SIMD for ranges of at least WASM_MIN_VALUES values.
 */
export function accumulateF32(f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator): void {
  const k = end - start >= WASM_MIN_VALUES ? wasmKernels() : undefined;
  if (k) accumulateF32Wasm(k, f, u, start, end, acc);
  else accumulateF32Js(f, u, start, end, acc);
}

/** Mean of the first 1,024 finite values of f[start, end) (0 when none): the shift of the power sums. */
function shiftOf(f: Float32Array, start: number, end: number): number {
  let shift = 0;
  let ns = 0;
  for (let i = start; i < end && ns < 1024; i++) {
    const x = f[i];
    if (x - x === 0) { shift += x; ns++; }
  }
  return ns > 0 ? shift / ns : 0;
}

/** Result of the fast pass over a range: shifted power sums and extremes, non-finite when the range holds NaN/±Inf. */
interface FastSums { shift: number; s1: number; s2: number; s3: number; s4: number; mn: number; mx: number }

/**
 * Float32 values f[start, end) (u: the same memory as Uint32). Shifted power sums per 4,096-value block are
 * added into per-call sums (blocked summation), converted to central moments and merged into the accumulator.
 * Non-finite values or zeros in the range trigger an exact second look at this range only.
 */
export function accumulateF32Js(f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator): void {
  if (end <= start) return;
  const buckets = acc.buckets;
  const zp0 = buckets[0];
  const zn0 = buckets[0x8000];
  const shift = shiftOf(f, start, end);
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
  finishF32(f, u, start, end, acc, { shift, s1, s2, s3, s4, mn, mx }, zp0, zn0);
}

/**
 * accumulateF32 in WebAssembly SIMD: the range is copied into the module's memory in 256 KiB blocks; per four
 * values one v128 load feeds f32x4 min/max, the OR of the bits, four fine-bucket increments (one table per lane)
 * and the float64 power sums (f32x4 promoted to two f64x2). The ≤ 7 trailing values are added here.
 */
export function accumulateF32Wasm(k: WasmKernels, f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator): void {
  if (end <= start) return;
  const buckets = acc.buckets;
  const zp0 = buckets[0];
  const zn0 = buckets[0x8000];
  const shift = shiftOf(f, start, end);
  const n = end - start;
  const main = n - (n & 7);
  const st = k.f64, stf = k.f32s;
  st[0] = 0; st[1] = 0; st[2] = 0; st[3] = 0;
  stf[8] = Infinity; stf[9] = -Infinity; k.u32[10] = 0;
  const bytes = new Uint8Array(f.buffer, f.byteOffset + start * 4, main * 4);
  const per = DATA_BYTES >>> 2;
  for (let p = 0; p < main; p += per) {
    const m = Math.min(per, main - p);
    k.u8.set(bytes.subarray(p * 4, (p + m) * 4), DATA);
    k.f32(DATA, m, shift);
  }
  let s1 = st[0], s2 = st[1], s3 = st[2], s4 = st[3], mn = stf[8], mx = stf[9], low = k.u32[10];
  foldTables(k, buckets);
  for (let i = start + main; i < end; i++) {
    const w = u[i];
    buckets[w >>> 16]++;
    low |= w;
    const x = f[i];
    mn = Math.min(mn, x);
    mx = Math.max(mx, x);
    const d = x - shift;
    const d2 = d * d;
    s1 += d; s2 += d2; s3 += d2 * d; s4 += d2 * d2;
  }
  acc.lowBits |= low & 0xffff;
  finishF32(f, u, start, end, acc, { shift, s1, s2, s3, s4, mn, mx }, zp0, zn0);
}

/**
 * Common end of the float32 kernels: a range whose fast sums or extremes are not finite (NaN or ±Inf in it, or
 * overflow) gets its moments redone with an explicit test per value; a range whose zero buckets grew (from zp0 / zn0)
 * gets its zeros counted exactly; then the range's moments are merged into the accumulator.
 */
function finishF32(f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator, fast: FastSums, zp0: number, zn0: number): void {
  const buckets = acc.buckets;
  const shift = fast.shift;
  let { s1, s2, s3, s4, mn, mx } = fast;
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
    let zp = 0, zn = 0;
    for (let i = start; i < end; i++) {
      const w = u[i];
      if (w === 0) zp++;
      else if (w === 0x80000000) zn++;
    }
    acc.zerosPos += zp;
    acc.zerosNeg += zn;
    // A zero extreme gets the sign Math.min / Math.max give it (−0 below +0), whatever the kernel's comparisons.
    if (mn === 0) mn = zn > 0 ? -0 : 0;
    if (mx === 0) mx = zp > 0 ? 0 : -0;
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
  const k = bytes.length >= WASM_MIN_VALUES && g.scaleCols * 4096 <= TABLES_BYTES && g.cols < 2 ** 31 ? wasmKernels() : undefined;
  if (k) accumulateScaledCodesWasm(k, bytes, e0, table, g, scale, acc);
  else accumulateScaledCodesJs(bytes, e0, table, g, scale, acc);
}

/**
 * accumulateScaledCodes with the code counting in WebAssembly (up to 256 block columns: their tables fill the
 * module's 1 MiB of tables): 256 KiB blocks, split at block-row ends, where the JavaScript flush reads the counts.
 */
export function accumulateScaledCodesWasm(
  k: WasmKernels, bytes: Uint8Array, e0: number, table: Float32Array, g: ScaleGrid, scale: Float64Array, acc: FloatAccumulator,
): void {
  const n = bytes.length;
  if (n === 0) return;
  const C = g.cols;
  const counts = new Uint32Array(k.u8.buffer, TABLES, g.scaleCols * 1024);
  let r = Math.floor(e0 / C);
  let c = e0 - r * C;
  let p = 0;
  // [shift, count, s1, s2, s3, s4, min, max, lowBits]
  const st = Float64Array.of(NaN, 0, 0, 0, 0, 0, Infinity, -Infinity, 0);
  while (p < n) {
    const blockRow = Math.floor(r / g.blockRows);
    const toBlockRowEnd = ((blockRow + 1) * g.blockRows - r) * C - c;
    const m = Math.min(n - p, DATA_BYTES, toBlockRowEnd);
    k.u8.set(bytes.subarray(p, p + m), DATA);
    k.count8(DATA, m, c, C, g.blockCols, TABLES);
    p += m;
    const pos = c + m;
    r += Math.floor(pos / C);
    c = pos % C;
    if (m === toBlockRowEnd || p === n) flushBlockRow(blockRow, counts, g, scale, table, st, acc);
  }
  acc.lowBits |= st[8] & 0xffff;
  if (st[1] > 0) {
    acc.moments = mergeMoments(acc.moments, momentsFromShiftedSums(st[1], st[0], st[2], st[3], st[4], st[5]));
    if (st[6] < acc.min) acc.min = st[6];
    if (st[7] > acc.max) acc.max = st[7];
  }
}

/** accumulateScaledCodes in JavaScript (any number of block columns). */
export function accumulateScaledCodesJs(
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
