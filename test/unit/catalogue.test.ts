// The architecture catalogue: the data file is valid, every family's signature recognises a header with that family's
// real shapes, and unrelated checkpoints (the corpus, other families) are not claimed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CatalogueError, exampleTensors, isClaim, loadCatalogue, matchArchitecture, suggestedRepos, validateCatalogue, type NamedShape } from '../../src/core/catalogue';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { decoderTensors } from './helpers/remoteGen';

before(() => ensureFixtureCorpus());

const catalogue = loadCatalogue();

const PREFIX: Record<string, string> = {
  'qwen2.5-vl-vision': 'visual.', 'qwen2-vl-vision': 'visual.', 'whisper-encoder': 'model.encoder.', 'qwen2-audio-encoder': 'audio_tower.',
  siglip: 'vision_tower.vision_model.', 'siglip2-naflex': 'vision_model.', 'clip-vit': 'vision_tower.vision_model.', internvit: 'vision_model.',
  'chatglm-glm4': 'transformer.',
};
const prefixOf = (family: string): string => PREFIX[family] ?? 'model.';
const key = (ts: NamedShape[]): string => ts.map((t) => `${t.name}:${t.shape.join('x')}`).sort().join('\n');

test('catalogue: valid, and holds every family reviewers meet, each with public repos and real sizes', () => {
  const ids = catalogue.families.map((f) => f.id);
  for (const id of ['qwen2', 'qwen3', 'qwen2-vl-vision', 'qwen2.5-vl-vision', 'qwen2-audio-encoder', 'whisper-encoder', 'siglip', 'siglip2-naflex', 'clip-vit',
    'internvit', 'llama', 'mistral', 'gemma2', 'gemma3', 'glm4', 'chatglm-glm4', 'glm4.5', 'deepseek-v2', 'deepseek-v3', 'phi3']) {
    assert.ok(ids.includes(id), `missing family ${id}`);
  }
  for (const f of catalogue.families) {
    assert.ok(Object.keys(f.config).length > 0, `${f.id}: no identifying config keys`);
    for (const v of f.variants) assert.ok(v.repos.length > 0 && v.repos.every((r) => /^[\w.-]+\/[\w.-]+$/.test(r)), `${v.id}: repos`);
  }
  const q7 = catalogue.families.find((f) => f.id === 'qwen2')!.variants.find((v) => v.id === 'qwen2.5-7b')!;
  assert.deepEqual([q7.dims.hidden, q7.dims.intermediate, q7.dims.layers, q7.dims.heads, q7.dims.kvHeads, q7.dims.vocab], [3584, 18944, 28, 28, 4, 152064]);
});

