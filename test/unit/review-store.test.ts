// Review store: round trip, stable JSON, merge of concurrent changes, undo, crash safety at every write step,
// refusal to overwrite unreadable / newer-schema / other-checkpoint files, read-only folders, JSON Schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BACKUP_SUFFIX, mergeFindings, parseReviewDocument, reviewPathFor, ReviewStore, ReviewStoreError, serialiseReview, stableStringify,
  createFinding, nodeStoreFs, type Finding, type ReviewStoreOptions,
} from '../../src/core/review/index';
import { CrashingFs, counterIds, fixedClock, readOnlyFs, tempDir } from './helpers/reviewFs';
import { validate } from './helpers/reviewSchema';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const binding = { headerHash: HASH, name: 'model.safetensors' };
const opts = (extra: Partial<ReviewStoreOptions> = {}): ReviewStoreOptions => ({ now: fixedClock(), newId: counterIds(), reviewer: 'alice', ...extra });
const schema = JSON.parse(readFileSync(join(process.cwd(), 'docs', 'review-store.schema.json'), 'utf8'));

async function storeWith(path: string, n: number, o = opts()): Promise<ReviewStore> {
  const s = await ReviewStore.open(path, binding, o);
  for (let i = 0; i < n; i++) await s.add({ target: { kind: 'component', component: 'vision' }, verdict: 'derived', rationale: `finding ${i}` });
  return s;
}

test('review path: beside the file, beside the index, inside a folder of files', () => {
  assert.equal(reviewPathFor({ kind: 'file', folder: '/m', files: [{ path: '/m/x.safetensors' }] } as never), '/m/x.safetensors.review.json');
  assert.equal(reviewPathFor({ kind: 'sharded', folder: '/m', indexPath: '/m/model.safetensors.index.json', files: [] } as never), '/m/model.safetensors.index.review.json');
  assert.equal(reviewPathFor({ kind: 'folder-of-files', folder: '/m/ckpt', files: [] } as never), '/m/ckpt/ckpt.review.json');
});

test('store round trip: stable sorted JSON, trailing newline, backup, reopen gives the same findings', async () => {
  const dir = tempDir();
  const path = join(dir, 'model.safetensors.review.json');
  const s = await ReviewStore.open(path, binding, opts());
  assert.equal(s.status.kind, 'new');
  assert.equal(existsSync(path), false);
  const a = await s.add({ target: { kind: 'tensors', tensors: ['z.weight', 'a.weight', 'z.weight'] }, verdict: 'note', rationale: 'look *here*' });
  assert.deepEqual(a.target, { kind: 'tensors', tensors: ['a.weight', 'z.weight'] });
  const b = await s.add({ target: { kind: 'layers', component: 'language', from: 3, to: 1 }, verdict: 'derived', confidence: 'high' });
  assert.deepEqual(b.target, { kind: 'layers', component: 'language', from: 1, to: 3 });
  await s.confirm(b.id, { rationale: 'checked' });
  const text = readFileSync(path, 'utf8');
  assert.ok(text.endsWith('}\n'));
  assert.equal(text, stableStringify(JSON.parse(text)), 'keys sorted, 2-space indent');
  assert.equal(text, serialiseReview(binding, s.findings));
  assert.ok(existsSync(path + BACKUP_SUFFIX), 'previous version kept');
  assert.equal(JSON.parse(readFileSync(path + BACKUP_SUFFIX, 'utf8')).findings.length, 2);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
  const again = await ReviewStore.open(path, binding, opts());
  assert.equal(again.status.kind, 'ok');
  assert.deepEqual(again.findings, s.findings);
  assert.equal(again.get(b.id)!.state, 'confirmed');
  assert.equal(again.get(b.id)!.reviewer, 'alice');
  assert.deepEqual(validate(schema, JSON.parse(text)), []);
  // Findings are ordered by created time then id: the file lists a before b.
  assert.deepEqual(JSON.parse(text).findings.map((f: Finding) => f.id), [a.id, b.id]);
});

