// Remote fingerprints against Debian's nginx on 127.0.0.1 serving the corpus under the Hub's URL layout:
// remote == local byte for byte (except model.source and model.origin; both without column Gram sketches, which remote
// fingerprints leave out), bytes fetched, commit pinning, CLI, tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { serializeFingerprint } from '../../src/core/fingerprint/io';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { fingerprintRemote, REMOTE_DEFAULT_HASH_MAX_BYTES, RemoteError, type RemoteProgress } from '../../src/core/remote';
// Not src/cli/main: bundled into a test, its `require.main === module` entry point would run.
import { fingerprintCommand } from '../../src/cli/commands/fingerprint';
import { UsageError } from '../../src/cli/args';

async function runCli(argv: string[], io: { out(t: string): void; err(t: string): void; isTTY: boolean }): Promise<number> {
  try {
    return await fingerprintCommand(argv.slice(1), io);
  } catch (e) {
    if (e instanceof UsageError) return 1;
    throw e;
  }
}
import { ensureNginx, startNginx, FAKE_COMMIT, type NginxServer } from '../remote/nginx';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { corpusHubTree, decoderTensors, writeSparseSharded } from './helpers/remoteGen';

before(() => ensureFixtureCorpus());

const found = ensureNginx();
const SKIP = 'skip' in found ? found.skip : false;
if ('skip' in found) console.log(`# SKIPPED nginx tests: ${found.skip}`);
const CREATED = '2025-01-01T00:00:00.000Z';
const TOKEN = `hf_nginxTEST${Math.random().toString(36).slice(2)}SECRET`;

/** The serialised fingerprint without the fields that legitimately differ (docs/remote.md): model.source, model.origin. */
function comparable(fp: Fingerprint): string {
  const doc = JSON.parse(serializeFingerprint(fp));
  delete doc.model.source;
  delete doc.model.origin;
  return JSON.stringify(doc);
}

/** Equal strings, or a failure showing only where they first differ. */
function sameText(a: string, b: string, what: string): void {
  if (a === b) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  assert.fail(`${what}: differs at character ${i} of ${a.length}/${b.length}: ${JSON.stringify(a.slice(Math.max(0, i - 80), i + 80))} vs ${JSON.stringify(b.slice(Math.max(0, i - 80), i + 80))}`);
}

