// The vscode-free host side of statistics and audits: message validation, the router's answers, the per-document
// jobs (state broadcast, cache on reopen, cancellation leaving no worker, audit errors and results), path expansion.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPath, type Fingerprint } from '../../src/core/fingerprint';
import { liveStatsWorkers } from '../../src/core/stats';
import { DocumentJobs, type AuditEvent, type JobsEnvironment } from '../../src/extension/jobs/documentJobs';
import { JobRegistry, type LibraryAccess, type ProgressUi } from '../../src/extension/jobs/jobRegistry';
import { expandLibraryPaths } from '../../src/extension/library/libraryPaths';
import { eventMessage, MessageRouter, parseWebviewMessage } from '../../src/extension/editor/messageRouter';
import { HANDLERS, parseQuery } from '../../src/extension/editor/requests';
import { CheckpointSession } from '../../src/extension/editor/checkpointSession';
import type { HostToWebview, TensorStats } from '../../src/shared/protocol';
import { normals, tmpDir, writeSafetensorsFile } from './helpers/statsGen';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';

before(() => ensureFixtureCorpus());

const workerPath = join(process.cwd(), 'dist/workers/stats.worker.js');
const corpus = CORPUS;

const f32 = (values: Float64Array | number[]) => new Uint8Array(Float32Array.from(values).buffer);

function smallCheckpoint(dir: string, name = 'model.safetensors'): string {
  const file = join(dir, name);
  writeSafetensorsFile(file, [
    { name: 'model.layers.0.mlp.up_proj.weight', dtype: 'F32', shape: [64, 32], data: f32(normals(2048, 1, 0.02)) },
    { name: 'model.layers.1.mlp.up_proj.weight', dtype: 'F32', shape: [64, 32], data: f32(normals(2048, 2, 0.5)) },
    { name: 'model.norm.weight', dtype: 'F32', shape: [32], data: f32(new Array(32).fill(1)) },
    { name: 'zeros', dtype: 'F32', shape: [8], data: f32(new Array(8).fill(0)) },
  ]);
  return file;
}

/** Runs tasks at once; records titles; `cancelAfter` aborts once the task has reported that many times. */
function fakeProgress(titles: string[] = []): ProgressUi {
  return {
    run(title, _controller, task) {
      titles.push(title);
      return task(() => undefined);
    },
  };
}

function library(fps: Fingerprint[] = []): LibraryAccess {
  return {
    count: () => fps.length,
    fingerprints: async (ids) => (ids ? ids.map((id) => {
      const f = fps.find((x) => x.model.id === id);
      if (!f) throw new Error(`no model ${id}`);
      return f;
    }) : fps),
  };
}

function env(over: Partial<JobsEnvironment> = {}): JobsEnvironment {
  return { workerPath, workers: 1, autoComputeMaxBytes: () => 1 << 30, progress: fakeProgress(), library: library(), ...over };
}

async function open(path: string) {
  const load = CheckpointSession.load(path);
  const r = await load;
  assert.ok(r.ok);
  return { load, session: r.session };
}

function collect(jobs: DocumentJobs): HostToWebview[] {
  const sent: HostToWebview[] = [];
  jobs.events.subscribe((e) => sent.push(eventMessage(e)));
  return sent;
}

test('parseWebviewMessage accepts the statistics and provenance messages and rejects malformed ones', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'runStats' }), { type: 'runStats' });
  assert.deepEqual(parseWebviewMessage({ type: 'runAudit', extra: 1 }), { type: 'runAudit' });
  assert.deepEqual(parseWebviewMessage({ type: 'manageLibrary' }), { type: 'manageLibrary' });
  assert.deepEqual(parseWebviewMessage({ type: 'addHubModel', repo: 'Qwen/Qwen2.5-7B' }), { type: 'addHubModel', repo: 'Qwen/Qwen2.5-7B' });
  for (const repo of ['Qwen', 'a/b/c', '../x', 'a/b c', '', 42]) assert.equal(parseWebviewMessage({ type: 'addHubModel', repo }), undefined, String(repo));
  assert.deepEqual(parseWebviewMessage({ type: 'cancelJob', job: 'audit' }), { type: 'cancelJob', job: 'audit' });
  assert.equal(parseWebviewMessage({ type: 'cancelJob', job: 'all' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'request', id: 3, method: 'getTensorStats', params: { id: 1 } }), undefined, 'requests are read by requests.ts');
  const q = { filter: '', regex: false, sortKey: 'std', descending: true, start: 0, count: 10 };
  assert.ok(parseQuery(q), 'sorting by a statistic is allowed');
  assert.equal(parseQuery({ ...q, sortKey: 'l2' }), undefined);
  assert.equal(HANDLERS.getTensorStats.parse({ id: '1' }), undefined);
  assert.deepEqual(HANDLERS.getTensorStats.parse({ id: 1 }), { id: 1 });
});

