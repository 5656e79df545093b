// Cancelling an audit: the abort signal reaches the matching, which stops within the reference being compared
// (not when every reference is done) and rejects with an AbortError; an un-aborted signal changes nothing.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { auditCheckpoint, compareCheckpoints } from '../../src/core/match/audit';
import { CORPUS as dir, ensureFixtureCorpus } from './helpers/corpus';

before(() => ensureFixtureCorpus());

function pathOf(id: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { models: { id: string; files: string[] }[] };
  const files = manifest.models.find((m) => m.id === id)!.files;
  return join(dir, files.find((f) => f.endsWith('.index.json')) ?? files[0]);
}

// The permuted copy of lm_A exercises every step (plain matching, row permutation search, hidden permutation).
const SUSPECT = 'A_perm_mlp_heads';
const REFERENCE_IDS = ['lm_A', 'lm_B', 'vit_R', 'A_ft_code'];
let references: Fingerprint[] | undefined;

async function refs(): Promise<Fingerprint[]> {
  references ??= await Promise.all(REFERENCE_IDS.map((id) => fingerprintPath(pathOf(id), { id })));
  return references;
}

const matching = (messages: string[]) => messages.filter((m) => m.startsWith('matching against'));

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error, `rejected with a non-Error: ${String(e)}`);
    return e;
  }
  assert.fail('the audit resolved although it was aborted');
}

test('audit: aborting at the first reference rejects with AbortError before the other references', { timeout: 120_000 }, async () => {
  const all = await refs();
  const controller = new AbortController();
  const messages: string[] = [];
  const e = await rejection(auditCheckpoint(pathOf(SUSPECT), all, {
    signal: controller.signal,
    onProgress: (m) => {
      messages.push(m);
      if (m.startsWith('matching against')) controller.abort();
    },
  }));
  assert.equal(e.name, 'AbortError');
  assert.deepEqual(matching(messages), ['matching against lm_A']);
  assert.ok(matching(messages).length < all.length);
});

test('audit: an abort arriving while a reference is being compared stops that comparison', { timeout: 120_000 }, async (t) => {
  const all = await refs();
  const controller = new AbortController();
  const messages: string[] = [];
  let abortedAt = 0;
  const e = await rejection(auditCheckpoint(pathOf(SUSPECT), all, {
    signal: controller.signal,
    onProgress: (m) => {
      messages.push(m);
      // From outside the matching, as a Cancel button would: a timer, while lm_A (seconds of work) is compared.
      if (matching(messages).length === 1) setTimeout(() => { abortedAt = performance.now(); controller.abort(); }, 200);
    },
  }));
  const latency = performance.now() - abortedAt;
  assert.equal(e.name, 'AbortError');
  assert.ok(abortedAt > 0, 'rejected before the abort');
  assert.deepEqual(matching(messages), ['matching against lm_A'], 'the comparison with lm_A ran to its end');
  // How fast it stops is a figure for the reader, not an assertion (no timing assertions: a loaded machine varies).
  t.diagnostic(`stopped ${latency.toFixed(0)} ms after the abort`);
});

test('audit: an already aborted signal rejects before any matching; compareCheckpoints stops its fingerprint step', { timeout: 60_000 }, async () => {
  const signal = AbortSignal.abort();
  const messages: string[] = [];
  const e = await rejection(auditCheckpoint(pathOf(SUSPECT), await refs(), { signal, onProgress: (m) => messages.push(m) }));
  assert.equal(e.name, 'AbortError');
  assert.deepEqual(messages, []);
  const c = await rejection(compareCheckpoints(pathOf('lm_A'), pathOf(SUSPECT), { signal }));
  assert.equal(c.name, 'AbortError');
});

test('audit: a signal that is never aborted gives the verdict of a run without one', { timeout: 120_000 }, async () => {
  const lmA = (await refs()).filter((r) => r.model.id === 'lm_A');
  const controller = new AbortController();
  const [withSignal, without] = [
    await auditCheckpoint(pathOf(SUSPECT), lmA, { signal: controller.signal }),
    await auditCheckpoint(pathOf(SUSPECT), lmA),
  ];
  const summary = (r: typeof without) => r.components.map((c) => ({ name: c.name, verdict: c.verdict, reference: c.reference, relation: c.relation, evidence: c.evidence }));
  assert.deepEqual(summary(withSignal), summary(without));
  assert.deepEqual(withSignal.notes, without.notes);
  const language = withSignal.components.find((c) => c.name === 'language');
  assert.equal(language?.verdict, 'derived');
  assert.equal(language?.reference, 'lm_A');
  assert.ok((language?.evidence.permutedTensors ?? 0) > 0, 'the permutation search ran');
});
