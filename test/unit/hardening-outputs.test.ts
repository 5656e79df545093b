// Output paths (issue 12, classes 4 and 7): `audit --notes` and `fingerprint --out` into a missing folder, onto a full
// device, a folder, an unwritable place, the review store or a file the same command reads give exit 2 with one line
// and write nothing; --force replaces a review store and nothing else; writes are atomic (a failed write leaves the old
// file). Through dist/cli.js and the core API (checkOutputPath, writeOutputFile, writeReviewNotes).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReferenceLibrary } from '../../src/core/fingerprint/library';
import { checkpointInputs, openCheckpoint } from '../../src/core/format/checkpoint';
import { nodeStoreFs, type StoreFs } from '../../src/core/fsLayer';
import { auditCheckpoint } from '../../src/core/match/audit';
import { checkOutputPath, OutputError, writeOutputFile, type OutputProblem } from '../../src/core/outputPath';
import { notesOutputCheck, writeReviewNotes } from '../../src/core/review/notes';
import { tempDir } from './helpers/reviewFs';
import { assertCleanFailure, runCli, writeLibrary, writeLlama, writeSharded } from './helpers/hostileOutputs';

let dir: string;
let model: string;
let lib: string;
let wpf: string;
let index: string;
let store: string;

before(async () => {
  dir = tempDir('wp-hard-out-');
  model = join(dir, 'm.safetensors');
  await writeLlama(model, 1);
  await writeLlama(join(dir, 'ref.safetensors'), 1);
  lib = join(dir, 'lib');
  wpf = await writeLibrary(lib, join(dir, 'ref.safetensors'), 'ref');
  index = await writeSharded(join(dir, 'sharded'), 3);
  store = `${model}.review.json`;
});

const bytesOf = (p: string) => readFileSync(p);
const noTempFiles = (folder: string) => assert.deepEqual(readdirSync(folder).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');

async function rejects(promise: Promise<unknown>, code: OutputProblem): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e instanceof OutputError && e.code === code && !e.message.includes('\n'));
}

