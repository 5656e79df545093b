// Seeded mutations of the side files (issue 12): fingerprint files, plain and gzip, and shard indexes give a clear
// error of their module or a valid result, never another throw; the JSON scan accepts exactly what JSON.parse does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CheckpointError } from '../../src/core/format/errors';
import { scanJson } from '../../src/core/format/jsonScan';
import { writeSafetensors } from '../../src/core/format/writer';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { FingerprintError, parseFingerprint, serializeFingerprint } from '../../src/core/fingerprint/io';
import { mulberry32 as prng } from '../../src/core/fingerprint/plan';
import { smallCheckpoint, tempDir } from './helpers/hostileFiles';

const INTERESTING = Buffer.from('{}[]":,0123456789-.eE+\\ /u\u0000\n\t', 'latin1');

/** 1 to 4 mutations of `original`: interesting or random bytes, cuts, insertions (nesting runs too), deletions. */
function mutate(original: Buffer, rand: () => number): Buffer {
  let bytes = Buffer.from(original);
  const mutations = 1 + Math.floor(rand() * 4);
  for (let m = 0; m < mutations; m++) {
    const op = rand();
    const pos = Math.floor(rand() * (bytes.length + 1));
    if (op < 0.35) bytes[Math.min(pos, bytes.length - 1)] = INTERESTING[Math.floor(rand() * INTERESTING.length)];
    else if (op < 0.5) bytes[Math.min(pos, bytes.length - 1)] = Math.floor(rand() * 256);
    else if (op < 0.6) bytes = bytes.subarray(0, pos);
    else if (op < 0.75) bytes = Buffer.concat([bytes.subarray(0, pos), Buffer.from([INTERESTING[Math.floor(rand() * INTERESTING.length)]]), bytes.subarray(pos)]);
    else if (op < 0.85) bytes = Buffer.concat([bytes.subarray(0, pos), Buffer.alloc(1 + Math.floor(rand() * 200), rand() < 0.5 ? '[' : '{'), bytes.subarray(pos)]);
    else bytes = Buffer.concat([bytes.subarray(0, pos), bytes.subarray(Math.min(bytes.length, pos + 1 + Math.floor(rand() * 16)))]);
  }
  return bytes;
}

function oneLine(message: string, label: string): void {
  assert.ok(message.length < 600 && !message.includes('\n'), `${label}: one short line: ${message.slice(0, 200)}`);
}

test('the JSON scan accepts exactly what JSON.parse accepts', () => {
  const bases = [
    '{"a": [1, -2.5e+3, 0.0, true, false, null, "x\\u00e9\\n\\"y"], "b": {"c": {}}, "d": []}',
    JSON.stringify({ weight_map: { 'w.0': 'a.safetensors', 'w.1': 'b.safetensors' }, metadata: { total_size: 123 } }, null, 2),
    '[0, 1e5, -0, "\\/", {"k": [[[]]]}]',
  ].map((s) => Buffer.from(s, 'utf8'));
  let rejected = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const rand = prng(seed);
    const bytes = mutate(bases[seed % bases.length], rand);
    let parses = true;
    try { JSON.parse(bytes.toString('utf8')); } catch { parses = false; }
    const problem = scanJson(bytes, { maxDepth: 10_000 });
    assert.equal(problem === undefined, parses, `seed ${seed}: ${JSON.stringify(bytes.toString('utf8'))} ${problem?.reason ?? ''}`);
    if (problem) {
      assert.ok(problem.offset >= 0 && problem.offset <= bytes.length, `seed ${seed}: offset inside the input`);
      rejected++;
    }
  }
  assert.ok(rejected > 1500, `most mutations are invalid (${rejected})`);
});

test('mutated fingerprint files, plain and gzip: a FingerprintError or a fingerprint, never another throw', async () => {
  const dir = tempDir();
  const fp = await fingerprintPath(await smallCheckpoint(join(dir, 'ref.safetensors')), { id: 'ref' });
  const original = Buffer.from(serializeFingerprint(fp));
  let valid = 0;
  let rejected = 0;
  for (let seed = 1; seed <= 500; seed++) {
    const rand = prng(seed);
    const plain = mutate(original, rand);
    const input = seed % 5 === 0 ? (rand() < 0.5 ? gzipSync(plain) : mutate(gzipSync(original), rand)) : plain;
    try {
      const back = parseFingerprint(input, `m${seed}.wpf`);
      assert.ok(back.tensors.every((t) => t.samples instanceof Float32Array), `seed ${seed}`);
      valid++;
    } catch (e) {
      assert.ok(e instanceof FingerprintError, `seed ${seed}: ${e instanceof Error ? e.stack : e}`);
      oneLine(e.message, `seed ${seed}`);
      rejected++;
    }
  }
  assert.ok(rejected > 300, `most mutations are invalid (${rejected} rejected, ${valid} valid)`);
});

test('mutated shard indexes: a CheckpointError or a checkpoint, never another throw', async () => {
  const dir = tempDir();
  const names = ['a.safetensors', 'b.safetensors'];
  const shard = (i: number) => [{ name: `model.layers.${i}.w`, dtype: 'F32' as const, shape: [2, 2], data: new Uint8Array(16) }];
  const index = Buffer.from(JSON.stringify({ metadata: { total_size: 32 }, weight_map: { 'model.layers.0.w': names[0], 'model.layers.1.w': names[1] } }, null, 2));
  let valid = 0;
  let rejected = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const folder = join(dir, `s${seed}`);
    mkdirSync(folder);
    for (const [i, n] of names.entries()) await writeSafetensors(join(folder, n), shard(i));
    writeFileSync(join(folder, 'model.safetensors.index.json'), mutate(index, prng(seed)));
    try {
      await openCheckpoint(folder);
      valid++;
    } catch (e) {
      assert.ok(e instanceof CheckpointError, `seed ${seed}: ${e instanceof Error ? e.stack : e}`);
      oneLine(e.message, `seed ${seed}`);
      rejected++;
    }
  }
  assert.ok(rejected > 150, `most mutations are invalid (${rejected} rejected, ${valid} valid)`);
});
