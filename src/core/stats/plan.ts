// Splits a checkpoint's tensors into worker tasks: big tensors into chunk-sized slices whose partials merge,
// small neighbouring tensors of one file into batches read with a single contiguous read.
import type { Checkpoint, TensorEntry } from '../format/checkpoint';
import { dtypeBlock } from '../format/dtype';
import { realView } from '../format/rowOrder';
import type { ScaleRef, TaskTensor } from './compute';

export interface SliceTask {
  kind: 'slice';
  id: number;
  tensor: TaskTensor;
  slice: number;
  slices: number;
  fileIndex: number;
  /** Absolute byte range in the file. */
  byteStart: number;
  byteEnd: number;
}

export interface BatchTask {
  kind: 'batch';
  id: number;
  fileIndex: number;
  byteStart: number;
  byteEnd: number;
  tensors: TaskTensor[];
}

export type StatsTask = SliceTask | BatchTask;

export interface Plan {
  tensors: TaskTensor[];
  tasks: StatsTask[];
  /** Bytes of tensor data the tasks cover (scale companions read twice are not counted). */
  bytes: number;
}

/** Largest gap between two tensors that a batch reads through rather than splitting. */
const MAX_GAP = 1 << 20;

// The reason and the warning are English data: results are cached and printed by `stats --json` whatever the UI
// language; src/shared/statsPhrases.ts says them in the display language.
function unmappedScale(scaleShape: number[], weightShape: number[]): string {
  return `scale shape [${scaleShape.join(',')}] does not map onto weight shape [${weightShape.join(',')}]`; // l10n-ignore: stats data
}

/** Block geometry of an FP8 weight's scale grid, or a reason (English) why it cannot be mapped. */
export function dequantGeometry(weightShape: number[], count: number, scaleShape: number[]): { blockRows: number; blockCols: number; scaleCols: number } | string {
  const rows = weightShape.length ? weightShape[0] : 1;
  const cols = rows > 0 ? count / rows : 0;
  const scaleCount = scaleShape.reduce((a, b) => a * b, 1);
  if (scaleCount === 1) return { blockRows: Math.max(1, rows), blockCols: Math.max(1, cols), scaleCols: 1 };
  if (scaleShape.length > 2 || (scaleShape.length === 2 && weightShape.length < 2) || scaleShape.length === 0) {
    return unmappedScale(scaleShape, weightShape);
  }
  const sR = scaleShape[0];
  const sC = scaleShape.length === 2 ? scaleShape[1] : 1;
  const pick = (n: number, s: number) => (Math.ceil(n / 128) === s ? 128 : Math.ceil(n / s));
  const blockRows = pick(rows, sR);
  const blockCols = pick(cols, sC);
  if (blockRows < 1 || blockCols < 1 || Math.ceil(rows / blockRows) !== sR || Math.ceil(cols / blockCols) !== sC) {
    return unmappedScale(scaleShape, weightShape);
  }
  return { blockRows, blockCols, scaleCols: sC };
}

/** The `<name>_scale_inv` or `<name>_scale` companion of an FP8 weight. */
export function findScaleCompanion(t: TensorEntry, byName: Map<string, TensorEntry>): TensorEntry | undefined {
  if (t.dtype !== 'F8_E4M3' && t.dtype !== 'F8_E5M2') return undefined;
  return byName.get(`${t.name}_scale_inv`) ?? byName.get(`${t.name}_scale`);
}

export function taskTensors(checkpoint: Checkpoint, selected: TensorEntry[]): TaskTensor[] {
  const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
  return selected.map((original, index) => {
    const entry = realView(original);
    const tt: TaskTensor = {
      index, name: entry.name, dtype: entry.dtype, shape: entry.shape, count: entry.count, fileIndex: entry.fileIndex, begin: entry.begin, end: entry.end,
    };
    const s = findScaleCompanion(entry, byName);
    if (s) {
      const g = dequantGeometry(entry.shape, entry.count, s.shape);
      if (typeof g === 'string') {
        tt.warning = `not dequantised: ${g} (${s.name})`; // l10n-ignore: stats data
      } else {
        const rows = entry.shape.length ? entry.shape[0] : 1;
        const scale: ScaleRef = {
          name: s.name, fileIndex: s.fileIndex, begin: s.begin, end: s.end, dtype: s.dtype, shape: s.shape,
          cols: rows > 0 ? entry.count / rows : 0, ...g,
        };
        tt.scale = scale;
      }
    }
    return tt;
  });
}

export function planTasks(tensors: TaskTensor[], chunkBytes: number): Plan {
  const tasks: StatsTask[] = [];
  let id = 0;
  let batch: BatchTask | undefined;
  let bytes = 0;
  const flush = () => { if (batch) tasks.push(batch); batch = undefined; };
  const order = tensors.filter((t) => t.count > 0).sort((a, b) => a.fileIndex - b.fileIndex || a.begin - b.begin);
  for (const t of order) {
    const len = t.end - t.begin;
    bytes += len;
    if (len > chunkBytes) {
      flush();
      // Slices end on block boundaries (an element's bytes for element dtypes).
      const size = dtypeBlock(t.dtype).bytes;
      const step = Math.max(size, Math.floor(chunkBytes / size) * size);
      const slices = Math.ceil(len / step);
      for (let k = 0; k < slices; k++) {
        tasks.push({
          kind: 'slice', id: id++, tensor: t, slice: k, slices, fileIndex: t.fileIndex,
          byteStart: t.begin + k * step, byteEnd: Math.min(t.end, t.begin + (k + 1) * step),
        });
      }
      continue;
    }
    if (batch && (batch.fileIndex !== t.fileIndex || t.begin - batch.byteEnd > MAX_GAP || t.begin < batch.byteEnd
      || t.end - batch.byteStart > chunkBytes)) flush();
    if (!batch) batch = { kind: 'batch', id: id++, fileIndex: t.fileIndex, byteStart: t.begin, byteEnd: t.end, tensors: [] };
    batch.tensors.push(t);
    batch.byteEnd = t.end;
  }
  flush();
  return { tensors, tasks, bytes };
}

/** Bytes a task reads. */
export function taskBytes(task: StatsTask): number {
  return task.byteEnd - task.byteStart;
}
