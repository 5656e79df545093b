// The exact code-counting path: every 8-bit or 16-bit code counted (BF16, F16, I16, U16, FP8, I8, U8, BOOL).
// 16-bit codes are counted in WebAssembly for ranges of at least WASM_MIN_VALUES codes, in place when the bytes
// already lie in the module's memory (the worker reads there), else copied in 256 KiB blocks.
import { CountTable, compactTable, foldTables, takeTables } from './counts';
import { DATA, DATA_BYTES, wasmKernels, WasmKernels } from './wasm';

/**
 * Smallest range (in values) sent to the WebAssembly kernels: below it, collecting their four 65,536-entry count
 * tables costs more than the JavaScript loop saves.
 */
export const WASM_MIN_VALUES = 1 << 16;

/** Counts 16-bit little-endian codes in bytes [start, end) of `buf` (start even). */
export function countCodes16(buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  const k = (end - start) >= 2 * WASM_MIN_VALUES ? wasmKernels() : undefined;
  if (k) countCodes16Wasm(k, buf, start, end, counts);
  else countCodes16Js(buf, start, end, counts);
}

/** Counts of the 16-bit codes in bytes [start, end) of `buf` (start even) in partial form. */
export function codes16Table(buf: ArrayBuffer, start: number, end: number): CountTable {
  const k = (end - start) >= 2 * WASM_MIN_VALUES ? wasmKernels() : undefined;
  if (k) {
    countCodes16Tables(k, buf, start, end);
    return takeTables(k, 65536);
  }
  const counts = new Uint32Array(65536);
  countCodes16Js(buf, start, end, counts);
  return compactTable(counts);
}

/** Counts of the 8-bit codes in bytes [start, end) of `buf` in partial form. */
export function codes8Table(buf: ArrayBuffer, start: number, end: number): CountTable {
  const counts = new Uint32Array(256);
  countCodes8(buf, start, end, counts);
  return compactTable(counts);
}

/** countCodes16 in WebAssembly: four count tables in the module, added into `counts` at the end. */
export function countCodes16Wasm(k: WasmKernels, buf: ArrayBuffer, start: number, end: number, counts: Uint32Array): void {
  countCodes16Tables(k, buf, start, end);
  foldTables(k, counts);
}

/** Counts the codes into the module's tables (the < 8 trailing codes by the JavaScript loop, into table T0). */
function countCodes16Tables(k: WasmKernels, buf: ArrayBuffer, start: number, end: number): void {
  if (start & 1) throw new RangeError('countCodes16 needs an even byte offset'); // l10n-ignore: a programmer's error
  const n = end - start;
  if (n <= 0) return;
  const main = n - (n & 15);
  if (buf === k.u8.buffer) {
    if (main > 0) k.count16(start, main);
  } else {
    const src = new Uint8Array(buf, start, n);
    for (let p = 0; p < main; p += DATA_BYTES) {
      const m = Math.min(DATA_BYTES, main - p);
      k.u8.set(src.subarray(p, p + m), DATA);
      k.count16(DATA, m);
    }
  }
  if (main < n) countCodes16Js(buf, start + main, end, k.t0);
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