describe('audit --notes: where the notes cannot or must not go', () => {
  test('into a missing folder: exit 2 naming the folder, nothing created', async () => {
    const out = join(dir, 'no', 'such', 'folder', 'n.md');
    assertCleanFailure(await runCli(['audit', model, '--library', lib, '--notes', out]), out, 'does not exist');
    assert.equal(existsSync(join(dir, 'no')), false);
  });

  test('onto a full device (/dev/full behind a .md name): exit 2, the device untouched', { skip: !existsSync('/dev/full') && 'no /dev/full' }, async () => {
    const out = join(dir, 'full.md');
    symlinkSync('/dev/full', out);
    const [notes, fingerprint] = await Promise.all([
      runCli(['audit', model, '--library', lib, '--notes', out]),
      runCli(['fingerprint', model, '--out', '/dev/full', '--force']),
    ]);
    assertCleanFailure(notes, out, 'not a regular file');
    assertCleanFailure(fingerprint, '/dev/full', 'not a regular file');
    assert.ok(statSync('/dev/full').isCharacterDevice());
  });

  test('onto a folder: exit 2, the folder untouched', async () => {
    const out = join(dir, 'folder.md');
    mkdirSync(out);
    writeFileSync(join(out, 'keep'), 'x');
    const [notes, fingerprint] = await Promise.all([runCli(['audit', model, '--library', lib, '--notes', out]), runCli(['fingerprint', model, '--out', lib])]);
    assertCleanFailure(notes, out, 'is a folder');
    assertCleanFailure(fingerprint, lib, 'is a folder');
    assert.deepEqual(readdirSync(out), ['keep']);
  });

  test('into an unwritable place: exit 2 saying it is not writable', async () => {
    // Root writes anywhere a mode bit forbids; /proc/self accepts no new file even from root.
    let out: string;
    if (process.getuid?.() === 0) {
      if (!existsSync('/proc/self')) return;
      out = '/proc/self/notes.md';
    } else {
      const ro = join(dir, 'read-only');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      out = join(ro, 'notes.md');
    }
    assertCleanFailure(await runCli(['audit', model, '--library', lib, '--notes', out]), out, 'not writable');
    assert.equal(existsSync(out), false);
  });

  test('onto the review store: refused without --force (existing or not), replaced with --force', async () => {
    const out = store;
    // The checkpoint's own store that does not exist yet is refused too: the next review would find notes there.
    assertCleanFailure(await runCli(['audit', model, '--library', lib, '--notes', out]), out, 'review store', '--force');
    assert.equal(existsSync(out), false);
    const before = '{"format": "weightprint-review", "schemaVersion": 1, "checkpoint": {"headerHash": "x", "name": "m"}, "findings": []}\n';
    writeFileSync(out, before);
    // Another checkpoint's store (any *.review.json that is not JSON notes) is refused as well.
    const other = join(dir, 'other.safetensors.review.json');
    writeFileSync(other, before);
    const runs = await Promise.all([
      runCli(['audit', model, '--library', lib, '--notes', out]),
      runCli(['audit', model, '--library', lib, '--notes', other]),
      runCli(['fingerprint', model, '--out', other]),
    ]);
    assertCleanFailure(runs[0], out, 'review store');
    assertCleanFailure(runs[1], other, 'review store');
    assertCleanFailure(runs[2], other, 'review store');
    assert.equal(readFileSync(out, 'utf8'), before, 'the store is unchanged');
    assert.equal(readFileSync(other, 'utf8'), before);
    const forced = await runCli(['audit', model, '--library', lib, '--notes', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).format, 'weightprint-review-export');
    noTempFiles(dir);
  });

  test('JSON notes named like a store are notes: exporting there again is allowed', async () => {
    const out = join(dir, 'notes.review.json');
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['audit', model, '--library', lib, '--notes', out]);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).format, 'weightprint-review-export');
  });

  test('onto the index, a shard, config.json or a library file it reads: exit 2, even with --force', async () => {
    const folder = join(dir, 'sharded');
    const shard = join(folder, 'model-00001-of-00002.safetensors');
    const config = join(folder, 'config.json');
    writeFileSync(config, '{"model_type": "llama"}');
    const kept = [index, shard, config, wpf].map(bytesOf);
    const json = join(lib, 'reference.wpf.json');
    symlinkSync(wpf, json);
    const cases: [string[], string][] = [
      [['audit', index, '--library', lib, '--notes', index], index],
      [['audit', folder, '--library', lib, '--notes', index, '--force'], index],
      [['audit', index, '--library', lib, '--notes', config, '--force'], config],
      [['audit', index, '--library', lib, '--notes', json], json],
      [['fingerprint', index, '--out', shard, '--force'], shard],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    runs.forEach((r, i) => assertCleanFailure(r, cases[i][1], 'which this command reads'));
    assert.deepEqual([index, shard, config, wpf].map(bytesOf), kept, 'inputs unchanged');
  });
});

describe('fingerprint --out onto its own input', () => {
  test('the checkpoint itself, a symlink or a hard link to it: exit 2, the checkpoint unchanged', async () => {
    const kept = bytesOf(model);
    const soft = join(dir, 'alias.wpf');
    const hard = join(dir, 'hard.wpf');
    symlinkSync(model, soft);
    linkSync(model, hard);
    const outs = [model, soft, hard];
    const runs = await Promise.all(outs.map((out, i) => runCli(['fingerprint', model, '--out', out, ...(i % 2 ? ['--force'] : [])])));
    runs.forEach((r, i) => assertCleanFailure(r, outs[i], 'which this command reads'));
    assert.deepEqual(bytesOf(model), kept);
  });

  test('a normal --out still works and still creates its folder', async () => {
    const out = join(dir, 'new', 'sub', 'm.wpf');
    const r = await runCli(['fingerprint', model, '--out', out, '--id', 'm']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).model.id, 'm');
  });
});

