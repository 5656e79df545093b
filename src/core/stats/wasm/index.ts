// The WebAssembly SIMD statistics kernels (kernels.wat): one instance per thread, created on first use from the
// bytes embedded in kernels.wasm.ts. Undefined when the runtime lacks WebAssembly SIMD or when the environment
// variable WEIGHTPRINT_STATS_KERNELS=js asks for the JavaScript kernels (A/B measurements).
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

/** Byte offsets of the module's memory layout (see kernels.wat). */
export const STATE = 0;
export const TABLES = 1024;
export const TABLES_BYTES = 0x100000;
export const DATA = 0x110000;
export const DATA_BYTES = 0x40000;

export interface WasmKernels {
  /** Shifted power sums, min/max, OR of bits and fine buckets of n float32 values at byte p (n % 4 = 0). */
  f32(p: number, n: number, shift: number): void;
  /** Counts the 16-bit codes of nbytes at byte p (nbytes % 16 = 0). */
  count16(p: number, nbytes: number): void;
  /** Counts n FP8 codes at byte p, first at column c of rows of `cols`, per block column of `bc`, tables at tb. */
  count8(p: number, n: number, c: number, cols: number, bc: number, tb: number): void;
  /** Adds tables T1..T3 into T0 and clears T1..T3. */
  fold(): void;
  /** The whole memory (fixed size: views never detach). */
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
}

let instance: WasmKernels | null | undefined;

export function wasmKernels(): WasmKernels | undefined {
  if (instance === undefined) instance = create();
  return instance ?? undefined;
}

function create(): WasmKernels | null {
  if (process.env.WEIGHTPRINT_STATS_KERNELS === 'js' || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const e = inst.exports as unknown as { memory: WebAssembly.Memory; f32: WasmKernels['f32']; count16: WasmKernels['count16']; count8: WasmKernels['count8']; fold: () => void };
    const buf = e.memory.buffer;
    return {
      f32: e.f32, count16: e.count16, count8: e.count8, fold: e.fold,
      u8: new Uint8Array(buf),
      f64: new Float64Array(buf, STATE, 4),
      f32s: new Float32Array(buf, STATE, 16),
      u32: new Uint32Array(buf, STATE, 16),
      t0: new Uint32Array(buf, TABLES, 65536),
      tables: new Uint32Array(buf, TABLES, 4 * 65536),
    };
  } catch {
    return null;
  }
}
