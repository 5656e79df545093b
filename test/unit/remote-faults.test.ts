// Remote reading against a Node server with faults (redirect to another host name, 429/503, a connection cut
// mid-body, a server ignoring Range, 401, 403, 404), an http:// proxy (absolute URI and CONNECT), and the pure parts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { serializeFingerprint } from '../../src/core/fingerprint/io';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { bypassesProxy, coalesce, fingerprintRemote, parseHfUri, proxyFor, resolveEndpoint, resolveUrl, RemoteError, REMOTE_DEFAULT_HASH_MAX_BYTES } from '../../src/core/remote';
import { parseRetryAfter } from '../../src/core/remote/retry';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { FAULT_COMMIT, startFaultServer, startProxy, type FaultServer } from './helpers/remoteFaults';

before(() => ensureFixtureCorpus());

const TOKEN = `hf_faultTEST${Math.random().toString(36).slice(2)}SECRET`;
const CREATED = '2025-01-01T00:00:00.000Z';
const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 20, retries: 4 };

function comparable(fp: Fingerprint): string {
  const doc = JSON.parse(serializeFingerprint(fp));
  delete doc.model.source;
  delete doc.model.origin;
  return JSON.stringify(doc);
}

test('hf:// URIs, endpoints and resolve URLs', () => {
  assert.deepEqual(parseHfUri('hf://Qwen/Qwen2.5-VL-7B-Instruct'), { repo: 'Qwen/Qwen2.5-VL-7B-Instruct', revision: 'main', path: '' });
  assert.deepEqual(parseHfUri('hf://org/m@v1.0/sub/dir'), { repo: 'org/m', revision: 'v1.0', path: 'sub/dir' });
  assert.deepEqual(parseHfUri('hf://org/m@refs/pr/3/x.safetensors'), { repo: 'org/m', revision: 'refs/pr/3', path: 'x.safetensors' });
  assert.deepEqual(parseHfUri('hf://org/m@feat%2Fbranch'), { repo: 'org/m', revision: 'feat/branch', path: '' });
  for (const bad of ['https://x/y', 'hf://', 'hf://a/b/../../etc', 'hf://a b/c', 'hf://o/r@']) assert.throws(() => parseHfUri(bad), RemoteError, bad);
  assert.equal(resolveEndpoint(undefined, {}), 'https://huggingface.co');
  assert.equal(resolveEndpoint(undefined, { HF_ENDPOINT: 'https://hf-mirror.com/' }), 'https://hf-mirror.com');
  assert.equal(resolveEndpoint('http://127.0.0.1:8080', { HF_ENDPOINT: 'https://x' }), 'http://127.0.0.1:8080');
  assert.throws(() => resolveEndpoint('https://user:pw@x'), RemoteError);
  assert.equal(resolveUrl('https://huggingface.co', 'o/r', 'refs/pr/1', 'a b/model.safetensors'), 'https://huggingface.co/o/r/resolve/refs%2Fpr%2F1/a%20b/model.safetensors');
});

test('coalescing: overlapping reads always merge, close ones up to the size cap, far ones stay apart', () => {
  const r = (file: number, position: number, length: number, seq: number) => ({ file, position, length, seq });
  const m = coalesce([r(0, 0, 10, 0), r(0, 5, 10, 1), r(0, 100, 10, 2), r(0, 10_000, 10, 3), r(1, 0, 10, 4)], { gapBytes: 200, maxBytes: 1000 });
  assert.deepEqual(m.map((x) => [x.file, x.start, x.end, x.pending]), [[0, 0, 110, 3], [0, 10_000, 10_010, 1], [1, 0, 10, 1]]);
  const capped = coalesce([r(0, 0, 600, 0), r(0, 700, 600, 1)], { gapBytes: 200, maxBytes: 1000 });
  assert.equal(capped.length, 2);
});