describe('remote fingerprints over nginx', { skip: SKIP }, () => {
  let nginx: NginxServer;
  let root: string;
  let models: Array<{ repo: string; local: string }> = [];
  const options = () => ({ endpoint: nginx.endpoint, token: null, proxy: null, createdAt: CREATED });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'wp-hub-'));
    models = corpusHubTree(root, CORPUS);
    // A Qwen2.5-0.5B-shaped checkpoint (real shapes, zero data, sparse): 0.99 GB in 2 shards.
    writeSparseSharded(join(root, 'gen', 'qwen-like'), decoderTensors({ hidden: 896, intermediate: 4864, layers: 24, heads: 14, kvHeads: 2, vocab: 151936, bias: true, tied: true }), 600e6);
    nginx = await startNginx((found as { bin: string }).bin, root);
  });
  after(async () => {
    await nginx?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('every corpus model: remote fingerprint == local fingerprint, byte for byte (default hash limit and 4 MiB)', async () => {
    assert.ok(models.length >= 11);
    const rows: string[] = [];
    for (const { repo, local } of models) {
      for (const hashMaxBytes of [REMOTE_DEFAULT_HASH_MAX_BYTES, 4 << 20]) {
        const { fingerprint, summary } = await fingerprintRemote(`hf://${repo}`, { ...options(), id: repo, hashMaxBytes });
        const localFp = await fingerprintPath(local, { id: repo, createdAt: CREATED, hashMaxBytes, gramColumns: false, gramRows: false });
        sameText(comparable(fingerprint), comparable(localFp), `${repo} (hash limit ${hashMaxBytes})`);
        assert.equal(fingerprint.model.source, `hf://${repo.split('/').slice(0, 2).join('/')}@${FAKE_COMMIT}${repo.split('/').length > 2 ? '/' + repo.split('/').slice(2).join('/') : ''}`);
        assert.equal(fingerprint.model.origin?.commit, FAKE_COMMIT);
        assert.equal(fingerprint.model.origin?.revision, 'main');
        assert.equal(fingerprint.model.origin?.endpoint, nginx.endpoint);
        if (hashMaxBytes === REMOTE_DEFAULT_HASH_MAX_BYTES) rows.push(`${repo}: ${summary.bytesFetched} of ${summary.modelBytes} bytes (${(100 * summary.bytesFetched / summary.modelBytes).toFixed(1)} %), ${summary.requests} requests`);
      }
    }
    console.log(rows.map((r) => `# ${r}`).join('\n'));
  });

  test('files after the first are read at the commit the server named (X-Repo-Commit), not the moving branch', async () => {
    const before = nginx.accessLog().length;
    await fingerprintRemote('hf://corpus/ref_vl@main', options());
    const lines = nginx.accessLog().slice(before);
    assert.ok(lines[0].includes('/resolve/main/model.safetensors.index.json'), lines[0]);
    assert.ok(lines.slice(1).every((l) => l.includes(`/resolve/${FAKE_COMMIT}/`)), lines.slice(1, 4).join('\n'));
    assert.ok(lines.filter((l) => l.startsWith('206')).length > 0);
    assert.ok(!lines.some((l) => l.startsWith('200 "bytes')), 'no whole-file answers');
  });

  test('a Qwen2.5-0.5B-shaped 1 GB sharded checkpoint: < 2 % of the bytes fetched, progress and summary', async () => {
    const progress: RemoteProgress[] = [];
    const { fingerprint, summary } = await fingerprintRemote('hf://gen/qwen-like', { ...options(), onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    assert.equal(summary.files, 2);
    assert.ok(summary.modelBytes > 0.9e9);
    const share = summary.bytesFetched / summary.modelBytes;
    console.log(`# qwen-like: ${summary.bytesFetched} of ${summary.modelBytes} bytes (${(100 * share).toFixed(3)} %; wanted ${summary.bytesWanted}, planned ${summary.bytesPlanned}), ${summary.requests} requests, ${summary.seconds.toFixed(2)} s`);
    assert.ok(share < 0.02, `fetched ${(100 * share).toFixed(2)} %`);
    assert.equal(fingerprint.tensors.length, summary.tensors);
    const last = progress[progress.length - 1];
    assert.equal(last.phase, 'done');
    assert.equal(last.tensorsDone, last.tensorsTotal);
    assert.ok(progress.some((p) => p.phase === 'fetching' && p.bytesPlanned > 0));
    assert.ok(summary.bytesPlanned >= summary.bytesWanted);
  });

  test('a file or a subfolder inside the repo; a missing file names repo, revision and file', async () => {
    const { fingerprint } = await fingerprintRemote('hf://corpus/lm-folder/A_bf16.safetensors', { ...options(), id: 'bf16' });
    const local = await fingerprintPath(join(CORPUS, 'lm/A_bf16.safetensors'), { id: 'bf16', createdAt: CREATED, hashMaxBytes: REMOTE_DEFAULT_HASH_MAX_BYTES, gramColumns: false, gramRows: false });
    sameText(comparable(fingerprint), comparable(local), 'A_bf16');
    await assert.rejects(fingerprintRemote('hf://corpus/lm-folder/nope.safetensors', options()), (e: RemoteError) => e.code === 'file-not-found' && /nope\.safetensors/.test(e.message) && /corpus\/lm-folder@main/.test(e.message));
    await assert.rejects(fingerprintRemote('hf://corpus/lm-folder', options()), (e: RemoteError) => e.code === 'no-checkpoint' && /model\.safetensors\.index\.json/.test(e.message));
  });

  test('CLI: weightprint fingerprint hf://… writes the .wpf and states bytes fetched vs model size; no token anywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-cli-'));
    mkdirSync(dir, { recursive: true });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY: false };
    const saved = { HF_TOKEN: process.env.HF_TOKEN, HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
    process.env.HF_TOKEN = TOKEN;
    delete process.env.HTTP_PROXY;
    delete process.env.http_proxy;
    try {
      const code = await runCli(['fingerprint', 'hf://corpus/ref_vl', '--out', join(dir, 'ref.wpf'), '--endpoint', nginx.endpoint], io);
      assert.equal(code, 0, err.join(''));
      assert.match(out.join(''), /fetched .* of .* \(.*%\), \d+ requests/);
      const code2 = await runCli(['fingerprint', 'hf://corpus/nothing-here', '--out', join(dir, 'x.wpf'), '--endpoint', nginx.endpoint], io);
      assert.equal(code2, 2);
      const code3 = await runCli(['fingerprint', 'hf://not a repo', '--out', join(dir, 'x.wpf')], io);
      assert.equal(code3, 1);
      const wpf = readFileSync(join(dir, 'ref.wpf'), 'utf8');
      assert.ok(JSON.parse(wpf).model.origin.commit === FAKE_COMMIT);
      for (const text of [wpf, out.join(''), err.join(''), nginx.accessLog().join('\n')]) assert.ok(!text.includes(TOKEN), 'token leaked');
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
