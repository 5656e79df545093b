// Tokenizer fingerprints and lineage (src/core/sidecars/tokenizer*.ts) on tokenizers trained in the test from
// generated text: extended and re-ordered vocabularies come out derived, independently trained ones (similar text,
// another language) stay no-evidence, the same tokenizer written in three file layouts is identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTokenizerFiles } from '../../src/core/sidecars/tokenizerFiles';
import { tokenizerFingerprint, type TokenizerFingerprint } from '../../src/core/sidecars/tokenizerPrint';
import { compareTokenizers } from '../../src/core/sidecars/tokenizerLineage';
import { tempDir } from './helpers/hostileFiles';
import {
  corpusText, extendBpe, mergesTxt, reorderBpe, sentencePieceModel, tokenizerConfigJson, tokenizerJson, trainBpe, trainUnigram, vocabJson,
  type BpeTokenizer, type UnigramTokenizer,
} from './helpers/tokenizers';

const WORDS = 40_000;
const textA1 = corpusText({ seed: 1, words: WORDS, language: 'a' });
const textA2 = corpusText({ seed: 2, words: WORDS, language: 'a' });
const textB = corpusText({ seed: 3, words: WORDS, language: 'b' });
const reference = trainBpe(textA1, 2000);

async function printOf(files: Record<string, string | Buffer>): Promise<TokenizerFingerprint> {
  const dir = tempDir('wp-tok-');
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const read = await readTokenizerFiles(dir);
  assert.deepEqual(read.problems, []);
  assert.ok(read.vocabulary, 'a vocabulary is read');
  return tokenizerFingerprint(read.vocabulary);
}

const bpe = (tok: BpeTokenizer) => printOf({ 'tokenizer.json': tokenizerJson(tok) });
const unigram = (tok: UnigramTokenizer) => printOf({ 'tokenizer.model': sentencePieceModel(tok, 'unigram') });

test('tokenizer: one BPE tokenizer in three layouts (merges as strings, as pairs, vocab.json + merges.txt) is identical', async () => {
  const a = await bpe(reference);
  const b = await printOf({ 'tokenizer.json': tokenizerJson(reference, { mergesAsPairs: true }) });
  const c = await printOf({ 'vocab.json': vocabJson(reference), 'merges.txt': mergesTxt(reference) });
  assert.equal(a.type, 'BPE');
  assert.equal(a.vocabSize, 2000);
  assert.equal(a.merges, reference.merges.length);
  assert.equal(a.learned, 2000 - 256, 'learned tokens: all but the byte alphabet');
  for (const other of [b, c]) {
    const cmp = compareTokenizers(a, other);
    assert.equal(cmp.relation, 'identical');
    assert.equal(cmp.exact, true);
    assert.equal(cmp.sameIdTokens, a.learned);
  }
});

test('tokenizer: a vocabulary extended at the same ids is derived, with its figures', async () => {
  const extended = extendBpe(reference, trainBpe(textB, 2600));
  assert.ok(extended.vocab.length > 2300, 'the extension adds tokens');
  const cmp = compareTokenizers(await bpe(extended), await bpe(reference));
  assert.equal(cmp.relation, 'derived');
  assert.ok(cmp.reasons.includes('same-ids') && cmp.reasons.includes('merge-prefix'), cmp.reasons.join());
  // More learned tokens than a sketch holds: the shared and same-id counts are estimates (of 1,744, all at their ids).
  assert.equal(cmp.exact, false);
  assert.ok(Math.abs(cmp.sameIdTokens - 1744) < 0.05 * 1744, `same ids: ${cmp.sameIdTokens} of 1,744`);
  assert.equal(cmp.sameIdTokens, cmp.sharedTokens, 'every shared token at its id');
  // Exact over the first 1,024 merges, then in whole blocks of 1,024: the reference's 1,744 merges give at least 1,024.
  assert.equal(cmp.mergePrefix, 1024);
  assert.equal(cmp.sameIdPrefix, 1024, 'the first whole id block is the same');
  assert.ok(cmp.sameIdExpected < 10, `chance explains few: ${cmp.sameIdExpected}`);
});

