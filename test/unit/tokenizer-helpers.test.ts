// The tiny-tokenizer test helpers (helpers/tokenizers.ts, helpers/tokenizerFormats.ts) write well-formed files:
// corpora are deterministic, BPE merges are consistent with the vocabulary, tokenizer.json parses as the tokenizers
// library writes it, and the SentencePiece protobuf decodes back (with the small decoder below) to the same pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BYTE_ALPHABET, corpusText, extendBpe, mergesTxt, reorderBpe, sentencePieceModel, tokenizerConfigJson, tokenizerJson,
  trainBpe, trainUnigram, truncateBpe, vocabJson, type BpeTokenizer,
} from './helpers/tokenizers';

const TEXT_A = corpusText({ seed: 1, words: 6000 });
const TEXT_A2 = corpusText({ seed: 2, words: 6000 });
const TEXT_B = corpusText({ seed: 1, words: 6000, language: 'b' });
const BPE = trainBpe(TEXT_A, 600);

/** Ids 0..n-1, each token once, every merge made of tokens and making a token. */
function assertWellFormed(tok: BpeTokenizer): void {
  const ids = new Map(tok.vocab.map((t, i) => [t, i]));
  assert.equal(ids.size, tok.vocab.length, 'tokens are unique');
  for (const [a, b] of tok.merges) {
    assert.ok(ids.has(a) && ids.has(b), `merge parts ${a} ${b} are tokens`);
    assert.ok(ids.has(a + b), `merge result ${a + b} is a token`);
  }
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(' ').map((w) => w.replace(/[.,?!]$/, '')));
}

test('corpora are deterministic, seeded, of the asked length, and the two languages share few words', () => {
  assert.equal(corpusText({ seed: 1, words: 6000 }), TEXT_A);
  assert.notEqual(TEXT_A, TEXT_A2);
  assert.equal(TEXT_A.split(' ').length, 6000);
  assert.doesNotMatch(TEXT_A, /^ | {2}| $/);
  assert.match(TEXT_A, /^[A-Z]/);
  assert.match(TEXT_A, /[.?!]$/);
  assert.match(TEXT_A, /, [a-z]/);
  assert.match(TEXT_A, /\. [A-Z]/);
  const [a, a2, b] = [words(TEXT_A), words(TEXT_A2), words(TEXT_B)];
  const shared = (x: Set<string>, y: Set<string>) => [...x].filter((w) => y.has(w)).length / Math.min(x.size, y.size);
  assert.ok(shared(a, a2) > 0.5, `same language: ${shared(a, a2)}`);
  assert.ok(shared(a, b) < 0.05, `other language: ${shared(a, b)}`);
});

test('byte-level BPE: GPT-2 alphabet at ids 0..255, well-formed merges, deterministic training', () => {
  assert.equal(BPE.vocab.length, 600);
  assert.deepEqual(BPE.vocab.slice(0, 256), BYTE_ALPHABET);
  assert.equal(BPE.vocab[0], '!');
  assert.equal(BPE.vocab[188], 'Ā');
  assert.equal(BYTE_ALPHABET[188 + 32], 'Ġ', 'the space byte is U+0120 at its GPT-2 id 220');
  assert.equal(BPE.merges.length, 600 - 256);
  assertWellFormed(BPE);
  assert.ok(BPE.vocab.some((t) => t.startsWith('Ġ') && t.length > 2));
  assert.deepEqual(trainBpe(TEXT_A, 600), BPE);
  const other = trainBpe(TEXT_A2, 600);
  assert.notDeepEqual(other.vocab, BPE.vocab);
  assert.deepEqual(other.vocab.slice(0, 256), BPE.vocab.slice(0, 256));
  const b = trainBpe(TEXT_B, 600);
  assertWellFormed(b);
  assert.ok(b.vocab.includes('Ã¤'), 'ä is two bytes');
});

test('character-level BPE starts from the sorted characters seen and stops when no pair occurs twice', () => {
  const tok = trainBpe(TEXT_A, 500, { byteLevel: false });
  const base = tok.vocab.length - tok.merges.length;
  assert.deepEqual(tok.vocab.slice(0, base), [...new Set([...TEXT_A.replace(/ /g, 'Ġ')])].sort());
  assertWellFormed(tok);
  const small = trainBpe('ab ab ab cd', 100, { byteLevel: false });
  assert.deepEqual(small, { vocab: ['a', 'b', 'c', 'd', 'Ġ', 'ab', 'Ġab'], merges: [['a', 'b'], ['Ġ', 'ab']] });
});

