// Runs the statistics of a checkpoint on a worker_threads pool: tasks in file order, two in flight per worker,
// slice partials merged on this thread, results streamed per tensor, progress events, AbortSignal cancellation.
import { availableParallelism, endianness } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Checkpoint, TensorEntry } from '../format/checkpoint';
import { currentBundle, t } from '../l10n';
import { abortError } from '../abort';
import { TensorAccumulator } from './compute';
import { emptyStats } from './finalize';
import { planTasks, StatsTask, taskTensors } from './plan';
import { deserializeError, SerializedError, serializeError, TaskResult, TaskRunner } from './runner';
import { StatsCache } from './cache';
import type { StatsOptions, StatsProgress, StatsRun, TensorStats } from './types';

export const DEFAULT_BINS = 64;
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const IN_FLIGHT_PER_WORKER = 2;

let liveWorkers = 0;

/** Stats worker threads alive in this process (tests assert 0 after a cancelled run). */
export function liveStatsWorkers(): number {
  return liveWorkers;
}

export function defaultWorkerPath(): string {
  return join(__dirname, 'workers', 'stats.worker.js');
}


interface Executor {
  submit(task: StatsTask): void;
  /** Tasks submitted and not yet answered. */
  inFlight(): number;
  capacity: number;
  close(abort: boolean): Promise<void>;
}

type Handler = (msg: TaskResult | { type: 'error'; id: number; error: SerializedError }) => void;

class WorkerExecutor implements Executor {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly owner = new Map<number, number>();
  readonly capacity: number;

  constructor(size: number, workerPath: string, init: { files: string[]; bins: number; chunkBytes: number }, handler: Handler, onFatal: (e: Error) => void) {
    if (!existsSync(workerPath)) throw new Error(t('stats worker not found at {0} (build with node scripts/build.mjs)', workerPath));
    // The worker's own l10n module starts English: it gets this thread's bundle, so its errors are in the UI language.
    const workerData = { ...init, l10n: currentBundle() };
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerPath, { workerData });
      liveWorkers++;
      w.once('exit', () => { liveWorkers--; });
      w.on('message', (msg) => {
        const idx = this.owner.get(msg.id);
        if (idx !== undefined) { this.load[idx]--; this.owner.delete(msg.id); }
        handler(msg);
      });
      w.on('error', (e) => onFatal(e));
      this.workers.push(w);
      this.load.push(0);
    }
    this.capacity = size * IN_FLIGHT_PER_WORKER;
  }

  submit(task: StatsTask): void {
    let best = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i] < this.load[best]) best = i;
    this.load[best]++;
    this.owner.set(task.id, best);
    this.workers[best].postMessage({ type: 'task', task });
  }

  inFlight(): number {
    return this.owner.size;
  }

  async close(abort: boolean): Promise<void> {
    await Promise.all(this.workers.map(async (w) => {
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      if (abort) {
        await w.terminate();
        return;
      }
      w.postMessage({ type: 'close' });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), 2000); });
      const r = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (r === 'timeout') await w.terminate();
    }));
  }
}

/** Runs tasks one at a time on the calling thread (workers: 0). */
class InlineExecutor implements Executor {
  private readonly runner: TaskRunner;
  private readonly buffer: Buffer;
  private queue: StatsTask[] = [];
  private running = false;
  private closed = false;
  readonly capacity = 1;

  constructor(init: { files: string[]; bins: number; chunkBytes: number }, private readonly handler: Handler) {
    this.runner = new TaskRunner(init.files, init.bins);
    this.buffer = Buffer.allocUnsafeSlow(init.chunkBytes);
  }

  submit(task: StatsTask): void {
    this.queue.push(task);
    if (!this.running) void this.drain();
  }

  inFlight(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length && !this.closed) {
      const task = this.queue[0];
      let msg: Parameters<Handler>[0];
      try {
        msg = this.runner.compute(await this.runner.load(task, this.buffer));
      } catch (e) {
        msg = { type: 'error', id: task.id, error: serializeError(e) };
      }
      this.queue.shift();
      if (this.closed) break;
      this.handler(msg);
    }
    this.running = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    await this.runner.close();
  }
}

function selectTensors(checkpoint: Checkpoint, names?: string[]): TensorEntry[] {
  if (!names) return checkpoint.tensors;
  const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
  return names.map((n) => {
    const entry = byName.get(n);
    if (!entry) throw new Error(t('no tensor named {0}', JSON.stringify(n)));
    return entry;
  });
}

/**
 * Statistics of every tensor (or `options.tensors`) of an opened checkpoint. Results stream through
 * `onTensor`; the returned promise holds all of them in order. Rejects with an AbortError when `signal` aborts
 * (every worker is terminated before it settles) and with the CheckpointError of an unreadable tensor.
 */
