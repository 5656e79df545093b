// Reference-library hygiene (src/core/fingerprint/hygiene.ts): origin text, duplicates (same header hash, same repo
// and revision) and stale revisions (same repo at another commit, the older fetch flagged), in any input order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueText, libraryHygiene, originDescription, originUrl, type FingerprintOrigin, type HygieneInput } from '../../src/core/fingerprint';

const origin = (repo: string, revision: string, commit: string | null, fetchedAt: string, path = '', endpoint = 'https://huggingface.co'): FingerprintOrigin => ({
  type: 'huggingface', endpoint, repo, revision, commit, path, files: ['model.safetensors'], fetchedAt,
});
const C1 = '1111111111111111111111111111111111111111';
const C2 = '2222222222222222222222222222222222222222';

function kinds(entries: HygieneInput[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, issues] of libraryHygiene(entries).issues) out[id] = issues.map((i) => i.kind).sort();
  return out;
}

test('hygiene: a clean library has no issues; local entries need no origin', () => {
  assert.deepEqual(kinds([
    { id: 'local-a', headerHash: 'h1' },
    { id: 'Qwen/Qwen2.5-0.5B', headerHash: 'h2', origin: origin('Qwen/Qwen2.5-0.5B', 'main', C1, '2026-01-01T00:00:00Z') },
    { id: 'Qwen/Qwen2.5-1.5B', headerHash: 'h3', origin: origin('Qwen/Qwen2.5-1.5B', 'main', C1, '2026-01-01T00:00:00Z') },
  ]), {});
});

test('hygiene: the same header hash in two fingerprints flags both as duplicates, naming the other', () => {
  const r = libraryHygiene([{ id: 'a', headerHash: 'same' }, { id: 'b', headerHash: 'same' }, { id: 'c', headerHash: 'other' }]);
  assert.deepEqual(r.issues.get('a'), [{ kind: 'duplicate-header', others: ['b'] }]);
  assert.deepEqual(r.issues.get('b'), [{ kind: 'duplicate-header', others: ['a'] }]);
  assert.equal(r.issues.has('c'), false);
  assert.match(issueText(r.issues.get('a')![0]), /duplicate: same header hash as b/);
});

test('hygiene: the same repo and revision fetched twice is a duplicate; another commit makes the older fetch stale', () => {
  const entries: HygieneInput[] = [
    { id: 'qwen-new', headerHash: 'h1', origin: origin('Qwen/Qwen2.5-0.5B', 'main', C2, '2026-06-01T00:00:00Z') },
    { id: 'qwen-old', headerHash: 'h2', origin: origin('Qwen/Qwen2.5-0.5B', 'main', C1, '2026-01-01T00:00:00Z') },
  ];
  for (const order of [entries, [...entries].reverse()]) {
    const r = libraryHygiene(order);
    assert.deepEqual(kinds(order), { 'qwen-new': ['duplicate-revision'], 'qwen-old': ['duplicate-revision', 'stale'] });
    const stale = r.issues.get('qwen-old')!.find((i) => i.kind === 'stale')!;
    assert.deepEqual(stale, { kind: 'stale', newer: 'qwen-new', repo: 'Qwen/Qwen2.5-0.5B', commit: C1, newerCommit: C2 });
    assert.match(issueText(stale), /^stale\? qwen-new holds a later fetch of Qwen\/Qwen2\.5-0\.5B \(commit 2222222 vs 1111111\)$/);
  }
});

test('hygiene: different revisions at different commits: only the older fetch is stale; same commit is not stale', () => {
  assert.deepEqual(kinds([
    { id: 'v1', headerHash: 'h1', origin: origin('org/m', 'v1.0', C1, '2026-01-01T00:00:00Z') },
    { id: 'main', headerHash: 'h2', origin: origin('org/m', 'main', C2, '2026-02-01T00:00:00Z') },
  ]), { v1: ['stale'] });
  assert.deepEqual(kinds([
    { id: 'tag', headerHash: 'h1', origin: origin('org/m', 'v1.0', C1, '2026-01-01T00:00:00Z') },
    { id: 'sha', headerHash: 'h2', origin: origin('org/m', C1, C1, '2026-02-01T00:00:00Z') },
  ]), {});
});

test('hygiene: subfolders, endpoints and repo case: other paths are other models; repo ids compare case-insensitively', () => {
  assert.deepEqual(kinds([
    { id: 'text', headerHash: 'h1', origin: origin('org/m', 'main', C1, '2026-01-01T00:00:00Z', 'text_encoder') },
    { id: 'unet', headerHash: 'h2', origin: origin('org/m', 'main', C2, '2026-02-01T00:00:00Z', 'unet') },
    { id: 'mirror', headerHash: 'h3', origin: origin('org/m', 'main', C2, '2026-02-01T00:00:00Z', 'text_encoder', 'https://hf-mirror.example') },
  ]), {});
  assert.deepEqual(kinds([
    { id: 'a', headerHash: 'h1', origin: origin('Org/M', 'main', C1, '2026-01-01T00:00:00Z') },
    { id: 'b', headerHash: 'h2', origin: origin('org/m', 'main', C1, '2026-01-02T00:00:00Z') },
  ]), { a: ['duplicate-revision'], b: ['duplicate-revision'] });
});

test('hygiene: a server without X-Repo-Commit: different revisions count as different snapshots', () => {
  assert.deepEqual(kinds([
    { id: 'old', headerHash: 'h1', origin: origin('org/m', 'v1', null, '2026-01-01T00:00:00Z') },
    { id: 'new', headerHash: 'h2', origin: origin('org/m', 'v2', null, '2026-03-01T00:00:00Z') },
  ]), { old: ['stale'] });
});

test('origin text: URL without credentials, revision, short commit and fetch date', () => {
  const o = origin('Qwen/Qwen2.5-0.5B', 'refs/pr/3', C1, '2026-11-26T10:00:00.000Z', 'sub', 'http://127.0.0.1:8080/');
  assert.equal(originUrl(o), 'http://127.0.0.1:8080/Qwen/Qwen2.5-0.5B/tree/refs%2Fpr%2F3/sub');
  assert.equal(originDescription(o), 'Qwen/Qwen2.5-0.5B/sub@refs/pr/3 (commit 1111111) · fetched 2026-11-26');
  assert.equal(originDescription(origin('a/b', 'main', null, '2026-11-26T10:00:00Z')), 'a/b@main · fetched 2026-11-26');
});
