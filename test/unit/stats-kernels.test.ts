// WebAssembly SIMD statistics kernels against the JavaScript kernels they replace (bit-identical counts, buckets,
// extremes and special-value counts; float64 moments equal up to summation order) and against a float64
// reference; the engine end to end with and without them. Random data with NaN, ±Inf, ±0 and subnormals,
// lengths and offsets that are not multiples of the kernels' vector and block sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  accumulateF32, accumulateF32Js, accumulateF32Wasm, accumulateScaledCodesJs, accumulateScaledCodesWasm, countCodes16,
  countCodes16Js, countCodes16Wasm, FloatAccumulator, ScaleGrid, WASM_MIN_VALUES,
} from '../../src/core/stats/kernels';
import { f8Table } from '../../src/core/format/dtype';
import { wasmKernels } from '../../src/core/stats/wasm';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { computeStats } from '../../src/core/stats';
import type { StatsRun } from '../../src/core/stats/types';
import { encode, normals, reference, rng, tmpDir, writeSafetensorsFile } from './helpers/statsGen';
import { checkAgainst } from './helpers/statsCheck';

const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');

const kernels = wasmKernels();

test('WebAssembly SIMD kernels are available on this runtime', () => {
  assert.ok(kernels, 'WebAssembly SIMD module failed to instantiate');
});

type Mix = 'normal' | 'specials' | 'zeros' | 'signedzeros' | 'subnormal' | 'wide' | 'constant' | 'bf16exact';

/** n float32 values (as bits) of a given mix; specials: NaN (several payloads), ±Inf, ±0, subnormals. */
function values(n: number, seed: number, mix: Mix): Float32Array {
  const r = rng(seed);
  const f = new Float32Array(n);
  const u = new Uint32Array(f.buffer);
  const g = normals(n, seed + 1, 0.02, 0.001);
  for (let i = 0; i < n; i++) {
    f[i] = g[i];
    const x = r();
    switch (mix) {
      case 'specials':
        if (x < 0.001) u[i] = 0x7fc00000;
        else if (x < 0.0015) u[i] = 0xffc00001; // negative NaN with a payload
        else if (x < 0.002) f[i] = Infinity;
        else if (x < 0.0025) f[i] = -Infinity;
        else if (x < 0.01) f[i] = 0;
        else if (x < 0.02) f[i] = -0;
        else if (x < 0.03) u[i] = (Math.floor(r() * 0x7fffff) + 1) | (r() < 0.5 ? 0x80000000 : 0);
        break;
      case 'zeros':
        if (x < 0.3) f[i] = 0; else if (x < 0.4) f[i] = -0;
        break;
      case 'signedzeros': // min (max) is a zero when no value is negative (positive): its sign must be right
        f[i] = seed % 2 ? Math.abs(g[i]) : -Math.abs(g[i]);
        if (x < 0.1) f[i] = 0; else if (x < 0.2) f[i] = -0;
        break;
      case 'subnormal':
        u[i] = (Math.floor(r() * 0x7fffff) + 1) | (x < 0.5 ? 0x80000000 : 0);
        break;
      case 'wide':
        f[i] = (r() - 0.5) * 2 * 3.4e38 * r() ** 8;
        break;
      case 'constant':
        f[i] = -1.25;
        break;
      case 'bf16exact':
        u[i] &= 0xffff0000;
        break;
    }
  }
  return f;
}

function relClose(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) + 1e-300, `${what}: ${a} vs ${b}`);
}

function compareAcc(w: FloatAccumulator, j: FloatAccumulator, label: string): void {
  assert.deepEqual(w.buckets, j.buckets, `${label}: buckets`);
  for (const k of ['zerosPos', 'zerosNeg', 'nan', 'posinf', 'neginf', 'lowBits'] as const) assert.equal(w[k], j[k], `${label}: ${k}`);
  assert.ok(Object.is(w.min, j.min), `${label}: min ${w.min} vs ${j.min}`);
  assert.ok(Object.is(w.max, j.max), `${label}: max ${w.max} vs ${j.max}`);
  assert.equal(w.moments.n, j.moments.n, `${label}: n`);
  const scale = Math.sqrt(j.moments.m2 / Math.max(1, j.moments.n));
  assert.ok(Math.abs(w.moments.mean - j.moments.mean) <= 1e-12 * (Math.abs(j.moments.mean) + scale) + 1e-300, `${label}: mean`);
  relClose(w.moments.m2, j.moments.m2, 1e-10, `${label}: m2`);
  relClose(w.moments.m4, j.moments.m4, 1e-9, `${label}: m4`);
  const m3scale = j.moments.m2 ** 1.5 / Math.sqrt(Math.max(1, j.moments.n));
  assert.ok(Math.abs(w.moments.m3 - j.moments.m3) <= 1e-9 * (Math.abs(j.moments.m3) + m3scale) + 1e-300, `${label}: m3`);
}

