// Hot loops of the statistics engine, one module per job; this file only gathers them. Each works on typed-array
// views of a whole read chunk: no per-element calls, no DataView.
//   codeCounts.ts   8/16-bit code counting (exact path)
//   float32.ts      F32 values: exact float64 moments and extremes + fine buckets
//   float64.ts      F64 and widened integers
//   scaledCodes.ts  FP8 codes with block scales
//   accumulator.ts  the float path's running state; counts.ts the count tables (dense / sparse, WebAssembly tables)
// The hot paths (16-bit codes, float32 values, FP8 codes with block scales) have a WebAssembly (SIMD) version
// (wasm/kernels.wat) used for ranges of at least WASM_MIN_VALUES values; the JavaScript versions (…Js) serve
// smaller ranges and runtimes without WebAssembly SIMD, and are the reference the tests compare against.
export { FloatAccumulator } from './accumulator';
export { codes16Table, codes8Table, countCodes16, countCodes16Js, countCodes16Wasm, countCodes8, WASM_MIN_VALUES } from './codeCounts';
export { accumulateF32, accumulateF32Js, accumulateF32Wasm } from './float32';
export { accumulateF64 } from './float64';
export { accumulateScaledCodes, accumulateScaledCodesJs, accumulateScaledCodesWasm } from './scaledCodes';
export type { ScaleGrid } from './scaledCodes';
