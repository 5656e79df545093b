// Auditing an hf:// suspect over HTTP Range (docs/remote.md, "Auditing a Hub model"): against Debian's nginx serving
// the fixture corpus, every suspect's remote audit equals its local audit (components, verdicts, evidence, tables)
// and fetches less than the files; faults (500s, cut bodies, a slow server, a wrong Content-Range) end in one-line
// RemoteErrors, cancellation in an AbortError; the CLI prints `remote` in --json and exits 2 with one line on failure.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { writeFingerprint } from '../../src/core/fingerprint/io';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { auditCheckpoint } from '../../src/core/match/audit';
import type { AuditResult } from '../../src/core/match/types';
import { auditRemote, fingerprintRemote, RemoteError, type RemoteAuditProgress } from '../../src/core/remote';
import { corpusText, extendBpe, tokenizerJson, trainBpe } from './helpers/tokenizers';
import { ensureNginx, startNginx, FAKE_COMMIT, type NginxServer } from '../remote/nginx';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { corpusHubTree } from './helpers/remoteGen';
import { runCli } from './helpers/hostileFiles';
import { AUDIT_FAULT_COMMIT, startAuditFaultServer, type AuditFaultServer } from './helpers/remoteAuditFaults';

const found = ensureNginx();
const SKIP = 'skip' in found ? found.skip : false;
if ('skip' in found) console.log(`# SKIPPED nginx tests: ${found.skip}`);
const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 20, retries: 3 };

let root: string;
let references: Fingerprint[];
let libraryDir: string;

