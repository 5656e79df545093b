// Statistics engine against a float64 reference: every dtype, chunked and whole, in workers and in-thread,
// edge cases (empty, all-NaN, denormals, ±Inf, constant, misaligned, chunk-straddling), FP8 block scales.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { DType, f8e4m3BitsToNumber } from '../../src/core/format/dtype';
import { computeStats } from '../../src/core/stats';
import { encode, GenTensor, normals, randomCodes, reference, rng, tmpDir, writeSafetensorsFile } from './helpers/statsGen';
import { checkAgainst } from './helpers/statsCheck';

const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');

interface Case { tensor: GenTensor; values: Float64Array }

function floatCase(name: string, dtype: DType, values: ArrayLike<number>, shape?: number[]): Case {
  const { data, exact } = encode(dtype, values);
  return { tensor: { name, dtype, shape: shape ?? [values.length], data }, values: exact };
}

function codeCase(name: string, dtype: DType, n: number, seed: number): Case {
  const { data, exact } = randomCodes(dtype, n, seed);
  return { tensor: { name, dtype, shape: [n], data }, values: exact };
}

const ALL_DTYPES_N = 40000; // above SMALL_TENSOR_ELEMENTS: the code and bucket paths

function dtypeCases(n: number): Case[] {
  const cases: Case[] = [];
  for (const dt of ['F64', 'F32', 'F16', 'BF16'] as const) cases.push(floatCase(`float.${dt}`, dt, normals(n, 7 + dt.length, 0.02, 0.001)));
  for (const dt of ['I8', 'U8', 'BOOL', 'I16', 'U16', 'I32', 'U32', 'I64', 'U64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ'] as const) {
    cases.push(codeCase(`code.${dt}`, dt, n, 99 + dt.length));
  }
  // Sub-byte floats and complex (counted as their real and imaginary parts): n rounded to whole blocks.
  for (const dt of ['F4', 'F6_E2M3', 'F6_E3M2', 'C64'] as const) cases.push(codeCase(`packed.${dt}`, dt, n - (n % 4), 31 + dt.length));
  return cases;
}

async function run(cases: Case[], options: Parameters<typeof computeStats>[1], pad = true) {
  const dir = tmpDir();
  const path = join(dir, 'model.safetensors');
  writeSafetensorsFile(path, cases.map((c) => c.tensor), { pad });
  const cp = await openCheckpoint(path);
  const result = await computeStats(cp, { workerPath, ...options });
  const byName = new Map(result.tensors.map((t) => [t.name, t]));
  return { byName, result, cp };
}

