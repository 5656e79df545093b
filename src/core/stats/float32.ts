// The float path for F32 values: exact float64 moments and extremes, zero/NaN/Inf counts and fine buckets in one
// pass. WebAssembly SIMD for ranges of at least WASM_MIN_VALUES values (accumulateF32Wasm); the JavaScript kernel
// serves smaller ranges and runtimes without WebAssembly SIMD, and is the reference the tests compare against.
import { FloatAccumulator } from './accumulator';
import { WASM_MIN_VALUES } from './codeCounts';
import { mergeMoments, momentsFromShiftedSums } from './moments';
import { DATA, DATA_BYTES, wasmKernels, WasmKernels } from './wasm';

/** Values per block of blocked summation. */
export const BLOCK = 4096;

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
  finishF32(f, u, start, end, acc, { shift, s1, s2, s3, s4, mn, mx }, buckets[0] !== zp0 || buckets[0x8000] !== zn0);
}

/**
 * accumulateF32 in WebAssembly SIMD, 65,536 values per call: in place when `f` is a view of the module's memory
 * (the worker reads its chunks there), else copied into the module's data block first. Per four values one v128
 * load feeds f32x4 min/max, the OR of the bits, four fine-bucket increments (one table per lane) and the float64
 * power sums (f32x4 promoted to two f64x2). The ≤ 7 trailing values are added here; the counts reach the
 * accumulator as the non-zero buckets of the module's tables.
 */
export function accumulateF32Wasm(k: WasmKernels, f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator): void {
  if (end <= start) return;
  const shift = shiftOf(f, start, end);
  const n = end - start;
  const main = n - (n & 7);
  const st = k.f64, stf = k.f32s;
  st[0] = 0; st[1] = 0; st[2] = 0; st[3] = 0;
  stf[8] = Infinity; stf[9] = -Infinity; k.u32[10] = 0;
  const per = DATA_BYTES >>> 2;
  if (f.buffer === k.u8.buffer) {
    const at = f.byteOffset + start * 4;
    for (let p = 0; p < main; p += per) k.f32(at + p * 4, Math.min(per, main - p), shift);
  } else {
    const bytes = new Uint8Array(f.buffer, f.byteOffset + start * 4, main * 4);
    for (let p = 0; p < main; p += per) {
      const m = Math.min(per, main - p);
      k.u8.set(bytes.subarray(p * 4, (p + m) * 4), DATA);
      k.f32(DATA, m, shift);
    }
  }
  let s1 = st[0], s2 = st[1], s3 = st[2], s4 = st[3], mn = stf[8], mx = stf[9], low = k.u32[10];
  const t0 = k.t0;
  for (let i = start + main; i < end; i++) {
    const w = u[i];
    t0[w >>> 16]++;
    low |= w;
    const x = f[i];
    mn = Math.min(mn, x);
    mx = Math.max(mx, x);
    const d = x - shift;
    const d2 = d * d;
    s1 += d; s2 += d2; s3 += d2 * d; s4 += d2 * d2;
  }
  // The tables held nothing before this call: a zero bucket of any of them counts zeros of this range.
  const tb = k.tables;
  let zeros = 0;
  for (let t = 0; t < 4 * 65536; t += 65536) zeros |= tb[t] | tb[t + 0x8000];
  acc.addTables(k);
  acc.lowBits |= low & 0xffff;
  finishF32(f, u, start, end, acc, { shift, s1, s2, s3, s4, mn, mx }, zeros !== 0);
}

/**
 * Common end of the float32 kernels: a range whose fast sums or extremes are not finite (NaN or ±Inf in it, or
 * overflow) gets its moments redone with an explicit test per value; a range with zeros in it gets its zeros
 * counted exactly by sign; then the range's moments are merged into the accumulator.
 */
function finishF32(f: Float32Array, u: Uint32Array, start: number, end: number, acc: FloatAccumulator, fast: FastSums, hasZeros: boolean): void {
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
  if (hasZeros) {
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
