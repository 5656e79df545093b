// Building a library from the Hub, the parts without a server: list files as hostile input (size, NUL, UTF-8, bad
// URIs, too many lines) with one-line errors naming file and line, the CLI's handling of them, the no-replace writer,
// and the add loop with a fake fingerprinter (models in flight, one id at a time, cancellation, clashes).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { FingerprintExistsError, writeNewFingerprint } from '../../src/core/fingerprint/writeNew';
import {
  addModelsToLibrary, MAX_MODEL_LIST_BYTES, MAX_MODEL_LIST_ENTRIES, ModelListError, parseModelEntry, parseModelList, readModelList,
  RemoteError, splitModelEntries, type HubRef, type RemoteFingerprinter,
} from '../../src/core/remote';
import { runCli } from '../../src/cli/main';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';

before(() => ensureFixtureCorpus());

const list = (text: string | Buffer, file = 'models.txt'): HubRef[] => parseModelList(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, file);
const listError = (text: string | Buffer, re: RegExp): void => {
  assert.throws(() => list(text), (e: ModelListError) => {
    assert.ok(e instanceof ModelListError, String(e));
    assert.match(e.message, re);
    assert.ok(!e.message.includes('\n'), `one line: ${JSON.stringify(e.message)}`);
    return true;
  });
};

test('list files: one model per line, hf:// or owner/repo[@rev], comments and blank lines ignored, each model once', () => {
  const refs = list('\ufeff# reference models\r\nhf://Qwen/Qwen2.5-0.5B\n\n  Qwen/Qwen2.5-0.5B   # the same again\r\norg/m@v1.0\nhf://org/m@refs/pr/3/text_encoder\n   \n#hf://not/read\n');
  assert.deepEqual(refs, [
    { repo: 'Qwen/Qwen2.5-0.5B', revision: 'main', path: '' },
    { repo: 'org/m', revision: 'v1.0', path: '' },
    { repo: 'org/m', revision: 'refs/pr/3', path: 'text_encoder' },
  ]);
  assert.deepEqual(parseModelEntry('a/b@feat%2Fx/sub'), { repo: 'a/b', revision: 'feat/x', path: 'sub' });
  assert.deepEqual(splitModelEntries(' a/b, hf://c/d\ne/f@v2 ,,'), ['a/b', 'hf://c/d', 'e/f@v2']);
  assert.throws(() => parseModelEntry('hf://a/b@main\u2066x'), (e: RemoteError) => e.code === 'bad-uri' && /invisible or control character/.test(e.message));
  assert.throws(() => parseModelEntry('https://huggingface.co/a/b'), (e: RemoteError) => e.code === 'bad-uri' && /not an hf:\/\/ URI or a repo id/.test(e.message));
});

test('hostile list files: too big, NUL bytes, not UTF-8, bad URIs, 10,000 lines: one-line errors naming file and line', () => {
  listError(Buffer.alloc(MAX_MODEL_LIST_BYTES + 1, 0x61), /^models\.txt: is 1048577 bytes, over the limit of 1048576 bytes$/);
  listError(Buffer.from('a/b\nc/d\ne/\0f\n'), /^models\.txt:3: holds a NUL byte/);
  listError(Buffer.from([0x61, 0x2f, 0x62, 0x0a, 0xff, 0xfe, 0x0a]), /^models\.txt: is not UTF-8 text$/);
  listError('a/b\nhttps://huggingface.co/x/y\n', /^models\.txt:2: "https:\/\/huggingface\.co\/x\/y" is not an hf:\/\/ URI or a repo id/);
  listError('a/b\n\n\nhf://a/b/../../etc\n', /^models\.txt:4: path .* must stay inside the repo/);
  listError('a/b c/d\n', /^models\.txt:1: one model per line/);
  listError('a/b@main\u202e\n', /^models\.txt:1: .* holds an invisible or control character/);
  listError('a/\u001b[31mb\n', /^models\.txt:1: .* holds an invisible or control character/);
  listError('# nothing\n\n', /^models\.txt: names no model/);
  listError(`a/${'b'.repeat(3000)}\n`, /^models\.txt:1: line is 3002 characters long, over the limit of 2048/);
  const many = Array.from({ length: 10_000 }, (_, i) => `org/model-${i}`).join('\n');
  listError(many, new RegExp(`^models\\.txt:${MAX_MODEL_LIST_ENTRIES + 1}: more than ${MAX_MODEL_LIST_ENTRIES} models; split the list$`));
  // 10,000 lines of comments and blanks are fine as long as the models are few.
  assert.equal(list(`${'# x\n\n'.repeat(5000)}a/b\n`).length, 1);
  const junk = Array.from({ length: 10_000 }, () => '!!! not a model').join('\n');
  listError(junk, /^models\.txt:1: one model per line/);
});

