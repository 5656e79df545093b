import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyAll, classifyTensor, namingContext } from '../../src/core/naming/classify';
import { detectFamily } from '../../src/core/naming/family';

const corpusNames = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/corpus-names.json'), 'utf8')) as Record<string, string[]>;

/** The component each corpus file's tensors belong to, by the prefix the corpus generator used (README of the corpus). */
function expectedComponent(name: string): string {
  if (/^(visual\.merger|mm_projector)\./.test(name)) return 'projector';
  if (/^(visual|vision_model)\./.test(name)) return 'vision';
  return 'language';
}

describe('naming on the corpus', () => {
  for (const [file, names] of Object.entries(corpusNames)) {
    test(`${file}: every tensor lands in its component`, () => {
      const roles = classifyAll(names);
      names.forEach((n, i) => assert.equal(roles[i].component, expectedComponent(n), n));
    });
  }

  test('ref_vl splits into 39 language, 49 vision and 5 projector tensors', () => {
    const names = [...corpusNames['vl/ref_vl/model-00001-of-00002.safetensors'], ...corpusNames['vl/ref_vl/model-00002-of-00002.safetensors']];
    const counts: Record<string, number> = {};
    for (const r of classifyAll(names)) counts[r.component] = (counts[r.component] ?? 0) + 1;
    assert.deepEqual(counts, { language: 39, vision: 49, projector: 5 });
  });

  test('module kinds and layers of the Llama-style and Qwen-VL-style names', () => {
    const cases: [string, string, number | null, string][] = [
      ['model.layers.3.self_attn.q_proj.weight', 'language', 3, 'attn-q'],
      ['model.layers.0.mlp.down_proj.weight', 'language', 0, 'mlp-down'],
      ['model.layers.2.post_attention_layernorm.weight', 'language', 2, 'norm'],
      ['model.embed_tokens.weight', 'language', null, 'embedding'],
      ['lm_head.weight', 'language', null, 'head'],
      ['model.norm.weight', 'language', null, 'norm'],
      ['visual.blocks.1.attn.qkv.weight', 'vision', 1, 'attn-qkv'],
      ['visual.blocks.1.attn.proj.bias', 'vision', 1, 'attn-o'],
      ['visual.blocks.3.norm2.weight', 'vision', 3, 'norm'],
      ['visual.blocks.0.mlp.gate_proj.weight', 'vision', 0, 'mlp-gate'],
      ['visual.patch_embed.proj.weight', 'vision', null, 'patch-embed'],
      ['visual.merger.mlp.0.weight', 'projector', null, 'projector'],
      ['mm_projector.linear_1.weight', 'projector', null, 'projector'],
      ['vision_model.encoder.layers.2.self_attn.out_proj.weight', 'vision', 2, 'attn-o'],
      ['vision_model.encoder.layers.2.layer_norm1.weight', 'vision', 2, 'norm'],
      ['vision_model.embeddings.patch_embedding.weight', 'vision', null, 'patch-embed'],
      ['language_model.model.layers.1.self_attn.dense.weight', 'language', 1, 'attn-o'],
      ['language_model.model.layers.1.mlp.fc1.weight', 'language', 1, 'mlp-up'],
      ['language_model.model.embed_positions.weight', 'language', null, 'position-embedding'],
      ['language_model.model.final_layernorm.bias', 'language', null, 'norm'],
    ];
    for (const [name, component, layer, kind] of cases) {
      const r = classifyTensor(name);
      assert.deepEqual([r.component, r.layer, r.kind], [component, layer, kind], name);
    }
  });
});

