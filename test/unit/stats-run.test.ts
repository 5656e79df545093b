// Worker pool lifecycle (cancellation leaves no worker), cache staleness, corpus checkpoints, per-layer
// aggregation and the `weightprint stats` CLI contract.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CheckpointReader } from '../../src/core/format/tensorData';
import {
  aggregateLayers, computeStats, layerMatrix, liveStatsWorkers, outlierFlags, StatsCache, statsEvents,
} from '../../src/core/stats';
import { encode, normals, reference, tmpDir, writeSafetensorsFile } from './helpers/statsGen';
import { checkAgainst } from './helpers/statsCheck';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';

before(() => ensureFixtureCorpus());

const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');
const corpus = CORPUS;

function threads(): number {
  const m = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}

test('cancellation terminates every worker and rejects with AbortError', async () => {
  const dir = tmpDir();
  const path = join(dir, 'big.safetensors');
  const v = normals(1 << 22, 1, 0.02); // 16 MiB of F32
  const data = encode('F32', v).data;
  writeSafetensorsFile(path, [
    { name: 'a', dtype: 'F32', shape: [1 << 22], data },
    { name: 'b', dtype: 'F32', shape: [1 << 22], data },
  ]);
  const cp = await openCheckpoint(path);
  await computeStats(cp, { workerPath, workers: 2, tensors: ['a'], chunkBytes: 1 << 20 }); // warm the libuv pool
  const before = threads();
  assert.equal(liveStatsWorkers(), 0);
  const controller = new AbortController();
  let progressed = 0;
  await assert.rejects(
    computeStats(cp, {
      workerPath, workers: 2, chunkBytes: 64 * 1024, signal: controller.signal,
      onProgress: (p) => { if (p.bytesDone > 0 && ++progressed === 3) controller.abort(); },
    }),
    (e: Error) => e.name === 'AbortError',
  );
  assert.equal(liveStatsWorkers(), 0, 'no stats worker alive after the run settled');
  if (before > 0) assert.equal(threads(), before, 'thread count back to its level before the run');
  // An already aborted signal starts nothing.
  await assert.rejects(computeStats(cp, { workerPath, workers: 2, signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
  assert.equal(liveStatsWorkers(), 0);
});

test('cache: reused while the file is unchanged, stale after a change of data/mtime or header', async () => {
  const dir = tmpDir();
  const cacheDir = join(dir, 'cache');
  const path = join(dir, 'm.safetensors');
  const write = (seed: number, name = 'w') => writeSafetensorsFile(path, [
    { name, dtype: 'F32', shape: [100, 300], data: encode('F32', normals(30000, seed)).data },
    { name: 'n', dtype: 'BF16', shape: [300], data: encode('BF16', normals(300, seed + 1)).data },
  ]);
  write(1);
  let cp = await openCheckpoint(path);
  const cache = new StatsCache(cacheDir);
  assert.equal(await cache.status(cp, 64), 'missing');
  const first = await computeStats(cp, { workerPath, workers: 1, cacheDir });
  assert.equal(first.tensorsCached, 0);
  assert.equal(await cache.status(cp, 64), 'fresh');
  const again = await computeStats(cp, { workerPath, workers: 1, cacheDir });
  assert.equal(again.tensorsCached, 2);
  assert.deepEqual(again.tensors, first.tensors);
  assert.equal(await cache.status(cp, 32), 'stale', 'other histogram bins are another entry');

  write(2); // same size and header, other data
  const later = new Date(Date.now() + 5000);
  utimesSync(path, later, later);
  cp = await openCheckpoint(path);
  assert.equal(await cache.status(cp, 64), 'stale');
  const changed = await computeStats(cp, { workerPath, workers: 1, cacheDir });
  assert.equal(changed.tensorsCached, 0);
  assert.notEqual(changed.tensors[0].mean, first.tensors[0].mean);

  write(2, 'v'); // header change
  utimesSync(path, later, later);
  cp = await openCheckpoint(path);
  assert.equal(await cache.status(cp, 64), 'stale');

  // A cancelled run keeps what it finished; the next run computes the rest only.
  const c2 = join(dir, 'cache2');
  const controller = new AbortController();
  await assert.rejects(computeStats(cp, { workerPath, workers: 0, chunkBytes: 4096, cacheDir: c2, signal: controller.signal,
    onTensor: () => controller.abort() }), (e: Error) => e.name === 'AbortError');
  assert.equal(await new StatsCache(c2).status(cp, 64), 'partial');
  const resumed = await computeStats(cp, { workerPath, workers: 0, cacheDir: c2 });
  assert.equal(resumed.tensorsCached, 1);
});

for (const file of ['lm/lm_A.safetensors', 'lm/A_bf16.safetensors']) {
  test(`corpus ${file}: every tensor matches the float64 reference`, async () => {
    const cp = await openCheckpoint(join(corpus, file));
    const run = await computeStats(cp, { workerPath, chunkBytes: 256 * 1024 });
    const reader = new CheckpointReader(cp);
    try {
      for (let i = 0; i < cp.tensors.length; i++) {
        const t = cp.tensors[i];
        const values = await reader.readElements(t, 0, t.count);
        checkAgainst(run.tensors[i], reference(values), file);
      }
    } finally {
      await reader.close();
    }
  });
}

test('per-layer aggregation of a corpus model: series per module kind, heatmap matrix', async () => {
  const cp = await openCheckpoint(join(corpus, 'lm/lm_A.safetensors'));
  const run = await computeStats(cp, { workerPath });
  const agg = aggregateLayers(run.tensors);
  const lang = agg.components.find((c) => c.component === 'language');
  assert.ok(lang);
  assert.equal(lang.layerCount, 4);
  const q = lang.series.find((s) => s.kind === 'attn-q');
  assert.ok(q);
  assert.equal(q.pattern, 'model.layers.{L}.self_attn.q_proj.weight');
  assert.deepEqual(q.layers, [0, 1, 2, 3]);
  for (const l of q.layers) {
    const t = run.tensors.find((s) => s.name === `model.layers.${l}.self_attn.q_proj.weight`)!;
    assert.equal(q.std[l], t.std);
    assert.equal(q.l2[l], t.l2);
    assert.equal(q.absmax[l], t.absmax);
  }
  const kinds = new Set(lang.series.map((s) => s.kind));
  for (const k of ['attn-q', 'attn-k', 'attn-v', 'attn-o', 'mlp-gate', 'mlp-up', 'mlp-down', 'norm']) assert.ok(kinds.has(k as never), k);
  const norms = lang.series.filter((s) => s.kind === 'norm');
  assert.equal(norms.length, 2, 'input and post-attention norms are separate series');
  const m = layerMatrix(lang, 'std');
  assert.deepEqual(m.layers, [0, 1, 2, 3]);
  assert.equal(m.columns.length, lang.series.length);
  assert.equal(m.values[2][m.columns.indexOf('self_attn.q_proj.weight')], q.std[2]);
});

test('aggregation of MoE experts and outlier flags', () => {
  const base = { dtype: 'F32' as const, shape: [2], count: 2, finite: 2, mean: 0, min: -1, max: 1, l2: 1, zeros: 0, zerosFraction: 0, nan: 0, posinf: 0, neginf: 0, skewness: 0, kurtosis: 0, p1: -1, p50: 0, p99: 1, histogram: null, symlogHistogram: null, method: 'exact-sort' as const, percentileError: { relative: 0, absolute: 0 } };
  const stats = [0, 1].flatMap((layer) => [0, 1, 2].map((e) => ({
    ...base, name: `model.layers.${layer}.mlp.experts.${e}.down_proj.weight`, std: e + 1, absmax: 10 * e + layer,
  })));
  const agg = aggregateLayers(stats);
  const s = agg.components[0].series[0];
  assert.equal(s.pattern, 'model.layers.{L}.mlp.experts.{E}.down_proj.weight');
  assert.deepEqual(s.std, [2, 2]);
  assert.deepEqual(s.absmax, [20, 21]);
  assert.deepEqual(s.tensors, [3, 3]);
  assert.deepEqual(outlierFlags({ ...base, name: 'x', std: 0, absmax: 1, nan: 1, kurtosis: 80 }), ['nan', 'extreme-kurtosis']);
  assert.deepEqual(outlierFlags({ ...base, name: 'x', std: 0, absmax: 0, zeros: 2, min: 0, max: 0 }), ['all-zero']);
  assert.deepEqual(outlierFlags({ ...base, name: 'x', std: 0, absmax: 3, min: 3, max: 3 }), ['constant']);
});

test('CLI: stats --json follows docs/architecture.md (Command line), null for non-numbers, exit codes 0/1/2', () => {
  const dir = tmpDir();
  const path = join(dir, 'm.safetensors');
  writeSafetensorsFile(path, [
    { name: 'w', dtype: 'BF16', shape: [64, 64], data: encode('BF16', normals(4096, 3, 0.02)).data },
    { name: 'nan', dtype: 'F32', shape: [4], data: encode('F32', [NaN, NaN, Infinity, NaN]).data },
  ]);
  const cli = join(process.cwd(), 'dist/cli.js');
  const r = spawnSync(process.execPath, [cli, 'stats', path, '--json', '--no-cache'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.checkpoint.path, path);
  assert.equal(doc.tensors.length, 2);
  const nan = doc.tensors.find((t: { name: string }) => t.name === 'nan');
  for (const k of ['name', 'dtype', 'shape', 'count', 'mean', 'std', 'min', 'max', 'absmax', 'l2', 'zeros', 'nan', 'posinf', 'neginf', 'histogram']) {
    assert.ok(k in nan, k);
  }
  assert.equal(nan.mean, null);
  assert.equal(nan.nan, 3);
  assert.equal(nan.posinf, 1);
  const w = doc.tensors.find((t: { name: string }) => t.name === 'w');
  assert.equal(w.histogram.counts.reduce((a: number, b: number) => a + b, 0), 4096);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');

  const human = spawnSync(process.execPath, [cli, 'stats', path, '--no-cache'], { encoding: 'utf8' });
  assert.equal(human.status, 0);
  assert.match(human.stdout, /^w\s+BF16\s+\[64,64\]/m);

  assert.equal(spawnSync(process.execPath, [cli, 'stats'], { encoding: 'utf8' }).status, 1);
  assert.equal(spawnSync(process.execPath, [cli, 'stats', path, '--bins', 'x'], { encoding: 'utf8' }).status, 1);
  const bad = join(dir, 'bad.safetensors');
  writeFileSync(bad, Buffer.from([1, 2, 3]));
  const b = spawnSync(process.execPath, [cli, 'stats', bad, '--json'], { encoding: 'utf8' });
  assert.equal(b.status, 2);
  assert.match(b.stderr, /bad\.safetensors/);
});

test('statsEvents yields tensors and progress, then done', async () => {
  const dir = tmpDir();
  const path = join(dir, 'e.safetensors');
  writeSafetensorsFile(path, [
    { name: 'a', dtype: 'F32', shape: [5000], data: encode('F32', normals(5000, 1)).data },
    { name: 'b', dtype: 'BF16', shape: [40000], data: encode('BF16', normals(40000, 2)).data },
  ]);
  const cp = await openCheckpoint(path);
  const names: string[] = [];
  let progress = 0;
  let done = false;
  for await (const ev of statsEvents(cp, { workerPath, workers: 1, chunkBytes: 4096 })) {
    if (ev.type === 'tensor') names.push(ev.stats.name);
    else if (ev.type === 'progress') progress++;
    else { done = true; assert.equal(ev.run.tensors.length, 2); }
  }
  assert.deepEqual(names.sort(), ['a', 'b']);
  assert.ok(progress > 2);
  assert.ok(done);
});