before(async () => {
  await ensureFixtureCorpus();
  root = mkdtempSync(join(tmpdir(), 'wp-remote-audit-'));
  // The library of the corpus run (test/eval/corpusRun.ts): local fingerprints with their default options.
  references = [
    await fingerprintPath(join(CORPUS, 'lm/lm_A.safetensors'), { id: 'lm_A' }),
    await fingerprintPath(join(CORPUS, 'vision/vit_R.safetensors'), { id: 'vit_R' }),
  ];
  libraryDir = join(root, 'library');
  mkdirSync(libraryDir);
  for (const fp of references) await writeFingerprint(join(libraryDir, `${fp.model.id}.wpf`), fp);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** The audit without what legitimately differs: the checkpoint's path (local path vs hf:// URI) and the time taken. */
function comparable(r: AuditResult): string {
  return JSON.stringify({ ...r, checkpoint: { ...r.checkpoint, path: '' }, seconds: 0 });
}

function sameAudit(remote: AuditResult, local: AuditResult, what: string): void {
  const a = comparable(remote);
  const b = comparable(local);
  if (a === b) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  assert.fail(`${what}: the remote audit differs at character ${i}: ${a.slice(Math.max(0, i - 120), i + 80)} vs ${b.slice(Math.max(0, i - 120), i + 80)}`);
}

describe('remote audit over nginx', { skip: SKIP }, () => {
  let nginx: NginxServer;
  let models: Array<{ repo: string; local: string }> = [];
  const options = () => ({ endpoint: nginx.endpoint, token: null, proxy: null });

  before(async () => {
    const hub = join(root, 'hub');
    mkdirSync(hub);
    models = corpusHubTree(hub, CORPUS);
    nginx = await startNginx((found as { bin: string }).bin, hub);
  });
  after(async () => { await nginx?.stop(); });

  // An exact copy is confirmed by hashing every tensor the reference hashed (up to 4 MiB for these local
  // fingerprints): on files of 11 MB that is all of them. With hashes up to 64 KiB, as for hf:// references, on both sides:
  const budget = { hashMaxBytes: 64 << 10 };

  test('every corpus suspect: the remote audit equals the local audit, with fewer bytes than the files', { timeout: 240_000 }, async (t) => {
    assert.ok(models.length >= 11);
    const rows: string[] = [];
    for (const { repo, local } of models) {
      const localResult = await auditCheckpoint(local, references, { budget });
      const progress: RemoteAuditProgress[] = [];
      const { result, summary } = await auditRemote(`hf://${repo}`, references, { ...options(), budget, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
      sameAudit(result, localResult, repo);
      assert.equal(summary.commit, FAKE_COMMIT);
      assert.ok(result.checkpoint.path.startsWith(`hf://${repo.split('/').slice(0, 2).join('/')}@${FAKE_COMMIT}`), result.checkpoint.path);
      // Tiny F32 files: ~4,096 samples per tensor are half of them, and the permutation search of an independent
      // model reads a quarter of every matrix per column window; still never the whole file.
      assert.ok(summary.bytesFetched < summary.modelBytes, `${repo}: fetched ${summary.bytesFetched} of ${summary.modelBytes}`);
      assert.ok(summary.cache.peakCachedBytes <= 64 << 20);
      assert.ok(progress.some((p) => p.phase === 'matching' && p.bytesFetched > 0 && p.modelBytes === summary.modelBytes));
      rows.push(`${repo}: ${summary.bytesFetched} of ${summary.modelBytes} bytes (${(100 * summary.bytesFetched / summary.modelBytes).toFixed(1)} %), `
        + `${summary.requests} requests, ${summary.cache.hits}/${summary.cache.reads} reads from the cache; ${result.components.map((c) => `${c.name} ${c.verdict}`).join(', ')}`);
    }
    t.diagnostic(rows.join('\n'));
  });

  test('sidecars come from the same snapshot: tokenizer, config and card give the local audit\'s tokenizer lineage and claims; a remote fingerprint carries the tokenizer', { timeout: 120_000 }, async () => {
    const base = trainBpe(corpusText({ seed: 1, words: 20_000 }), 900);
    const refDir = join(root, 'tok-ref');
    mkdirSync(refDir);
    copyFileSync(join(CORPUS, 'lm/lm_A.safetensors'), join(refDir, 'model.safetensors'));
    writeFileSync(join(refDir, 'tokenizer.json'), tokenizerJson(base));
    const withTokenizer = [await fingerprintPath(join(refDir, 'model.safetensors'), { id: 'lm_A' }), references[1]];
    const repoDir = join(root, 'hub', 'corpus', 'tok_suspect');
    mkdirSync(repoDir);
    copyFileSync(join(CORPUS, 'lm/A_vocab_ext.safetensors'), join(repoDir, 'model.safetensors'));
    writeFileSync(join(repoDir, 'tokenizer.json'), tokenizerJson(extendBpe(base, trainBpe(corpusText({ seed: 3, words: 10_000, language: 'b' }), 1100))));
    writeFileSync(join(repoDir, 'config.json'), JSON.stringify({ model_type: 'llama', hidden_size: 128, vocab_size: 1300 }));
    writeFileSync(join(repoDir, 'README.md'), '---\nbase_model: someone/else\n---\n');
    const local = await auditCheckpoint(join(repoDir, 'model.safetensors'), withTokenizer, { budget });
    const { result } = await auditRemote('hf://corpus/tok_suspect/model.safetensors', withTokenizer, { ...options(), budget });
    sameAudit(result, local, 'tok_suspect');
    assert.equal(result.sidecars?.tokenizer.comparisons[0]?.relation, 'derived');
    assert.ok(result.sidecars?.claims.checks.some((c) => c.kind === 'other-reference' && c.reference === 'lm_A'));
    const { fingerprint } = await fingerprintRemote('hf://corpus/tok_suspect/model.safetensors', { ...options() });
    assert.deepEqual(fingerprint.tokenizer, (await fingerprintPath(join(repoDir, 'model.safetensors'))).tokenizer);
    assert.ok(fingerprint.model.origin?.files.includes('tokenizer.json'), fingerprint.model.origin?.files.join());
  });

  test('a small cache still gives the same audit (bounded memory, more requests)', async () => {
    const repo = 'corpus/ref_vl';
    const localResult = await auditCheckpoint(join(CORPUS, 'vl/ref_vl'), references);
    const big = await auditRemote(`hf://${repo}`, references, options());
    const small = await auditRemote(`hf://${repo}`, references, { ...options(), cacheBytes: 64 << 10 });
    sameAudit(small.result, localResult, `${repo} (64 KiB cache)`);
    assert.ok(small.summary.cache.peakCachedBytes <= (64 << 10) + (1 << 20), `${small.summary.cache.peakCachedBytes}`);
    assert.ok(small.summary.requests >= big.summary.requests);
  });

  test('CLI: audit hf://… gives the local verdicts, `remote` in --json, the fetched line, notes naming the hf:// URI and commit', { timeout: 400_000 }, async () => {
    // A bound against a hung process only: a remote audit takes ~10 s alone and over 15 s (runCli's default) on a loaded 2-core machine.
    const bound = { killAfterMs: 120_000 };
    const uri = 'hf://corpus/suspect_vl_copied_vision/suspect_vl_copied_vision.safetensors';
    const local = await runCli(['audit', join(CORPUS, 'vl/suspect_vl_copied_vision.safetensors'), '--library', libraryDir, '--json'], bound);
    assert.equal(local.code, 0, local.stderr);
    const notes = join(root, 'notes.md');
    const json = await runCli(['audit', uri, '--library', libraryDir, '--json', '--endpoint', nginx.endpoint, '--notes', notes, '--lang', 'en'], bound);
    assert.equal(json.code, 0, json.stderr);
    const remote = JSON.parse(json.stdout);
    const localDoc = JSON.parse(local.stdout);
    assert.deepEqual(remote.components, localDoc.components);
    assert.equal(localDoc.remote, undefined);
    assert.equal(remote.remote.commit, FAKE_COMMIT);
    assert.equal(remote.remote.source, `hf://corpus/suspect_vl_copied_vision@${FAKE_COMMIT}/suspect_vl_copied_vision.safetensors`);
    assert.ok(remote.remote.bytesFetched > 0 && remote.remote.requests > 0);
    assert.ok(remote.components.some((c: { verdict: string }) => c.verdict === 'identical' || c.verdict === 'derived'));
    const md = readFileSync(notes, 'utf8');
    assert.ok(md.includes(remote.remote.source), 'the notes name the hf:// URI with the commit');
    const text = await runCli(['audit', uri, '--library', libraryDir, '--endpoint', nginx.endpoint], bound);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /fetched [\d.]+ [KMG]?B of [\d.]+ [KMG]?B \([\d.e+-]+ %\), \d+ requests, [\d.]+ s, commit 0123456789ab/);
  });
});

describe('remote audit against a faulty server', () => {
  let server: AuditFaultServer;
  let localResult: AuditResult;
  const opts = (extra: object = {}) => ({ endpoint: server.endpoint, token: null, proxy: null, retry: FAST_RETRY, ...extra });
  const oneLine = (e: Error) => !e.message.includes('\n') && e.message.length < 400;

  before(async () => {
    const file = join(CORPUS, 'vl/suspect_vl_copied_vision.safetensors');
    server = await startAuditFaultServer(readFileSync(file));
    // Served as model.safetensors: the header hash covers file names, so the local audit reads a copy of that name.
    const dir = join(root, 'faults');
    mkdirSync(dir);
    copyFileSync(file, join(dir, 'model.safetensors'));
    localResult = await auditCheckpoint(join(dir, 'model.safetensors'), references);
  });
  after(async () => { await server?.stop(); });

  test('a well-behaved server: the same audit as the local one', async () => {
    const { result, summary } = await auditRemote('hf://ok/m', references, opts());
    sameAudit(result, localResult, 'hf://ok/m');
    assert.equal(summary.commit, AUDIT_FAULT_COMMIT);
  });

  test('HTTP 500 on every data range: one RemoteError after the retries, the remaining reads are not retried each', async () => {
    await assert.rejects(auditRemote('hf://fail500/m', references, opts()), (e: RemoteError) =>
      e instanceof RemoteError && e.code === 'network' && /gave up after 4 attempts \(HTTP 500/.test(e.message) && oneLine(e));
    const asked = server.dataRequests.get('fail500') ?? 0;
    // Reads under way when the first range gives up stop there; without that, each of the audit's thousands of reads
    // would be tried 4 times.
    assert.ok(asked < 400, `${asked} data requests`);
  });

  test('bodies cut before their first byte: one RemoteError after the retries', async () => {
    await assert.rejects(auditRemote('hf://truncate/m', references, opts()), (e: RemoteError) =>
      e instanceof RemoteError && e.code === 'network' && /gave up after 4 attempts/.test(e.message) && oneLine(e));
  });

  test('a Content-Range other than the one asked for: refused at once', async () => {
    await assert.rejects(auditRemote('hf://badrange/m', references, opts()), (e: RemoteError) =>
      e instanceof RemoteError && e.code === 'range-invalid' && /the server answered bytes \d+-\d+ to a request for bytes \d+-\d+/.test(e.message) && oneLine(e));
  });

  test('a slow server: cancelled with the AbortSignal within a moment; or a RemoteError when the socket times out', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = auditRemote('hf://slow/m', references, opts({ signal: ac.signal, onProgress: (pr: RemoteAuditProgress) => { if (pr.phase === 'matching') setTimeout(() => ac.abort(), 200); } }));
    await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
    await assert.rejects(auditRemote('hf://slow/m', references, opts({ timeoutMs: 150, retry: { baseDelayMs: 2, maxDelayMs: 5, retries: 1 } })), (e: RemoteError) =>
      e instanceof RemoteError && e.code === 'network' && /ETIMEDOUT/.test(e.message) && oneLine(e));
  });

  test('CLI: a failing server exits 2 with one line and no stack; a bad URI exits 1', { timeout: 60_000 }, async () => {
    const run = await runCli(['audit', 'hf://badrange/m', '--library', libraryDir, '--endpoint', server.endpoint], { env: { HF_TOKEN: '' } });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^weightprint audit: .*the server answered bytes/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.equal(run.stdout, '');
    const bad = await runCli(['audit', 'hf://not a repo', '--library', libraryDir]);
    assert.equal(bad.code, 1, bad.stderr);
  });
});