test('list files that are not regular files, or missing, are refused before reading', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-list-'));
  try {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await assert.rejects(readModelList(join(dir, 'fifo')), (e: ModelListError) => /fifo: is a named pipe/.test(e.message));
    await assert.rejects(readModelList(dir), (e: ModelListError) => /is a folder/.test(e.message));
    await assert.rejects(readModelList(join(dir, 'none.txt')), (e: ModelListError) => /none\.txt: cannot read the list \(ENOENT\)/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the CLI with bad lists and arguments (nothing fetched)', () => {
  let dir: string;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false });
    return { code, out: out.join(''), err: err.join('') };
  };
  before(() => { dir = mkdtempSync(join(tmpdir(), 'wp-list-cli-')); });

  test('a bad list is exit 1 with one line on stderr naming the file and the line, control characters escaped', async () => {
    const file = join(dir, 'list.txt');
    writeFileSync(file, 'org/a\n# ok\nhf://org/\u001b[31mred\n');
    const r = await run('library', 'add', '--from', file, '--library', join(dir, 'lib'), '--endpoint', 'http://127.0.0.1:9');
    assert.equal(r.code, 1);
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
    assert.ok(r.err.startsWith(`weightprint library add: ${file}:3: `), r.err);
    assert.ok(!r.err.includes('\u001b'), 'the escape character is printed escaped');
    assert.match(r.err, /\\u001b/);
    assert.deepEqual(readdirSync(dir).filter((n) => n === 'lib'), [], 'no library folder made for a refused list');
    writeFileSync(file, Buffer.alloc(MAX_MODEL_LIST_BYTES + 10, 0x20));
    const big = await run('library', 'add', '--from', file, '--library', join(dir, 'lib'));
    assert.equal(big.code, 1);
    assert.match(big.err, /over the limit of 1048576 bytes\n$/);
    const bad = await run('library', 'add', 'hf://a b/c', '--library', join(dir, 'lib'));
    assert.equal(bad.code, 1);
    assert.equal(bad.err.split('\n').filter(Boolean).length, 1, bad.err);
  });

  test('usage: --library is required, --parallel 1–16, a sub-command is needed', async () => {
    assert.equal((await run('library', 'add', 'a/b')).code, 1);
    assert.match((await run('library', 'add', 'a/b', '--library', dir, '--parallel', '17')).err, /--parallel takes an integer from 1 to 16/);
    assert.match((await run('library')).err, /library takes a sub-command: add, list/);
    assert.match((await run('library', 'frobnicate')).err, /unknown library sub-command "frobnicate"/);
    assert.match((await run('library', 'add', '--library', dir)).err, /at least one hf:\/\/owner\/repo/);
    const help = await run('library', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /weightprint library add <hf:\/\/owner\/repo.*\n {2}weightprint library list <dir>\.\.\./);
  });
});

