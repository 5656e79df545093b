// What a worker does with the bytes of one task: partial statistics of a slice of a big tensor, or final
// statistics of whole tensors. Shared by stats.worker.ts and the in-thread mode (workers: 0).
import { decodeBlocksInto, decodeInto, DType, dtypeBlock, dtypeSize, f8Table, isBlockDType } from '../format/dtype';
import type { BlockDType } from '../format/blocks';
import { FloatAccumulator } from './accumulator';
import type { CountTable, SparseCounts } from './counts';
import { accumulateF32, accumulateF64, accumulateScaledCodes, codes16Table, codes8Table } from './kernels';
import { EMPTY_MOMENTS, mergeMoments, Moments } from './moments';
import {
  emptyStats, entriesFromBuckets, entriesFromCodes, entriesFromSorted, finalizeStats, NonFinite, TensorMeta,
} from './finalize';
import { bucketGeometry, codeTable, EXACT, FLOAT64_BUCKET_ERROR, FLOAT_BUCKET_ERROR, isCodeDType } from './tables';
import type { StatsMethod, TensorStats } from './types';

/** Tensors up to this many elements, read whole, are decoded and sorted: exact for every dtype. */
export const SMALL_TENSOR_ELEMENTS = 16384;

/** Where a weight's FP8 scale companion lives and how its values map onto the weight. */
export interface ScaleRef {
  name: string;
  fileIndex: number;
  begin: number;
  end: number;
  dtype: DType;
  shape: number[];
  /** Weight viewed as rows × cols (rows = shape[0]). */
  cols: number;
  blockRows: number;
  blockCols: number;
  /** Columns of the scale grid. */
  scaleCols: number;
}

export interface TaskTensor extends TensorMeta {
  /** Index in the run's tensor list. */
  index: number;
  fileIndex: number;
  begin: number;
  end: number;
  scale?: ScaleRef;
  warning?: string;
}

export interface CodesPartial {
  kind: 'codes';
  /** Dense table (empty when `sparse` is set). */
  counts: Uint32Array;
  sparse?: SparseCounts;
}

export interface FloatPartial {
  kind: 'float';
  /** Dense fine-bucket table (empty when `sparse` is set). */
  buckets: Uint32Array;
  sparse?: SparseCounts;
  moments: Moments;
  min: number;
  max: number;
  zerosPos: number;
  zerosNeg: number;
  nan: number;
  posinf: number;
  neginf: number;
  lowBits: number;
}

export type Partial = CodesPartial | FloatPartial;

function addInto(target: Float64Array, dense: Uint32Array, sparse: SparseCounts | undefined): void {
  if (sparse) {
    const { index, count } = sparse;
    for (let i = 0; i < index.length; i++) target[index[i]] += count[i];
  } else {
    for (let i = 0; i < dense.length; i++) target[i] += dense[i];
  }
}

export type PathKind = 'codes' | 'float';

export function pathOf(t: { dtype: DType; scale?: ScaleRef }): PathKind {
  return isCodeDType(t.dtype) && !t.scale ? 'codes' : 'float';
}

const WIDE = new Set<DType>(['F64', 'I64', 'U64', 'I32', 'U32']);

/** Reusable buffers of one worker. */
export class Scratch {
  readonly f64 = new Float64Array(65536);
  readonly small = new Float32Array(4096);
  readonly f32 = new Float32Array(65536);
  readonly u32 = new Uint32Array(this.f32.buffer);
}

/**
 * Partial statistics of elements [elementStart, elementStart + (end − start) / size) of tensor t, whose bytes are
 * buf[start, end), with count tables in sparse form where that is smaller. `scale` holds the decoded scale values
 * when t.scale is set.
 */
