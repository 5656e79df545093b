// PyTorch files end to end: a .bin saved from the same weights as a safetensors reference audits as identical to it,
// a sharded .bin set behind pytorch_model.bin.index.json opens as one checkpoint with correct statistics, and a pickle
// that names os.system is refused by the CLI with exit 2 and one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../src/core/match/audit';
import { computeStats } from '../../src/core/stats';
import { llama, type Model } from '../fixtures/models';
import { SMALL } from './helpers/lineage';
import { runCli, tempDir } from './helpers/hostileFiles';
import { reference as statsReference } from './helpers/statsGen';
import { checkAgainst } from './helpers/statsCheck';
import { simpleStateDict, writeTorchFile } from './helpers/torchWriter';

const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');
const stateDict = (m: Model) => simpleStateDict(m.map((x) => ({ name: x.name, dtype: 'F32' as const, shape: x.shape, values: Array.from(x.data) })));

test('a .bin saved from a reference\'s weights audits as identical to it; another model\'s does not', async () => {
  const model = llama(91, SMALL);
  const refDir = tempDir('wp-torch-ref-');
  await writeSafetensors(join(refDir, 'model.safetensors'), model.map((x) => ({ name: x.name, dtype: 'F32' as const, shape: x.shape, data: encodeFloats('F32', x.data) })));
  const fp = await fingerprintPath(join(refDir, 'model.safetensors'), { id: 'torchref' });
  const bin = writeTorchFile(join(tempDir('wp-torch-sus-'), 'pytorch_model.bin'), stateDict(model));
  const cp = await openCheckpoint(bin);
  assert.equal(cp.format, 'pytorch');
  assert.equal(cp.tensors.length, model.length);
  const audit = await auditCheckpoint(cp, [fp]);
  const language = audit.components.find((c) => c.name === 'language')!.comparisons[0];
  assert.equal(language.verdict, 'identical', language.relation);
  const other = writeTorchFile(join(tempDir('wp-torch-other-'), 'model.pt'), stateDict(llama(92, SMALL)));
  const audit2 = await auditCheckpoint(other, [fp]);
  assert.equal(audit2.components.find((c) => c.name === 'language')!.comparisons[0].verdict, 'no-evidence');
});

test('a sharded .bin set opens through pytorch_model.bin.index.json; statistics match the values written', async () => {
  const model = llama(93, SMALL);
  const dir = tempDir('wp-torch-shards-');
  const half = Math.ceil(model.length / 2);
  const shards = [model.slice(0, half), model.slice(half)];
  const names = ['pytorch_model-00001-of-00002.bin', 'pytorch_model-00002-of-00002.bin'];
  shards.forEach((s, i) => writeTorchFile(join(dir, names[i]), stateDict(s)));
  const weightMap = Object.fromEntries(shards.flatMap((s, i) => s.map((x) => [x.name, names[i]])));
  writeFileSync(join(dir, 'pytorch_model.bin.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  const cp = await openCheckpoint(dir);
  assert.equal(cp.format, 'pytorch');
  assert.equal(cp.kind, 'sharded');
  assert.equal(cp.files.length, 2);
  assert.equal(cp.tensors.length, model.length);
  const stats = await computeStats(cp, { workerPath, workers: 2 });
  for (const x of model) checkAgainst(stats.tensors.find((s) => s.name === x.name)!, statsReference(Float64Array.from(x.data)), 'pytorch');
});

test('a .bin whose pickle names os.system: inspect exits 2 with one line naming the file and the global', async () => {
  // PROTO 2, GLOBAL 'os system', STOP: the classic pickle exploit, refused before anything runs.
  const evil = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cos\nsystem\n', 'latin1'), Buffer.from('.', 'latin1')]);
  const file = writeTorchFile(join(tempDir('wp-torch-evil-'), 'evil.bin'), { storages: [], tensors: [] }, { pickle: evil });
  const run = await runCli(['inspect', file]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.ok(lines[0].includes(file) && /os\.system/.test(lines[0]), lines[0]);
});