test('tokenizer.json, vocab.json and merges.txt of a BPE tokenizer', () => {
  const json = JSON.parse(tokenizerJson(BPE, { added: [{ id: 600, content: '<|endoftext|>', special: true }] }));
  assert.equal(json.version, '1.0');
  assert.deepEqual(json.added_tokens, [{ id: 600, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }]);
  assert.equal(json.normalizer, null);
  assert.equal(json.pre_tokenizer.type, 'ByteLevel');
  assert.equal(json.decoder.type, 'ByteLevel');
  assert.equal(json.model.type, 'BPE');
  const vocab = json.model.vocab as Record<string, number>;
  assert.deepEqual(Object.values(vocab).sort((x, y) => x - y), BPE.vocab.map((_, i) => i));
  for (const [t, id] of Object.entries(vocab)) assert.equal(BPE.vocab[id], t);
  assert.deepEqual(json.model.merges, BPE.merges.map(([a, b]) => `${a} ${b}`));
  assert.deepEqual(JSON.parse(tokenizerJson(BPE, { mergesAsPairs: true })).model.merges, BPE.merges);
  assert.deepEqual(JSON.parse(vocabJson(BPE)), vocab);
  const lines = mergesTxt(BPE).split('\n');
  assert.equal(lines[0], '#version: 0.2');
  assert.equal(lines.at(-1), '');
  assert.deepEqual(lines.slice(1, -1), json.model.merges);
  // Numeric-looking tokens keep their id order in the written object.
  assert.equal(vocabJson({ vocab: ['b', '1', '__proto__'], merges: [] }), '{"b":0,"1":1,"__proto__":2}');
});

test('Unigram pieces: specials, every character, scores descending, and its tokenizer.json', () => {
  const uni = trainUnigram(TEXT_A, 800);
  assert.equal(uni.pieces.length, 800);
  assert.deepEqual(uni.pieces.slice(0, 3).map((p) => [p.piece, p.score, p.type]), [['<unk>', 0, 'unknown'], ['<s>', 0, 'control'], ['</s>', 0, 'control']]);
  assert.equal(new Set(uni.pieces.map((p) => p.piece)).size, 800);
  const rest = uni.pieces.slice(3);
  assert.ok(rest.every((p, i) => p.type === 'normal' && p.score < 0 && (i === 0 || p.score <= rest[i - 1].score)));
  for (const ch of new Set(TEXT_A.replace(/ /g, '▁'))) assert.ok(rest.some((p) => p.piece === ch), ch);
  assert.ok(rest.every((p) => [...p.piece].length <= 8 && !p.piece.slice(1).includes('▁')));
  assert.ok(rest.some((p) => p.piece.startsWith('▁') && p.piece.length > 3));
  assert.deepEqual(trainUnigram(TEXT_A, 800), uni);
  const json = JSON.parse(tokenizerJson(uni));
  assert.equal(json.model.type, 'Unigram');
  assert.equal(json.model.unk_id, 0);
  assert.deepEqual(json.model.vocab, uni.pieces.map((p) => [p.piece, p.score]));
  assert.equal(json.pre_tokenizer.type, 'Metaspace');
  assert.equal(json.normalizer.normalizers[0].content, '▁');
  assert.deepEqual(json.added_tokens.map((a: { id: number; content: string }) => [a.id, a.content]), [[0, '<unk>'], [1, '<s>'], [2, '</s>']]);
});

// ---- A tiny protobuf decoder, independent of the writer ----------------------------------------------------------