export function computePartial(
  t: TaskTensor, buf: ArrayBuffer, start: number, end: number, elementStart: number,
  scale: Float64Array | undefined, scratch: Scratch,
): Partial {
  if (isBlockDType(t.dtype)) return blockPartial(t.dtype, buf, start, end, scratch);
  const size = dtypeSize(t.dtype);
  if (start % size !== 0 && size > 1) {
    buf = buf.slice(start, end);
    end -= start;
    start = 0;
  }
  const n = (end - start) / size;
  if (pathOf(t) === 'codes') {
    return codesPartial(size === 2 ? codes16Table(buf, start, end) : codes8Table(buf, start, end));
  }
  const acc = new FloatAccumulator();
  const dt = t.dtype;
  if (dt === 'F32') {
    accumulateF32(new Float32Array(buf, start, n), new Uint32Array(buf, start, n), 0, n, acc);
  } else if (dt === 'F64') {
    accumulateF64(new Float64Array(buf, start, n), 0, n, acc, scratch.small);
  } else if (t.scale && scale && (dt === 'F8_E4M3' || dt === 'F8_E5M2')) {
    accumulateScaledCodes(new Uint8Array(buf, start, n), elementStart, f8Table(dt), t.scale, scale, acc);
  } else if (WIDE.has(dt)) {
    const out = scratch.f64;
    for (let k = 0; k < n; k += out.length) {
      const m = Math.min(out.length, n - k);
      widenInto(dt, buf, start + k * size, m, out);
      accumulateF64(out, 0, m, acc, scratch.small);
    }
  } else {
    // A code dtype routed to the float path without usable scales cannot happen (pathOf); decode generically.
    const out = scratch.f64;
    const bytes = new Uint8Array(buf, start, end - start);
    for (let k = 0; k < n; k += out.length) {
      const m = Math.min(out.length, n - k);
      decodeInto(dt, bytes, k * size, m, out);
      accumulateF64(out, 0, m, acc, scratch.small);
    }
  }
  return floatPartial(acc);
}

function floatPartial(acc: FloatAccumulator): FloatPartial {
  const { table, sparse } = acc.takeCounts();
  return {
    kind: 'float', buckets: table, sparse, moments: acc.moments, min: acc.min, max: acc.max,
    zerosPos: acc.zerosPos, zerosNeg: acc.zerosNeg, nan: acc.nan, posinf: acc.posinf, neginf: acc.neginf,
    lowBits: acc.lowBits,
  };
}

/** Block dtypes (sub-byte floats, GGML quantised blocks): dequantised block by block into float32, then counted. */
function blockPartial(dt: BlockDType, buf: ArrayBuffer, start: number, end: number, scratch: Scratch): FloatPartial {
  const { elements, bytes } = dtypeBlock(dt);
  const acc = new FloatAccumulator();
  const blocks = Math.floor((end - start) / bytes);
  const perChunk = Math.floor(scratch.f32.length / elements);
  const src = new Uint8Array(buf, start, blocks * bytes);
  for (let b = 0; b < blocks; b += perChunk) {
    const nb = Math.min(perChunk, blocks - b);
    decodeBlocksInto(dt, src, b * bytes, 0, nb * elements, scratch.f32);
    accumulateF32(scratch.f32, scratch.u32, 0, nb * elements, acc);
  }
  return floatPartial(acc);
}

function codesPartial(c: CountTable): CodesPartial {
  return c.sparse ? { kind: 'codes', counts: c.table, sparse: c.sparse } : { kind: 'codes', counts: c.table };
}

/** I32/U32/I64/U64/F64 elements as exact float64 (64-bit integers beyond 2^53 round to the nearest double). */
function widenInto(dt: DType, buf: ArrayBuffer, byteStart: number, m: number, out: Float64Array): void {
  switch (dt) {
    case 'I32': { const s = new Int32Array(buf, byteStart, m); for (let i = 0; i < m; i++) out[i] = s[i]; break; }
    case 'U32': { const s = new Uint32Array(buf, byteStart, m); for (let i = 0; i < m; i++) out[i] = s[i]; break; }
    case 'I64': {
      const s = new Uint32Array(buf, byteStart, 2 * m);
      for (let i = 0; i < m; i++) out[i] = (s[2 * i + 1] | 0) * 4294967296 + s[2 * i];
      break;
    }
    case 'U64': {
      const s = new Uint32Array(buf, byteStart, 2 * m);
      for (let i = 0; i < m; i++) out[i] = s[2 * i + 1] * 4294967296 + s[2 * i];
      break;
    }
    default: { const s = new Float64Array(buf, byteStart, m); out.set(s); }
  }
}

