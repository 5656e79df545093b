// The host side of a document's review (src/extension/review/documentReview.ts, vscode-free): changes asked by the
// Findings pane, the `findings` message every panel gets, undo, the file watcher's reload-and-merge, read-only
// folders (mode bits, also for a superuser) with Save As, and the statuses that refuse writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinding, serialiseReview, type Finding } from '../../src/core/review/index';
import { CheckpointSession } from '../../src/extension/editor/checkpointSession';
import { DocumentReview } from '../../src/extension/review/documentReview';
import { eventMessage } from '../../src/extension/editor/messageRouter';
import type { HostToWebview } from '../../src/shared/protocol';
import { eventually } from './helpers/reviewFs';

type FindingsMessage = Extract<HostToWebview, { type: 'findings' }>;

function writeCheckpoint(file: string): void {
  const tensors = [
    { name: 'model.layers.0.mlp.up_proj.weight', shape: [4, 4] },
    { name: 'model.layers.1.mlp.up_proj.weight', shape: [4, 4] },
    { name: 'model.visual.blocks.0.attn.qkv.weight', shape: [4, 4] },
  ];
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.shape[0] * t.shape[1] * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file, Buffer.concat([prefix, json, Buffer.alloc(offset)]));
}

let ids = 0;
function setup(name = 'm.safetensors') {
  const dir = mkdtempSync(join(tmpdir(), 'wp-findings-'));
  const file = join(dir, name);
  writeCheckpoint(file);
  let changed: (() => void) | undefined;
  const sent: HostToWebview[] = [];
  let t = Date.parse('2025-01-01T00:00:00.000Z');
  const review = new DocumentReview(`file://${file}`, name, CheckpointSession.load(file), {
    reviewer: () => 'alice', now: () => new Date((t += 1000)), newId: () => `id-${++ids}`,
    watch: (_path, cb) => { changed = cb; return { dispose: () => { changed = undefined; } }; },
  });
  review.events.subscribe((e) => sent.push(eventMessage(e)));
  const last = () => [...sent].reverse().find((m): m is FindingsMessage => m.type === 'findings')!;
  return { dir, file, review, sent, last, fire: () => changed?.(), storePath: `${file}.review.json` };
}

const draft = (over: Partial<{ rationale: string }> = {}) => ({ target: { kind: 'layers' as const, component: 'language' as const, from: 0, to: 1 }, verdict: 'derived' as const, confidence: 'high' as const, rationale: 'why', ...over });

test('add, confirm, edit, delete and undo through the document review; every change is pushed to the panels', async () => {
  const s = setup();
  await s.review.ready;
  assert.equal(s.review.status().kind, 'new');
  assert.equal(s.review.tensorId('model.visual.blocks.0.attn.qkv.weight'), 2);
  assert.equal(s.review.componentOf('model.visual.blocks.0.attn.qkv.weight'), 'vision');
  assert.equal(s.review.firstTensorOf('language', 1, 1), 1);
  const f = await s.review.add(draft());
  assert.equal(f.state, 'confirmed');
  assert.equal(f.reviewer, 'alice');
  assert.ok(existsSync(s.storePath));
  assert.equal(s.last().status.kind, 'ok');
  assert.equal(s.last().findings.length, 1);
  assert.equal(s.last().canUndo, true);
  assert.equal(s.last().undoLabel, 'Undo add finding');
  await s.review.setState(f.id, 'rejected');
  assert.equal(s.last().findings[0].state, 'rejected');
  await s.review.update(f.id, draft({ rationale: 'second thoughts' }));
  assert.equal(s.last().findings[0].rationale, 'second thoughts');
  assert.equal(s.last().undoLabel, 'Undo edit');
  assert.equal(await s.review.undo(), true);
  assert.equal(s.last().findings[0].rationale, 'why');
  assert.equal(s.last().canUndo, false);
  await s.review.remove(f.id);
  assert.equal(s.last().findings.length, 0);
  await s.review.undo();
  assert.equal(s.last().findings.length, 1, 'undo of a delete brings it back');
  const onDisk = JSON.parse(readFileSync(s.storePath, 'utf8')) as { findings: Finding[] };
  assert.equal(onDisk.findings.length, 1);
  await assert.rejects(s.review.setState('no-such-id', 'confirmed'), /no finding/);
  s.review.dispose();
});

