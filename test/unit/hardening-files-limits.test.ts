// Issue 12, class 8: the fingerprint writer and its loader agree. `fingerprint` refuses (exit 2, nothing written)
// what the loader would reject, and the audit names every library file it could not load.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { FingerprintError, parseFingerprint, readFingerprint, serializeFingerprint, writeFingerprint } from '../../src/core/fingerprint/io';
import { MAX_MODEL_ID, MAX_TENSOR_NAME } from '../../src/core/fingerprint/limits';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { runCli, smallCheckpoint, tempDir } from './helpers/hostileFiles';

const T = { timeout: 20_000 };

describe('fingerprint writes only what its loader reads', () => {
  let dir: string;
  before(() => { dir = tempDir(); });

  test(`a tensor name of ${MAX_TENSOR_NAME} characters round-trips; one more is refused with exit 2 and no file`, T, async () => {
    const fits = await smallCheckpoint(join(dir, 'fits.safetensors'), ['n'.repeat(MAX_TENSOR_NAME)]);
    const ok = await runCli(['fingerprint', fits, '--out', join(dir, 'fits.wpf')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await readFingerprint(join(dir, 'fits.wpf'))).tensors.length, 2);

    const long = await smallCheckpoint(join(dir, 'long.safetensors'), ['n'.repeat(MAX_TENSOR_NAME + 1)]);
    const out = join(dir, 'long.wpf');
    const run = await runCli(['fingerprint', long, '--out', out]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, new RegExp(`cannot make a fingerprint that Weightprint could load back: tensors\\[\\d\\]\\.name must be a string of 1\\.\\.${MAX_TENSOR_NAME} characters`));
    assert.ok(run.stderr.includes(long), 'names the checkpoint');
    assert.ok(!existsSync(out));
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temporary file is left');
  });

  test(`--id over ${MAX_MODEL_ID} characters is refused; a long file name gives an id cut to ${MAX_MODEL_ID} that loads`, T, async () => {
    const checkpoint = await smallCheckpoint(join(dir, 'id.safetensors'));
    const refused = await runCli(['fingerprint', checkpoint, '--out', join(dir, 'id.wpf'), '--id', 'i'.repeat(MAX_MODEL_ID + 1)]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`model\\.id must be a string of 1\\.\\.${MAX_MODEL_ID} characters`));
    assert.ok(!existsSync(join(dir, 'id.wpf')));
    const empty = await runCli(['fingerprint', checkpoint, '--out', join(dir, 'id.wpf'), '--id', '']);
    assert.equal(empty.code, 2, empty.stderr);

    const name = 'm'.repeat(240);
    const longName = await smallCheckpoint(join(dir, `${name}.safetensors`));
    const ok = await runCli(['fingerprint', longName, '--out', join(dir, 'long-id.wpf')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await readFingerprint(join(dir, 'long-id.wpf'))).model.id, name.slice(0, MAX_MODEL_ID));
  });

  test('writeFingerprint refuses each fingerprint parseFingerprint rejects, and writes nothing', async () => {
    const good = await fingerprintPath(await smallCheckpoint(join(dir, 'w.safetensors')), { id: 'w' });
    const variants: [string, (fp: Fingerprint) => void][] = [
      ['long name', (fp) => { fp.tensors[0].name = 'x'.repeat(MAX_TENSOR_NAME + 1); }],
      ['empty name', (fp) => { fp.tensors[0].name = ''; }],
      ['duplicate name', (fp) => { fp.tensors[1].name = fp.tensors[0].name; }],
      ['17 dimensions', (fp) => { fp.tensors[2].shape = Array(17).fill(1); fp.tensors[2].bytes = 4; }],
      ['bad sha256', (fp) => { fp.tensors[0].sha256 = 'ABC'; }],
      ['short samples', (fp) => { fp.tensors[0].samples = fp.tensors[0].samples.subarray(1); }],
      ['long source', (fp) => { fp.model.source = 's'.repeat(4097); }],
      ['long tool version', (fp) => { fp.model.tool = { name: 'weightprint', version: 'v'.repeat(101) }; }],
    ];
    for (const [label, mutate] of variants) {
      const fp: Fingerprint = { ...good, model: { ...good.model }, tensors: good.tensors.map((x) => ({ ...x })) };
      mutate(fp);
      assert.throws(() => parseFingerprint(serializeFingerprint(fp), 'bad.wpf'), FingerprintError, `${label}: the loader rejects it`);
      const out = join(dir, `${label.replace(/ /g, '-')}.wpf`);
      await assert.rejects(writeFingerprint(out, fp), (e: unknown) => e instanceof FingerprintError && e.kind === 'refused', `${label}: the writer refuses it`);
      assert.ok(!existsSync(out), label);
    }
    await writeFingerprint(join(dir, 'good.wpf'), good);
    assert.equal((await readFingerprint(join(dir, 'good.wpf'))).tensors.length, good.tensors.length);
  });

  test('audit names every library file it could not load, in one line each, and audits with the rest', T, async () => {
    const library = join(dir, 'lib');
    mkdirSync(library);
    const checkpoint = await smallCheckpoint(join(dir, 'suspect.safetensors'));
    await writeFingerprint(join(library, 'ref.wpf'), await fingerprintPath(checkpoint, { id: 'ref' }));
    const doc = JSON.parse(serializeFingerprint(await fingerprintPath(checkpoint, { id: 'hand-made' })));
    doc.tensors[0].name = 'y'.repeat(MAX_TENSOR_NAME + 1);
    writeFileSync(join(library, 'hand-made.wpf'), JSON.stringify(doc));
    writeFileSync(join(library, 'empty.wpf'), '');
    const run = await runCli(['audit', checkpoint, '--library', library, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 2, run.stderr);
    assert.match(lines.find((l) => l.includes('hand-made.wpf')) ?? '', /skipped .*hand-made\.wpf: tensors\[0\]\.name must be a string of 1\.\.4096 characters/);
    assert.match(lines.find((l) => l.includes('empty.wpf')) ?? '', /skipped .*empty\.wpf: not JSON \(byte 0: unexpected end of the data\)/);
    assert.deepEqual(JSON.parse(run.stdout).references.map((r: { id: string }) => r.id), ['ref']);
  });
});
