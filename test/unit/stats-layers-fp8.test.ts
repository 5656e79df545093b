// Per-layer series of an FP8 checkpoint: the scale companions (`weight_scale_inv`, `weight_scale`, `scale_inv`)
// belong to their weights, not to series of their own; their statistics are still computed (Tensors table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { encodeFloats, writeSafetensors, type TensorToWrite } from '../../src/core/format/writer';
import { aggregateLayers, computeStats } from '../../src/core/stats';
import { scaleCompanionOf } from '../../src/core/naming/companions';
import { normals, rng, tmpDir } from './helpers/statsGen';

/** FP8 E4M3 codes of a 256 × 128 weight (random signs and exponents) and its 2 × 1 block scales. */
function fp8(name: string, seed: number, scaleSuffix: string): TensorToWrite[] {
  const r = rng(seed);
  const codes = Uint8Array.from({ length: 256 * 128 }, () => (r() < 0.5 ? 0x80 : 0) | ((3 + Math.floor(r() * 6)) << 3) | Math.floor(r() * 8));
  return [
    { name, dtype: 'F8_E4M3', shape: [256, 128], data: codes },
    { name: name.replace(/\.weight$/, scaleSuffix), dtype: 'F32', shape: [2, 1], data: encodeFloats('F32', [0.001 * seed, 0.002 * seed]) },
  ];
}

test('FP8 scale companions are attached to their weights, not charted as modules', async () => {
  const tensors: TensorToWrite[] = [];
  for (let l = 0; l < 3; l++) {
    const p = `model.layers.${l}`;
    tensors.push(
      ...fp8(`${p}.self_attn.q_proj.weight`, 1 + l, '.weight_scale_inv'),
      ...fp8(`${p}.mlp.down_proj.weight`, 4 + l, '.weight_scale'),
      ...fp8(`${p}.mlp.up_proj.weight`, 7 + l, '.scale_inv'),
      { name: `${p}.input_layernorm.weight`, dtype: 'F32', shape: [128], data: encodeFloats('F32', normals(128, 10 + l, 0.01, 1)) },
    );
  }
  const path = join(tmpDir(), 'fp8-layers.safetensors');
  await writeSafetensors(path, tensors);
  const run = await computeStats(await openCheckpoint(path), { workers: 0 });
  const byName = new Map(run.tensors.map((t) => [t.name, t]));

  const agg = aggregateLayers(run.tensors);
  assert.deepEqual(agg.components.map((c) => c.component), ['language']);
  const series = agg.components[0].series;
  assert.deepEqual(series.map((s) => [s.label, s.kind, s.scaleCompanions ?? []]), [
    ['self_attn.q_proj.weight', 'attn-q', ['weight_scale_inv']],
    ['mlp.up_proj.weight', 'mlp-up', ['scale_inv']],
    ['mlp.down_proj.weight', 'mlp-down', ['weight_scale']],
    ['input_layernorm.weight', 'norm', []],
  ]);
  for (const s of series) {
    assert.deepEqual(s.layers, [0, 1, 2]);
    assert.deepEqual(s.tensors, [1, 1, 1], `${s.label}: one tensor per layer, the scale not counted`);
    s.layers.forEach((l, i) => {
      const w = byName.get(s.pattern.replace('{L}', String(l)))!;
      assert.equal(s.std[i], w.std);
      assert.equal(s.absmax[i], w.absmax);
    });
  }
  // The weights' statistics are of the dequantised values; the scales keep their own statistics.
  assert.deepEqual(byName.get('model.layers.1.self_attn.q_proj.weight')!.dequantised, { scaleTensor: 'model.layers.1.self_attn.q_proj.weight_scale_inv', block: [128, 128] });
  assert.equal(byName.get('model.layers.2.mlp.down_proj.weight_scale')!.absmax, Math.fround(0.012));
  assert.equal(byName.get('model.layers.0.mlp.up_proj.scale_inv')!.count, 2);
});

test('a scale companion needs its weight beside it', () => {
  const names = new Set(['a.weight', 'a.weight_scale_inv', 'b.scale_inv', 'c.weight', 'c.scale_inv', 'norm.scale', 'k_scale']);
  assert.equal(scaleCompanionOf('a.weight_scale_inv', names), 'a.weight');
  assert.equal(scaleCompanionOf('c.scale_inv', names), 'c.weight');
  assert.equal(scaleCompanionOf('b.scale_inv', names), null, 'no b.weight');
  assert.equal(scaleCompanionOf('norm.scale', names), null, 'a norm\'s scale is a parameter');
  assert.equal(scaleCompanionOf('k_scale', names), null);
  assert.equal(scaleCompanionOf('a.weight', names), null);
});