test('an external change of the review file is reloaded and merged when the watcher fires', async () => {
  const s = setup();
  await s.review.ready;
  const mine = await s.review.add(draft());
  const doc = JSON.parse(readFileSync(s.storePath, 'utf8')) as { checkpoint: { headerHash: string; name: string }; findings: Finding[] };
  const theirs = createFinding({ target: { kind: 'model' }, verdict: 'note', rationale: 'from a git pull', reviewer: 'bob' }, { newId: () => 'theirs', now: () => new Date('2030-01-01T00:00:00.000Z') });
  writeFileSync(s.storePath, serialiseReview(doc.checkpoint, [...doc.findings, theirs]));
  const before = s.sent.length;
  s.fire();
  await eventually('the merged findings sent to the panels', () => (s.sent.length > before && s.last().findings.some((f) => f.id === 'theirs') ? true : undefined));
  assert.deepEqual(s.last().findings.map((f) => f.id).sort(), [mine.id, 'theirs'].sort());
  // The next local change keeps the other side's finding on disk.
  await s.review.setState(mine.id, 'rejected');
  const after = JSON.parse(readFileSync(s.storePath, 'utf8')) as { findings: Finding[] };
  assert.deepEqual(after.findings.map((f) => f.id).sort(), [mine.id, 'theirs'].sort());
  s.review.dispose();
});

test('a read-only folder (no write bit, even for root) keeps changes in memory and offers Save As', async () => {
  const s = setup();
  await s.review.ready;
  chmodSync(s.dir, 0o555);
  try {
    await assert.rejects(s.review.add(draft()), (e: Error & { code?: string }) => e.code === 'read-only');
    assert.equal(existsSync(s.storePath), false, 'nothing was written');
    const status = s.last().status;
    assert.equal(status.kind, 'read-only');
    assert.equal(status.canSaveAs, true);
    assert.equal(status.dirty, true);
    assert.match(status.message, /read-only/);
    assert.equal(s.last().findings.length, 1, 'the change is kept in memory');
    const elsewhere = mkdtempSync(join(tmpdir(), 'wp-findings-elsewhere-'));
    const target = join(elsewhere, 'm.review.json');
    await s.review.saveAs(target);
    assert.equal(s.last().status.kind, 'ok');
    assert.equal(s.last().status.path, target);
    assert.equal((JSON.parse(readFileSync(target, 'utf8')) as { findings: unknown[] }).findings.length, 1);
  } finally {
    chmodSync(s.dir, 0o755);
    s.review.dispose();
  }
});

test('a review of another checkpoint, an unreadable one and an unopenable checkpoint refuse changes and say why', async () => {
  const a = setup();
  writeFileSync(a.storePath, serialiseReview({ headerHash: 'b'.repeat(64), name: 'other.safetensors' }, []));
  await a.review.ready;
  assert.equal(a.review.status().kind, 'hash-mismatch');
  assert.equal(a.review.status().writable, false);
  assert.equal(a.review.status().canSaveAs, true);
  await assert.rejects(a.review.add(draft()), (e: Error & { code?: string }) => e.code === 'hash-mismatch');
  a.review.dispose();

  const b = setup();
  writeFileSync(b.storePath, '{ not json');
  await b.review.ready;
  assert.equal(b.review.status().kind, 'unreadable');
  await assert.rejects(b.review.add(draft()));
  assert.equal(readFileSync(b.storePath, 'utf8'), '{ not json', 'left untouched');
  b.review.dispose();

  const dir = mkdtempSync(join(tmpdir(), 'wp-findings-bad-'));
  const bad = join(dir, 'broken.safetensors');
  writeFileSync(bad, Buffer.from([1, 2, 3]));
  const c = new DocumentReview(`file://${bad}`, 'broken.safetensors', CheckpointSession.load(bad), { reviewer: () => 'alice' });
  await c.ready;
  assert.equal(c.status().kind, 'unavailable');
  assert.match(c.status().message, /could not be opened/);
  await assert.rejects(c.add(draft()));
  c.dispose();
});