test('a small checkpoint computes on open; rows get statistics, layers are sent, a reopen loads the cache', async () => {
  const dir = tmpDir('wp-jobs-');
  const cacheDir = join(dir, 'cache');
  const file = smallCheckpoint(dir);
  const { load } = await open(file);
  const titles: string[] = [];
  const jobs = new DocumentJobs('file:///m', 'model.safetensors', load, env({ statsCacheDir: cacheDir, progress: fakeProgress(titles) }));
  const sent = collect(jobs);
  await jobs.ready;
  await waitUntil(() => jobs.info().stats.state === 'done');
  assert.deepEqual(titles, ['Weightprint: statistics of model.safetensors']);
  const states = sent.filter((m) => m.type === 'statsState').map((m) => (m as { state: string }).state);
  assert.equal(states[0], 'idle');
  assert.ok(states.includes('running'));
  assert.equal(states.at(-1), 'done');
  const layers = sent.find((m) => m.type === 'statsLayers');
  assert.ok(layers && layers.type === 'statsLayers' && layers.layers.length === 1 && layers.layers[0].series[0].layers.length === 2);
  const info = jobs.info();
  assert.equal(info.stats.source, 'computed');
  assert.equal(info.stats.tensorsWithStats, 4);
  assert.ok(info.stats.cacheFile && existsSync(info.stats.cacheFile));
  // Sorting by std uses the filled rows: layer 1 (σ 0.5) first; the all-zero tensor is flagged.
  const page = jobs.checkpointSession!.query({ filter: '', regex: false, sortKey: 'std', descending: true, start: 0, count: 10 });
  assert.equal(page.rows[0].name, 'model.layers.1.mlp.up_proj.weight');
  assert.ok(Math.abs(page.rows[0].stats!.std! - 0.5) < 0.05);
  assert.deepEqual(page.rows.find((r) => r.name === 'zeros')?.stats?.flags, ['all-zero']);
  assert.equal(jobs.tensorStats(0)?.name, 'model.layers.0.mlp.up_proj.weight');
  assert.throws(() => jobs.tensorStats(99), /no tensor with id 99/);
  jobs.dispose();

  const again = new DocumentJobs('file:///m', 'model.safetensors', (await open(file)).load, env({ statsCacheDir: cacheDir, progress: fakeProgress(titles) }));
  await again.ready;
  assert.equal(again.info().stats.state, 'done');
  assert.equal(again.info().stats.source, 'cache');
  assert.equal(again.info().stats.runs, 0);
  assert.equal(titles.length, 1, 'no second job');
  assert.equal(again.state().filter((e) => e.kind === 'layers').length, 1);
  again.dispose();
});

test('above autoComputeMaxBytes nothing starts until asked; cancelling ends the job and leaves no worker', async () => {
  const dir = tmpDir('wp-jobs-');
  const file = join(dir, 'big.safetensors');
  const n = 1 << 20;
  writeSafetensorsFile(file, Array.from({ length: 6 }, (_, i) => ({ name: `t${i}`, dtype: 'F32' as const, shape: [n], data: f32(normals(n, i + 1, 1)) })));
  const registry = new JobRegistry();
  const { load } = await open(file);
  const jobs = new DocumentJobs('file:///big', 'big.safetensors', load, env({ autoComputeMaxBytes: () => 1024, registry, chunkBytes: 1 << 16 }));
  const sent = collect(jobs);
  await jobs.ready;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(jobs.info().stats.state, 'idle');
  assert.equal(jobs.info().stats.runs, 0);
  const done = jobs.runStats();
  assert.equal(registry.running().length, 1);
  assert.equal(jobs.runStats(), done, 'a second request joins the running job');
  await waitUntil(() => sent.some((m) => m.type === 'statsState' && m.state === 'running'));
  assert.equal(jobs.cancel('stats'), true);
  await done;
  assert.equal(jobs.info().stats.state, 'cancelled');
  assert.equal(registry.running().length, 0);
  await waitUntil(() => liveStatsWorkers() === 0);
  assert.equal(jobs.cancel('stats'), false);
  jobs.dispose();
});