describe('the add loop with a fake fingerprinter', () => {
  let base: Fingerprint;
  before(async () => { base = await fingerprintPath(join(CORPUS, 'lm/lm_A.safetensors'), { id: 'x', createdAt: '2025-01-01T00:00:00.000Z' }); });

  /** A fingerprinter that takes `ms`, counts models in flight and fails for repos owned by "bad". */
  function fake(ms = 20) {
    const state = { inFlight: 0, most: 0, calls: [] as string[] };
    const fn: RemoteFingerprinter = async (ref, o) => {
      state.calls.push(ref.repo);
      state.inFlight++;
      state.most = Math.max(state.most, state.inFlight);
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          o.signal.addEventListener('abort', () => { clearTimeout(timer); reject(Object.assign(new Error('cancelled'), { name: 'AbortError' })); }, { once: true });
        });
        o.onProgress({ phase: 'done', bytesFetched: 1000, bytesPlanned: 1000, requests: 1, retries: 0, tensorsDone: 1, tensorsTotal: 1, modelBytes: 5000 });
        if (ref.repo.startsWith('bad/')) throw new RemoteError('repo-not-found', `repository ${ref.repo} not found`);
        const origin = { type: 'huggingface' as const, endpoint: 'http://x', repo: ref.repo, revision: ref.revision, commit: null, path: ref.path, files: [], fetchedAt: 'now' };
        const fingerprint = { ...base, model: { ...base.model, id: o.id, source: `hf://${ref.repo}`, origin } };
        return { fingerprint, summary: { source: '', endpoint: '', repo: ref.repo, revision: ref.revision, commit: null, files: 1, tensors: 1, modelBytes: 5000, bytesFetched: 1000, bytesPlanned: 0, bytesWanted: 0, requests: 1, retries: 0, seconds: 0 } };
      } finally {
        state.inFlight--;
      }
    };
    return { fn, state };
  }

  test('models in flight stay at --parallel; failures do not stop the others; a second run skips all and fetches nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-loop-'));
    const refs = ['o/a', 'o/b', 'bad/c', 'o/d', 'o/e', 'o/a'].map(parseModelEntry);
    // 150 ms a model: long enough for three to overlap on a loaded machine.
    const { fn, state } = fake(150);
    const r = await addModelsToLibrary(refs, { folder: dir, parallel: 3, fingerprint: fn });
    assert.equal(state.most, 3);
    assert.deepEqual([r.added, r.skipped, r.failed, r.notDone, r.cancelled], [4, 0, 1, 0, false]);
    assert.equal(r.bytesFetched, 5000);
    assert.deepEqual(r.outcomes.map((o) => o.target.id), ['o/a', 'o/b', 'bad/c', 'o/d', 'o/e'], 'listed order; o/a listed twice counts once');
    assert.deepEqual(readdirSync(dir).sort(), ['o_a.wpf', 'o_b.wpf', 'o_d.wpf', 'o_e.wpf']);
    const again = fake();
    const r2 = await addModelsToLibrary(refs, { folder: dir, parallel: 3, fingerprint: again.fn });
    assert.deepEqual([r2.added, r2.skipped, r2.failed], [0, 4, 1]);
    assert.deepEqual(again.state.calls, ['bad/c'], 'only the missing model is fetched again');
    rmSync(dir, { recursive: true, force: true });
  });

  test('one id, two revisions: the second waits for the first and is refused as a clash, the file is not replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-loop-'));
    const { fn, state } = fake();
    const r = await addModelsToLibrary(['o/a', 'o/a@v2'].map(parseModelEntry), { folder: dir, parallel: 2, fingerprint: fn });
    assert.equal(state.most, 1, 'the two models of one id did not run at once');
    assert.deepEqual(r.outcomes.map((o) => o.kind), ['added', 'failed']);
    const failed = r.outcomes[1];
    assert.ok(failed.kind === 'failed' && /id clash: .*o_a\.wpf holds "o\/a" from hf:\/\/o\/a, another model; it is not replaced/.test(failed.reason), JSON.stringify(failed));
    assert.equal(JSON.parse(readFileSync(join(dir, 'o_a.wpf'), 'utf8')).model.origin.revision, 'main');
    // A file that is not a fingerprint is not replaced either.
    writeFileSync(join(dir, 'o_b.wpf'), 'not a fingerprint');
    const r2 = await addModelsToLibrary([parseModelEntry('o/b')], { folder: dir, fingerprint: fn });
    assert.ok(r2.outcomes[0].kind === 'failed' && /o_b\.wpf exists and is not a fingerprint Weightprint can read/.test(r2.outcomes[0].reason));
    assert.equal(readFileSync(join(dir, 'o_b.wpf'), 'utf8'), 'not a fingerprint');
    rmSync(dir, { recursive: true, force: true });
  });

  test('cancelling: models in flight are abandoned with nothing written, no further model starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-loop-'));
    const { fn, state } = fake(200);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await addModelsToLibrary(['o/a', 'o/b', 'o/c', 'o/d'].map(parseModelEntry), { folder: dir, parallel: 2, fingerprint: fn, signal: ac.signal });
    assert.deepEqual([r.cancelled, r.notDone, r.added], [true, 4, 0]);
    assert.deepEqual([...state.calls].sort(), ['o/a', 'o/b'], 'the first two started (in either order), no further one');
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the writer never replaces a file, and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-write-'));
    const file = join(dir, 'm.wpf');
    await writeNewFingerprint(file, base);
    const first = readFileSync(file);
    await assert.rejects(writeNewFingerprint(file, { ...base, model: { ...base.model, id: 'other' } }), FingerprintExistsError);
    assert.deepEqual(readFileSync(file), first);
    mkdirSync(join(dir, 'sub'));
    assert.deepEqual(readdirSync(dir).sort(), ['m.wpf', 'sub']);
    rmSync(dir, { recursive: true, force: true });
  });
});
