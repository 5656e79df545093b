// Statistics in the user's language: workers translate with the host's bundle (a CheckpointError raised in a
// worker is Korean in full, not only the host's wrapper), and the dequantisation warning is English data in the
// results, the cache and `stats --json`, translated only where it is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ko from '../../l10n/bundle.l10n.ko.json';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CheckpointError } from '../../src/core/format/errors';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { currentBundle, translatorFromMap, useBundle } from '../../src/core/l10n';
import { computeStats, statsJson, StatsRun } from '../../src/core/stats';
import { statsWarning } from '../../src/shared/statsPhrases';

const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');
const HANGUL = /[\uac00-\ud7a3]/;

function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'wp-stats-l10n-'));
}

async function inKorean<T>(f: () => Promise<T>): Promise<T> {
  useBundle(ko, 'ko');
  try {
    return await f();
  } finally {
    useBundle({}, 'en');
  }
}

async function rejection(p: Promise<unknown>): Promise<CheckpointError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CheckpointError, `a CheckpointError, got ${String(e)}`);
    return e;
  }
  assert.fail('the run should have failed');
}

test('currentBundle: undefined for English, the installed bundle and locale otherwise', () => {
  assert.equal(currentBundle(), undefined);
  useBundle(ko, 'ko');
  try {
    const c = currentBundle();
    assert.equal(c?.locale, 'ko');
    assert.equal(c?.bundle['{0}, byte {1}: {2}'], ko['{0}, byte {1}: {2}']);
  } finally {
    useBundle({}, 'en');
  }
  assert.equal(currentBundle(), undefined);
});

test('a CheckpointError raised in a worker is in the UI language, reason included, and translated once', async () => {
  const dir = tmpDir();
  const path = join(dir, 'cut.safetensors');
  const values = Array.from({ length: 4096 }, (_, i) => Math.sin(i));
  await writeSafetensors(path, [
    { name: 'a', dtype: 'F32', shape: [64, 64], data: encodeFloats('F32', values) },
    { name: 'b', dtype: 'F32', shape: [64, 64], data: encodeFloats('F32', values) },
  ]);
  const cp = await openCheckpoint(path);
  // The header (read above) still claims 32 KiB of data; the workers find less.
  truncateSync(path, cp.files[0].size - 10000);

  const [inWorker, onHost] = await inKorean(async () => [
    await rejection(computeStats(cp, { workerPath, workers: 1 })),
    await rejection(computeStats(cp, { workers: 0 })),
  ]);
  assert.match(inWorker.reason, HANGUL, `reason in Korean: ${inWorker.reason}`);
  assert.doesNotMatch(inWorker.reason, /[A-Za-z]{3,}/, `no English left in the reason: ${inWorker.reason}`);
  // Wrapper and reason each translated once: the same text as the run on this thread.
  assert.equal(inWorker.message, onHost.message);
  assert.equal(inWorker.reason, onHost.reason);
  assert.ok(inWorker.message.endsWith(inWorker.reason));
  assert.ok(inWorker.message.includes('바이트'), inWorker.message);

  // English again afterwards: new workers start from the host's (now English) translation.
  const english = await rejection(computeStats(cp, { workerPath, workers: 1 }));
  assert.doesNotMatch(english.message, HANGUL);
  assert.equal(english.code, inWorker.code);
});

test('the dequantisation warning is English data whatever the UI language; shown translated', async () => {
  const dir = tmpDir();
  const path = join(dir, 'fp8.safetensors');
  await writeSafetensors(path, [
    { name: 'w.weight', dtype: 'F8_E4M3', shape: [4, 6], data: Uint8Array.from({ length: 24 }, (_, i) => 0x30 + i) },
    // Three dimensions: no block grid maps it onto a matrix.
    { name: 'w.weight_scale_inv', dtype: 'F32', shape: [2, 2, 2], data: encodeFloats('F32', [1, 2, 3, 4, 5, 6, 7, 8]) },
  ]);
  const cp = await openCheckpoint(path);
  const english = 'not dequantised: scale shape [2,2,2] does not map onto weight shape [4,6] (w.weight_scale_inv)';
  const warningOf = (run: StatsRun) => run.tensors.find((s) => s.name === 'w.weight')?.warning;

  const cacheDir = join(dir, 'cache');
  const korean = await inKorean(async () => [
    await computeStats(cp, { workerPath, workers: 1, cacheDir }),
    await computeStats(cp, { workerPath, workers: 2, chunkBytes: 64 }),
    await computeStats(cp, { workers: 0 }),
  ]);
  const plain = await computeStats(cp, { workerPath, workers: 1 });
  const cached = await computeStats(cp, { workerPath, workers: 1, cacheDir });
  assert.equal(cached.tensorsCached, 2, 'the English run reads the cache the Korean run wrote');
  for (const run of [...korean, plain, cached]) assert.equal(warningOf(run), english);
  const json = (run: StatsRun) => JSON.stringify(statsJson(cp, run).tensors);
  assert.equal(json(korean[0]), json(plain), '`stats --json` tensors are the same in both languages');

  // Display: the installed language, or any translator.
  assert.equal(statsWarning(english), english);
  const shown = await inKorean(async () => statsWarning(english));
  assert.equal(shown, '역양자화하지 않음: 스케일 형상 [2,2,2]을(를) 가중치 형상 [4,6]에 대응시킬 수 없습니다 (w.weight_scale_inv)');
  assert.equal(statsWarning(english, translatorFromMap(ko)), shown);
  // A tensor name is untrusted text: kept as it is, parentheses and all.
  const odd = english.replace('(w.weight_scale_inv)', '(x (y) [1,2])');
  assert.ok(statsWarning(odd, translatorFromMap(ko)).endsWith(' (x (y) [1,2])'));
  assert.equal(statsWarning('something else', translatorFromMap(ko)), 'something else');
});