test('catalogue: every variant of every family is recognised exactly; no other family claims it unless its shapes are identical', () => {
  let checked = 0;
  for (const f of catalogue.families) {
    for (const v of f.variants) {
      const tensors = exampleTensors(catalogue, f.id, v.id, prefixOf(f.id));
      const report = matchArchitecture(tensors);
      const all = report.components.flatMap((c) => c.matches);
      const mine = all.find((m) => m.family === f.id && m.prefix === prefixOf(f.id));
      assert.ok(mine, `${v.id}: not recognised`);
      assert.equal(mine.confidence, 'exact', `${v.id}: ${mine.rules.join('; ')}`);
      assert.ok(mine.variants.some((x) => x.id === v.id), `${v.id}: variants ${mine.variants.map((x) => x.id)}`);
      assert.match(mine.summary, /same shapes and layout as/);
      for (const other of all.filter((m) => isClaim(m) && m.family !== f.id)) {
        const same = other.variants.some((ov) => key(exampleTensors(catalogue, other.family, ov.id, other.prefix)) === key(tensors));
        assert.ok(same, `${v.id} is claimed by ${other.family} (${other.summary}) although the shapes differ`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 70, `${checked} variants`);
});

test('catalogue: independently built headers (Qwen2.5-0.5B, Llama-3-8B) are recognised; Mistral does not claim Llama', () => {
  const qwen = decoderTensors({ hidden: 896, intermediate: 4864, layers: 24, heads: 14, kvHeads: 2, vocab: 151936, bias: true, tied: true });
  const q = matchArchitecture(qwen).components.find((c) => c.component === 'language')!;
  assert.equal(q.matches[0].family, 'qwen2');
  assert.equal(q.matches[0].confidence, 'exact');
  assert.deepEqual(q.matches[0].variants.map((v) => v.id).sort(), ['qwen2-0.5b', 'qwen2.5-0.5b']);
  assert.ok(!q.matches.some((m) => m.family === 'llama'), 'Llama layout has no q/k/v bias');

  const llama = decoderTensors({ hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, vocab: 128256 });
  const l = matchArchitecture(llama).components.find((c) => c.component === 'language')!;
  assert.equal(l.matches[0].family, 'llama');
  assert.deepEqual(l.matches[0].variants.map((v) => v.id), ['llama-3-8b']);
  const mistral = l.matches.find((m) => m.family === 'mistral')!;
  assert.equal(mistral.confidence, 'layout', 'Mistral-7B differs in vocab');
  assert.ok(!isClaim(mistral));

  const pruned = decoderTensors({ hidden: 3584, intermediate: 18944, layers: 20, heads: 28, kvHeads: 4, vocab: 152064, bias: true });
  const p = matchArchitecture(pruned).components[0].matches[0];
  assert.equal(p.confidence, 'shapes');
  assert.match(p.summary, /different depth \(20 layers\)/);
});

test('catalogue: config.json separates families with identical shapes (Qwen2-Audio encoder vs Whisper large-v3)', () => {
  const tensors = exampleTensors(catalogue, 'qwen2-audio-encoder', 'qwen2-audio-7b-encoder', 'audio_tower.');
  const report = matchArchitecture(tensors, { model_type: 'qwen2_audio', audio_config: { model_type: 'qwen2_audio_encoder' } });
  const audio = report.components.find((c) => c.component === 'audio')!;
  assert.equal(audio.matches[0].family, 'qwen2-audio-encoder');
  assert.equal(audio.matches[0].config, 'agrees');
  const whisper = audio.matches.find((m) => m.family === 'whisper-encoder')!;
  assert.equal(whisper.confidence, 'exact');
  assert.equal(whisper.config, 'disagrees');
  assert.deepEqual(report.configFamilies, ['qwen2-audio-encoder']);
  assert.equal(report.kind, 'architecture');
  const repos = suggestedRepos(report).map((r) => r.repo);
  assert.ok(repos.includes('Qwen/Qwen2-Audio-7B-Instruct') && repos.includes('openai/whisper-large-v3'));
});

test('catalogue: a Qwen2.5-VL-7B checkpoint (LM + vision tower) gets one match per component', () => {
  const tensors = [
    ...decoderTensors({ hidden: 3584, intermediate: 18944, layers: 28, heads: 28, kvHeads: 4, vocab: 152064, bias: true }),
    ...exampleTensors(catalogue, 'qwen2.5-vl-vision', 'qwen2.5-vl-7b-vision', 'visual.'),
  ];
  const report = matchArchitecture(tensors, { model_type: 'qwen2_5_vl', vision_config: { model_type: 'qwen2_5_vl' } });
  const lang = report.components.find((c) => c.component === 'language')!;
  const vis = report.components.find((c) => c.component === 'vision')!;
  assert.ok(lang.matches[0].variants.some((v) => v.id === 'qwen2.5-7b'));
  assert.equal(vis.matches[0].family, 'qwen2.5-vl-vision');
  assert.deepEqual(vis.matches[0].variants.map((v) => v.id), ['qwen2.5-vl-7b-vision']);
  assert.equal(vis.matches[0].config, 'agrees');
});

test('catalogue: the corpus models (small, home-trained) are not claimed by any family; layouts are still named', async () => {
  const files = ['lm/lm_A.safetensors', 'lm/lm_B.safetensors', 'lm/A_bf16.safetensors', 'lm/A_vocab_ext.safetensors', 'lm/A_renamed_prefix.safetensors',
    'lm/A_perm_mlp_heads.safetensors', 'vision/vit_R.safetensors', 'vl/suspect_vl_copied_vision.safetensors', 'vl/suspect_vl_independent.safetensors', 'vl/ref_vl'];
  for (const f of files) {
    const report = matchArchitecture(await openCheckpoint(join(CORPUS, f)));
    const claims = report.components.flatMap((c) => c.matches).filter(isClaim);
    assert.deepEqual(claims.map((c) => `${c.family}: ${c.summary}`), [], f);
  }
  const vit = matchArchitecture(await openCheckpoint(join(CORPUS, 'vision/vit_R.safetensors')));
  assert.equal(vit.components[0].matches[0].family, 'qwen2.5-vl-vision');
  assert.equal(vit.components[0].matches[0].confidence, 'layout');
  const lm = matchArchitecture(await openCheckpoint(join(CORPUS, 'lm/lm_A.safetensors')));
  assert.ok(lm.components[0].matches.some((m) => m.family === 'llama' && m.confidence === 'layout'));
});

test('catalogue: a DeepSeek-V3-sized header (256 experts, ~32,000 tensors) is matched quickly', () => {
  const tensors = exampleTensors(catalogue, 'deepseek-v3', 'deepseek-v3', 'model.', 256);
  assert.ok(tensors.length > 30_000);
  const t0 = Date.now();
  const report = matchArchitecture(tensors);
  const ms = Date.now() - t0;
  assert.equal(report.components[0].matches[0].family, 'deepseek-v3');
  assert.equal(report.components[0].matches[0].confidence, 'exact');
  assert.ok(report.components[0].matches[0].rules.some((r) => /multi-token-prediction/.test(r)));
  assert.ok(!report.components.flatMap((c) => c.matches).some((m) => m.family === 'deepseek-v2' && isClaim(m)));
  assert.ok(ms < 5000, `${ms} ms`);
});

test('catalogue: a hostile or broken catalogue file is rejected with the reason', () => {
  const good = JSON.parse(JSON.stringify(catalogue));
  assert.throws(() => validateCatalogue({ ...good, version: 2 }), CatalogueError);
  assert.throws(() => validateCatalogue({ ...good, families: [{ ...good.families[0], layout: 'nope' }] }), /unknown layout/);
  const badExpr = JSON.parse(JSON.stringify(good));
  badExpr.layouts.llama.tensors[0].shape = ['vocab;process.exit()', 'hidden'];
  assert.throws(() => validateCatalogue(badExpr), /cannot parse shape expression/);
  const missingDim = JSON.parse(JSON.stringify(good));
  delete missingDim.families.find((f: { id: string }) => f.id === 'llama').variants[0].dims.vocab;
  assert.throws(() => validateCatalogue(missingDim), /uses a dim it does not define/);
  const dup = JSON.parse(JSON.stringify(good));
  dup.families.push(dup.families[0]);
  assert.throws(() => validateCatalogue(dup), /appears twice/);
});
