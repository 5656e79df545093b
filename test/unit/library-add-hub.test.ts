// `weightprint library add` against loopback servers: the fault server (test/unit/helpers/remoteFaults.ts) for
// resuming, failures, clashes and tokens, and Debian's nginx (test/remote/nginx.ts) serving corpus models, whose
// library files must equal what `weightprint fingerprint hf://…` writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { ensureNginx, startNginx, FAKE_COMMIT, type NginxServer } from '../remote/nginx';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { startFaultServer, type FaultServer } from './helpers/remoteFaults';
import { corpusHubTree } from './helpers/remoteGen';

before(() => ensureFixtureCorpus());

const TOKEN = `hf_libaddTEST${Math.random().toString(36).slice(2)}SECRET`;
const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_ENDPOINT'];
const saved = new Map(PROXY_VARS.map((k) => [k, process.env[k]]));
before(() => { for (const k of PROXY_VARS) delete process.env[k]; });
after(() => { for (const [k, v] of saved) { if (v === undefined) delete process.env[k]; else process.env[k] = v; } });

const outputs: string[] = [];
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runIn(false, ...argv);
}

async function runIn(isTTY: boolean, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), isTTY });
  outputs.push(out.join(''), err.join(''));
  return { code, out: out.join(''), err: err.join('') };
}

/** A .wpf's JSON without the two times that differ between two fetches (model.createdAt, model.origin.fetchedAt). */
function timeless(file: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  delete doc.model.createdAt;
  delete doc.model.origin.fetchedAt;
  return JSON.stringify(doc);
}