test('proxy choice: explicit, environment, NO_PROXY', () => {
  const https = new URL('https://huggingface.co/x');
  const http = new URL('http://mirror.local:8080/x');
  assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://p:3128' } })?.host, 'p:3128');
  assert.equal(proxyFor(http, { env: { HTTPS_PROXY: 'http://p:3128' } }), null);
  assert.equal(proxyFor(http, { env: { http_proxy: 'p2:8080' } })?.host, 'p2:8080');
  assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.huggingface.co' } }), null);
  assert.equal(proxyFor(https, { proxy: null, env: { HTTPS_PROXY: 'http://p:3128' } }), null);
  assert.equal(proxyFor(https, { proxy: 'http://vs:1', env: { HTTPS_PROXY: 'http://p:3128' } })?.host, 'vs:1');
  assert.throws(() => proxyFor(https, { proxy: 'socks5://s:1' }), RemoteError);
  assert.ok(bypassesProxy(new URL('http://localhost:9/'), 'example.com, localhost'));
  assert.ok(bypassesProxy(new URL('http://a.b.example.com/'), 'example.com'));
  assert.ok(!bypassesProxy(new URL('http://notexample.com/'), 'example.com'));
  assert.ok(bypassesProxy(new URL('http://x:8080/'), 'x:8080') && !bypassesProxy(new URL('http://x:9090/'), 'x:8080'));
  assert.ok(bypassesProxy(new URL('https://anything/'), '*'));
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.ok((parseRetryAfter(new Date(Date.now() + 5000).toUTCString()) ?? 0) > 3000);
});