test('every dtype matches the float64 reference (code and bucket paths, whole tensors, 2 workers)', async () => {
  const cases = dtypeCases(ALL_DTYPES_N);
  const { byName } = await run(cases, { workers: 2 });
  for (const c of cases) {
    const s = byName.get(c.tensor.name)!;
    checkAgainst(s, reference(c.values), 'whole');
    if (['F16', 'BF16', 'I8', 'U8', 'BOOL', 'I16', 'U16', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ'].includes(c.tensor.dtype)) assert.equal(s.method, 'exact-codes');
    else assert.equal(s.method, 'float-buckets');
  }
});

test('every dtype: tensors larger than one chunk, slices straddling chunk boundaries, misaligned data start', async () => {
  const cases = dtypeCases(9001);
  // 1,000-byte chunks: every tensor splits into slices that end mid-row; unpadded header misaligns all data.
  const { byName } = await run(cases, { workers: 2, chunkBytes: 1000 }, false);
  for (const c of cases) checkAgainst(byName.get(c.tensor.name)!, reference(c.values), 'sliced');
});

test('small tensors are exact (sorted) for every dtype, in-thread mode', async () => {
  const cases = dtypeCases(777);
  const { byName } = await run(cases, { workers: 0 });
  for (const c of cases) {
    const s = byName.get(c.tensor.name)!;
    assert.equal(s.method, 'exact-sort');
    checkAgainst(s, reference(c.values), 'small');
  }
});

test('worker and in-thread runs agree bit for bit', async () => {
  const cases = dtypeCases(20000);
  const a = await run(cases, { workers: 2, chunkBytes: 4096 });
  const b = await run(cases, { workers: 0, chunkBytes: 4096 });
  assert.deepEqual(a.result.tensors, b.result.tensors);
});

test('edge cases: empty, all-NaN, denormals, ±Inf, constant, zeros', async () => {
  const r = rng(5);
  const withInf = normals(30000, 3);
  for (let i = 0; i < 30000; i += 997) withInf[i] = r() < 0.5 ? Infinity : -Infinity;
  withInf[12345] = NaN;
  const denormF32 = Float64Array.from({ length: 30000 }, (_, i) => (i % 3 === 0 ? 0 : (i % 7) * 1e-40 * (i % 2 ? 1 : -1)));
  const denormF16 = Float64Array.from({ length: 30000 }, (_, i) => (i % 5) * 2 ** -24 * (i % 2 ? 1 : -1));
  const cases: Case[] = [
    floatCase('empty.F32', 'F32', [], [0]),
    floatCase('empty2d.BF16', 'BF16', [], [3, 0]),
    floatCase('nan.F32', 'F32', new Float64Array(30000).fill(NaN)),
    floatCase('nan.small.F32', 'F32', new Float64Array(10).fill(NaN)),
    floatCase('nan.BF16', 'BF16', new Float64Array(30000).fill(NaN)),
    floatCase('inf.F32', 'F32', withInf),
    floatCase('inf.F16', 'F16', withInf),
    floatCase('inf.BF16', 'BF16', withInf),
    floatCase('inf.F64', 'F64', withInf),
    floatCase('denorm.F32', 'F32', denormF32),
    floatCase('denorm.F16', 'F16', denormF16),
    floatCase('const.F32', 'F32', new Float64Array(30000).fill(0.5)),
    floatCase('const.BF16', 'BF16', new Float64Array(30000).fill(-3)),
    floatCase('zero.F32', 'F32', new Float64Array(30000)),
    floatCase('negzero.F32', 'F32', new Float64Array(30000).fill(-0)),
    floatCase('sparse.F32', 'F32', normals(30000, 9).map((v, i) => (i % 4 ? 0 : v))),
    floatCase('big.F64', 'F64', normals(30000, 11, 1e30)),
  ];
  for (const opts of [{ workers: 2 }, { workers: 1, chunkBytes: 4000 }]) {
    const { byName } = await run(cases, opts);
    for (const c of cases) checkAgainst(byName.get(c.tensor.name)!, reference(c.values), JSON.stringify(opts));
    assert.equal(byName.get('empty.F32')!.zerosFraction, null);
    assert.equal(byName.get('const.F32')!.std, 0);
    assert.equal(byName.get('const.F32')!.kurtosis, null);
    assert.equal(byName.get('const.F32')!.p50, 0.5);
    assert.equal(byName.get('zero.F32')!.zeros, 30000);
    assert.equal(byName.get('negzero.F32')!.zeros, 30000);
    assert.equal(byName.get('nan.F32')!.mean, null);
  }
});

/** Float32 multiply, as `w.float() * scale` does it. */
const fmul = (a: number, b: number) => Math.fround(a * b);

test('FP8 weights with block-wise _scale_inv, per-row and scalar _scale companions are dequantised', async () => {
  const R = 300, C = 260;
  const r = rng(17);
  const codes = new Uint8Array(R * C);
  for (let i = 0; i < codes.length; i++) codes[i] = (Math.floor(r() * 100) + 8) | (r() < 0.5 ? 0x80 : 0);
  const blockScales = Float32Array.from({ length: 9 }, (_, i) => 0.001 * (i + 1));
  const rowScales = Float32Array.from({ length: R }, (_, i) => 0.01 + i * 1e-4);
  const dequant = (scaleAt: (row: number, col: number) => number) => {
    const out = new Float64Array(R * C);
    for (let i = 0; i < out.length; i++) out[i] = fmul(f8e4m3BitsToNumber(codes[i]), scaleAt(Math.floor(i / C), i % C));
    return out;
  };
  const tensors: GenTensor[] = [
    { name: 'a.weight', dtype: 'F8_E4M3', shape: [R, C], data: codes },
    { name: 'a.weight_scale_inv', dtype: 'F32', shape: [3, 3], data: new Uint8Array(blockScales.buffer) },
    { name: 'b.weight', dtype: 'F8_E4M3', shape: [R, C], data: codes },
    { name: 'b.weight_scale', dtype: 'F32', shape: [R, 1], data: new Uint8Array(rowScales.buffer) },
    { name: 'c.weight', dtype: 'F8_E4M3', shape: [R, C], data: codes },
    { name: 'c.weight_scale', dtype: 'F32', shape: [], data: new Uint8Array(Float32Array.of(0.25).buffer) },
    { name: 'd.weight', dtype: 'F8_E4M3', shape: [R, C], data: codes },
    { name: 'd.weight_scale_inv', dtype: 'F32', shape: [2, 2, 2], data: new Uint8Array(new Float32Array(8).buffer) },
  ];
  const expected: Record<string, Float64Array> = {
    'a.weight': dequant((row, col) => blockScales[Math.floor(row / 128) * 3 + Math.floor(col / 128)]),
    'b.weight': dequant((row) => rowScales[row]),
    'c.weight': dequant(() => 0.25),
    'd.weight': Float64Array.from(codes, (c) => f8e4m3BitsToNumber(c)),
  };
  const dir = tmpDir();
  const path = join(dir, 'fp8.safetensors');
  writeSafetensorsFile(path, tensors);
  const cp = await openCheckpoint(path);
  for (const opts of [{ workers: 2 }, { workers: 2, chunkBytes: 1000 }, { workers: 0, chunkBytes: 333 }]) {
    const res = await computeStats(cp, { workerPath, ...opts });
    const byName = new Map(res.tensors.map((t) => [t.name, t]));
    for (const [name, values] of Object.entries(expected)) checkAgainst(byName.get(name)!, reference(values), `fp8 ${JSON.stringify(opts)}`);
    assert.deepEqual(byName.get('a.weight')!.dequantised, { scaleTensor: 'a.weight_scale_inv', block: [128, 128] });
    assert.deepEqual(byName.get('b.weight')!.dequantised, { scaleTensor: 'b.weight_scale', block: [1, C] });
    assert.deepEqual(byName.get('c.weight')!.dequantised, { scaleTensor: 'c.weight_scale', block: [R, C] });
    assert.equal(byName.get('d.weight')!.dequantised, undefined);
    assert.match(byName.get('d.weight')!.warning ?? '', /not dequantised/);
    assert.equal(byName.get('d.weight')!.method, 'exact-codes');
  }
});

test('results stream per tensor with progress events', async () => {
  const cases = dtypeCases(5000);
  const dir = tmpDir();
  const path = join(dir, 'm.safetensors');
  writeSafetensorsFile(path, cases.map((c) => c.tensor));
  const cp = await openCheckpoint(path);
  const seen: string[] = [];
  const progress: number[] = [];
  let last;
  const res = await computeStats(cp, {
    workerPath, workers: 2, chunkBytes: 2048,
    onTensor: (s, i) => { seen.push(s.name); assert.equal(cp.tensors[i].name, s.name); },
    onProgress: (p) => { progress.push(p.bytesDone); last = p; },
  });
  assert.deepEqual([...seen].sort(), cp.tensors.map((t) => t.name).sort());
  assert.deepEqual(res.tensors.map((t) => t.name), cp.tensors.map((t) => t.name));
  assert.ok(progress.length > cases.length);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1]);
  assert.deepEqual(last, { bytesDone: cp.bytes, bytesTotal: cp.bytes, tensorsDone: cases.length, tensorsTotal: cases.length, tensorsCached: 0 });
});
