// The stats workers read their chunks into the WebAssembly kernels' memory (wasmReadBuffers) and the kernels work
// there in place; their count tables reach the partials as sparse (index, count) pairs (collect). Both must give
// exactly what the copying kernels and the dense tables give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accumulateF32Js, accumulateF32Wasm, accumulateScaledCodesWasm, countCodes16Js, countCodes16Wasm, FloatAccumulator,
  ScaleGrid,
} from '../../src/core/stats/kernels';
import { compactTable, foldTables, sparsify, takeTables } from '../../src/core/stats/counts';
import { computePartial, FloatPartial, Scratch, TaskTensor } from '../../src/core/stats/compute';
import { f8Table } from '../../src/core/format/dtype';
import { wasmKernels, wasmReadBuffers } from '../../src/core/stats/wasm';
import { rng } from './helpers/statsGen';

const k = wasmKernels()!;
const CHUNK = (1 << 20) + 4096;
// Two buffers in the module's memory, as in a worker: the memory grows once, and only once.
const buffers = wasmReadBuffers(2, CHUNK)!;

test('wasmReadBuffers places aligned buffers in the kernels memory, once', () => {
  assert.ok(k, 'WebAssembly SIMD kernels available');
  assert.equal(buffers.length, 2);
  for (const b of buffers) {
    assert.equal(b.buffer, k.u8.buffer, 'a view of the module memory');
    assert.equal(b.byteOffset % 65536, 0);
    assert.equal(b.length, CHUNK);
  }
  assert.ok(buffers[1].byteOffset >= buffers[0].byteOffset + CHUNK, 'no overlap');
  assert.equal(wasmReadBuffers(1, 1024), undefined, 'a second request gets ordinary buffers');
});

/** Float32 values with zeros, ±0 extremes, NaN and ±Inf sprinkled in (or not). */
function floats(n: number, seed: number, specials: boolean): Float32Array {
  const r = rng(seed);
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    f[i] = (r() + r() + r() - 1.5) * 0.05;
    if (!specials) continue;
    const x = r();
    if (x < 0.001) f[i] = NaN; else if (x < 0.0015) f[i] = Infinity; else if (x < 0.002) f[i] = -Infinity;
    else if (x < 0.01) f[i] = 0; else if (x < 0.015) f[i] = -0;
  }
  return f;
}

function sameAcc(a: FloatAccumulator, b: FloatAccumulator, label: string): void {
  assert.deepEqual(a.buckets, b.buckets, `${label}: buckets`);
  assert.deepEqual({ ...a }, { ...b }, `${label}: moments, extremes, counts`);
}

test('accumulateF32Wasm in place equals the copying kernel bit for bit (offsets, tails, specials)', () => {
  let seed = 1;
  for (const specials of [false, true]) {
    for (const [offset, n] of [[0, 262144], [1, 65536 + 7], [3, 200003], [0, 8], [5, 65536 * 3 + 1]]) {
      const f = floats(n, seed++, specials);
      const inPlace = buffers[seed & 1];
      inPlace.set(new Uint8Array(f.buffer), offset * 4);
      const fi = new Float32Array(inPlace.buffer, inPlace.byteOffset, offset + n);
      const ui = new Uint32Array(inPlace.buffer, inPlace.byteOffset, offset + n);
      const copy = new Float32Array(offset + n);
      copy.set(f, offset);
      const a = new FloatAccumulator();
      const b = new FloatAccumulator();
      const j = new FloatAccumulator();
      accumulateF32Wasm(k, fi, ui, offset, offset + n, a);
      accumulateF32Wasm(k, copy, new Uint32Array(copy.buffer), offset, offset + n, b);
      accumulateF32Js(copy, new Uint32Array(copy.buffer), offset, offset + n, j);
      const label = `specials=${specials} offset=${offset} n=${n}`;
      sameAcc(a, b, label);
      assert.deepEqual(a.buckets, j.buckets, `${label}: buckets vs JavaScript`);
      assert.equal(a.moments.n, j.moments.n);
      assert.ok(Object.is(a.min, j.min) && Object.is(a.max, j.max), `${label}: extremes vs JavaScript`);
    }
  }
  assert.ok(k.tables.every((c) => c === 0), 'count tables are cleared');
});

