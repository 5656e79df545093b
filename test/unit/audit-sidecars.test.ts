// The evidence beside the weights in a real audit (CLI): a corpus suspect whose vocabulary extends lm_A's, beside a
// tokenizer that extends lm_A's tokenizer at the same ids, comes out tokenizer-derived with its figures; an
// independently trained tokenizer stays no-evidence; configurations are set side by side; claims are checked; the
// text in English and Korean, and `compare` compares the tokenizers too.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { writeFingerprint } from '../../src/core/fingerprint/io';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { runCli, tempDir } from './helpers/hostileFiles';
import { corpusText, extendBpe, tokenizerConfigJson, tokenizerJson, trainBpe } from './helpers/tokenizers';

const reference = trainBpe(corpusText({ seed: 1, words: 30_000 }), 1200);
const config = (vocab: number) => JSON.stringify({
  architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 128, num_hidden_layers: 4, num_attention_heads: 4,
  num_key_value_heads: 2, intermediate_size: 344, vocab_size: vocab, rope_theta: 500000, rms_norm_eps: 1e-5,
});

let library = '';
let refDir = '';
function modelFolder(prefix: string, weights: string, files: Record<string, string>): string {
  const dir = tempDir(prefix);
  copyFileSync(join(CORPUS, weights), join(dir, 'model.safetensors'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

before(async () => {
  await ensureFixtureCorpus();
  refDir = modelFolder('wp-sidecar-ref-', 'lm/lm_A.safetensors', { 'tokenizer.json': tokenizerJson(reference), 'config.json': config(1200) });
  library = tempDir('wp-sidecar-library-');
  await writeFingerprint(join(library, 'lm_A.wpf'), await fingerprintPath(join(refDir, 'model.safetensors'), { id: 'lm_A' }));
});

test('audit (CLI): tokenizer, config and claims sections; derived tokenizer with figures, in English and Korean', { timeout: 200_000 }, async () => {
  const extended = extendBpe(reference, trainBpe(corpusText({ seed: 4, words: 20_000, language: 'b' }), 1500));
  const dir = modelFolder('wp-sidecar-suspect-', 'lm/A_vocab_ext.safetensors', {
    'tokenizer.json': tokenizerJson(extended),
    'tokenizer_config.json': tokenizerConfigJson({ eos: '</s>', chatTemplate: '{% for m in messages %}{{ m }}{% endfor %}' }),
    'config.json': config(extended.vocab.length),
    'README.md': '---\nbase_model: someone/else\n---\n',
  });
  const json = await runCli(['audit', join(dir, 'model.safetensors'), '--library', library, '--json'], { killAfterMs: 150_000 });
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.tokenizer.suspect.type, 'BPE');
  assert.equal(out.tokenizer.suspect.vocabSize, extended.vocab.length);
  const [cmp] = out.tokenizer.comparisons;
  assert.equal(cmp.reference, 'lm_A');
  assert.equal(cmp.relation, 'derived');
  assert.ok(cmp.reasons.includes('same-ids'), cmp.reasons.join());
  assert.ok(cmp.sameIdTokens > 900 && typeof cmp.jaccard === 'number' && cmp.mergePrefix >= 900, JSON.stringify(cmp));
  const configRows = out.config.comparisons[0].rows;
  assert.equal(out.config.comparisons[0].reference, 'lm_A');
  assert.ok(configRows.some((r: { fact: string; same: boolean }) => r.fact === 'vocabSize' && !r.same));
  assert.ok(configRows.some((r: { fact: string; same: boolean }) => r.fact === 'ropeTheta' && r.same));
  const language = out.components.find((c: { name: string }) => c.name === 'language');
  assert.equal(language.reference, 'lm_A', 'the weights match lm_A');
  assert.ok(out.claims.checks.some((c: { kind: string }) => c.kind === 'other-reference'));

  const text = await runCli(['audit', join(dir, 'model.safetensors'), '--library', library], { killAfterMs: 150_000, env: { WEIGHTPRINT_LANG: 'en' } });
  assert.match(text.stdout, /^tokenizer: BPE, [\d,]+ ids \([\d,]+ learned tokens, [\d,]+ merges\), from tokenizer\.json, tokenizer_config\.json$/m);
  assert.match(text.stdout, /^tokenizer vs lm_A: derived \(learned tokens at the same ids, the same first merges[^)]*\); [\d,]+ learned tokens shared \(Jaccard 0\.\d\d\); [\d,]+ at the same ids \(neighbouring ids predict ~[\d.]+\)/m);
  assert.match(text.stdout, /^configuration vs lm_A: \d+ of \d+ architecture facts identical \(layout only, not evidence\); differ: .*vocab_size/m);
  const ko = await runCli(['audit', join(dir, 'model.safetensors'), '--library', library], { killAfterMs: 150_000, env: { WEIGHTPRINT_LANG: 'ko' } });
  assert.match(ko.stdout, /^토크나이저 대 lm_A: 파생/m);
});

test('compare (CLI): an independently trained tokenizer is no-evidence, with the null in words', { timeout: 200_000 }, async () => {
  const dir = modelFolder('wp-sidecar-indep-', 'lm/lm_B.safetensors', { 'tokenizer.json': tokenizerJson(trainBpe(corpusText({ seed: 2, words: 30_000 }), 1200)) });
  const text = await runCli(['compare', join(refDir, 'model.safetensors'), join(dir, 'model.safetensors')], { killAfterMs: 150_000, env: { WEIGHTPRINT_LANG: 'en' } });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^tokenizer vs .*model\.safetensors: no evidence of reuse; .*Independent tokenizers trained on similar text share common tokens and their first merges\.$/m);
});
