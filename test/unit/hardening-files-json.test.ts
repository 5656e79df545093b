// Issue 12, classes 3, 4 and 10: what a file's JSON can cost. Nesting of any depth is an error, not a stack overflow;
// limits on header bytes, tensors and metadata hold for all shards together; gzip bombs and oversized fingerprints
// stop at their limit; errors say where (byte offset) and never quote the file (it may be a token).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadCatalogue, CatalogueError } from '../../src/core/catalogue/catalogue';
import { inspectCommand } from '../../src/cli/commands/inspect';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { DEFAULT_MAX_TENSORS } from '../../src/core/format/header';
import { CheckpointError } from '../../src/core/format/errors';
import { scanJson } from '../../src/core/format/jsonScan';
import { FingerprintError, parseFingerprint, readFingerprint } from '../../src/core/fingerprint/io';
import { MAX_FINGERPRINT_BYTES, MAX_FINGERPRINT_TENSORS } from '../../src/core/fingerprint/limits';
import { POSIX_SKIP, rawSafetensors, runCli, SECRET, smallCheckpoint, tempDir } from './helpers/hostileFiles';

const T = { timeout: 20_000 };

async function rejects(p: Promise<unknown>, code: string, re?: RegExp): Promise<CheckpointError> {
  let error: unknown;
  await p.catch((e) => { error = e; });
  assert.ok(error instanceof CheckpointError, `expected a CheckpointError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (re) assert.match(error.message, re);
  assert.ok(!error.message.includes('\n') && error.message.length < 600, 'one short line');
  return error;
}

describe('nesting 100,000 levels deep', () => {
  test('in shape and in data_offsets: exit 2 with one line, no stack overflow', T, async () => {
    const dir = tempDir();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const [field, header] of [
      ['shape', `{"w":{"dtype":"F32","shape":${deep},"data_offsets":[0,0]}}`],
      ['data_offsets', `{"w":{"dtype":"F32","shape":[0],"data_offsets":${deep}}}`],
      ['an unknown field', `{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":${deep}}}`],
    ]) {
      const path = rawSafetensors(join(dir, `${field.replace(/ /g, '_')}.safetensors`), header);
      const run = await runCli(['inspect', path]);
      assert.equal(run.code, 2, `${field}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /nested deeper than 64 levels/);
      assert.ok(run.stderr.length < 400, 'the message quotes none of the input');
    }
  });

  test('the JSON scan is iterative: a million levels are a limit error, found at once', () => {
    const bytes = Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    const problem = scanJson(bytes, { maxDepth: 64 });
    assert.deepEqual(problem && { offset: problem.offset, kind: problem.kind }, { offset: 64, kind: 'limit' });
    assert.equal(scanJson(bytes, { maxDepth: 2_000_000 }), undefined);
  });
});

describe('limits hold for all of a checkpoint\'s files together', () => {
  let dir: string;
  before(() => { dir = tempDir(); });

  const tensors = (names: string[]) => `{${names.map((n, i) => `"${n}":{"dtype":"U8","shape":[1],"data_offsets":[${i},${i + 1}]}`).join(',')}}`;

  test('tensors: per file and summed over shards', async () => {
    const one = rawSafetensors(join(dir, 'one.safetensors'), tensors(['a', 'b', 'c']), 3);
    await rejects(openCheckpoint(one, { maxTensors: 2 }), 'too-many-tensors', /more than 2 tensors/);
    assert.equal((await openCheckpoint(one, { maxTensors: 3 })).tensors.length, 3);
    const folder = join(dir, 'shards');
    mkdirSync(folder);
    rawSafetensors(join(folder, 'a.safetensors'), tensors(['a1', 'a2']), 2);
    rawSafetensors(join(folder, 'b.safetensors'), tensors(['b1', 'b2']), 2);
    await rejects(openCheckpoint(folder, { maxTensors: 3 }), 'too-many-tensors', /files together hold more than 3 tensors/);
  });

  test('header bytes: per file and summed over shards', async () => {
    const folder = join(dir, 'bytes');
    mkdirSync(folder);
    rawSafetensors(join(folder, 'a.safetensors'), tensors(['a1']), 1);
    rawSafetensors(join(folder, 'b.safetensors'), tensors(['b1']), 1);
    const each = tensors(['a1']).length;
    assert.equal((await openCheckpoint(folder, { maxHeaderBytes: 2 * each })).tensors.length, 2);
    await rejects(openCheckpoint(folder, { maxHeaderBytes: 2 * each - 1 }), 'header-too-large', /together exceed the limit/);
  });

  test('__metadata__ entries, and shapes of more than 16 dimensions', async () => {
    const meta = rawSafetensors(join(dir, 'meta.safetensors'), JSON.stringify({ __metadata__: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 'v'])) }));
    await rejects(openCheckpoint(meta, { maxMetadataEntries: 4 }), 'too-much-metadata', /more than 4 entries/);
    const dims = rawSafetensors(join(dir, 'dims.safetensors'), `{"w":{"dtype":"U8","shape":[${Array(17).fill(1)}],"data_offsets":[0,1]}}`, 1);
    await rejects(openCheckpoint(dims), 'invalid-shape', /more than 16 dimensions/);
  });

  test('an index with more entries than the tensor limit is refused', async () => {
    const folder = join(dir, 'many-index');
    mkdirSync(folder);
    const map = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, 'a.safetensors']));
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ weight_map: map }));
    await rejects(openCheckpoint(folder, { maxTensors: 10 }), 'too-many-tensors', /index lists more than 10 tensors/);
  });
});

describe('memory inside the limits', () => {
  test(`a header at the tensor limit (${DEFAULT_MAX_TENSORS} tensors): inspect --json stays under 300 MB`, { timeout: 30_000 }, async () => {
    const dir = tempDir();
    const n = DEFAULT_MAX_TENSORS;
    const parts = ['{"__metadata__":{"format":"pt"}'];
    for (let i = 0; i < n; i++) parts.push(`,"model.layers.${i % 61}.mlp.experts.${i}.down_proj.weight_scale_inv":{"dtype":"U8","shape":[1,1],"data_offsets":[${i},${i + 1}]}`);
    const path = rawSafetensors(join(dir, 'many.safetensors'), parts.join('') + '}', n);
    const run = await runCli(['inspect', path, '--json'], { killAfterMs: 28_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).tensors.length, n);
    assert.ok(run.maxRss < 300e6, `peak memory ${run.maxRss}`);
  });

  test('inspect --json, written a tensor at a time, is JSON.stringify(…, null, 1) byte for byte', async () => {
    const dir = tempDir();
    const folder = join(dir, 'model');
    mkdirSync(folder);
    await smallCheckpoint(join(folder, 'model.safetensors'));
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 16, vision_config: { depth: 2 } }));
    const empty = rawSafetensors(join(dir, 'empty.safetensors'), JSON.stringify({ __metadata__: { 'k\u001b': 'v\n' } }));
    for (const target of [folder, empty]) {
      let out = '';
      const code = await inspectCommand([target, '--json'], { out: (text) => { out += text; }, err: () => undefined, isTTY: false });
      assert.equal(code, 0);
      assert.equal(out, JSON.stringify(JSON.parse(out), null, 1) + '\n');
    }
  });
});

describe('fingerprint files stop at their limits', () => {
  test('a gzip bomb .wpf: refused at the limit, memory stays low', { ...T, skip: POSIX_SKIP }, async () => {
    const dir = tempDir();
    const library = join(dir, 'lib');
    mkdirSync(library);
    // 96 MB of JSON in a 100 KB file.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"format":"weightprint-fingerprint","x":"'), Buffer.alloc(96 << 20, 0x41), Buffer.from('"}')]), { level: 9 });
    writeFileSync(join(library, 'bomb.wpf'), bomb);
    await assert.rejects(readFingerprint(join(library, 'bomb.wpf')), (e: unknown) => e instanceof FingerprintError && e.message.includes(String(MAX_FINGERPRINT_BYTES)));
    const run = await runCli(['audit', await smallCheckpoint(join(dir, 'm.safetensors')), '--library', library]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /bomb\.wpf.*gzip/);
    assert.ok(run.maxRss < 200e6, `peak memory ${run.maxRss}`);
  });

  test('a .wpf with one tensor more than the limit is refused', T, () => {
    const entry = (i: number) => `{"name":"t${i}","dtype":"U8","shape":[],"bytes":1,"samples":"AAAAAA=="}`;
    const head = '{"format":"weightprint-fingerprint","version":1,"plan":{"sampleTarget":4096,"windowCols":64,"probeRows":128,"probeMaxCols":16384},'
      + '"model":{"id":"m","source":"","headerHash":"","createdAt":"","tool":{"name":"w","version":"1"},"tensors":0,"parameters":0,"bytes":0},"tensors":[';
    const n = MAX_FINGERPRINT_TENSORS + 1;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(entry(i));
    const text = head + parts.join(',') + ']}';
    assert.throws(() => parseFingerprint(text, 'many.wpf'), new RegExp(`more than ${MAX_FINGERPRINT_TENSORS} tensors`));
    assert.equal(parseFingerprint(head + parts.slice(0, 3).join(',') + ']}', 'three.wpf').tensors.length, 3);
  });
});

describe('errors say where, never what the file holds', () => {
  let dir: string;
  before(() => { dir = tempDir(); });

  test('config.json that is a token file: a warning with the byte offset, no token anywhere in the output', T, async () => {
    const folder = join(dir, 'cfg');
    mkdirSync(folder);
    await smallCheckpoint(join(folder, 'model.safetensors'));
    writeFileSync(join(folder, 'config.json'), `${SECRET}\n`);
    for (const args of [['inspect', folder], ['inspect', folder, '--json']]) {
      const run = await runCli(args);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /config\.json beside the checkpoint is not valid JSON \(byte 0: unexpected character\)/);
      assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET));
    }
  });

  test('an index, a header, a review store, a .wpf and a catalogue holding a token: no message quotes it', T, async () => {
    const folder = join(dir, 'index');
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.safetensors.index.json'), `{"weight_map": ${SECRET}}`);
    const index = await runCli(['inspect', folder]);
    assert.equal(index.code, 2);
    assert.match(index.stderr, /byte 15: index is not valid JSON \(unexpected character\)/);

    const header = await runCli(['inspect', rawSafetensors(join(dir, 'h.safetensors'), `{"a": ${SECRET}}`)]);
    assert.equal(header.code, 2);
    assert.match(header.stderr, /byte 14: header is not valid JSON \(unexpected character\)/);

    const reviewed = join(dir, 'reviewed');
    mkdirSync(reviewed);
    const checkpoint = await smallCheckpoint(join(reviewed, 'model.safetensors'));
    writeFileSync(join(reviewed, 'model.safetensors.review.json'), `{"format": ${SECRET}}`);
    const library = join(dir, 'library');
    mkdirSync(library);
    writeFileSync(join(library, 'token.wpf'), SECRET);
    const audit = await runCli(['audit', checkpoint, '--library', library, '--notes', join(dir, 'notes.md')], { env: { WEIGHTPRINT_LANG: 'en' } });
    assert.equal(audit.code, 0, audit.stderr);
    assert.match(audit.stderr, /token\.wpf: not JSON \(byte 0: unexpected character\)/);
    assert.match(audit.stderr, /review store not used: .*byte 11: unexpected character/);

    const catalogue = join(dir, 'catalogue.json');
    writeFileSync(catalogue, SECRET);
    assert.throws(() => loadCatalogue(catalogue), (e: unknown) => e instanceof CatalogueError && /byte 0/.test(e.message) && !e.message.includes(SECRET));
    for (const run of [index, header, audit]) assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET), run.stderr);
  });
});
