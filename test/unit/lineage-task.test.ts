// Task-determined tensors: an output bias indexed by the label space agrees between independent models trained for
// the same task (the mean face shape of a landmark regressor) and must never decide a verdict alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { taskDetermined } from '../../src/core/match/taskTensors';
import { auditCheckpoint } from '../../src/core/match/audit';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { trainedMatrix, normals, type Tensor } from '../fixtures/trained';
import { writeLlama } from './helpers/lineage';

const MEAN_FACE = (() => { const g = normals(4242); return Float32Array.from({ length: 136 }, () => 0.5 * g()); })();

/** A landmark regressor (68 points x 2): its own trunk, and an output bias near the mean face shape. */
function landmarkNet(seed: number): Tensor[] {
  const g = normals(seed);
  return [
    trainedMatrix('features.0.weight', [64, 48], seed + 1),
    { name: 'features.0.bias', shape: [64], data: Float32Array.from({ length: 64 }, () => 0.02 * g()) },
    trainedMatrix('features.1.weight', [128, 64], seed + 2),
    trainedMatrix('fc.weight', [136, 128], seed + 3),
    { name: 'fc.bias', shape: [136], data: MEAN_FACE.map((v) => v + 0.05 * g()) },
  ];
}

test('taskDetermined flags vectors as long as an output width nothing reads, not norms, inner biases or fused-qkv biases', () => {
  const flags = taskDetermined([
    { shape: [300, 64], layer: null }, { shape: [300, 64], layer: null }, { shape: [300], layer: null }, { shape: [64], layer: null },
    { shape: [192, 64], layer: 0 }, { shape: [192], layer: 0 }, { shape: [64, 64], layer: 0 }, { shape: [64], layer: 0 },
  ]);
  assert.deepEqual(flags, [false, false, true, false, false, false, false, false]);
});

test('two independent landmark nets agree on the output bias only: no-evidence, the bias is flagged and a note says why', async () => {
  const ref = await fingerprintPath(await writeLlama(landmarkNet(1)), { id: 'landmarks-a' });
  const audit = await auditCheckpoint(await writeLlama(landmarkNet(2)), [ref]);
  const cmp = audit.components.flatMap((c) => c.comparisons)[0];
  const bias = cmp.table.find((r) => r.suspect === 'fc.bias');
  assert.ok(bias && bias.matched && bias.r > 0.9 && bias.taskDetermined, JSON.stringify(bias));
  for (const c of audit.components) assert.equal(c.verdict, 'no-evidence', c.relation);
  assert.ok(audit.components.some((c) => c.comparisons[0].relation.startsWith('only task-determined tensors agree')));
  assert.ok(audit.notes.some((n) => n.startsWith('task-determined tensors')), audit.notes.join('\n'));
});

test('a copied landmark net is still found: the flagged bias is only left out of the count', async () => {
  const net = landmarkNet(3);
  const ref = await fingerprintPath(await writeLlama(net), { id: 'landmarks-b' });
  const audit = await auditCheckpoint(await writeLlama(net), [ref]);
  assert.ok(audit.components.every((c) => c.verdict === 'identical'), audit.components.map((c) => `${c.name} ${c.verdict} ${c.relation}`).join('; '));
});
