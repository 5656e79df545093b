// The words of "Add Hugging Face Model to Library…" with several models (src/extension/hub/hubBatchText.ts): the
// input box's check names the bad entry, the progress line, and the one closing message with failures named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchProgress, batchSummary, parseModelInput, validateModelInput } from '../../src/extension/hub/hubBatchText';
import { libraryAddTarget, parseModelEntry, RemoteError, type LibraryAddOutcome, type LibraryAddReport, type RemoteProgress } from '../../src/core/remote';

test('the input box: several models separated by spaces, commas or new lines; the bad one is named', () => {
  const r = parseModelInput(' Qwen/Qwen2.5-0.5B, hf://google/siglip@v2/vision\norg/m  Qwen/Qwen2.5-0.5B ');
  assert.ok('refs' in r);
  assert.deepEqual(r.refs.map((x) => `${x.repo}@${x.revision}:${x.path}`), ['Qwen/Qwen2.5-0.5B@main:', 'google/siglip@v2:vision', 'org/m@main:']);
  assert.equal(validateModelInput('a/b c/d'), undefined);
  assert.match(validateModelInput('a/b, https://huggingface.co/c/d, e/f') ?? '', /^"https:\/\/huggingface\.co\/c\/d" is not a Hub model: .*not an hf:\/\/ URI or a repo id/);
  assert.match(validateModelInput('a/b hf://x/../y') ?? '', /^"hf:\/\/x\/\.\.\/y" is not a Hub model/);
  assert.match(validateModelInput('  ,\n ') ?? '', /^Enter one or more models/);
  assert.match(validateModelInput(Array.from({ length: 1001 }, (_, i) => `o/m${i}`).join(' ')) ?? '', /^At most 1000 models at once \(1001 given\)$/);
});

test('progress: models done of all, each model in flight with its bytes; the fraction counts tensors in flight', () => {
  const a = libraryAddTarget(parseModelEntry('o/a'), '/lib');
  const b = libraryAddTarget(parseModelEntry('o/b'), '/lib');
  const p: RemoteProgress = { phase: 'fetching', bytesFetched: 1_500_000, bytesPlanned: 3_000_000, requests: 9, retries: 0, tensorsDone: 5, tensorsTotal: 10, modelBytes: 1e9 };
  const { message, fraction } = batchProgress(1, 4, new Map([[a, p], [b, undefined]]));
  assert.equal(message, '1 of 4 done · o/a: 1.5 MB fetched · o/b: reading headers');
  assert.equal(fraction, 1.5 / 4);
});

test('the closing message: counts, the failed ones named with their reasons (five at most), the kind of notification', () => {
  const target = (s: string) => libraryAddTarget(parseModelEntry(s), '/lib');
  const fail = (s: string, reason: string): LibraryAddOutcome => ({ kind: 'failed', target: target(s), reason, error: new RemoteError('repo-not-found', reason), bytesFetched: 0 });
  const report = (outcomes: LibraryAddOutcome[], extra: Partial<LibraryAddReport> = {}): LibraryAddReport => ({
    outcomes, added: outcomes.filter((o) => o.kind === 'added').length, skipped: outcomes.filter((o) => o.kind === 'skipped').length,
    failed: outcomes.filter((o) => o.kind === 'failed').length, notDone: 0, cancelled: false, bytesFetched: 0, ...extra,
  });
  const skipped: LibraryAddOutcome = { kind: 'skipped', target: target('o/s'), path: '/lib/o_s.wpf' };
  assert.deepEqual(batchSummary(report([skipped])), { message: 'Weightprint: 0 added to the reference library, 1 already in it, 0 failed.', severity: 'info' });
  const mixed = batchSummary(report([skipped, fail('missing/x', 'repository missing/x not found')]));
  assert.equal(mixed.severity, 'warning');
  assert.equal(mixed.message, 'Weightprint: 0 added to the reference library, 1 already in it, 1 failed. Failed: hf://missing/x: repository missing/x not found');
  const many = batchSummary(report(Array.from({ length: 7 }, (_, i) => fail(`bad/m${i}`, 'no'))));
  assert.equal(many.severity, 'error');
  assert.match(many.message, /hf:\/\/bad\/m4: no; 2 more \(see the Weightprint log\)$/);
  assert.doesNotMatch(many.message, /bad\/m5/);
  const cancelled = batchSummary(report([skipped], { cancelled: true, notDone: 3 }));
  assert.equal(cancelled.message, 'Weightprint: cancelled. 0 added, 1 already in the library, 0 failed, 3 not done.');
});
