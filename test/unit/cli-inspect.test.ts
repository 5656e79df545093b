import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';

before(() => ensureFixtureCorpus());

const exec = promisify(execFile);
const CLI = join(process.cwd(), 'dist', 'cli.js');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('weightprint inspect', () => {
  test('--json agrees with the corpus manifest on tensor and parameter counts for every model', async () => {
    const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { models: { id: string; files: string[]; n_tensors: number; n_params: number }[] };
    assert.ok(manifest.models.length >= 11);
    for (const m of manifest.models) {
      const target = m.files.length > 1 ? join(CORPUS, dirname(m.files[0])) : join(CORPUS, m.files[0]);
      const { code, stdout, stderr } = await cli('inspect', target, '--json');
      assert.equal(code, 0, stderr);
      const out = JSON.parse(stdout);
      assert.equal(out.checkpoint.tensors, m.n_tensors, m.id);
      assert.equal(out.checkpoint.parameters, m.n_params, m.id);
      assert.equal(out.tensors.length, m.n_tensors);
      assert.equal(out.checkpoint.files.length, m.files.filter((f) => f.endsWith('.safetensors')).length);
      for (const t of out.tensors) assert.deepEqual(Object.keys(t).slice(0, 6), ['name', 'dtype', 'quantisation', 'shape', 'file', 'offsets']);
    }
  });

  test('the sharded ref_vl shows both shards and the language/vision/projector split', async () => {
    const { stdout } = await cli('inspect', join(CORPUS, 'vl/ref_vl/model.safetensors.index.json'), '--json');
    const out = JSON.parse(stdout);
    assert.deepEqual(out.checkpoint.files.map((f: { name: string }) => f.name), ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    assert.deepEqual(out.checkpoint.components.map((c: { name: string; tensors: number }) => [c.name, c.tensors]), [['language', 39], ['vision', 49], ['projector', 5]]);
  });

  test('hostile files exit 2 with a one-line reason on stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp-cli-'));
    const bad: [string, Buffer][] = [
      ['truncated.safetensors', Buffer.from([1, 0, 0])],
      ['beyond.safetensors', Buffer.concat([Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]), Buffer.from('{}')])],
      ['json.safetensors', Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a"')])],
    ];
    for (const [name, bytes] of bad) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const { code, stdout, stderr } = await cli('inspect', path);
      assert.equal(code, 2, name);
      assert.equal(stdout, '');
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.ok(stderr.includes(path), 'names the file');
    }
  });

  test('usage errors exit 1', async () => {
    assert.equal((await cli('inspect')).code, 1);
    assert.equal((await cli('inspect', 'a', '--bogus')).code, 1);
    assert.equal((await cli('frobnicate')).code, 1);
    assert.equal((await cli()).code, 1);
  });

  test('untrusted names are escaped in terminal output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp-cli-'));
    const path = join(dir, 'meta.safetensors');
    const header = Buffer.from(JSON.stringify({ __metadata__: { 'k\u001b[2J': 'v\u202e' } }) + '  ');
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    await writeFile(path, Buffer.concat([prefix, header]));
    const { code, stdout } = await cli('inspect', path);
    assert.equal(code, 0);
    assert.ok(!stdout.includes('\u001b') && !stdout.includes('\u202e'));
    assert.match(stdout, /k\\u001b\[2J=v\\u202e/);
  });

  test('fingerprint creates the output folder, and an unwritable output is a one-line error with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp-cli-'));
    const out = join(dir, 'new', 'folder', 'lm_A.wpf');
    const ok = await cli('fingerprint', join(CORPUS, 'lm/lm_A.safetensors'), '--out', out, '--id', 'lm_A');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).model.id, 'lm_A');
    const bad = await cli('fingerprint', join(CORPUS, 'lm/lm_A.safetensors'), '--out', join(out, 'under-a-file.wpf'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /cannot write the fingerprint \((ENOTDIR|EEXIST)\)/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });

  test('fingerprint --gram-columns adds the o/down column sketches; over hf:// it is a usage error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp-cli-'));
    const sketches = async (...flags: string[]) => {
      const out = join(dir, `${flags.length}.wpf`);
      const r = await cli('fingerprint', join(CORPUS, 'lm/lm_A.safetensors'), '--out', out, ...flags);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(readFileSync(out, 'utf8'));
      return (doc.tensors as { name: string; gramCols?: string | null }[]).filter((x) => x.gramCols).map((x) => x.name);
    };
    assert.deepEqual(await sketches(), []);
    const cols = await sketches('--gram-columns');
    assert.ok(cols.length > 0 && cols.every((n) => /o_proj|down_proj/.test(n)), cols.join(', '));
    const remote = await cli('fingerprint', 'hf://owner/repo', '--out', join(dir, 'r.wpf'), '--gram-columns');
    assert.equal(remote.code, 1);
    assert.match(remote.stderr, /--gram-columns applies to local checkpoints only/);
  });
});

describe('weightprint --help', () => {
  test('--help and -h print the usage and exit 0, for the CLI and for every command, without running it', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await cli(...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      for (const command of ['inspect', 'stats', 'fingerprint', 'audit', 'compare']) assert.match(r.stdout, new RegExp(`weightprint ${command} `));
    }
    for (const command of ['inspect', 'stats', 'fingerprint', 'audit', 'compare']) {
      for (const flag of ['--help', '-h']) {
        // A missing checkpoint too: help is answered before anything is opened.
        const r = await cli(command, '/nonexistent/x.safetensors', flag);
        assert.equal(r.code, 0, `${command} ${flag}: ${r.stderr}`);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`^usage: weightprint ${command} `));
      }
    }
  });
});
