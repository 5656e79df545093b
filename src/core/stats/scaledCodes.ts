// The float path for FP8 weights with block scales: within one block every value is a function of its code, so
// the pass counts codes per block column (in WebAssembly up to 256 block columns) and turns each (code, count) of a
// block row into one weighted float32 value.
import { FloatAccumulator } from './accumulator';
import { WASM_MIN_VALUES } from './codeCounts';
import { mergeMoments, momentsFromShiftedSums } from './moments';
import { DATA, DATA_BYTES, TABLES, TABLES_BYTES, wasmKernels, WasmKernels } from './wasm';

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
 * module's 1 MiB of tables), in place when `bytes` lie in the module's memory, else in 256 KiB blocks copied there;
 * calls split at block-row ends, where the JavaScript flush reads the counts.
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
  const inPlace = bytes.buffer === k.u8.buffer;
  // [shift, count, s1, s2, s3, s4, min, max, lowBits]
  const st = Float64Array.of(NaN, 0, 0, 0, 0, 0, Infinity, -Infinity, 0);
  while (p < n) {
    const blockRow = Math.floor(r / g.blockRows);
    const toBlockRowEnd = ((blockRow + 1) * g.blockRows - r) * C - c;
    const m = Math.min(n - p, inPlace ? n : DATA_BYTES, toBlockRowEnd);
    if (inPlace) {
      k.count8(bytes.byteOffset + p, m, c, C, g.blockCols, TABLES);
    } else {
      k.u8.set(bytes.subarray(p, p + m), DATA);
      k.count8(DATA, m, c, C, g.blockCols, TABLES);
    }
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