type Fields = Map<number, (number | Buffer)[]>;
function decode(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  const varint = (): number => {
    let n = 0, mul = 1, byte: number;
    do { byte = buf[pos++]; n += (byte & 0x7f) * mul; mul *= 128; } while (byte & 0x80);
    return n;
  };
  while (pos < buf.length) {
    const tag = varint();
    const [field, wire] = [Math.floor(tag / 8), tag % 8];
    let value: number | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 5) { value = buf.readFloatLE(pos); pos += 4; } else if (wire === 2) { const n = varint(); value = buf.subarray(pos, pos + n); pos += n; } else throw new Error(`wire type ${wire}`);
    assert.ok(pos <= buf.length, 'field within the buffer');
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const one = (f: Fields, n: number) => f.get(n)![0];

test('the SentencePiece model decodes back to the same pieces, scores, types and specs', () => {
  const uni = trainUnigram(TEXT_B, 500);
  const model = decode(sentencePieceModel(uni, 'unigram'));
  const types: Record<number, string> = { 1: 'normal', 2: 'unknown', 3: 'control', 6: 'byte' };
  const pieces = model.get(1)!.map((b) => {
    const p = decode(b as Buffer);
    return { piece: (one(p, 1) as Buffer).toString('utf8'), score: one(p, 2) as number, type: types[one(p, 3) as number] };
  });
  assert.deepEqual(pieces, uni.pieces, 'scores are float32 already, so they survive the round trip');
  const trainer = decode(one(model, 2) as Buffer);
  assert.equal(one(trainer, 3), 1);
  assert.equal(one(trainer, 4), 500);
  assert.equal((one(decode(one(model, 3) as Buffer), 1) as Buffer).toString(), 'nmt_nfkc');

  const bpe = { vocab: ['<unk>', '<s>', '</s>', ...BPE.vocab.slice(0, 200)], merges: [] };
  const spBpe = decode(sentencePieceModel(bpe, 'bpe'));
  const bpePieces = spBpe.get(1)!.map((b) => decode(b as Buffer));
  assert.equal(bpePieces.length, 203);
  bpePieces.forEach((p, id) => {
    assert.equal((one(p, 1) as Buffer).toString('utf8'), bpe.vocab[id]);
    assert.equal(one(p, 2), -id);
    assert.equal(one(p, 3), id === 0 ? 2 : id < 3 ? 3 : 1);
  });
  assert.equal(one(decode(one(spBpe, 2) as Buffer), 3), 2);
});

test('tokenizer_config.json names the special tokens, the template and the class', () => {
  assert.deepEqual(JSON.parse(tokenizerConfigJson({ bos: '<s>', eos: '</s>', chatTemplate: '{{ messages }}' })), {
    bos_token: '<s>', eos_token: '</s>', unk_token: null, pad_token: null, chat_template: '{{ messages }}',
    tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 2048,
  });
  assert.equal(JSON.parse(tokenizerConfigJson({ tokenizerClass: 'LlamaTokenizer', pad: '<pad>' })).tokenizer_class, 'LlamaTokenizer');
});

test('derivations: extend keeps ids and merges, reorder shuffles ids past the alphabet, truncate keeps a prefix', () => {
  const extra = trainBpe(TEXT_B, 500);
  const ext = extendBpe(BPE, extra);
  assertWellFormed(ext);
  assert.deepEqual(ext.vocab.slice(0, 600), BPE.vocab);
  assert.deepEqual(ext.merges.slice(0, BPE.merges.length), BPE.merges);
  assert.ok(ext.vocab.length > 600 && ext.merges.length > BPE.merges.length);
  assert.deepEqual(ext.vocab.slice(600), extra.vocab.filter((t) => !BPE.vocab.includes(t)));

  const re = reorderBpe(BPE, 9);
  assertWellFormed(re);
  assert.deepEqual(re.vocab.slice(0, 256), BPE.vocab.slice(0, 256));
  assert.deepEqual([...re.vocab].sort(), [...BPE.vocab].sort());
  assert.deepEqual(re.merges, BPE.merges);
  assert.ok(re.vocab.slice(256).filter((t, i) => t === BPE.vocab[256 + i]).length < 20);
  assert.deepEqual(reorderBpe(BPE, 9), re);

  const cut = truncateBpe(BPE, 400);
  assertWellFormed(cut);
  assert.deepEqual(cut.vocab, BPE.vocab.slice(0, 400));
  assert.deepEqual(cut.merges, BPE.merges.slice(0, 400 - 256));
});

test('same-language tokenizers share more tokens than tokenizers of the two languages', () => {
  const jaccard = (x: BpeTokenizer, y: BpeTokenizer) => {
    const ys = new Set(y.vocab.slice(256));
    const shared = x.vocab.slice(256).filter((t) => ys.has(t)).length;
    return shared / (x.vocab.length - 256 + ys.size - shared);
  };
  const same = jaccard(BPE, trainBpe(TEXT_A2, 600)), other = jaccard(BPE, trainBpe(TEXT_B, 600));
  assert.ok(same > 0.4 && other < 0.1, `same ${same}, other ${other}`);
});
