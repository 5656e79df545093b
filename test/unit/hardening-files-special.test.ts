// Issue 12, classes 1 and 2: special files (named pipes, devices, folders) and files over their limit, wherever the
// tool reads one: the checkpoint, its shard index, config.json, the review store, library .wpf files, the stats cache
// and the catalogue. Each case runs the real CLI; a command that blocked would be killed and fail its assertions.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { StatsCache } from '../../src/core/stats/cache';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { writeFingerprint } from '../../src/core/fingerprint/io';
import { MAX_INDEX_BYTES } from '../../src/core/format/shardIndex';
import { fifo, POSIX_SKIP, runCli, smallCheckpoint, tempDir } from './helpers/hostileFiles';

const T = { timeout: 20_000, skip: POSIX_SKIP };

/** One line on stderr, naming `file`, and nothing on stdout: how the CLI refuses an input (exit 2). */
function refused(run: { code: number | null; stdout: string; stderr: string }, file: string, what: RegExp): void {
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.ok(run.stderr.includes(file), `names ${file}: ${run.stderr}`);
  assert.match(run.stderr, what);
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
}

/** The index of a sharded checkpoint of two shards, a.safetensors and b.safetensors. */
function shardedIndex(): string {
  return JSON.stringify({ metadata: {}, weight_map: { 'a.weight': 'a.safetensors', 'b.weight': 'b.safetensors' } });
}