describe('naming across families', () => {
  const cases: [string, string, number | null, string][] = [
    // Meta's original Llama layout
    ['layers.7.attention.wq.weight', 'language', 7, 'attn-q'],
    ['layers.7.feed_forward.w1.weight', 'language', 7, 'mlp-gate'],
    ['layers.7.feed_forward.w2.weight', 'language', 7, 'mlp-down'],
    ['layers.7.feed_forward.w3.weight', 'language', 7, 'mlp-up'],
    ['layers.7.attention_norm.weight', 'language', 7, 'norm'],
    ['tok_embeddings.weight', 'language', null, 'embedding'],
    ['output.weight', 'language', null, 'head'],
    // GLM (ChatGLM layout) and GLM-4.5 MoE
    ['transformer.encoder.layers.5.self_attention.query_key_value.weight', 'language', 5, 'attn-qkv'],
    ['transformer.encoder.layers.5.mlp.dense_h_to_4h.weight', 'language', 5, 'mlp-up'],
    ['transformer.embedding.word_embeddings.weight', 'language', null, 'embedding'],
    ['transformer.output_layer.weight', 'language', null, 'head'],
    ['model.layers.10.mlp.experts.17.gate_proj.weight', 'language', 10, 'mlp-gate'],
    ['model.layers.10.mlp.gate.weight', 'language', 10, 'router'],
    // DeepSeek-V3 MLA
    ['model.layers.4.self_attn.kv_a_proj_with_mqa.weight', 'language', 4, 'attn-kv-a'],
    ['model.layers.4.self_attn.q_b_proj.weight', 'language', 4, 'attn-q-b'],
    ['model.layers.4.self_attn.kv_a_layernorm.weight', 'language', 4, 'norm'],
    ['model.layers.4.mlp.shared_experts.down_proj.weight', 'language', 4, 'mlp-down'],
    ['model.layers.4.mlp.experts.3.down_proj.weight_scale_inv', 'language', 4, 'mlp-down'],
    // Gemma 3 multimodal
    ['language_model.model.layers.2.pre_feedforward_layernorm.weight', 'language', 2, 'norm'],
    ['vision_tower.vision_model.encoder.layers.9.self_attn.k_proj.weight', 'vision', 9, 'attn-k'],
    ['multi_modal_projector.mm_input_projection_weight', 'projector', null, 'projector'],
    // Phi-3 and GPT-NeoX
    ['model.layers.1.self_attn.qkv_proj.weight', 'language', 1, 'attn-qkv'],
    ['model.layers.1.mlp.gate_up_proj.weight', 'language', 1, 'mlp-gate-up'],
    ['gpt_neox.layers.0.attention.query_key_value.weight', 'language', 0, 'attn-qkv'],
    ['gpt_neox.layers.0.mlp.dense_4h_to_h.weight', 'language', 0, 'mlp-down'],
    ['gpt_neox.embed_in.weight', 'language', null, 'embedding'],
    ['embed_out.weight', 'language', null, 'head'],
    // CLIP / SigLIP
    ['vision_model.encoder.layers.11.mlp.fc2.weight', 'vision', 11, 'mlp-down'],
    ['vision_model.post_layernorm.weight', 'vision', null, 'norm'],
    ['text_model.encoder.layers.3.self_attn.v_proj.weight', 'language', 3, 'attn-v'],
    // Qwen2-Audio and InternVL
    ['audio_tower.layers.12.self_attn.q_proj.weight', 'audio', 12, 'attn-q'],
    ['multi_modal_projector.linear.weight', 'projector', null, 'projector'],
    ['mlp1.1.weight', 'projector', null, 'projector'],
    ['vision_model.encoder.layers.0.attn.qkv.weight', 'vision', 0, 'attn-qkv'],
    // buffers and unknowns
    ['model.layers.0.self_attn.rotary_emb.inv_freq', 'language', 0, 'buffer'],
    ['something_else.weight', 'other', null, 'unknown'],
  ];
  for (const [name, component, layer, kind] of cases) {
    test(name, () => {
      const r = classifyTensor(name);
      assert.deepEqual([r.component, r.layer, r.kind], [component, layer, kind]);
    });
  }

  test('Whisper: plain encoder is the audio tower, decoder the language model', () => {
    const names = ['model.encoder.conv1.weight', 'model.encoder.layers.0.self_attn.k_proj.weight', 'model.decoder.layers.0.fc1.weight', 'proj_out.weight'];
    const ctx = namingContext(names);
    assert.deepEqual(names.map((n) => classifyTensor(n, ctx).component), ['audio', 'audio', 'language', 'language']);
    assert.equal(classifyTensor('model.encoder.layers.0.self_attn.k_proj.weight').component, 'language', 'without context an encoder is not audio');
  });

  test('hostile and odd names never throw', () => {
    for (const n of ['', '.', '..', '....weight', '<img src=x onerror=alert(1)>', '__proto__', 'constructor.prototype', 'layers.99999999999999999999.wq', '\u0000\u202e', 'a'.repeat(10000)]) {
      const r = classifyTensor(n);
      assert.ok(['language', 'vision', 'audio', 'projector', 'other'].includes(r.component));
    }
  });
});

describe('family detection', () => {
  test('from config model_type first, else names', () => {
    assert.equal(detectFamily([], { architectures: [], modelType: 'qwen2_5_vl' }).id, 'qwen2.5-vl');
    assert.equal(detectFamily(['model.encoder.conv1.weight']).id, 'whisper');
    assert.equal(detectFamily(['layers.0.attention.wq.weight']).id, 'llama-meta');
    assert.equal(detectFamily(['foo.bar']).id, 'unknown');
  });
});