test('the JSON Schema rejects what the store rejects', () => {
  const f = createFinding({ target: { kind: 'model' }, verdict: 'note' }, { now: fixedClock(), newId: counterIds(), reviewer: 'x' });
  const good = JSON.parse(serialiseReview(binding, [f]));
  assert.deepEqual(validate(schema, good), []);
  for (const bad of [
    { ...good, schemaVersion: 2 },
    { ...good, findings: [{ ...f, verdict: 'copied' }] },
    { ...good, findings: [{ ...f, target: { kind: 'layers', component: 'vision' } }] },
    { ...good, findings: [{ ...f, created: 'yesterday' }] },
    { ...good, extra: 1 },
  ]) {
    assert.ok(validate(schema, bad).length > 0, JSON.stringify(bad).slice(0, 200));
  }
  assert.throws(() => parseReviewDocument(JSON.stringify({ ...good, findings: [{ ...f, verdict: 'copied' }] })));
  assert.throws(() => parseReviewDocument(JSON.stringify({ ...good, findings: [f, f] })), /duplicate id/);
});

test('two store instances on one file: both sides’ new findings kept, edits merged, deletions honoured', async () => {
  const path = join(tempDir(), 'm.review.json');
  const one = await storeWith(path, 2, opts({ newId: counterIds('one'), reviewer: 'alice' }));
  const two = await ReviewStore.open(path, binding, opts({ newId: counterIds('two'), reviewer: 'bob', now: fixedClock('2025-01-02T04:00:00.000Z') }));
  const [x, y] = one.findings;
  // Concurrent: one edits x and adds; two deletes y and adds — each without seeing the other.
  await one.update(x.id, { rationale: 'edited by one' });
  const fromOne = await one.add({ target: { kind: 'model' }, verdict: 'note', rationale: 'one' });
  const fromTwo = await two.add({ target: { kind: 'model' }, verdict: 'note', rationale: 'two' });
  await two.remove(y.id);
  const ids = two.findings.map((f) => f.id).sort();
  assert.deepEqual(ids, [x.id, fromOne.id, fromTwo.id].sort());
  assert.equal(two.get(x.id)!.rationale, 'edited by one');
  const sync = await one.reload();
  assert.equal(sync.changed, true);
  assert.deepEqual(one.findings, two.findings);
  assert.deepEqual(parseReviewDocument(readFileSync(path, 'utf8')).findings, two.findings);
});

test('same finding changed on both sides: the newer update wins and the conflict is reported', async () => {
  const dir = tempDir();
  const path = join(dir, 'm.review.json');
  let offline = false;
  const ro = readOnlyFs(dir, 'EROFS');
  const switchable = { ...ro, create: (p: string) => (offline ? ro.create(p) : nodeStoreFs.create(p)), rename: (a: string, b: string) => (offline ? ro.rename(a, b) : nodeStoreFs.rename(a, b)) };
  const one = await storeWith(path, 1, opts({ fs: switchable, now: fixedClock('2025-01-01T00:00:00.000Z') }));
  const id = one.findings[0].id;
  // one's edit cannot be written (kept in memory, unsaved) while two edits the same finding later in time.
  offline = true;
  await assert.rejects(one.update(id, { rationale: 'older (one)' }), (e: unknown) => e instanceof ReviewStoreError && e.code === 'read-only');
  const two = await ReviewStore.open(path, binding, opts({ now: fixedClock('2025-06-01T00:00:00.000Z') }));
  await two.update(id, { rationale: 'newer (two)' });
  offline = false;
  await one.save();
  assert.equal(one.get(id)!.rationale, 'newer (two)');
  assert.equal(one.lastConflicts.length, 1);
  assert.equal(one.lastConflicts[0].kind, 'both-modified');
  assert.equal(one.lastConflicts[0].lost!.rationale, 'older (one)');
  assert.equal(parseReviewDocument(readFileSync(path, 'utf8')).findings[0].rationale, 'newer (two)');
});

test('merge: delete vs modify honours the deletion and reports the lost edit', () => {
  const ctx = { now: fixedClock(), newId: counterIds(), reviewer: 'r' };
  const a = createFinding({ target: { kind: 'model' }, verdict: 'note' }, ctx);
  const edited = { ...a, rationale: 'x', updated: '2030-01-01T00:00:00.000Z' };
  const r1 = mergeFindings([a], [], [edited]);
  assert.deepEqual(r1.findings, []);
  assert.equal(r1.conflicts[0].kind, 'deleted-here-modified-there');
  const r2 = mergeFindings([a], [edited], []);
  assert.deepEqual(r2.findings, []);
  assert.equal(r2.conflicts[0].kind, 'modified-here-deleted-there');
  const r3 = mergeFindings([a], [a], []);
  assert.deepEqual(r3, { findings: [], conflicts: [] });
});