export async function computeStats(checkpoint: Checkpoint, options: StatsOptions = {}): Promise<StatsRun> {
  if (endianness() !== 'LE') throw new Error(t('statistics need a little-endian host'));
  const started = Date.now();
  const bins = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(bins) || bins < 1 || bins > 4096) throw new RangeError(t('bins must be an integer in 1..4096'));
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 64) throw new RangeError(t('chunkBytes must be an integer ≥ 64'));
  const signal = options.signal;
  if (signal?.aborted) throw abortError(t('statistics cancelled'));

  const selected = selectTensors(checkpoint, options.tensors);
  const results: (TensorStats | undefined)[] = new Array(selected.length);
  const progress: StatsProgress = { bytesDone: 0, bytesTotal: 0, tensorsDone: 0, tensorsTotal: selected.length, tensorsCached: 0 };
  const emit = (index: number, stats: TensorStats) => {
    results[index] = stats;
    progress.tensorsDone++;
    options.onTensor?.(stats, index);
  };

  const cache = options.cacheDir ? new StatsCache(options.cacheDir) : undefined;
  const cached = cache ? await cache.load(checkpoint, bins) : undefined;
  const all = taskTensors(checkpoint, selected);
  const todo = all.filter((t) => {
    const hit = cached?.get(t.name);
    if (hit) { progress.tensorsCached++; emit(t.index, hit); return false; }
    return true;
  });
  for (const t of todo) {
    if (t.count === 0) {
      emit(t.index, emptyStats(t, 'exact-sort', { warning: t.warning }));
    }
  }
  const plan = planTasks(todo, chunkBytes);
  progress.bytesTotal = plan.bytes;
  options.onProgress?.({ ...progress });

  const save = async () => {
    if (!cache || progress.tensorsDone === progress.tensorsCached) return;
    const byName = new Map(cached ?? []);
    for (const r of results) if (r) byName.set(r.name, r);
    const complete = checkpoint.tensors.every((t) => byName.has(t.name));
    await cache.save(checkpoint, bins, [...byName.values()], complete).catch(() => undefined);
  };

  if (plan.tasks.length === 0) {
    await save();
    return finish();
  }

  const size = Math.min(
    options.workers ?? availableParallelism(),
    options.maxWorkers ?? 16,
    plan.tasks.length,
  );
  const init = { files: checkpoint.files.map((f) => f.path), bins, chunkBytes };
  const accumulators = new Map<number, TensorAccumulator>();
  const workBytes = new Map<number, number>();
  const sliceCounts = new Map<number, number>();
  for (const task of plan.tasks) {
    if (task.kind === 'slice') sliceCounts.set(task.tensor.index, task.slices);
    workBytes.set(task.id, task.kind === 'slice' ? task.byteEnd - task.byteStart : task.tensors.reduce((s, t) => s + t.end - t.begin, 0));
  }
  let next = 0;
  let answered = 0;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const finished = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  let failed = false;
  const fail = (e: Error) => { if (!failed) { failed = true; settle.reject(e); } };

  const handler: Handler = (msg) => {
    if (failed) return;
    try {
      if (msg.type === 'error') {
        fail(deserializeError(msg.error));
        return;
      }
      if (msg.type === 'partial') {
        let acc = accumulators.get(msg.tensorIndex);
        const tensor = all[msg.tensorIndex];
        if (!acc) {
          acc = new TensorAccumulator(tensor, sliceCounts.get(msg.tensorIndex) ?? 1);
          accumulators.set(msg.tensorIndex, acc);
        }
        if (acc.add(msg.slice, msg.partial)) {
          accumulators.delete(msg.tensorIndex);
          emit(msg.tensorIndex, acc.finalize(bins));
        }
      } else {
        for (const { index, stats } of msg.stats) emit(index, stats);
      }
      progress.bytesDone += workBytes.get(msg.id) ?? 0;
      answered++;
      options.onProgress?.({ ...progress });
      pump();
      if (answered === plan.tasks.length) settle.resolve();
    } catch (e) {
      fail(e as Error);
    }
  };

  const executor: Executor = size <= 0
    ? new InlineExecutor(init, handler)
    : new WorkerExecutor(size, options.workerPath ?? defaultWorkerPath(), init, handler, fail);
  const pump = () => {
    while (next < plan.tasks.length && executor.inFlight() < executor.capacity) executor.submit(plan.tasks[next++]);
  };
  const onAbort = () => fail(abortError(t('statistics cancelled')));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    pump();
    await finished;
  } catch (e) {
    await executor.close(true);
    await save();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  await executor.close(false);
  await save();
  return finish();

  function finish(): StatsRun {
    return {
      tensors: results as TensorStats[],
      tensorsCached: progress.tensorsCached,
      bytesRead: progress.bytesDone,
      elapsedMs: Date.now() - started,
      workers: Math.max(0, Math.min(options.workers ?? availableParallelism(), options.maxWorkers ?? 16, plan.tasks.length)),
    };
  }
}

/** The same run as an async iterator of events, for consumers that prefer `for await`. */
export async function* statsEvents(checkpoint: Checkpoint, options: Omit<StatsOptions, 'onTensor' | 'onProgress'> = {}): AsyncGenerator<
  { type: 'tensor'; index: number; stats: TensorStats } | { type: 'progress'; progress: StatsProgress } | { type: 'done'; run: StatsRun }
> {
  type Ev = { type: 'tensor'; index: number; stats: TensorStats } | { type: 'progress'; progress: StatsProgress } | { type: 'done'; run: StatsRun };
  const queue: Ev[] = [];
  let wake: (() => void) | undefined;
  let error: unknown;
  let done = false;
  const push = (e: Ev) => { queue.push(e); wake?.(); };
  computeStats(checkpoint, {
    ...options,
    onTensor: (stats, index) => push({ type: 'tensor', index, stats }),
    onProgress: (progress) => push({ type: 'progress', progress }),
  }).then((run) => { push({ type: 'done', run }); done = true; wake?.(); }, (e) => { error = e; done = true; wake?.(); });
  while (true) {
    if (queue.length) { yield queue.shift()!; continue; }
    if (error) throw error;
    if (done) return;
    await new Promise<void>((resolve) => { wake = resolve; });
    wake = undefined;
  }
}
