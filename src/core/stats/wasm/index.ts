// The WebAssembly SIMD statistics kernels (kernels.wat): one instance per thread, created on first use from the
// bytes embedded in kernels.wasm.ts. Undefined when the runtime lacks WebAssembly SIMD or when the environment
// variable WEIGHTPRINT_STATS_KERNELS=js asks for the JavaScript kernels (A/B measurements).
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

/** Byte offsets of the module's memory layout (see kernels.wat). */
export const STATE = 0;
export const TABLES = 1024;
export const TABLES_BYTES = 0x100000;
export const PAIR_INDEX = 0x110000;
export const PAIR_COUNT = 0x150000;
export const DATA = 0x190000;
export const DATA_BYTES = 0x40000;
/** End of the fixed layout: read buffers start here. */
const FIXED_END = 0x1d0000;
const PAGE = 0x10000;
/** Largest total of read buffers placed in the module's memory (a wasm32 memory holds at most 4 GiB). */
const MAX_READ_BUFFER_BYTES = 1 << 30;

export interface WasmKernels {
  /** Shifted power sums, min/max, OR of bits and fine buckets of n float32 values at byte p (n % 8 = 0). */
  f32(p: number, n: number, shift: number): void;
  /** Counts the 16-bit codes of nbytes at byte p (nbytes % 16 = 0). */
  count16(p: number, nbytes: number): void;
  /** Counts n FP8 codes at byte p, first at column c of rows of `cols`, per block column of `bc`, tables at tb. */
  count8(p: number, n: number, c: number, cols: number, bc: number, tb: number): void;
  /** Non-zero buckets of T0 + … + T3 as pairs at pi / pc (ascending index); clears the tables; returns their number. */
  collect(pi: number, pc: number): number;
  /** The whole memory (views are rebuilt if the memory grows; it grows at most once, before any kernel runs). */
  u8: Uint8Array;
  /** State: [0..3] s1..s4 as float64. */
  f64: Float64Array;
  /** State: [8] min, [9] max as float32. */
  f32s: Float32Array;
  /** State: [10] OR of the bits. */
  u32: Uint32Array;
  /** Table T0 (65,536 counts). */
  t0: Uint32Array;
  /** Tables T0..T3 (262,144 counts). */
  tables: Uint32Array;
  /** Indices and counts written by collect. */
  pairIndex: Uint32Array;
  pairCount: Uint32Array;
}

interface Exports {
  memory: WebAssembly.Memory;
  f32: WasmKernels['f32'];
  count16: WasmKernels['count16'];
  count8: WasmKernels['count8'];
  collect: WasmKernels['collect'];
}

let instance: WasmKernels | null | undefined;
let memory: WebAssembly.Memory | undefined;
let readBuffersGiven = false;

export function wasmKernels(): WasmKernels | undefined {
  if (instance === undefined) instance = create();
  return instance ?? undefined;
}

/**
 * `count` read buffers of `bytes` each inside this thread's module memory, 64 KiB-aligned, so that chunks read
 * into them are processed in place (no copy into the module's data block). The memory grows once, here; undefined
 * (use ordinary buffers) without the WebAssembly kernels, on a second call, or past 1 GiB in all.
 */
export function wasmReadBuffers(count: number, bytes: number): Buffer[] | undefined {
  const k = wasmKernels();
  if (!k || !memory || readBuffersGiven) return undefined;
  const stride = Math.ceil(bytes / PAGE) * PAGE;
  if (count * stride > MAX_READ_BUFFER_BYTES) return undefined;
  const need = FIXED_END + count * stride;
  try {
    if (memory.buffer.byteLength < need) memory.grow((need - memory.buffer.byteLength) / PAGE);
  } catch {
    return undefined;
  }
  readBuffersGiven = true;
  Object.assign(k, views(memory.buffer));
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(Buffer.from(memory.buffer, FIXED_END + i * stride, bytes));
  return out;
}

function views(buf: ArrayBuffer) {
  return {
    u8: new Uint8Array(buf),
    f64: new Float64Array(buf, STATE, 4),
    f32s: new Float32Array(buf, STATE, 16),
    u32: new Uint32Array(buf, STATE, 16),
    t0: new Uint32Array(buf, TABLES, 65536),
    tables: new Uint32Array(buf, TABLES, 4 * 65536),
    pairIndex: new Uint32Array(buf, PAIR_INDEX, 65536),
    pairCount: new Uint32Array(buf, PAIR_COUNT, 65536),
  };
}

function create(): WasmKernels | null {
  if (process.env.WEIGHTPRINT_STATS_KERNELS === 'js' || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const e = inst.exports as unknown as Exports;
    memory = e.memory;
    return { f32: e.f32, count16: e.count16, count8: e.count8, collect: e.collect, ...views(e.memory.buffer) };
  } catch {
    return null;
  }
}
