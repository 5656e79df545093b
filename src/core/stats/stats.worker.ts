// Worker thread of the statistics pool: reads and computes tasks in order, overlapping the read of the next
// task with the computation of the current one (two reused read buffers of chunkBytes each, inside the WebAssembly
// kernels' memory when they are available: the kernels then work on the bytes where they were read).
import { parentPort, workerData } from 'node:worker_threads';
import { L10nBundle, useBundle } from '../l10n';
import type { StatsTask } from './plan';
import { LoadedTask, serializeError, TaskRunner, transferList } from './runner';
import { wasmReadBuffers } from './wasm';

interface WorkerInit {
  files: string[];
  bins: number;
  chunkBytes: number;
  /** The host's translation (currentBundle()); absent for English. */
  l10n?: { bundle: L10nBundle; locale: string };
}

const init = workerData as WorkerInit;
if (init.l10n) useBundle(init.l10n.bundle, init.l10n.locale);
const runner = new TaskRunner(init.files, init.bins);
const buffers = wasmReadBuffers(2, init.chunkBytes) ?? [Buffer.allocUnsafeSlow(init.chunkBytes), Buffer.allocUnsafeSlow(init.chunkBytes)];
const queue: StatsTask[] = [];
let draining = false;
let closing = false;
let nextBuffer = 0;

function start(task: StatsTask): Promise<LoadedTask | { task: StatsTask; error: unknown }> {
  const buffer = buffers[nextBuffer];
  nextBuffer ^= 1;
  return runner.load(task, buffer).catch((error) => ({ task, error }));
}

async function drain(): Promise<void> {
  draining = true;
  let pending = queue.length ? start(queue.shift()!) : undefined;
  while (pending && !closing) {
    const loaded = await pending;
    pending = queue.length ? start(queue.shift()!) : undefined;
    if ('error' in loaded) {
      parentPort!.postMessage({ type: 'error', id: loaded.task.id, error: serializeError(loaded.error) });
      continue;
    }
    try {
      const result = runner.compute(loaded);
      parentPort!.postMessage(result, transferList(result));
    } catch (e) {
      parentPort!.postMessage({ type: 'error', id: loaded.task.id, error: serializeError(e) });
    }
  }
  draining = false;
}

parentPort!.on('message', (msg: { type: 'task'; task: StatsTask } | { type: 'close' }) => {
  if (msg.type === 'task') {
    queue.push(msg.task);
    if (!draining) void drain();
  } else if (msg.type === 'close') {
    closing = true;
    void runner.close().finally(() => parentPort!.close());
  }
});