/** Float64 two-pass moments of the finite values. */
function exactMoments(f: Float32Array, start: number, end: number) {
  let n = 0, s = 0;
  for (let i = start; i < end; i++) if (Number.isFinite(f[i])) { n++; s += f[i]; }
  const mean = n ? s / n : 0;
  let m2 = 0;
  for (let i = start; i < end; i++) if (Number.isFinite(f[i])) m2 += (f[i] - mean) ** 2;
  return { n, mean, m2 };
}

const MIXES: Mix[] = ['normal', 'specials', 'zeros', 'signedzeros', 'signedzeros', 'subnormal', 'wide', 'constant', 'bf16exact'];
// Around the tail (n % 8), the 4,096-value block and the 65,536-value copy block of the kernel.
const LENGTHS = [8, 13, 4096 + 3, 65536, 65536 + 1, 65536 + 7, 3 * 65536 + 4093, 300001];

test('accumulateF32Wasm equals accumulateF32Js (buckets, extremes, counts; moments to summation order)', () => {
  let seed = 1;
  for (const mix of MIXES) {
    for (const n of LENGTHS) {
      for (const offset of [0, 1, 3]) {
        const f = values(n + offset + 5, seed++, mix);
        const u = new Uint32Array(f.buffer);
        const start = offset, end = offset + n;
        const w = new FloatAccumulator();
        const j = new FloatAccumulator();
        accumulateF32Wasm(kernels!, f, u, start, end, w);
        accumulateF32Js(f, u, start, end, j);
        const label = `${mix} n=${n} offset=${offset}`;
        compareAcc(w, j, label);
        const ref = exactMoments(f, start, end);
        assert.equal(w.moments.n, ref.n, `${label}: finite count`);
        if (mix !== 'wide') {
          const sd = Math.sqrt(ref.m2 / Math.max(1, ref.n));
          assert.ok(Math.abs(w.moments.mean - ref.mean) <= 1e-12 * (Math.abs(ref.mean) + sd) + 1e-300, `${label}: mean vs reference`);
          relClose(w.moments.m2, ref.m2, 1e-9, `${label}: m2 vs reference`);
        }
      }
    }
  }
});

test('accumulateF32Wasm accumulates across calls and leaves no state behind', () => {
  const f = values(400000, 77, 'specials');
  const u = new Uint32Array(f.buffer);
  const w = new FloatAccumulator();
  const j = new FloatAccumulator();
  for (const [a, b] of [[0, 70001], [70001, 70001], [70001, 250000], [250000, 400000]]) {
    accumulateF32Wasm(kernels!, f, u, a, b, w);
    accumulateF32Js(f, u, a, b, j);
  }
  compareAcc(w, j, 'three calls');
  assert.ok(kernels!.tables.every((c) => c === 0), 'count tables are cleared after each call');
  // The dispatcher picks the WebAssembly kernel above the threshold and the JavaScript one below.
  const d = new FloatAccumulator();
  accumulateF32(f, u, 0, WASM_MIN_VALUES - 1, d);
  accumulateF32(f, u, WASM_MIN_VALUES - 1, 400000, d);
  const e = new FloatAccumulator();
  accumulateF32Js(f, u, 0, WASM_MIN_VALUES - 1, e);
  accumulateF32Js(f, u, WASM_MIN_VALUES - 1, 400000, e);
  compareAcc(d, e, 'dispatcher');
});

test('countCodes16Wasm equals countCodes16Js (odd code counts, 2-byte offsets, non-empty target)', () => {
  let seed = 100;
  for (const n of [0, 1, 7, 8, 9, 65536, 65536 * 2 + 3, 131072 + 7, 700001]) {
    for (const startCode of [0, 1, 3]) {
      const r = rng(seed++);
      const codes = new Uint16Array(n + startCode + 2);
      for (let i = 0; i < codes.length; i++) {
        const x = r();
        // Clustered like weights (a few thousand hot codes), plus every code possible.
        codes[i] = x < 0.9 ? (0x3c00 + Math.floor(r() * 2000)) ^ (r() < 0.5 ? 0x8000 : 0) : Math.floor(r() * 65536);
      }
      const buf = codes.buffer as ArrayBuffer;
      const a = new Uint32Array(65536);
      const b = new Uint32Array(65536);
      for (let i = 0; i < 65536; i += 97) { a[i] = i; b[i] = i; }
      countCodes16Wasm(kernels!, buf, 2 * startCode, 2 * (startCode + n), a);
      countCodes16Js(buf, 2 * startCode, 2 * (startCode + n), b);
      assert.deepEqual(a, b, `n=${n} start=${startCode}`);
      const c = new Uint32Array(65536);
      countCodes16(buf, 2 * startCode, 2 * (startCode + n), c);
      for (let i = 0; i < 65536; i += 97) c[i] += i;
      assert.deepEqual(c, b, `dispatcher n=${n} start=${startCode}`);
    }
  }
  assert.ok(kernels!.tables.every((c) => c === 0), 'count tables are cleared after each call');
});

