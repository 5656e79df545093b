// Reads a task's bytes (one contiguous readDirect into a reused, aligned buffer) and computes its result.
// Used inside each stats worker, and on the calling thread when a run asks for no workers.
import { CheckpointError } from '../format/errors';
import { RangeReader } from '../format/rangeReader';
import { computePartial, computeWhole, decodeScale, Partial, ScaleRef, Scratch, TaskTensor } from './compute';
import type { StatsTask } from './plan';
import type { TensorStats } from './types';

export type TaskResult =
  | { type: 'partial'; id: number; tensorIndex: number; slice: number; partial: Partial }
  | { type: 'whole'; id: number; stats: { index: number; stats: TensorStats }[] };

export interface SerializedError {
  name: string;
  message: string;
  checkpoint?: { code: string; reason: string; file: string; tensor?: string; byteOffset?: number };
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof CheckpointError) {
    return { name: e.name, message: e.message, checkpoint: { code: e.code, reason: e.reason, file: e.file, tensor: e.tensor, byteOffset: e.byteOffset } };
  }
  const err = e as Error;
  return { name: err?.name ?? 'Error', message: String(err?.stack ?? err?.message ?? e) }; // l10n-ignore: an error class name
}

export function deserializeError(s: SerializedError): Error {
  if (s.checkpoint) {
    const c = s.checkpoint;
    return new CheckpointError(c.code as never, c.reason, { file: c.file, tensor: c.tensor, byteOffset: c.byteOffset });
  }
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}

/** Transferable buffers of a result (posted without copying). */
export function transferList(r: TaskResult): ArrayBuffer[] {
  if (r.type !== 'partial') return [];
  const p = r.partial;
  if (p.sparse) return [p.sparse.index.buffer as ArrayBuffer, p.sparse.count.buffer as ArrayBuffer];
  return [(p.kind === 'codes' ? p.counts : p.buckets).buffer as ArrayBuffer];
}

export interface LoadedTask {
  task: StatsTask;
  data: Buffer;
  scales: Map<string, Float64Array>;
}

export class TaskRunner {
  private readonly readers = new Map<number, Promise<RangeReader>>();
  private readonly scaleCache = new Map<string, Float64Array>();
  private readonly scratch = new Scratch();

  constructor(private readonly files: string[], private readonly bins: number) {}

  private reader(fileIndex: number): Promise<RangeReader> {
    let r = this.readers.get(fileIndex);
    if (!r) {
      r = RangeReader.open(this.files[fileIndex]);
      this.readers.set(fileIndex, r);
    }
    return r;
  }

  private async scale(ref: ScaleRef): Promise<Float64Array> {
    const key = `${ref.fileIndex}:${ref.begin}`;
    let v = this.scaleCache.get(key);
    if (!v) {
      const bytes = await (await this.reader(ref.fileIndex)).readDirect(ref.begin, ref.end - ref.begin);
      v = decodeScale(ref, bytes);
      if (this.scaleCache.size >= 8) this.scaleCache.delete(this.scaleCache.keys().next().value as string);
      this.scaleCache.set(key, v);
    }
    return v;
  }

  /**
   * Reads a task's bytes into `buffer` (≥ the task's span, 8-aligned in its ArrayBuffer: an unpooled Buffer, or a
   * view of the WebAssembly kernels' memory, where the kernels then work in place).
   */
  async load(task: StatsTask, buffer: Buffer): Promise<LoadedTask> {
    const length = task.byteEnd - task.byteStart;
    const data = await (await this.reader(task.fileIndex)).readDirect(task.byteStart, length, buffer);
    const scales = new Map<string, Float64Array>();
    const tensors: TaskTensor[] = task.kind === 'slice' ? [task.tensor] : task.tensors;
    for (const t of tensors) if (t.scale) scales.set(t.name, await this.scale(t.scale));
    return { task, data, scales };
  }

  compute({ task, data, scales }: LoadedTask): TaskResult {
    const buf = data.buffer as ArrayBuffer;
    const base = data.byteOffset;
    if (task.kind === 'slice') {
      const t = task.tensor;
      const size = (t.end - t.begin) / t.count;
      const elementStart = (task.byteStart - t.begin) / size;
      const partial = computePartial(t, buf, base, base + data.length, elementStart, scales.get(t.name), this.scratch);
      return { type: 'partial', id: task.id, tensorIndex: t.index, slice: task.slice, partial };
    }
    const stats = task.tensors.map((t) => {
      const start = base + (t.begin - task.byteStart);
      return { index: t.index, stats: computeWhole(t, buf, start, start + (t.end - t.begin), scales.get(t.name), this.scratch, this.bins) };
    });
    return { type: 'whole', id: task.id, stats };
  }

  async close(): Promise<void> {
    const all = [...this.readers.values()];
    this.readers.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close().catch(() => undefined)));
  }
}
