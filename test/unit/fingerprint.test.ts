/* eslint-disable @typescript-eslint/no-explicit-any -- mutating parsed JSON of hostile fingerprint files */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { FingerprintError, parseFingerprint, readFingerprint, serializeFingerprint, writeFingerprint } from '../../src/core/fingerprint/io';
import { ReferenceLibrary } from '../../src/core/fingerprint/library';
import { probeRows, samplePlan } from '../../src/core/fingerprint/plan';
import { GRAM_VALUES } from '../../src/core/fingerprint/gram';
import { llamaLike, tmp, writeModel } from './helpers/matchFixtures';

test('fingerprint: plan depends only on shape and gives ~4096 samples', () => {
  const a = samplePlan([512, 256]);
  const b = samplePlan([512, 256]);
  assert.deepEqual([...a.rowIdx], [...b.rowIdx]);
  assert.equal(a.count, 4096);
  assert.equal(samplePlan([192]).count, 192);
  assert.equal(samplePlan([192, 3, 4, 4]).w, 48);
  assert.ok(samplePlan([151936, 4096]).count >= 4096 && samplePlan([151936, 4096]).count < 4200);
  assert.equal(samplePlan([0, 5]).count, 0);
  for (let i = 1; i < a.rowIdx.length; i++) assert.ok(a.rowIdx[i] > a.rowIdx[i - 1]);
});

test('fingerprint: round trip through a .wpf file, samples and metadata intact', async () => {
  const path = await writeModel(llamaLike(1, 64, 2, 200));
  const fp = await fingerprintPath(path, { id: 'toy', gramColumns: true });
  assert.equal(fp.version, 3);
  assert.equal(fp.tokenizer, null, 'a folder without tokenizer files: no tokenizer fingerprint');
  const plain = await fingerprintPath(path, { id: 'toy' });
  assert.ok(plain.tensors.every((t) => t.gramCols === null) && plain.tensors.some((t) => t.gramRows), 'column sketches only on request');
  assert.ok(fp.tensors.every((t) => t.kind !== 'embedding' && t.kind !== 'head' || (!t.gramRows && !t.gramCols)), 'token matrices get none');
  assert.equal(fp.model.id, 'toy');
  const q = fp.tensors.find((t) => t.name === 'model.layers.0.self_attn.q_proj.weight')!;
  const o = fp.tensors.find((t) => t.name === 'model.layers.0.self_attn.o_proj.weight')!;
  assert.ok(q.gramRows && q.gramRows.length === GRAM_VALUES && q.gramCols === null, 'a matrix that reads the residual: row sketch');
  assert.ok(o.gramCols && o.gramCols.length === GRAM_VALUES && o.gramRows === null, 'a matrix that writes the residual: column sketch');
  assert.ok(fp.tensors.filter((t) => t.kind === 'norm').every((t) => !t.gramRows && !t.gramCols));
  const emb = fp.tensors.find((t) => t.name === 'model.embed_tokens.weight')!;
  assert.ok(emb.probe && emb.probe.length === probeRows([200, 64]).length * 64);
  assert.ok(emb.sha256 && /^[0-9a-f]{64}$/.test(emb.sha256));
  const file = join(tmp(), 'toy.wpf');
  await writeFingerprint(file, fp);
  const back = await readFingerprint(file);
  assert.equal(back.tensors.length, fp.tensors.length);
  for (let i = 0; i < fp.tensors.length; i++) {
    assert.equal(back.tensors[i].name, fp.tensors[i].name);
    assert.deepEqual([...back.tensors[i].samples], [...fp.tensors[i].samples]);
    assert.deepEqual(back.tensors[i].moments, fp.tensors[i].moments);
    assert.deepEqual(back.tensors[i].gramRows && [...back.tensors[i].gramRows!], fp.tensors[i].gramRows && [...fp.tensors[i].gramRows!]);
    assert.deepEqual(back.tensors[i].gramCols && [...back.tensors[i].gramCols!], fp.tensors[i].gramCols && [...fp.tensors[i].gramCols!]);
  }
  assert.deepEqual(back.model, fp.model);
  // gzip-compressed files load too
  const gz = parseFingerprint(gzipSync(Buffer.from(serializeFingerprint(fp))), 'gz');
  assert.equal(gz.tensors.length, fp.tensors.length);
});