test('accumulateScaledCodesWasm equals accumulateScaledCodesJs bit for bit (block, per-row, scalar and ragged grids)', () => {
  const grids: [number, number, ScaleGrid][] = [
    // rows, e0 (first element), grid
    [1000, 0, { cols: 1024, blockRows: 128, blockCols: 128, scaleCols: 8 }],
    [777, 3 * 1000 + 5, { cols: 1000, blockRows: 128, blockCols: 128, scaleCols: 8 }], // ragged last block column
    [300, 17, { cols: 4099, blockRows: 1, blockCols: 4099, scaleCols: 1 }], // per-row scales
    [520, 0, { cols: 1001, blockRows: 520, blockCols: 1001, scaleCols: 1 }], // one scalar
    [90, 2 * 32768 + 3, { cols: 32768, blockRows: 7, blockCols: 129, scaleCols: 255 }], // widest grid in the tables
  ];
  let seed = 500;
  for (const dt of ['F8_E4M3', 'F8_E5M2'] as const) {
    for (const [rows, e0, g] of grids) {
      const r = rng(seed++);
      const total = rows * g.cols;
      const n = total - e0 - (seed % 5);
      const bytes = new Uint8Array(n + 3).subarray(1, n + 1); // misaligned view
      for (let i = 0; i < n; i++) bytes[i] = r() < 0.97 ? (Math.floor(r() * 100) | (r() < 0.5 ? 0x80 : 0)) : Math.floor(r() * 256);
      const scale = new Float64Array(Math.ceil(rows / g.blockRows) * g.scaleCols);
      for (let i = 0; i < scale.length; i++) scale[i] = Math.fround(0.001 * (0.5 + r()));
      const w = new FloatAccumulator();
      const j = new FloatAccumulator();
      accumulateScaledCodesWasm(kernels!, bytes, e0, f8Table(dt), g, scale, w);
      accumulateScaledCodesJs(bytes, e0, f8Table(dt), g, scale, j);
      const label = `${dt} ${JSON.stringify(g)} e0=${e0} n=${n}`;
      assert.deepEqual(w.buckets, j.buckets, `${label}: buckets`);
      assert.deepEqual({ ...w, buckets: 0 }, { ...j, buckets: 0 }, `${label}: moments, extremes, counts`);
      assert.ok(j.moments.n > 0 && j.nan > 0, `${label}: the data has finite values and NaN`);
    }
  }
  assert.ok(kernels!.tables.every((c) => c === 0), 'count tables are cleared after each call');
});

test('engine end to end on tensors large enough for the WebAssembly kernels: reference, and equal to the JavaScript kernels', async () => {
  const n = 3 * 65536 + 1001;
  const spiced = Float64Array.from(values(n, 5, 'specials'));
  const plain = normals(n, 6, 0.02, -0.003);
  const cases = [
    { tensor: { name: 'f32.specials', dtype: 'F32' as const, shape: [n], data: new Uint8Array(0) }, values: spiced },
    { tensor: { name: 'f32.plain', dtype: 'F32' as const, shape: [n], data: new Uint8Array(0) }, values: plain },
    { tensor: { name: 'bf16.specials', dtype: 'BF16' as const, shape: [n], data: new Uint8Array(0) }, values: spiced },
    { tensor: { name: 'f16.plain', dtype: 'F16' as const, shape: [n], data: new Uint8Array(0) }, values: plain },
  ].map((c) => {
    const { data, exact } = encode(c.tensor.dtype, c.values);
    return { tensor: { ...c.tensor, data }, values: exact };
  });
  const dir = tmpDir();
  const path = join(dir, 'model.safetensors');
  writeSafetensorsFile(path, cases.map((c) => c.tensor));
  const cp = await openCheckpoint(path);
  const runs: StatsRun[] = [];
  // Whole tensors, 1 MiB slices, and 1 MiB + 2 bytes slices (misaligned slice starts); workers and in-thread.
  for (const opts of [{ workers: 2 }, { workers: 2, chunkBytes: 1 << 20 }, { workers: 0, chunkBytes: (1 << 20) + 2 }]) {
    const r = await computeStats(cp, { workerPath, ...opts });
    for (const c of cases) checkAgainst(r.tensors.find((t) => t.name === c.tensor.name)!, reference(c.values), `wasm ${JSON.stringify(opts)}`);
    runs.push(r);
  }
  // The same run with the JavaScript kernels (new workers read the environment when they start).
  process.env.WEIGHTPRINT_STATS_KERNELS = 'js';
  let js: StatsRun;
  try {
    js = await computeStats(cp, { workerPath, workers: 2 });
  } finally {
    delete process.env.WEIGHTPRINT_STATS_KERNELS;
  }
  for (const t of js.tensors) {
    const w = runs[0].tensors.find((x) => x.name === t.name)!;
    for (const k of ['count', 'finite', 'zeros', 'nan', 'posinf', 'neginf', 'min', 'max', 'absmax', 'p1', 'p50', 'p99'] as const) {
      assert.equal(w[k], t[k], `${t.name} ${k}: wasm vs js`);
    }
    assert.deepEqual(w.histogram, t.histogram, `${t.name} histogram: wasm vs js`);
    for (const k of ['mean', 'std', 'l2'] as const) relClose(w[k]!, t[k]!, 1e-12, `${t.name} ${k}: wasm vs js`);
  }
});