test('the router answers ready with init and the job state, starts jobs, answers getTensorStats and reports failures', async () => {
  const dir = tmpDir('wp-jobs-');
  const { load } = await open(smallCheckpoint(dir));
  const jobs = new DocumentJobs('file:///r', 'model.safetensors', load, env({ autoComputeMaxBytes: () => 0 }));
  const posted: HostToWebview[] = [];
  let libraryShown = 0;
  const router = new MessageRouter(load, (m) => { posted.push(m); }, {}, () => undefined, { jobs, manageLibrary: () => { libraryShown++; } });
  await router.handle({ type: 'ready' });
  assert.deepEqual(posted.map((m) => m.type), ['init', 'statsState', 'auditState']);
  await router.handle({ type: 'request', id: 7, method: 'getTensorStats', params: { id: 1 } });
  assert.deepEqual(posted.at(-1), { type: 'reply', id: 7, method: 'getTensorStats', ok: true, result: null });
  await router.handle({ type: 'runStats' });
  await waitUntil(() => posted.some((m) => m.type === 'statsState' && m.state === 'done'));
  await router.handle({ type: 'request', id: 8, method: 'getTensorStats', params: { id: 1 } });
  const answer = posted.at(-1);
  const stats = answer?.type === 'reply' && answer.ok ? (answer.result as TensorStats) : null;
  assert.ok(answer?.type === 'reply' && answer.id === 8 && stats?.name === 'model.layers.1.mlp.up_proj.weight' && stats.histogram);
  await router.handle({ type: 'request', id: 9, method: 'getTensorStats', params: { id: 1000 } });
  assert.ok(posted.at(-1)?.type === 'reply' && !(posted.at(-1) as { ok: boolean }).ok);
  // Every request with an id is answered, malformed ones too; one without an id cannot be and is dropped.
  for (const [id, bad] of [[10, { method: 'getTensorStats', params: { id: 'x' } }], [11, { method: 'getTensorStats' }], [12, { method: 'formatDisk', params: {} }], [13, { method: 'constructor', params: {} }]] as const) {
    await router.handle({ type: 'request', id, ...bad });
    const reply = posted.at(-1);
    assert.ok(reply?.type === 'reply' && reply.id === id && !reply.ok && reply.error.code === 'bad-request', JSON.stringify(reply));
  }
  const before = posted.length;
  await router.handle({ type: 'request', id: 'x', method: 'getTensorStats', params: { id: 1 } });
  assert.equal(posted.length, before);
  await router.handle({ type: 'manageLibrary' });
  assert.equal(libraryShown, 1);
  // An empty library: the audit ends in a clear error, not an exception.
  await router.handle({ type: 'runAudit' });
  await waitUntil(() => posted.some((m) => m.type === 'auditState' && m.state === 'error'));
  const err = posted.find((m) => m.type === 'auditState' && m.state === 'error');
  assert.ok(err?.type === 'auditState' && /library holds no fingerprints/.test(err.error!.message) && err.error!.code === 'empty-library');
  // A panel whose checkpoint failed to load answers job requests with errors.
  const bad = CheckpointSession.load(join(dir, 'missing.safetensors'));
  const badJobs = new DocumentJobs('file:///x', 'missing', bad, env());
  const badPosted: HostToWebview[] = [];
  const badRouter = new MessageRouter(bad, (m) => { badPosted.push(m); }, {}, () => undefined, { jobs: badJobs });
  await badRouter.handle({ type: 'ready' });
  await badRouter.handle({ type: 'runStats' });
  await badRouter.handle({ type: 'request', id: 1, method: 'getTensorStats', params: { id: 0 } });
  assert.deepEqual(badPosted.map((m) => m.type), ['loadError', 'statsState', 'reply']);
  assert.ok(badPosted[2].type === 'reply' && !badPosted[2].ok && /could not be opened/.test(badPosted[2].error.message));
  router.dispose();
  jobs.dispose();
  badJobs.dispose();
});

test('the router holds requests until its webview is ready and drops state that the snapshot covers', async () => {
  const dir = tmpDir('wp-jobs-');
  const { load } = await open(smallCheckpoint(dir));
  const jobs = new DocumentJobs('file:///h', 'model.safetensors', load, env({ autoComputeMaxBytes: () => 0 }));
  const posted: HostToWebview[] = [];
  const router = new MessageRouter(load, (m) => { posted.push(m); }, {}, () => undefined, { jobs });
  const events = jobs.events;
  assert.equal(events.subscribers, 1);
  // Before `ready`: a state event is not sent (the snapshot will be), requests are held, the latest of each kind.
  events.emit({ kind: 'showView', request: { view: 'statistics' } });
  events.emit({ kind: 'stats', status: { state: 'running', tensorsWithStats: 0 } });
  events.emit({ kind: 'openFindingForm' });
  events.emit({ kind: 'showView', request: { view: 'provenance', component: 'vision' } });
  assert.equal(posted.length, 0);
  await router.handle({ type: 'ready' });
  assert.deepEqual(posted.map((m) => m.type), ['init', 'statsState', 'auditState', 'showView', 'openFindingForm']);
  assert.deepEqual(posted[3], { type: 'showView', view: 'provenance', component: 'vision' });
  assert.ok(posted[1].type === 'statsState' && posted[1].state === 'idle', 'the snapshot, not the dropped event');
  // Ready: events go out as they come.
  events.emit({ kind: 'showView', request: { view: 'tensors', tensorId: 2 } });
  assert.deepEqual(posted.at(-1), { type: 'showView', view: 'tensors', tensorId: 2 });
  // The panel was hidden (its webview destroyed): held again until the new webview says ready, then replayed once.
  router.webviewGone();
  const n = posted.length;
  events.emit({ kind: 'showView', request: { view: 'findings', findingId: 'f1' } });
  events.emit({ kind: 'audit', status: { state: 'idle', libraryModels: 3 } });
  assert.equal(posted.length, n);
  await router.handle({ type: 'ready' });
  assert.deepEqual(posted.slice(n).map((m) => m.type), ['init', 'statsState', 'auditState', 'showView']);
  await router.handle({ type: 'ready' });
  assert.ok(!posted.slice(n + 4).some((m) => m.type === 'showView'), 'a held request is shown once');
  router.dispose();
  assert.equal(events.subscribers, 0);
  jobs.dispose();
});