test('fingerprint: hostile or malformed files are rejected with a clear error', async () => {
  const path = await writeModel(llamaLike(2, 64, 1, 100));
  const good = JSON.parse(serializeFingerprint(await fingerprintPath(path, { id: 'g' })));
  const cases: [string, (d: any) => unknown, RegExp][] = [
    ['wrong version', (d) => ({ ...d, version: 4 }), /version 4 is not supported/],
    ['missing version', (d) => { delete d.version; return d; }, /version/],
    ['wrong format', (d) => ({ ...d, format: 'x' }), /"format"/],
    ['plan constants', (d) => ({ ...d, plan: { ...d.plan, windowCols: 32 } }), /plan/],
    ['version 2 without its gram constants', (d) => { delete d.plan.gramSize; return d; }, /gramSize 32/],
    ['gram sketch too short', (d) => { const x = d.tensors.find((t: any) => t.gramRows); x.gramRows = x.gramRows.slice(0, 40); return d; }, /gramRows must hold exactly 528 float32 values/],
    ['gram sketch on a vector', (d) => { const x = d.tensors.find((t: any) => t.shape.length === 1); x.gramCols = d.tensors.find((t: any) => t.gramRows).gramRows; return d; }, /has gramCols, but format version 3 defines none for shape \[64\]/],
    ['samples too short', (d) => { d.tensors[0].samples = d.tensors[0].samples.slice(0, 40); return d; }, /samples must hold exactly/],
    ['samples not base64', (d) => { d.tensors[0].samples = '!'.repeat(d.tensors[0].samples.length); return d; }, /samples/],
    ['samples a number', (d) => { d.tensors[0].samples = 5; return d; }, /base64 string/],
    ['negative shape', (d) => { d.tensors[0].shape = [-1, 64]; return d; }, /non-negative safe integer/],
    ['fractional shape', (d) => { d.tensors[0].shape = [1.5, 64]; return d; }, /non-negative safe integer/],
    ['huge shape', (d) => { d.tensors[0].shape = [2 ** 40, 2 ** 40]; return d; }, /too many elements|bytes/],
    ['bytes mismatch', (d) => { d.tensors[0].bytes += 4; return d; }, /bytes/],
    ['unknown dtype', (d) => { d.tensors[0].dtype = 'F128'; return d; }, /unknown dtype/],
    ['duplicate names', (d) => { d.tensors[1].name = d.tensors[0].name; return d; }, /appears twice/],
    ['bad sha', (d) => { d.tensors[0].sha256 = 'zz'; return d; }, /sha256/],
    ['tensors not array', (d) => ({ ...d, tensors: {} }), /"tensors" must be an array/],
    ['model missing', (d) => { delete d.model; return d; }, /"model"/],
    ['empty id', (d) => { d.model.id = ''; return d; }, /model.id/],
    ['probe on wrong tensor', (d) => { const t = d.tensors.find((x: any) => x.shape.length === 1); t.probe = 'AAAA'; return d; }, /probe/],
    ['top-level array', () => [], /not a JSON object/],
    ['NaN-like moments ignored but string shape rejected', (d) => { d.tensors[0].shape = '64'; return d; }, /shape/],
  ];
  for (const [label, mutate, re] of cases) {
    const doc = mutate(JSON.parse(JSON.stringify(good)));
    assert.throws(() => parseFingerprint(JSON.stringify(doc), 'bad.wpf'), (e: unknown) => e instanceof FingerprintError && re.test(e.message) && e.message.startsWith('bad.wpf: not a valid Weightprint fingerprint'), label);
  }
  assert.throws(() => parseFingerprint('{"format": "weightprint-fingerprint", "version": 1', 'x'), /not JSON/);
  assert.throws(() => parseFingerprint(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'x'), /gzip/);
  assert.throws(() => parseFingerprint(Buffer.from([0xff, 0xfe, 0, 0]), 'x'), FingerprintError);
  // NaN samples are allowed (weights may hold NaN) and are excluded from the moments.
  const nan = JSON.parse(JSON.stringify(good));
  const t0 = nan.tensors[0];
  const buf = Buffer.from(t0.samples, 'base64');
  buf.writeFloatLE(NaN, 0);
  t0.samples = buf.toString('base64');
  const parsed = parseFingerprint(JSON.stringify(nan), 'nan');
  assert.equal(parsed.tensors[0].moments.nonFinite, 1);
  assert.ok(Number.isFinite(parsed.tensors[0].moments.mean));
});

test('fingerprint: library loads folders, reports bad files, adds and removes', async () => {
  const path = await writeModel(llamaLike(3, 64, 1, 100));
  const a = join(tmp(), 'libA'); const b = join(tmp(), 'libB');
  mkdirSync(a, { recursive: true }); mkdirSync(b, { recursive: true });
  const lib = await ReferenceLibrary.load([a]);
  await lib.add(await fingerprintPath(path, { id: 'one' }));
  writeFileSync(join(b, 'broken.wpf'), '{"format":"weightprint-fingerprint","version":99}');
  await writeFingerprint(join(b, 'two.wpf'), await fingerprintPath(path, { id: 'two' }));
  const both = await ReferenceLibrary.load([a, b, join(tmp(), 'missing-folder')]);
  assert.deepEqual(both.entries.map((e) => e.id).sort(), ['one', 'two']);
  assert.equal(both.problems.length, 2);
  assert.match(both.problems.find((p) => p.path.endsWith('broken.wpf'))!.reason, /version 99/);
  assert.equal(both.summaries()[0].components[0].name, 'language');
  assert.ok(await both.remove('one'));
  assert.deepEqual((await ReferenceLibrary.load([a])).entries.length, 0);
});