describe('remote reading with faults (Node server on 127.0.0.1)', () => {
  let server: FaultServer;
  let localFp: Fingerprint;
  const outputs: string[] = [];
  const LOCAL = join(CORPUS, 'lm/lm_A.safetensors');
  const opts = (extra: object = {}) => ({ endpoint: server.endpoint, token: null, proxy: null, createdAt: CREATED, id: 'lm_A', retry: FAST_RETRY, ...extra });
  async function same(uri: string, extra: object = {}) {
    const r = await fingerprintRemote(uri, opts(extra));
    outputs.push(serializeFingerprint(r.fingerprint), JSON.stringify(r.summary));
    assert.equal(comparable(r.fingerprint), comparable(localFp), uri);
    return r;
  }
  // The header hash covers file names: the fault server serves lm_A as model.safetensors, so compare with a copy of that name.
  before(async () => {
    server = await startFaultServer({ file: readFileSync(LOCAL), token: TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'wp-faults-'));
    const { copyFileSync } = await import('node:fs');
    copyFileSync(LOCAL, join(dir, 'model.safetensors'));
    localFp = await fingerprintPath(join(dir, 'model.safetensors'), { id: 'lm_A', createdAt: CREATED, hashMaxBytes: REMOTE_DEFAULT_HASH_MAX_BYTES, gramColumns: false, gramRows: false });
    rmSync(dir, { recursive: true, force: true });
  });
  after(async () => {
    for (const text of outputs) assert.ok(!text.includes(TOKEN), 'the token appeared in an output');
    await server?.stop();
  });

  test('plain server: single model.safetensors found without an index; commit recorded', async () => {
    const { fingerprint } = await same('hf://ok/lm');
    assert.equal(fingerprint.model.origin?.commit, FAULT_COMMIT);
    assert.deepEqual(fingerprint.model.origin?.files, ['model.safetensors']);
  });

  test('302 to another host name: followed, the token is not forwarded, later ranges go straight to the new location', async () => {
    server.log.length = 0;
    await same('hf://redirect/lm', { token: TOKEN });
    const hub = server.log.filter((l) => l.path.startsWith('/redirect/'));
    const cdn = server.log.filter((l) => l.path.startsWith('/cdn/'));
    assert.ok(cdn.length > 3);
    assert.ok(hub.every((l) => l.auth === `Bearer ${TOKEN}` && l.host.startsWith('127.0.0.1')));
    assert.ok(cdn.every((l) => l.auth === undefined && l.host.startsWith('localhost')), 'Authorization sent to the redirect target');
    // Tokenizer files (absent here: 404s from the hub itself) are asked for once each; the weights' ranges are not repeated.
    const weights = hub.filter((l) => !/\/(tokenizer\.json|tokenizer\.model|vocab\.json|vocab\.txt|merges\.txt|tokenizer_config\.json)$/.test(l.path));
    assert.ok(weights.length <= 4, `${weights.length} requests went through the redirect`);
  });

  test('429 (Retry-After) and 503: retried with backoff, same fingerprint', async () => {
    const { summary } = await same('hf://throttle/lm');
    assert.ok(summary.retries >= 4, `${summary.retries} retries`);
  });

  test('connection cut mid-body: the range resumes from the last byte received', async () => {
    server.log.length = 0;
    await same('hf://drop/lm');
    const ranges = server.log.filter((l) => l.range).map((l) => /bytes=(\d+)-(\d+)/.exec(l.range!)!.slice(1).map(Number));
    const resumed = ranges.filter(([s], i) => ranges.slice(0, i).some(([s0, e0]) => s > s0 && s <= e0 && ranges.slice(0, i).every(([s1]) => s1 !== s)));
    assert.ok(resumed.length > 0, 'no resumed range seen');
    assert.equal(server.drops, 6);
  });

  test('a server that ignores Range: refused at once, the whole file is not downloaded', async () => {
    await assert.rejects(fingerprintRemote('hf://norange/lm', opts()), (e: RemoteError) => {
      outputs.push(e.message);
      return e.code === 'range-ignored' && /server ignores Range requests; refusing to download whole files/.test(e.message);
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(server.wholeFileBytesSent < readFileSync(LOCAL).length, `${server.wholeFileBytesSent} bytes were pushed`);
  });

  test('401 / 403 gated / 404 repo, revision, file: errors say which and what to do; the token never shows', async () => {
    const check = async (uri: string, code: string, re: RegExp, extra: object = {}) => {
      await assert.rejects(fingerprintRemote(uri, opts(extra)), (e: RemoteError) => {
        outputs.push(e.message, String(e.stack));
        assert.equal(e.code, code, e.message);
        assert.match(e.message, re);
        return true;
      });
    };
    await check('hf://private/lm', 'unauthorized', /accept its licence on .*private\/lm.*HF_TOKEN/);
    await check('hf://private/lm', 'unauthorized', /token was refused/, { token: 'hf_wrong' });
    await check('hf://gated/lm', 'gated', /Accept the licence .* on .*gated\/lm/, { token: TOKEN });
    await check('hf://missing/lm', 'repo-not-found', /repository missing\/lm not found/);
    await check('hf://norev/lm@v9', 'revision-not-found', /revision "v9" not found in norev\/lm/);
    await check('hf://ok/lm/sub/weights.safetensors', 'file-not-found', /sub\/weights\.safetensors not found in ok\/lm@main/);
    await same('hf://private/lm', { token: TOKEN });
  });

  test('token from HF_TOKEN; an explicit null sends none', async () => {
    await same('hf://private/lm', { token: undefined, env: { HF_TOKEN: TOKEN } });
    await assert.rejects(fingerprintRemote('hf://private/lm', opts({ token: null, env: { HF_TOKEN: TOKEN } })), (e: RemoteError) => e.code === 'unauthorized');
  });

  test('cancel with an AbortSignal', async () => {
    const ac = new AbortController();
    const p = fingerprintRemote('hf://ok/lm', opts({ signal: ac.signal, onProgress: (pr: { phase: string }) => { if (pr.phase === 'fetching') ac.abort(); } }));
    await assert.rejects(p, (e: Error) => e.name === 'AbortError');
  });

  test('through an http:// proxy (absolute-URI requests), the proxy option wins over the environment', async () => {
    const proxy = await startProxy();
    try {
      await same('hf://ok/lm', { proxy: proxy.url, env: { HTTP_PROXY: 'http://127.0.0.1:9' } });
      assert.ok(proxy.absolute.length > 3 && proxy.absolute.every((u) => u.startsWith(server.endpoint)));
      proxy.absolute.length = 0;
      await same('hf://ok/lm', { proxy: undefined, env: { HTTP_PROXY: proxy.url } });
      assert.ok(proxy.absolute.length > 3);
    } finally {
      await proxy.stop();
    }
  });

  const openssl = existsSync('/usr/bin/openssl') ? false : 'openssl not installed (needed to make a test certificate)';
  test('HTTPS through a CONNECT tunnel (private CA given as an option)', { skip: openssl }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-tls-'));
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const tlsServer = await startFaultServer({ file: readFileSync(LOCAL), token: TOKEN, tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } });
    const proxy = await startProxy();
    try {
      const res = await fingerprintRemote('hf://ok/lm', { ...opts(), endpoint: tlsServer.endpoint, proxy: proxy.url, ca: cert, token: TOKEN });
      assert.equal(comparable(res.fingerprint), comparable(localFp));
      assert.ok(proxy.tunnels.length >= 1 && proxy.tunnels.length <= 6, `${proxy.tunnels.length} tunnels`);
      assert.equal(proxy.absolute.length, 0);
      assert.ok(tlsServer.log.every((l) => l.auth === `Bearer ${TOKEN}`));
    } finally {
      await proxy.stop();
      await tlsServer.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
