/* eslint-disable @typescript-eslint/no-explicit-any -- mutating parsed JSON of hostile fingerprint files */
// Tokenizer files are hostile input: each broken one is one line naming it, nothing executes, nothing hangs; the
// tokenizer fingerprint rides in .wpf format version 3 (older versions keep loading) and is checked when read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTokenizerFiles, MAX_TOKENIZER_BYTES } from '../../src/core/sidecars/tokenizerFiles';
import { parseSentencePiece, ProtobufError } from '../../src/core/sidecars/sentencePiece';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { FingerprintError, parseFingerprint, readFingerprint, serializeFingerprint, writeFingerprint } from '../../src/core/fingerprint/io';
import { fifo, POSIX_SKIP, smallCheckpoint, tempDir } from './helpers/hostileFiles';
import { corpusText, sentencePieceModel, tokenizerJson, trainBpe, trainUnigram } from './helpers/tokenizers';

const small = trainBpe(corpusText({ seed: 5, words: 3000 }), 400);

async function problemsOf(files: Record<string, string | Buffer>): Promise<{ problems: string[]; read: boolean }> {
  const dir = tempDir('wp-tokfiles-');
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const r = await readTokenizerFiles(dir);
  return { problems: r.problems, read: r.vocabulary !== null };
}

test('tokenizer files: hostile ones give one line each naming the file', async () => {
  const cases: [string, Record<string, string | Buffer>, RegExp][] = [
    ['broken JSON', { 'tokenizer.json': '{"model": ' }, /^tokenizer\.json: not valid JSON \(at byte \d+\)$/],
    ['array root', { 'tokenizer.json': '[]' }, /^tokenizer\.json: not a JSON object$/],
    ['no model', { 'tokenizer.json': '{}' }, /^tokenizer\.json: "model" is not an object$/],
    ['negative id', { 'tokenizer.json': '{"model":{"type":"BPE","vocab":{"a":-1},"merges":[]}}' }, /^tokenizer\.json: model\.vocab: a token id is not an integer from 0 to 3999999$/],
    ['huge id', { 'tokenizer.json': '{"model":{"type":"BPE","vocab":{"a":1e300},"merges":[]}}' }, /a token id is not an integer/],
    ['merge of three', { 'tokenizer.json': '{"model":{"type":"BPE","vocab":{"a":0},"merges":[["a","b","c"]]}}' }, /^tokenizer\.json: model\.merges: a merge is neither "a b" nor a pair$/],
    ['unigram entry', { 'tokenizer.json': '{"model":{"type":"Unigram","vocab":[["a"]]}}' }, /an entry is not \[piece, score\]/],
    ['deep nesting', { 'tokenizer.json': '['.repeat(100_000) }, /^tokenizer\.json: over the JSON limits/],
    ['empty vocabulary', { 'tokenizer.json': '{"model":{"type":"BPE","vocab":{},"merges":[]}}' }, /^tokenizer\.json: no tokens$/],
    ['random protobuf', { 'tokenizer.model': Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]) }, /^tokenizer\.model: not a SentencePiece model \(byte \d+: a field of \d+ bytes runs past the end of its message\)$/],
    ['truncated varint', { 'tokenizer.model': Buffer.from([0x0a, 0x80]) }, /^tokenizer\.model: not a SentencePiece model \(byte 2: a number runs past the end of its message\)$/],
    ['text, not protobuf', { 'tokenizer.model': 'import os; os.system("x")' }, /^tokenizer\.model: not a SentencePiece model/],
    ['vocab.json array', { 'vocab.json': '[1,2]' }, /^vocab\.json: not a JSON object$/],
    ['bad tokenizer_config', { 'tokenizer.json': tokenizerJson(small), 'tokenizer_config.json': '{"bos_token": ' }, /^tokenizer_config\.json: not valid JSON/],
  ];
  for (const [label, files, re] of cases) {
    const { problems } = await problemsOf(files);
    assert.equal(problems.length, 1, `${label}: ${problems.join(' | ')}`);
    assert.match(problems[0], re, label);
  }
  // A hostile token is data: "__proto__" and control characters are kept as strings, nothing else of the file is read.
  const { problems, read } = await problemsOf({ 'tokenizer.json': '{"model":{"type":"BPE","vocab":{"__proto__":0,"\\u001b[31m":1,"constructor":2},"merges":[]}}' });
  assert.deepEqual(problems, []);
  assert.ok(read);
});