test('countCodes16Wasm and accumulateScaledCodesWasm in place equal the copying kernels', () => {
  const r = rng(42);
  const n = 300001;
  const codes = new Uint16Array(n + 3);
  for (let i = 0; i < codes.length; i++) codes[i] = r() < 0.9 ? 0x3c00 + Math.floor(r() * 3000) : Math.floor(r() * 65536);
  const bytes = new Uint8Array(codes.buffer);
  buffers[0].set(bytes);
  for (const [s, e] of [[0, 2 * n], [2, 2 * n + 4], [6, 2 * 65536 + 6 + 30]]) {
    const a = new Uint32Array(65536);
    const b = new Uint32Array(65536);
    const j = new Uint32Array(65536);
    countCodes16Wasm(k, buffers[0].buffer as ArrayBuffer, buffers[0].byteOffset + s, buffers[0].byteOffset + e, a);
    countCodes16Wasm(k, codes.buffer, s, e, b);
    countCodes16Js(codes.buffer, s, e, j);
    assert.deepEqual(a, b, `codes16 [${s}, ${e})`);
    assert.deepEqual(a, j, `codes16 [${s}, ${e}) vs JavaScript`);
  }
  const g: ScaleGrid = { cols: 1000, blockRows: 128, blockCols: 128, scaleCols: 8 };
  const f8 = new Uint8Array(600 * 1000);
  for (let i = 0; i < f8.length; i++) f8[i] = r() < 0.98 ? Math.floor(r() * 110) | (r() < 0.5 ? 0x80 : 0) : Math.floor(r() * 256);
  const scale = new Float64Array(5 * 8).map(() => Math.fround(0.001 * (0.5 + r())));
  buffers[1].set(f8, 3);
  for (const [e0, len] of [[0, f8.length], [1005, 400000]]) {
    const a = new FloatAccumulator();
    const b = new FloatAccumulator();
    accumulateScaledCodesWasm(k, buffers[1].subarray(3 + e0, 3 + e0 + len), e0, f8Table('F8_E4M3'), g, scale, a);
    accumulateScaledCodesWasm(k, f8.subarray(e0, e0 + len), e0, f8Table('F8_E4M3'), g, scale, b);
    sameAcc(a, b, `scaled codes e0=${e0}`);
  }
  assert.ok(k.tables.every((c) => c === 0), 'count tables are cleared');
});

test('collect hands the module tables over as sparse pairs or a dense table', () => {
  const r = rng(7);
  for (const distinct of [0, 1, 100, 8192, 8193, 40000, 65536]) {
    const want = new Uint32Array(65536);
    for (let i = 0; i < distinct; i++) {
      const code = distinct === 65536 ? i : Math.floor(r() * 65536);
      const c = 1 + Math.floor(r() * 5);
      want[code] += c;
      for (let q = 0; q < c; q++) k.tables[(q & 3) * 65536 + code]++;
    }
    const got = takeTables(k, 65536);
    const nz = want.reduce((s, c) => s + (c ? 1 : 0), 0);
    const dense = new Uint32Array(65536);
    if (got.sparse) {
      assert.ok(nz <= 8192, `${distinct}: sparse only up to size/8`);
      assert.equal(got.table.length, 0);
      assert.deepEqual(got.sparse, sparsify(want), `${distinct}: pairs in ascending index order`);
      for (let i = 0; i < got.sparse.index.length; i++) dense[got.sparse.index[i]] = got.sparse.count[i];
    } else {
      assert.ok(nz > 8192, `${distinct}: dense above size/8`);
      dense.set(got.table);
    }
    assert.deepEqual(dense, want, `${distinct}: counts`);
    assert.deepEqual(compactTable(want).sparse, got.sparse, `${distinct}: same form as compactTable`);
    assert.ok(k.tables.every((c) => c === 0), `${distinct}: tables cleared`);
  }
  // foldTables adds into an existing table.
  const into = new Uint32Array(65536).fill(2);
  k.tables[3] = 5; k.tables[65536 + 3] = 1; k.tables[3 * 65536 + 65535] = 4;
  foldTables(k, into);
  assert.equal(into[3], 8);
  assert.equal(into[65535], 6);
  assert.equal(into[4], 2);
});

test('computePartial on data in the kernels memory equals the copy path, counts already sparse', () => {
  const n = (CHUNK >>> 2) - 3;
  const f = floats(n, 99, true);
  buffers[0].set(new Uint8Array(f.buffer), 4);
  const plain = new ArrayBuffer(CHUNK);
  new Uint8Array(plain).set(new Uint8Array(f.buffer), 4);
  const t: TaskTensor = { index: 0, name: 'w', dtype: 'F32', shape: [n], count: n, fileIndex: 0, begin: 0, end: 4 * n };
  const scratch = new Scratch();
  const a = computePartial(t, buffers[0].buffer as ArrayBuffer, buffers[0].byteOffset + 4, buffers[0].byteOffset + 4 + 4 * n, 0, undefined, scratch) as FloatPartial;
  const b = computePartial(t, plain, 4, 4 + 4 * n, 0, undefined, scratch) as FloatPartial;
  assert.ok(a.sparse && a.buckets.length === 0, 'normal-like data: sparse fine buckets');
  assert.deepEqual(a, b);
  const bf: TaskTensor = { ...t, dtype: 'BF16', end: 2 * n };
  const c = computePartial(bf, buffers[0].buffer as ArrayBuffer, buffers[0].byteOffset + 4, buffers[0].byteOffset + 4 + 2 * n, 0, undefined, scratch);
  const d = computePartial(bf, plain, 4, 4 + 2 * n, 0, undefined, scratch);
  assert.deepEqual(c, d);
});
