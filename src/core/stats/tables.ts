// Code → value tables for the exact code-counting path, and the fine bucket geometry of the float path.
import {
  bf16BitsToNumber, DType, e8m0BitsToNumber, f16BitsToNumber, f8e4m3BitsToNumber, f8e4m3fnuzBitsToNumber, f8e5m2BitsToNumber, f8e5m2fnuzBitsToNumber,
} from '../format/dtype';

/** dtypes whose statistics come from counting every code. */
export type CodeDType = 'F16' | 'BF16' | 'I16' | 'U16' | 'F8_E4M3' | 'F8_E5M2' | 'F8_E8M0' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ' | 'I8' | 'U8' | 'BOOL';

const CODE_DTYPES = new Set<DType>(['F16', 'BF16', 'I16', 'U16', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ', 'I8', 'U8', 'BOOL']);

export function isCodeDType(dtype: DType): dtype is CodeDType {
  return CODE_DTYPES.has(dtype);
}

export interface CodeTable {
  /** 256 or 65,536. */
  size: number;
  /** Value of each code (NaN for NaN codes, ±Infinity for infinities). */
  values: Float64Array;
  /** Codes of finite value, sorted by ascending value (ties by code). */
  order: Uint32Array;
}

const codeTables = new Map<CodeDType, CodeTable>();

function codeValue(dtype: CodeDType, code: number): number {
  switch (dtype) {
    case 'F16': return f16BitsToNumber(code);
    case 'BF16': return bf16BitsToNumber(code);
    case 'I16': return (code << 16) >> 16;
    case 'U16': return code;
    case 'F8_E4M3': return f8e4m3BitsToNumber(code);
    case 'F8_E5M2': return f8e5m2BitsToNumber(code);
    case 'F8_E8M0': return e8m0BitsToNumber(code);
    case 'F8_E4M3FNUZ': return f8e4m3fnuzBitsToNumber(code);
    case 'F8_E5M2FNUZ': return f8e5m2fnuzBitsToNumber(code);
    case 'I8': return (code << 24) >> 24;
    case 'U8': return code;
    case 'BOOL': return code ? 1 : 0;
  }
}

export function codeTable(dtype: CodeDType): CodeTable {
  let t = codeTables.get(dtype);
  if (!t) {
    const size = dtype === 'F16' || dtype === 'BF16' || dtype === 'I16' || dtype === 'U16' ? 65536 : 256;
    const values = new Float64Array(size);
    const finite: number[] = [];
    for (let c = 0; c < size; c++) {
      values[c] = codeValue(dtype, c);
      if (Number.isFinite(values[c])) finite.push(c);
    }
    finite.sort((a, b) => values[a] - values[b] || a - b);
    t = { size, values, order: Uint32Array.from(finite) };
    codeTables.set(dtype, t);
  }
  return t;
}

/**
 * Fine buckets of the float path: bucket k holds the float32 values whose upper 16 bits are k (a value's
 * BF16 truncation). Bucket k covers [lo, hi) in magnitude with hi / lo ≤ 1 + 2^-7 for normal numbers, and
 * an absolute width of 2^-133 among subnormals. Buckets with exponent bits all ones hold ±Inf and NaN.
 */
export interface BucketGeometry {
  /** Signed value bounds of each bucket: lo[k] ≤ v < hi[k] (for negative buckets the bounds are mirrored). */
  lo: Float64Array;
  hi: Float64Array;
  /** Finite buckets in ascending value order: 0xff7f … 0x8000, 0x0000 … 0x7f7f. */
  order: Uint32Array;
}

let buckets: BucketGeometry | undefined;

export function bucketGeometry(): BucketGeometry {
  if (!buckets) {
    const lo = new Float64Array(65536);
    const hi = new Float64Array(65536);
    const top = bf16BitsToNumber(0x7f7f);
    const topNext = top + (top - bf16BitsToNumber(0x7f7e));
    for (let m = 0; m < 0x7f80; m++) {
      const a = bf16BitsToNumber(m);
      const b = m === 0x7f7f ? topNext : bf16BitsToNumber(m + 1);
      lo[m] = a; hi[m] = b;
      lo[m | 0x8000] = -b; hi[m | 0x8000] = -a;
    }
    const order = new Uint32Array(2 * 0x7f80);
    let k = 0;
    for (let m = 0x7f7f; m >= 0; m--) order[k++] = m | 0x8000;
    for (let m = 0; m < 0x7f80; m++) order[k++] = m;
    buckets = { lo, hi, order };
  }
  return buckets;
}

/** Percentile error bound of the float path (see docs/statistics.md): half a bucket. */
export const FLOAT_BUCKET_ERROR = { relative: 2 ** -8, absolute: 2 ** -133 };
/** For F64/I64/U64 sources the value is rounded to float32 before bucketing: 2^-24 more. */
export const FLOAT64_BUCKET_ERROR = { relative: 2 ** -8 + 2 ** -24, absolute: 2 ** -133 };
export const EXACT = { relative: 0, absolute: 0 };