test('undo reverts the last change (add, update, remove) and is written to disk', async () => {
  const path = join(tempDir(), 'm.review.json');
  const s = await storeWith(path, 1);
  const f = s.findings[0];
  assert.equal(s.canUndo, true);
  await s.update(f.id, { verdict: 'independent' });
  assert.equal(s.undoAction, 'update');
  assert.equal(await s.undo(), true);
  assert.deepEqual(s.get(f.id), f);
  assert.equal(s.canUndo, false);
  assert.equal(await s.undo(), false);
  await s.remove(f.id);
  await s.undo();
  assert.deepEqual(s.get(f.id), f);
  const g = await s.add({ target: { kind: 'model' }, verdict: 'note' });
  await s.undo();
  assert.equal(s.get(g.id), undefined);
  assert.deepEqual((await ReviewStore.open(path, binding, opts())).findings, [f]);
});

test('crash safety: a write interrupted at every step leaves the old or the new file, never a torn one', async () => {
  const dir = tempDir();
  const path = join(dir, 'm.review.json');
  const seed = await storeWith(path, 2);
  const oldText = readFileSync(path, 'utf8');
  let completedAt = -1;
  for (let crashAt = 0; crashAt < 40; crashAt++) {
    writeFileSync(path, oldText);
    const fs = new CrashingFs(crashAt);
    const s = await ReviewStore.open(path, binding, opts({ fs, newId: counterIds(`c${crashAt}`) }));
    let crashed = false;
    try {
      await s.update(seed.findings[0].id, { rationale: `new version ${crashAt}` });
    } catch {
      crashed = true;
    }
    const onDisk = readFileSync(path, 'utf8');
    const doc = parseReviewDocument(onDisk); // never torn: always parses and validates
    const rationale = doc.findings.find((f) => f.id === seed.findings[0].id)!.rationale;
    if (crashed) assert.ok(onDisk === oldText || rationale === `new version ${crashAt}`, `step ${crashAt} (${fs.steps[crashAt]})`);
    else { assert.equal(rationale, `new version ${crashAt}`); completedAt = crashAt; break; }
    // A backup, if present, is also a complete version.
    if (existsSync(path + BACKUP_SUFFIX)) parseReviewDocument(readFileSync(path + BACKUP_SUFFIX, 'utf8'));
  }
  assert.ok(completedAt >= 10, `every step was interrupted once (${completedAt} steps)`);
  // A later normal write cleans up: the store opens fine and left-over temp files never hide the review.
  const s = await ReviewStore.open(path, binding, opts());
  assert.equal(s.status.kind, 'ok');
});

test('an unreadable store is reported and never overwritten', async () => {
  const path = join(tempDir(), 'm.review.json');
  writeFileSync(path, '{"format": "weightprint-review", "findings": [');
  const s = await ReviewStore.open(path, binding, opts());
  assert.equal(s.status.kind, 'unreadable');
  assert.match(s.status.message, /not valid JSON/);
  assert.equal(s.writable, false);
  await assert.rejects(s.add({ target: { kind: 'model' }, verdict: 'note' }), (e: unknown) => e instanceof ReviewStoreError && e.code === 'unreadable');
  assert.equal(readFileSync(path, 'utf8'), '{"format": "weightprint-review", "findings": [');
  assert.equal(existsSync(path + BACKUP_SUFFIX), false);
  // Valid JSON that is not a review store is unreadable too.
  writeFileSync(path, '{"hello": 1}\n');
  assert.equal((await ReviewStore.open(path, binding, opts())).status.kind, 'unreadable');
});

test('a newer-schema store is reported and never overwritten', async () => {
  const path = join(tempDir(), 'm.review.json');
  const text = JSON.stringify({ format: 'weightprint-review', schemaVersion: 2, checkpoint: { headerHash: HASH, name: 'x' }, findings: [], future: true });
  writeFileSync(path, text);
  const s = await ReviewStore.open(path, binding, opts());
  assert.equal(s.status.kind, 'newer-schema');
  assert.equal(s.status.storedSchemaVersion, 2);
  await assert.rejects(s.add({ target: { kind: 'model' }, verdict: 'note' }), (e: unknown) => e instanceof ReviewStoreError && e.code === 'newer-schema');
  assert.equal(readFileSync(path, 'utf8'), text);
});