/**
 * Dequantises FP8 codes bytes[p0, p0 + m) (tensor elements e0 …) as float32(value × scale of its block), the way
 * `w.float() * scale` does it.
 */
export function dequantInto(
  bytes: Uint8Array, p0: number, e0: number, m: number, table: Float32Array, sc: ScaleRef, scale: Float64Array, out: Float32Array,
): void {
  const C = sc.cols;
  let r = Math.floor(e0 / C);
  let c = e0 - r * C;
  let k = 0;
  let p = p0;
  while (k < m) {
    const rowBase = Math.floor(r / sc.blockRows) * sc.scaleCols;
    const rowEnd = Math.min(C, c + (m - k));
    while (c < rowEnd) {
      const cb = Math.floor(c / sc.blockCols);
      const segEnd = Math.min(rowEnd, (cb + 1) * sc.blockCols);
      const s = scale[rowBase + cb];
      for (; c < segEnd; c++) out[k++] = table[bytes[p++]] * s;
    }
    if (c === C) { c = 0; r++; }
  }
}

/** Count tables of finalised tensors, cleared for the next ones (one 512 KiB allocation per tensor otherwise). */
const countTables: Float64Array[] = [];

function countTable(size: number): Float64Array {
  return (size === 65536 ? countTables.pop() : undefined) ?? new Float64Array(size);
}

function releaseCountTable(table: Float64Array): void {
  if (table.length === 65536 && countTables.length < 4) countTables.push(table.fill(0));
}

/** Merges slice partials of one tensor (any order for counts; moments merged in slice order). */
export class TensorAccumulator {
  private counts?: Float64Array;
  private readonly moments: (Moments | undefined)[];
  private min = Infinity;
  private max = -Infinity;
  private zerosPos = 0;
  private zerosNeg = 0;
  private lowBits = 0;
  private readonly nonFinite: NonFinite = { nan: 0, posinf: 0, neginf: 0 };
  private pending: number;

  constructor(readonly tensor: TaskTensor, slices: number) {
    this.moments = new Array(slices);
    this.pending = slices;
  }

  /** Returns true when every slice has arrived. */
  add(slice: number, p: Partial): boolean {
    if (p.kind === 'codes') {
      this.counts ??= countTable(p.sparse ? p.sparse.size : p.counts.length);
      addInto(this.counts, p.counts, p.sparse);
    } else {
      this.counts ??= countTable(65536);
      addInto(this.counts, p.buckets, p.sparse);
      this.moments[slice] = p.moments;
      if (p.min < this.min) this.min = p.min;
      if (p.max > this.max) this.max = p.max;
      this.zerosPos += p.zerosPos;
      this.zerosNeg += p.zerosNeg;
      this.lowBits |= p.lowBits;
      this.nonFinite.nan += p.nan;
      this.nonFinite.posinf += p.posinf;
      this.nonFinite.neginf += p.neginf;
    }
    return --this.pending === 0;
  }

  finalize(bins: number): TensorStats {
    const counts = this.counts;
    this.counts = undefined;
    try {
      return this.finalizeCounts(counts, bins);
    } finally {
      if (counts) releaseCountTable(counts);
    }
  }