describe('special files are refused, never waited on', () => {
  let dir: string;
  let good: string;
  before(async () => {
    dir = tempDir();
    good = await smallCheckpoint(join(dir, 'good.safetensors'));
  });

  test('a FIFO named x.safetensors: inspect and audit exit 2 at once', T, async () => {
    const path = fifo(join(dir, 'x.safetensors'));
    refused(await runCli(['inspect', path]), path, /named pipe/);
    refused(await runCli(['audit', path]), path, /named pipe/);
  });

  test('a FIFO as config.json beside the checkpoint: exit 2 naming config.json', T, async () => {
    const folder = join(dir, 'cfg-fifo');
    mkdirSync(folder);
    await smallCheckpoint(join(folder, 'model.safetensors'));
    const config = fifo(join(folder, 'config.json'));
    refused(await runCli(['inspect', folder]), config, /named pipe/);
  });

  test('a FIFO as the shard index: exit 2 naming the index', T, async () => {
    const folder = join(dir, 'index-fifo');
    mkdirSync(folder);
    const index = fifo(join(folder, 'model.safetensors.index.json'));
    refused(await runCli(['inspect', folder]), index, /named pipe/);
    refused(await runCli(['inspect', index]), index, /named pipe/);
  });

  test('a FIFO as <name>.review.json: audit --notes exits 2 naming the review store', T, async () => {
    const folder = join(dir, 'review-fifo');
    mkdirSync(folder);
    const checkpoint = await smallCheckpoint(join(folder, 'model.safetensors'));
    const store = fifo(join(folder, 'model.safetensors.review.json'));
    refused(await runCli(['audit', checkpoint, '--notes', join(folder, 'notes.md')]), store, /named pipe/);
  });

  test('a FIFO as a .wpf in a library folder: audit warns in one line naming it, and uses the rest', T, async () => {
    const library = join(dir, 'lib-fifo');
    mkdirSync(library);
    await writeFingerprint(join(library, 'good.wpf'), await fingerprintPath(good, { id: 'good-ref' }));
    const pipe = fifo(join(library, 'pipe.wpf'));
    mkdirSync(join(library, 'folder.wpf'));
    const run = await runCli(['audit', good, '--library', library, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const warnings = run.stderr.trim().split('\n');
    assert.equal(warnings.length, 2, run.stderr);
    assert.ok(warnings.some((l) => l.includes(pipe) && /named pipe/.test(l)), run.stderr);
    assert.ok(warnings.some((l) => l.includes(join(library, 'folder.wpf')) && /folder/.test(l)), run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).references.map((r: { id: string }) => r.id), ['good-ref']);
  });

  test('a FIFO as the stats cache file: stats runs, computing what the cache would have held', T, async () => {
    const cacheDir = join(dir, 'xdg');
    const cache = new StatsCache(join(cacheDir, 'weightprint'));
    mkdirSync(cache.dir, { recursive: true });
    fifo(cache.fileFor(await openCheckpoint(good)));
    const run = await runCli(['stats', good, '--json'], { env: { XDG_CACHE_HOME: cacheDir } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).tensors.length, 3);
  });

  test('a FIFO as the catalogue (WEIGHTPRINT_CATALOGUE): audit --notes writes its notes without the architecture section', T, async () => {
    const catalogue = fifo(join(dir, 'catalogue.json'));
    const notes = join(dir, 'catalogue-notes.md');
    const run = await runCli(['audit', good, '--notes', notes], { env: { WEIGHTPRINT_CATALOGUE: catalogue, WEIGHTPRINT_LANG: 'en' } });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(readFileSync(notes, 'utf8').length > 0);
  });
});

describe('/dev/zero linked in, and files over their limit, are refused before they are read', () => {
  let dir: string;
  before(() => { dir = tempDir(); });

  test('/dev/zero as the checkpoint, as config.json and as the index: exit 2, memory stays low', T, async () => {
    const zero = join(dir, 'zero.safetensors');
    symlinkSync('/dev/zero', zero);
    const a = await runCli(['inspect', zero]);
    refused(a, zero, /device/);

    const cfgFolder = join(dir, 'cfg-zero');
    mkdirSync(cfgFolder);
    await smallCheckpoint(join(cfgFolder, 'model.safetensors'));
    symlinkSync('/dev/zero', join(cfgFolder, 'config.json'));
    const b = await runCli(['inspect', cfgFolder]);
    refused(b, join(cfgFolder, 'config.json'), /device/);

    const indexFolder = join(dir, 'index-zero');
    mkdirSync(indexFolder);
    symlinkSync('/dev/zero', join(indexFolder, 'model.safetensors.index.json'));
    const c = await runCli(['inspect', indexFolder]);
    refused(c, join(indexFolder, 'model.safetensors.index.json'), /device/);
    for (const run of [a, b, c]) assert.ok(run.maxRss < 150e6, `peak memory ${run.maxRss}`);
  });

  test('/dev/zero as a library .wpf: a one-line warning, the audit goes on', T, async () => {
    const library = join(dir, 'lib-zero');
    mkdirSync(library);
    symlinkSync('/dev/zero', join(library, 'zero.wpf'));
    const checkpoint = await smallCheckpoint(join(dir, 'm.safetensors'));
    const run = await runCli(['audit', checkpoint, '--library', library]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /zero\.wpf.*device/);
    assert.ok(run.maxRss < 150e6, `peak memory ${run.maxRss}`);
  });

  test('an index over its byte limit is refused naming the limit, without reading it', T, async () => {
    const folder = join(dir, 'big-index');
    mkdirSync(folder);
    const index = join(folder, 'model.safetensors.index.json');
    writeFileSync(index, shardedIndex());
    truncateSync(index, 300 * 1024 * 1024); // sparse: costs no disk, but reading it would cost 300 MB
    const run = await runCli(['inspect', folder]);
    refused(run, index, new RegExp(`limit of ${MAX_INDEX_BYTES} bytes`));
    assert.ok(run.maxRss < 150e6, `peak memory ${run.maxRss}`);
  });

  test('a folder where config.json or a shard should be: exit 2, "is a folder"', T, async () => {
    const folder = join(dir, 'cfg-folder');
    mkdirSync(join(folder, 'config.json'), { recursive: true });
    await smallCheckpoint(join(folder, 'model.safetensors'));
    refused(await runCli(['inspect', folder]), join(folder, 'config.json'), /folder/);
    const sharded = join(dir, 'shard-folder');
    mkdirSync(join(sharded, 'a.safetensors'), { recursive: true });
    mkdirSync(join(sharded, 'b.safetensors'));
    writeFileSync(join(sharded, 'model.safetensors.index.json'), shardedIndex());
    refused(await runCli(['inspect', sharded]), join(sharded, 'a.safetensors'), /folder/);
  });
});
