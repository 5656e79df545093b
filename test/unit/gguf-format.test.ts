// GGUF files written by the test (llama.cpp's layout, names and q/k interleaving; F16, Q8_0, Q4_K and Q6_K blocks):
// opened, dequantised against an independent element-by-element decoder, counted by the statistics engine, and
// audited against the safetensors reference they were made from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CheckpointReader } from '../../src/core/format/tensorData';
import { computeStats } from '../../src/core/stats';
import { gatherElements } from '../../src/core/fingerprint/sampler';
import { auditCheckpoint } from '../../src/core/match/audit';
import { classifyTensor } from '../../src/core/naming/classify';
import { CORPUS_LLAMA, llama } from '../fixtures/models';
import { reference as statsReference } from './helpers/statsGen';
import { checkAgainst } from './helpers/statsCheck';
import { reference, SMALL } from './helpers/lineage';
import { ggufFromModel, llamaMetadata, quantise, referenceDequant, writeGguf, type GgufType } from './helpers/ggufWriter';
import { normals } from '../fixtures/trained';
import { tempDir } from './helpers/hostileFiles';
import { writeFileSync } from 'node:fs';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { corpusText, tokenizerJson, trainBpe } from './helpers/tokenizers';

const dir = tempDir('wp-gguf-');
const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');
let n = 0;
const path = () => join(dir, `m${n++}.gguf`);

