// Worker thread of the statistics pool: reads and computes tasks in order, overlapping the read of the next
// task with the computation of the current one (two reused read buffers of chunkBytes each).
import { parentPort, workerData } from 'node:worker_threads';
import type { StatsTask } from './plan';
import { LoadedTask, serializeError, TaskRunner, transferList } from './runner';

interface WorkerInit {
  files: string[];
  bins: number;
  chunkBytes: number;
}

const init = workerData as WorkerInit;
const runner = new TaskRunner(init.files, init.bins);
const buffers = [Buffer.allocUnsafeSlow(init.chunkBytes), Buffer.allocUnsafeSlow(init.chunkBytes)];
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
