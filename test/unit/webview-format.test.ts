// Names shortened in the middle for the evidence tables: the start says where, the end says what, an index keeps its
// container, and nothing is cut inside a surrogate pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { middle } from '../../webview/format';

test('middle keeps short names, and cuts long ones at segment boundaries to at most the width', () => {
  assert.equal(middle('visual.blocks.0.mlp.down_proj.weight'), 'visual.blocks.0.mlp.down_proj.weight');
  assert.equal(middle('vision_model.encoder.layers.0.mlp.down_proj.weight'), 'vision_model.e…layers.0.mlp.down_proj.weight');
  assert.equal(middle('model.language_model.layers.12.self_attn.q_proj.weight'), 'model.lang…layers.12.self_attn.q_proj.weight');
  for (const name of ['x'.repeat(200), 'a.'.repeat(80), '😀'.repeat(60), 'model.' + '😀'.repeat(50) + '.weight']) {
    const short = middle(name);
    assert.ok([...short].length <= 44, short);
    assert.ok(short.includes('…'));
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(short), 'no broken surrogate pair');
  }
});