function values(count: number, seed: number, std = 0.02): Float32Array {
  const g = normals(seed);
  return Float32Array.from({ length: count }, () => g() * std);
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0; let mb = 0;
  for (let i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
  ma /= a.length; mb /= b.length;
  let sab = 0; let saa = 0; let sbb = 0;
  for (let i = 0; i < a.length; i++) { const x = a[i] - ma; const y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb);
}

test('a GGUF v3 file opens: names, shapes as PyTorch writes them, dtypes, metadata, format', async () => {
  const w = values(512 * 256, 1);
  const file = writeGguf(path(), [
    { name: 'token_embd.weight', shape: [512, 256], type: 'Q4_K', data: quantise('Q4_K', w) },
    { name: 'blk.0.attn_q.weight', shape: [256, 256], type: 'Q8_0', data: quantise('Q8_0', values(65536, 2)) },
    { name: 'blk.0.ffn_down.weight', shape: [256, 512], type: 'Q6_K', data: quantise('Q6_K', values(131072, 3)) },
    { name: 'output_norm.weight', shape: [256], type: 'F32', data: quantise('F32', values(256, 4)) },
    { name: 'output.weight', shape: [512, 256], type: 'F16', data: quantise('F16', values(131072, 5)) },
  ], llamaMetadata(8, 1));
  const cp = await openCheckpoint(file);
  assert.equal(cp.format, 'gguf');
  assert.deepEqual(cp.tensors.map((x) => `${x.name} ${x.dtype} ${x.shape.join('x')}`), [
    'blk.0.attn_q.weight Q8_0 256x256', 'blk.0.ffn_down.weight Q6_K 256x512', 'output.weight F16 512x256', 'output_norm.weight F32 256', 'token_embd.weight Q4_K 512x256',
  ]);
  assert.equal(cp.metadata['general.architecture'], 'llama');
  assert.match(cp.metadata['tokenizer.ggml.tokens'], /^\[5\] "<unk>", "<s>"/);
  assert.equal(cp.tensors.find((x) => x.name === 'blk.0.attn_q.weight')?.interleavedHeads, 8);
  assert.equal(cp.bytes, 512 * 144 + 65536 / 32 * 34 + 131072 / 256 * 210 + 1024 + 262144);
  // Roles from GGUF's names.
  assert.deepEqual(['token_embd.weight', 'blk.3.attn_output.weight', 'blk.3.ffn_gate.weight', 'output.weight', 'output_norm.weight', 'v.blk.2.attn_q.weight', 'mm.0.weight']
    .map((name) => { const r = classifyTensor(name); return `${r.component} ${r.layer} ${r.kind}`; }),
  ['language null embedding', 'language 3 attn-o', 'language 3 mlp-gate', 'language null head', 'language null norm', 'vision 2 attn-q', 'projector null projector']);
});

test('every block type dequantises like the independent element-by-element decoder, and statistics count it', async () => {
  const types: GgufType[] = ['F16', 'Q8_0', 'Q4_K', 'Q6_K'];
  const tensors = types.map((type, i) => ({ name: `blk.0.t${i}.weight`, shape: [64, 512], type, data: quantise(type, values(64 * 512, 10 + i)) }));
  const cp = await openCheckpoint(writeGguf(path(), tensors, { 'general.architecture': 'qwen2' }));
  const reader = new CheckpointReader(cp);
  const stats = await computeStats(cp, { workerPath, workers: 2, chunkBytes: 4000 });
  try {
    for (const [i, type] of types.entries()) {
      const entry = cp.tensors.find((x) => x.name === `blk.0.t${i}.weight`)!;
      const want = referenceDequant(type, tensors[i].data, 64 * 512);
      // Scattered positions (partial blocks at both ends) and one run read through readElements.
      const idx = Array.from({ length: 500 }, (_, k) => (k * 7919) % want.length);
      const got = await gatherElements(reader, entry, idx);
      idx.forEach((p, k) => assert.ok(Math.abs(got[k] - want[p]) <= 1e-7 * Math.max(1, Math.abs(want[p])), `${type} element ${p}: ${got[k]} vs ${want[p]}`));
      const run = await reader.readElements(entry, 300, 700);
      run.forEach((v, k) => assert.ok(Math.abs(v - want[300 + k]) <= 1e-7, `${type} run ${300 + k}`));
      checkAgainst(stats.tensors.find((s) => s.name === entry.name)!, statsReference(Float64Array.from(want, Math.fround)), type);
    }
  } finally {
    await reader.close();
  }
});

test('the dequantisation error per type: Pearson r of the decoded values with the originals', async () => {
  const original = values(256 * 1024, 42);
  const r: Record<string, number> = {};
  for (const type of ['F16', 'Q8_0', 'Q6_K', 'Q4_K'] as const) r[type] = pearson(original, referenceDequant(type, quantise(type, original), original.length));
  // The bounds docs/gguf-format.md states (this writer's plain quantisers; llama.cpp's searched scales do better).
  assert.ok(r.F16 > 0.999999 && r.Q8_0 > 0.9999 && r.Q6_K > 0.999 && r.Q4_K > 0.99, JSON.stringify(r));
  assert.ok(r.Q8_0 > r.Q6_K && r.Q6_K > r.Q4_K, JSON.stringify(r));
});

test('llama.cpp\'s interleaved q/k rows are read in Hugging Face order', async () => {
  const model = llama(3, SMALL);
  const q = model.find((t) => t.name === 'model.layers.0.self_attn.q_proj.weight')!;
  const cp = await openCheckpoint(writeGguf(path(), ggufFromModel(model, 'F32', SMALL.heads), llamaMetadata(SMALL.heads, SMALL.layers)));
  const reader = new CheckpointReader(cp);
  try {
    const entry = cp.tensors.find((x) => x.name === 'blk.0.attn_q.weight')!;
    const got = await gatherElements(reader, entry, Array.from({ length: q.data.length }, (_, i) => i));
    assert.deepEqual(got, q.data);
  } finally {
    await reader.close();
  }
});

test('a GGUF made from a reference audits as derived from it, F16 and quantised, and an independent model does not', async () => {
  const dims = { ...CORPUS_LLAMA, layers: 2 };
  const { model, fp } = await reference(71, dims);
  const verdicts: string[] = [];
  for (const type of ['F16', 'Q8_0', 'Q6_K', 'Q4_K'] as const) {
    const file = writeGguf(path(), ggufFromModel(model, type, dims.heads), llamaMetadata(dims.heads, dims.layers));
    const audit = await auditCheckpoint(file, [fp]);
    const language = audit.components.find((c) => c.name === 'language')!;
    verdicts.push(`${type} ${language.comparisons[0].verdict}`);
  }
  assert.deepEqual(verdicts, ['F16 derived', 'Q8_0 derived', 'Q6_K derived', 'Q4_K derived']);
  const other = writeGguf(path(), ggufFromModel(llama(72, dims), 'Q8_0', dims.heads), llamaMetadata(dims.heads, dims.layers));
  const audit = await auditCheckpoint(other, [fp]);
  assert.equal(audit.components.find((c) => c.name === 'language')!.comparisons[0].verdict, 'no-evidence');
});

test('a GGUF\'s embedded tokenizer (tokenizer.ggml.*) compares with its source\'s tokenizer.json as the same tokenizer', async () => {
  const tok = trainBpe(corpusText({ seed: 5, words: 6000 }), 600);
  const refDir = tempDir('wp-gguf-tokref-');
  const model = llama(81, SMALL);
  await writeSafetensors(join(refDir, 'model.safetensors'), model.map((x) => ({ name: x.name, dtype: 'F32' as const, shape: x.shape, data: encodeFloats('F32', x.data) })));
  writeFileSync(join(refDir, 'tokenizer.json'), tokenizerJson(tok));
  const fp = await fingerprintPath(join(refDir, 'model.safetensors'), { id: 'tokref' });
  assert.ok(fp.tokenizer, 'the reference has a tokenizer fingerprint');
  const meta = { ...llamaMetadata(SMALL.heads, SMALL.layers), 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.tokens': tok.vocab, 'tokenizer.ggml.merges': tok.merges.map((m) => m.join(' ')) };
  const file = writeGguf(join(tempDir('wp-gguf-tok-'), 'model-Q8_0.gguf'), ggufFromModel(model, 'Q8_0', SMALL.heads), meta);
  const cp = await openCheckpoint(file);
  assert.equal(cp.embeddedTokenizer?.tokens.length, tok.vocab.length);
  const audit = await auditCheckpoint(cp, [fp]);
  const t = audit.sidecars!.tokenizer;
  assert.deepEqual(t.suspect?.files, ['model-Q8_0.gguf']);
  assert.equal(t.comparisons[0]?.relation, 'identical', JSON.stringify(t.comparisons[0]));
  assert.equal(audit.components.find((c) => c.name === 'language')!.comparisons[0].verdict, 'derived');
});