describe('library add against the fault server', () => {
  let server: FaultServer;
  let work: string;
  before(async () => {
    server = await startFaultServer({ file: readFileSync(join(CORPUS, 'lm/lm_A.safetensors')), token: TOKEN });
    work = mkdtempSync(join(tmpdir(), 'wp-libadd-'));
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
    for (const text of outputs) assert.ok(!text.includes(TOKEN), 'the token appeared in an output');
  });

  test('two models from a list into an empty folder; a second run skips both and sends no request', async () => {
    const lib = join(work, 'lib');
    const listFile = join(work, 'models.txt');
    writeFileSync(listFile, '# two references\nok/alpha\n\nhf://ok/beta@main   # pinned later\n');
    const first = await run('library', 'add', '--from', listFile, '--library', lib, '--endpoint', server.endpoint);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.err, '');
    assert.match(first.out, /^added ok\/alpha \(\d+ tensors, fetched .* of .*, \d+ requests, .*commit fedcba987654\)$/m);
    assert.match(first.out, /^added ok\/beta \(/m);
    assert.match(first.out, /^2 added, 0 skipped, 0 failed; [\d.]+ [KM]?B fetched in total$/m);
    assert.deepEqual(readdirSync(lib).sort(), ['ok_alpha.wpf', 'ok_beta.wpf']);

    // Each file equals what `weightprint fingerprint hf://…` writes (but for the times of the fetch).
    for (const repo of ['ok/alpha', 'ok/beta']) {
      const single = join(work, `${repo.replace('/', '_')}-single.wpf`);
      const r = await run('fingerprint', `hf://${repo}`, '--out', single, '--endpoint', server.endpoint);
      assert.equal(r.code, 0, r.err);
      assert.equal(timeless(join(lib, `${repo.replace('/', '_')}.wpf`)), timeless(single), repo);
    }

    server.log.length = 0;
    const second = await run('library', 'add', '--from', listFile, 'hf://ok/alpha', '--library', lib, '--endpoint', server.endpoint);
    assert.equal(second.code, 0, second.err);
    // One line per model as it finishes (in any order), then the summary.
    const lines = second.out.trim().split('\n');
    assert.deepEqual(lines.slice(0, 2).sort(), ['skipped ok/alpha: already in the library', 'skipped ok/beta: already in the library']);
    assert.equal(lines[2], '0 added, 2 skipped, 0 failed; 0 B fetched in total');
    assert.deepEqual(server.log, [], 'nothing fetched for models already in the library');
  });

  test('a missing repo among good ones: the good ones are added, exit 2, one line naming it', async () => {
    const lib = join(work, 'lib404');
    const r = await run('library', 'add', 'hf://ok/one', 'missing/nothing', 'ok/two', '--library', lib, '--endpoint', server.endpoint, '--parallel', '3');
    assert.equal(r.code, 2);
    assert.equal(r.err, 'failed hf://missing/nothing: repository missing/nothing not found on ' + server.endpoint + ' (a private repo also needs HF_TOKEN). Server says: Repository not found\n');
    assert.match(r.out, /^2 added, 0 skipped, 1 failed; /m);
    assert.deepEqual(readdirSync(lib).sort(), ['ok_one.wpf', 'ok_two.wpf']);
    // Resuming after the failure adds nothing twice.
    const again = await run('library', 'add', 'hf://ok/one', 'ok/two', '--library', lib, '--endpoint', server.endpoint);
    assert.equal(again.code, 0);
    assert.match(again.out, /0 added, 2 skipped, 0 failed/);
  });

  test('an id clash with a different existing file: not overwritten, that model fails, the others go on', async () => {
    const lib = join(work, 'libclash');
    const first = await run('library', 'add', 'ok/gamma', '--library', lib, '--endpoint', server.endpoint);
    assert.equal(first.code, 0, first.err);
    // ok/delta's file name holds ok/gamma's fingerprint; ok/gamma@v2 has ok/gamma's id but another revision.
    copyFileSync(join(lib, 'ok_gamma.wpf'), join(lib, 'ok_delta.wpf'));
    const before = { gamma: readFileSync(join(lib, 'ok_gamma.wpf')), delta: readFileSync(join(lib, 'ok_delta.wpf')) };
    const r = await run('library', 'add', 'ok/delta', 'ok/gamma@v2', 'ok/epsilon', '--library', lib, '--endpoint', server.endpoint);
    assert.equal(r.code, 2);
    const lines = r.err.trim().split('\n').sort();
    assert.equal(lines.length, 2, r.err);
    assert.match(lines[0], /^failed hf:\/\/ok\/delta: id clash: .*ok_delta\.wpf holds "ok\/gamma" from hf:\/\/ok\/gamma@fedcba9876543210fedcba9876543210fedcba98, another model; it is not replaced$/);
    assert.match(lines[1], /^failed hf:\/\/ok\/gamma@v2: id clash: .*ok_gamma\.wpf holds "ok\/gamma"/);
    assert.match(r.out, /^added ok\/epsilon /m);
    assert.deepEqual(readFileSync(join(lib, 'ok_gamma.wpf')), before.gamma);
    assert.deepEqual(readFileSync(join(lib, 'ok_delta.wpf')), before.delta);
    assert.ok(!readdirSync(lib).some((n) => n.endsWith('.tmp')), 'no temp file left');
  });

  test('on a terminal: one progress line on stderr, cleared before each finished line and at the end; --quiet has none', async () => {
    const lib = join(work, 'libtty');
    const r = await runIn(true, 'library', 'add', 'ok/eta', 'ok/theta', '--library', lib, '--endpoint', server.endpoint, '--parallel', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^\r\x1b\[K0 done · ok\/eta/);
    assert.match(r.err, /1 done · ok\/theta/);
    assert.ok(r.err.endsWith('\r\x1b[K'), JSON.stringify(r.err.slice(-40)));
    assert.match(r.out, /^added ok\/eta .*\nadded ok\/theta .*\n2 added, 0 skipped, 0 failed;/);
    const quiet = await runIn(true, 'library', 'add', 'ok/iota', '--library', lib, '--endpoint', server.endpoint, '--quiet');
    assert.equal(quiet.err, '');
  });

  test('the token comes from HF_TOKEN only; library list shows each reference with its origin', async () => {
    const lib = join(work, 'libtoken');
    const denied = await run('library', 'add', 'private/lm', '--library', lib, '--endpoint', server.endpoint);
    assert.equal(denied.code, 2);
    assert.match(denied.err, /^failed hf:\/\/private\/lm: private\/lm@main: HTTP 401/);
    process.env.HF_TOKEN = TOKEN;
    try {
      const r = await run('library', 'add', 'private/lm', 'ok/zeta', '--library', lib, '--endpoint', server.endpoint, '--no-hash', '--quiet');
      assert.equal(r.code, 0, r.err);
    } finally {
      delete process.env.HF_TOKEN;
    }
    assert.ok(!readFileSync(join(lib, 'private_lm.wpf'), 'utf8').includes(TOKEN));
    assert.ok(server.log.some((l) => l.path.startsWith('/private/') && l.auth === `Bearer ${TOKEN}`));
    const listed = await run('library', 'list', lib);
    assert.equal(listed.code, 0, listed.err);
    const rows = listed.out.trim().split('\n');
    assert.match(rows[0], /^id\s+source\s+tensors\s+parameters\s+components$/);
    // In the order of the file names: ok_zeta.wpf, private_lm.wpf.
    assert.match(rows[1], /^ok\/zeta\s+ok\/zeta@fedcba987654\s+39\s+[\d.]+[KM]?\s+language 39$/);
    assert.match(rows[2], /^private\/lm\s+private\/lm@fedcba987654\s/);
    assert.equal(rows[3], '2 references');
    const missing = await run('library', 'list', join(work, 'no-such-folder'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot list the folder \(ENOENT\)/);
  });
});

const found = ensureNginx();
const SKIP = 'skip' in found ? found.skip : false;
if ('skip' in found) console.log(`# SKIPPED nginx tests: ${found.skip}`);

describe('library add against nginx (corpus models)', { skip: SKIP }, () => {
  let nginx: NginxServer;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'wp-libadd-hub-'));
    corpusHubTree(root, CORPUS);
    nginx = await startNginx((found as { bin: string }).bin, root);
  });
  after(async () => {
    await nginx?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('a sharded and a single-file model from a list equal `fingerprint hf://` of each; a rerun fetches nothing', async () => {
    const lib = join(root, 'lib');
    const listFile = join(root, 'models.txt');
    const models = [['hf://corpus/ref_vl', 'corpus_ref_vl.wpf'], ['hf://corpus/vit_R/vit_R.safetensors', 'corpus_vit_R.wpf']];
    writeFileSync(listFile, models.map(([uri]) => uri).join('\n') + '\n');
    const r = await run('library', 'add', '--from', listFile, '--library', lib, '--endpoint', nginx.endpoint);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(lib).sort(), models.map(([, file]) => file).sort());
    for (const [uri, file] of models) {
      const single = join(root, `single-${file}`);
      const one = await run('fingerprint', uri, '--out', single, '--endpoint', nginx.endpoint);
      assert.equal(one.code, 0, one.err);
      assert.equal(timeless(join(lib, file)), timeless(single), uri);
      assert.equal(JSON.parse(readFileSync(join(lib, file), 'utf8')).model.origin.commit, FAKE_COMMIT);
    }
    const before = nginx.accessLog().length;
    const again = await run('library', 'add', '--from', listFile, '--library', lib, '--endpoint', nginx.endpoint);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /0 added, 2 skipped, 0 failed; 0 B fetched in total/);
    assert.equal(nginx.accessLog().length, before, 'no request on the rerun');
  });
});