test('tokenizer: re-ordered ids with the same tokens and merges are derived; the ids alone say nothing', async () => {
  const cmp = compareTokenizers(await bpe(reorderBpe(reference, 7)), await bpe(reference));
  assert.equal(cmp.relation, 'derived');
  assert.deepEqual(cmp.reasons, ['merge-prefix', 'same-set-and-order']);
  assert.ok(cmp.sameIdTokens < 20, `few at the same id: ${cmp.sameIdTokens}`);
  assert.equal(cmp.containment, 1);
  assert.equal(cmp.mergeRankCorrelation, 1);
});

test('tokenizer: independently trained tokenizers stay no-evidence though they share many tokens', async () => {
  const ref = await bpe(reference);
  const similar = compareTokenizers(await bpe(trainBpe(textA2, 2000)), ref);
  assert.equal(similar.relation, 'no-evidence', JSON.stringify(similar));
  assert.ok(similar.jaccard > 0.3, `similar text shares many tokens: Jaccard ${similar.jaccard}`);
  assert.ok(similar.alphabetIdentical, 'the byte alphabet is the same by convention');
  const other = compareTokenizers(await bpe(trainBpe(textB, 2000)), ref);
  assert.equal(other.relation, 'no-evidence');
  assert.ok(other.jaccard < similar.jaccard, 'another language shares fewer');
});

test('tokenizer: SentencePiece Unigram models: independent ones no-evidence, an extended one derived', async () => {
  const base = trainUnigram(textA1, 1500);
  const ref = await unigram(base);
  assert.equal(ref.type, 'Unigram');
  assert.ok(ref.sketch.score, 'scores are kept');
  const independent = compareTokenizers(await unigram(trainUnigram(textA2, 1500)), ref);
  assert.equal(independent.relation, 'no-evidence', JSON.stringify(independent));
  const more = trainUnigram(textB, 800).pieces.filter((p) => p.type === 'normal' && !base.pieces.some((q) => q.piece === p.piece));
  const extended = compareTokenizers(await unigram({ pieces: [...base.pieces, ...more] }), ref);
  assert.equal(extended.relation, 'derived');
  assert.ok(extended.reasons.includes('same-ids'));
});

test('tokenizer: large vocabularies are compared through their sketches', async () => {
  // 60,000 synthetic learned tokens: more than the sketch holds, so the figures are estimates.
  const vocab = [...reference.vocab.slice(0, 256)];
  for (let i = 0; vocab.length < 60_256; i++) vocab.push(`tok${(i * 2654435761 >>> 0).toString(36)}_${i}`);
  const ref: BpeTokenizer = { vocab, merges: [] };
  const extended: BpeTokenizer = { vocab: [...vocab, ...Array.from({ length: 20_000 }, (_, i) => `new_${i}`)], merges: [] };
  const independent: BpeTokenizer = { vocab: [...vocab.slice(0, 256), ...vocab.slice(256).reverse()], merges: [] };
  const r = await printOf({ 'vocab.json': vocabJson(ref) });
  const e = compareTokenizers(await printOf({ 'vocab.json': vocabJson(extended) }), r);
  assert.equal(e.exact, false);
  assert.equal(e.relation, 'derived');
  assert.ok(Math.abs(e.sameIdTokens - 60_000) < 3_000, `estimate ${e.sameIdTokens} of 60,000`);
  assert.ok(Math.abs(e.jaccard - 0.75) < 0.05, `Jaccard ${e.jaccard} of 0.75`);
  const i = compareTokenizers(await printOf({ 'vocab.json': vocabJson(independent) }), r);
  assert.equal(i.relation, 'no-evidence', 'the same tokens at other ids, without merges: context only');
  assert.ok(i.jaccard > 0.95);
});

test('tokenizer: tokenizer_config.json gives the special tokens, the class and the chat template hash', async () => {
  const fp = await printOf({
    'tokenizer.json': tokenizerJson(reference, { added: [{ id: 2000, content: '<|end|>', special: true }] }),
    'tokenizer_config.json': tokenizerConfigJson({ eos: '<|end|>', chatTemplate: '{{ messages }}', tokenizerClass: 'PreTrainedTokenizerFast' }),
  });
  assert.deepEqual(fp.specialTokens, [{ id: 2000, content: '<|end|>', role: 'eos' }]);
  assert.equal(fp.tokenizerClass, 'PreTrainedTokenizerFast');
  assert.match(fp.chatTemplateSha256 ?? '', /^[0-9a-f]{64}$/);
  assert.equal(fp.learned, 2000 - 256, 'an added token is not learned');
  assert.deepEqual(fp.preTokenizer, ['ByteLevel']);
});