test('tokenizer files: a FIFO, a directory, /dev/zero and an oversized file are refused at once', { skip: POSIX_SKIP }, async () => {
  const dir = tempDir('wp-tokspecial-');
  fifo(join(dir, 'tokenizer.json'));
  mkdirSync(join(dir, 'tokenizer.model'));
  symlinkSync('/dev/zero', join(dir, 'vocab.json'));
  const r = await readTokenizerFiles(dir);
  assert.deepEqual(r.problems, ['tokenizer.json: not a regular file', 'tokenizer.model: not a regular file', 'vocab.json: not a regular file']);
  const big = tempDir('wp-tokbig-');
  writeFileSync(join(big, 'tokenizer.json'), '');
  truncateSync(join(big, 'tokenizer.json'), MAX_TOKENIZER_BYTES + 1);
  assert.deepEqual((await readTokenizerFiles(big)).problems, [`tokenizer.json: over the ${MAX_TOKENIZER_BYTES}-byte limit for a sidecar; not read`]);
});

test('sentencepiece: pieces, scores, types and model type decode; garbage is refused', () => {
  const uni = trainUnigram(corpusText({ seed: 6, words: 3000 }), 300);
  const m = parseSentencePiece(sentencePieceModel(uni, 'unigram'));
  assert.equal(m.modelType, 'unigram');
  assert.equal(m.pieces.length, uni.pieces.length);
  assert.deepEqual(m.pieces.slice(0, 3).map((p) => `${p.piece}:${p.type}`), ['<unk>:unknown', '<s>:control', '</s>:control']);
  assert.ok(Math.abs(m.pieces[10].score - uni.pieces[10].score) < 1e-5);
  assert.equal(parseSentencePiece(sentencePieceModel(small, 'bpe')).modelType, 'bpe');
  assert.throws(() => parseSentencePiece(Buffer.alloc(0)), ProtobufError);
  assert.throws(() => parseSentencePiece(Buffer.from([0x0b])), ProtobufError, 'wire type 3 (groups) is not read');
});

test('fingerprint version 3 carries the tokenizer; version 2 files still load; a hostile tokenizer section is refused', async () => {
  const dir = tempDir('wp-tokwpf-');
  const model = await smallCheckpoint(join(dir, 'model.safetensors'));
  writeFileSync(join(dir, 'tokenizer.json'), tokenizerJson(small));
  const fp = await fingerprintPath(model, { id: 'with-tokenizer' });
  assert.equal(fp.version, 3);
  assert.equal(fp.tokenizer?.vocabSize, 400);
  const file = join(dir, 'with.wpf');
  await writeFingerprint(file, fp);
  const back = await readFingerprint(file);
  assert.deepEqual(back.tokenizer, fp.tokenizer);

  const v2 = JSON.parse(serializeFingerprint(fp));
  v2.version = 2;
  delete v2.tokenizer;
  const old = parseFingerprint(JSON.stringify(v2), 'old.wpf');
  assert.equal(old.version, 2);
  assert.equal(old.tokenizer, undefined);
  const stray = parseFingerprint(JSON.stringify({ ...v2, tokenizer: { junk: true } }), 'old.wpf');
  assert.equal(stray.tokenizer, undefined, 'a version-2 file: an unknown field, ignored');

  const good = JSON.parse(serializeFingerprint(fp));
  const cases: [string, (d: any) => void, RegExp][] = [
    ['not an object', (d) => { d.tokenizer = 5; }, /tokenizer: not an object/],
    ['unsorted sketch', (d) => { d.tokenizer.sketch.hash.reverse(); }, /sketch\.hash is missing or out of range/],
    ['ids beside hashes', (d) => { d.tokenizer.sketch.id.pop(); }, /tokenizer: sketch(\.id)? is missing or out of range/],
    ['hash beyond 2^53', (d) => { d.tokenizer.idBlocks[0] = 2 ** 60; }, /idBlocks/],
    ['bad digest', (d) => { d.tokenizer.vocabSha256 = 'x'; }, /vocabSha256/],
    ['unknown type', (d) => { d.tokenizer.type = 'Magic'; }, /tokenizer: type/],
    ['too many special tokens', (d) => { d.tokenizer.specialTokens = Array.from({ length: 65 }, () => ({ id: 0, content: 'a', role: 'bos' })); }, /specialTokens/],
    ['huge array', (d) => { d.tokenizer.mergeBlocks = new Array(70_000).fill(1); }, /over its limits|mergeBlocks/],
  ];
  for (const [label, mutate, re] of cases) {
    const doc = JSON.parse(JSON.stringify(good));
    mutate(doc);
    assert.throws(() => parseFingerprint(JSON.stringify(doc), 'bad.wpf'), (e: unknown) => e instanceof FingerprintError && re.test(e.message) && e.message.startsWith('bad.wpf: '), label);
  }
  // The writer refuses what the reader would.
  await assert.rejects(writeFingerprint(join(dir, 'refused.wpf'), { ...fp, tokenizer: { ...fp.tokenizer!, vocabSha256: 'nope' } }), /refused|vocabSha256/);
});