test('an audit with statistics delivers verdicts to the panels and to the audit listener, and shows a view', async () => {
  const refs = [
    await fingerprintPath(join(corpus, 'lm', 'lm_A.safetensors'), { id: 'lm_A' }),
    await fingerprintPath(join(corpus, 'vision', 'vit_R.safetensors'), { id: 'vit_R' }),
  ];
  const { load } = await open(join(corpus, 'vl', 'suspect_vl_copied_vision.safetensors'));
  const events: AuditEvent[] = [];
  const jobs = new DocumentJobs('file:///s', 'suspect', load, env({ autoComputeMaxBytes: () => 0, library: library(refs), onAudit: (e) => events.push(e) }));
  const sent = collect(jobs);
  const result = await jobs.runAudit({ references: ['lm_A', 'vit_R'], withStats: true });
  assert.ok(result);
  const verdicts = Object.fromEntries(result.components.map((c) => [c.name, [c.verdict, c.reference]]));
  assert.deepEqual(verdicts.vision, ['derived', 'vit_R']);
  assert.deepEqual(verdicts.language, ['no-evidence', null]);
  assert.equal(jobs.info().stats.state, 'done', 'statistics ran first');
  assert.equal(events.length, 1);
  assert.deepEqual(events[0].references, ['lm_A', 'vit_R']);
  const last = sent.filter((m) => m.type === 'auditState').at(-1);
  assert.ok(last?.type === 'auditState' && last.state === 'done' && last.result === result && last.libraryModels === 2);
  assert.ok(sent.some((m) => m.type === 'auditState' && m.state === 'running' && m.progress?.message.startsWith('matching against')));
  jobs.events.emit({ kind: 'showView', request: { view: 'provenance' } });
  assert.deepEqual(sent.at(-1), { type: 'showView', view: 'provenance' });
  assert.equal(await jobs.runAudit({ references: ['nope'] }), undefined);
  assert.match(jobs.info().audit.error ?? '', /no model nope/);
  jobs.dispose();
});

test('a cancelled audit reports cancelled', async () => {
  const refs = [await fingerprintPath(join(corpus, 'vision', 'vit_R.safetensors'), { id: 'vit_R' })];
  const { load } = await open(join(corpus, 'vl', 'suspect_vl_copied_vision.safetensors'));
  const jobs = new DocumentJobs('file:///s', 'suspect', load, env({ autoComputeMaxBytes: () => 0, library: library(refs) }));
  await jobs.ready;
  const running = jobs.runAudit();
  jobs.cancel('audit');
  assert.equal(await running, undefined);
  assert.equal(jobs.info().audit.state, 'cancelled');
  jobs.dispose();
});

test('library paths: ~, ${workspaceFolder}, named folders, relative paths; the default folder first', () => {
  const ctx = { workspaceFolders: [{ name: 'ws', path: '/w/ws' }, { name: 'other', path: '/w/other' }], home: homedir(), defaultFolder: '/g/library' };
  const r = expandLibraryPaths(['~/refs', '${workspaceFolder}/lib', '${workspaceFolder:other}/x', 'rel', '/g/library', '${workspaceFolder:none}/y'], ctx);
  assert.deepEqual(r.folders, ['/g/library', join(homedir(), 'refs'), '/w/ws/lib', '/w/other/x', '/w/ws/rel']);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0].reason, /no workspace folder is named "none"/);
  const none = expandLibraryPaths(['${workspaceFolder}/lib', 'rel'], { ...ctx, workspaceFolders: [] });
  assert.deepEqual(none.folders, ['/g/library']);
  assert.equal(none.problems.length, 2);
});

async function waitUntil(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