test('a file changed into garbage while open: the write is refused, the file left alone, the change kept in memory', async () => {
  const path = join(tempDir(), 'm.review.json');
  const s = await storeWith(path, 1);
  writeFileSync(path, 'not json at all');
  await assert.rejects(s.add({ target: { kind: 'model' }, verdict: 'note' }), (e: unknown) => e instanceof ReviewStoreError && e.code === 'unreadable');
  assert.equal(readFileSync(path, 'utf8'), 'not json at all');
  assert.equal(s.status.kind, 'unreadable');
});

test('a review of another checkpoint (header hash mismatch) says so and is not written', async () => {
  const path = join(tempDir(), 'm.review.json');
  await storeWith(path, 1);
  const before = readFileSync(path, 'utf8');
  const s = await ReviewStore.open(path, { headerHash: OTHER, name: 'other.safetensors' }, opts());
  assert.equal(s.status.kind, 'hash-mismatch');
  assert.equal(s.status.storedHash, HASH);
  assert.equal(s.status.checkpointHash, OTHER);
  assert.match(s.status.message, /another checkpoint/);
  assert.equal(s.findings.length, 1, 'its findings are shown');
  await assert.rejects(s.add({ target: { kind: 'model' }, verdict: 'note' }), (e: unknown) => e instanceof ReviewStoreError && e.code === 'hash-mismatch');
  assert.equal(readFileSync(path, 'utf8'), before);
});

test('read-only folder: a typed read-only error, changes kept in memory, then saved elsewhere', async () => {
  const ro = tempDir('wp-ro-');
  const elsewhere = tempDir('wp-rw-');
  for (const code of ['EROFS', 'EACCES']) {
    const s = await ReviewStore.open(join(ro, `m-${code}.review.json`), binding, opts({ fs: readOnlyFs(ro, code) }));
    await assert.rejects(s.add({ target: { kind: 'model' }, verdict: 'note', rationale: 'kept' }),
      (e: unknown) => e instanceof ReviewStoreError && e.code === 'read-only' && /read-only/.test(e.message));
    assert.equal(s.dirty, true);
    assert.equal(s.unsaved, true, 'a failed write leaves the change unsaved');
    assert.equal(s.findings.length, 1);
    const target = join(elsewhere, `m-${code}.review.json`);
    await s.saveAs(target);
    assert.equal(s.path, target);
    assert.equal(s.dirty, false);
    assert.equal(parseReviewDocument(readFileSync(target, 'utf8')).findings[0].rationale, 'kept');
    assert.deepEqual(readdirSync(ro), []);
  }
});

test('a write under way is not unsaved: the change is in memory and dirty, not a failed save', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let renames = 0;
  const slowFs = { ...nodeStoreFs, rename: async (from: string, to: string) => { renames++; await gate; return nodeStoreFs.rename(from, to); } };
  const s = await ReviewStore.open(join(tempDir(), 'm.review.json'), binding, opts({ fs: slowFs }));
  const adding = s.add({ target: { kind: 'model' }, verdict: 'note', rationale: 'slow disk' });
  while (renames === 0) await new Promise((r) => setTimeout(r, 5));
  assert.equal(s.findings.length, 1, 'the finding is in memory while it is written');
  assert.equal(s.dirty, true);
  assert.equal(s.unsaved, false, 'a write under way is not a failure');
  release();
  await adding;
  assert.equal(s.dirty, false);
  assert.equal(s.unsaved, false);
  assert.equal(s.status.kind, 'ok');
});

test('changedOnDisk and reload notice an external edit (git pull)', async () => {
  const path = join(tempDir(), 'm.review.json');
  const s = await storeWith(path, 1);
  assert.equal(await s.changedOnDisk(), false);
  const other = createFinding({ target: { kind: 'component', component: 'language' }, verdict: 'independent' }, { now: fixedClock('2026-01-01T00:00:00.000Z'), newId: counterIds('git'), reviewer: 'carol' });
  writeFileSync(path, serialiseReview(binding, [...s.findings, other]));
  const events: string[] = [];
  s.onDidChange((c) => events.push(c.action));
  const r = await s.reload();
  assert.equal(r.changed, true);
  assert.ok(s.get(other.id));
  assert.deepEqual(events, ['reload']);
  assert.equal((await s.reload()).changed, false);
});