describe('core: checkOutputPath, writeOutputFile, writeReviewNotes', () => {
  test('each refusal has its code and names the path', async () => {
    const checkpoint = await openCheckpoint(index);
    const inputs = checkpointInputs(checkpoint);
    await rejects(checkOutputPath(join(dir, 'missing', 'x.md')), 'missing-folder');
    await rejects(checkOutputPath(join(model, 'x.md')), 'not-a-folder');
    await rejects(checkOutputPath(lib), 'is-a-folder');
    if (existsSync('/dev/full')) await rejects(checkOutputPath('/dev/full'), 'not-a-file');
    await rejects(checkOutputPath(index, { inputs }), 'is-input');
    await rejects(checkOutputPath(index, { inputs, allowReviewStore: true }), 'is-input');
    const own = notesOutputCheck({ checkpoint });
    await rejects(checkOutputPath(join(dir, 'sharded', 'model.safetensors.index.review.json'), own), 'review-store');
    await checkOutputPath(join(dir, 'sharded', 'model.safetensors.index.review.json'), { ...own, allowReviewStore: true });
    await checkOutputPath(join(dir, 'sharded', 'notes.md'), own);
    // The refusals keep a path that does not exist, and a folder a file stands in for, from being created.
    await assert.rejects(checkOutputPath(join(dir, 'missing', 'x.md')), (e: unknown) => e instanceof OutputError && e.message.includes(join(dir, 'missing')));
    await checkOutputPath(join(dir, 'missing', 'x.wpf'), { createsFolder: true });
  });

  test('writeReviewNotes checks the path before anything is computed', async () => {
    const checkpoint = await openCheckpoint(model);
    const library = await ReferenceLibrary.load([lib]);
    const audit = await auditCheckpoint(checkpoint, library.entries.map((e) => e.fingerprint));
    const input = { checkpoint, audit, library: library.entries, hashFiles: false, generated: '2025-01-01T00:00:00.000Z' };
    const kept = bytesOf(model);
    await rejects(writeReviewNotes(model.replace(/\.safetensors$/, '.safetensors.review.json'), input), 'review-store');
    await rejects(writeReviewNotes(join(dir, 'nope', 'n.md'), input), 'missing-folder');
    await rejects(writeReviewNotes(wpf.replace(/\.wpf$/, '.json'), { ...input, library: [{ ...library.entries[0], path: wpf.replace(/\.wpf$/, '.json') }] }), 'is-input');
    const out = join(dir, 'core-notes.csv');
    await writeReviewNotes(out, input);
    assert.match(readFileSync(out, 'utf8'), /^record,component,tensor/);
    assert.deepEqual(bytesOf(model), kept);
  });

  test('a write that fails (full disk) leaves the old file whole and no temp file', async () => {
    const out = join(dir, 'atomic.md');
    writeFileSync(out, 'old notes\n');
    const full: StoreFs = {
      ...nodeStoreFs,
      create: async (path) => {
        const h = await nodeStoreFs.create(path);
        return { ...h, write: async (data) => { await h.write(data.subarray(0, data.length >> 1)); throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); } };
      },
    };
    await assert.rejects(writeOutputFile(out, 'new notes '.repeat(1000), full), (e: unknown) => e instanceof OutputError && e.code === 'no-space' && e.message.includes(out));
    assert.equal(readFileSync(out, 'utf8'), 'old notes\n');
    noTempFiles(dir);
    const failingRename: StoreFs = { ...nodeStoreFs, rename: async () => { throw Object.assign(new Error('EROFS'), { code: 'EROFS' }); } };
    await rejects(writeOutputFile(out, 'new', failingRename), 'not-writable');
    assert.equal(readFileSync(out, 'utf8'), 'old notes\n');
    noTempFiles(dir);
    await writeOutputFile(out, 'new notes\n');
    assert.equal(readFileSync(out, 'utf8'), 'new notes\n');
  });
});