  private finalizeCounts(counts: Float64Array | undefined, bins: number): TensorStats {
    const t = this.tensor;
    const extra = { dequantised: dequantInfo(t), warning: t.warning };
    if (!counts) return emptyStats(t, methodOf(t), extra);
    if (pathOf(t) === 'codes') {
      const { entries, nonFinite } = entriesFromCodes(counts, codeTable(t.dtype as never));
      return finalizeStats(t, { entries, nonFinite, method: 'exact-codes', ...extra }, bins);
    }
    let moments: Moments = { ...EMPTY_MOMENTS };
    for (const m of this.moments) if (m) moments = mergeMoments(moments, m);
    // Every value exactly a BF16 value (low 16 bits zero): each bucket holds one value and nothing is approximate.
    const exactBuckets = this.lowBits === 0;
    const entries = exactBuckets
      ? entriesFromCodes(counts, codeTable('BF16')).entries
      : entriesFromBuckets(counts, bucketGeometry(), this.min, this.max, this.zerosPos, this.zerosNeg);
    return finalizeStats(t, {
      entries, nonFinite: this.nonFinite, method: 'float-buckets', exactBuckets, moments,
      min: moments.n ? this.min : undefined, max: moments.n ? this.max : undefined, zeros: this.zerosPos + this.zerosNeg,
      percentileError: exactBuckets ? EXACT : WIDE.has(t.dtype) ? FLOAT64_BUCKET_ERROR : FLOAT_BUCKET_ERROR, ...extra,
    }, bins);
  }
}

function methodOf(t: TaskTensor): StatsMethod {
  return pathOf(t) === 'codes' ? 'exact-codes' : 'float-buckets';
}

function dequantInfo(t: TaskTensor) {
  return t.scale ? { scaleTensor: t.scale.name, block: [t.scale.blockRows, t.scale.blockCols] as [number, number] } : undefined;
}

/** Final statistics of a whole tensor whose bytes are buf[start, end). */
export function computeWhole(
  t: TaskTensor, buf: ArrayBuffer, start: number, end: number, scale: Float64Array | undefined, scratch: Scratch, bins: number,
): TensorStats {
  if (t.count === 0) return emptyStats(t, methodOf(t), { dequantised: dequantInfo(t), warning: t.warning });
  if (t.count <= SMALL_TENSOR_ELEMENTS) return computeSorted(t, buf, start, end, scale, bins);
  const acc = new TensorAccumulator(t, 1);
  acc.add(0, computePartial(t, buf, start, end, 0, scale, scratch));
  return acc.finalize(bins);
}

function computeSorted(t: TaskTensor, buf: ArrayBuffer, start: number, end: number, scale: Float64Array | undefined, bins: number): TensorStats {
  const n = t.count;
  const bytes = new Uint8Array(buf, start, end - start);
  let values: Float64Array;
  if (t.scale && scale && (t.dtype === 'F8_E4M3' || t.dtype === 'F8_E5M2')) {
    const f = new Float32Array(n);
    dequantInto(bytes, 0, 0, n, f8Table(t.dtype), t.scale, scale, f);
    values = Float64Array.from(f);
  } else {
    values = new Float64Array(n);
    decodeInto(t.dtype, bytes, 0, n, values);
  }
  const nonFinite: NonFinite = { nan: 0, posinf: 0, neginf: 0 };
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v === 0) values[k++] = v;
    else if (v !== v) nonFinite.nan++;
    else if (v > 0) nonFinite.posinf++;
    else nonFinite.neginf++;
  }
  const finite = values.subarray(0, k).sort();
  return finalizeStats(t, {
    entries: entriesFromSorted(finite), nonFinite, method: 'exact-sort',
    dequantised: dequantInfo(t), warning: t.warning,
  }, bins);
}

/** Scale values of a companion tensor as numbers (float32-exact for F32/BF16/F16/E8M0 scales). */
export function decodeScale(ref: ScaleRef, bytes: Uint8Array): Float64Array {
  const n = (ref.end - ref.begin) / dtypeSize(ref.dtype);
  const out = new Float64Array(n);
  decodeInto(ref.dtype, bytes, 0, n, out);
  return out;
}
