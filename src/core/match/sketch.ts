// Compact per-tensor signatures of the library index (docs/library-index.md): what the audit's screening needs to
// shortlist the references that could match a suspect before any full comparison. All are derived from a fingerprint's
// stored samples and Gram sketches, so a suspect is read at the same positions.
import { createHash } from 'node:crypto';
import { centredCosines, offDiagonal } from './gram';
import { fnv1a, mulberry32, type SamplePlan } from '../fingerprint/plan';

/** Aligned samples kept per tensor: r over 1,024 pairs has a standard error of ~0.03, so a chance |r| ≥ 0.2 is ~1e-10. */
export const SKETCH_SIZE = 1024;
/** Locality-sensitive hashes of each sampled row's window: tables × bits (random hyperplanes, sign bits). */
export const LSH_TABLES = 8;
export const LSH_BITS = 16;

/** Positions (into the plan's samples, row-major over rowIdx × w) kept in the aligned sketch. */
export function sketchPositions(count: number): Uint32Array {
  const k = Math.min(SKETCH_SIZE, count);
  const out = new Uint32Array(k);
  for (let i = 0; i < k; i++) out[i] = Math.floor((i * count) / k);
  return out;
}

/** The sketch as a grid (sampled rows × every step-th window column) when the positions form one, else null. */
export function sketchGrid(count: number, w: number): { rows: number; w: number } | null {
  if (count <= SKETCH_SIZE) return w > 0 ? { rows: count / w, w } : null;
  if (count % SKETCH_SIZE !== 0) return null;
  const step = count / SKETCH_SIZE;
  return w % step === 0 ? { rows: count / w, w: w / step } : null;
}

/** Samples at sketchPositions, centred and scaled to int8 (NaN and infinities as the mean). */
export function alignedSketch(samples: Float32Array): Int8Array {
  const pos = sketchPositions(samples.length);
  let sum = 0; let n = 0;
  for (const p of pos) if (Number.isFinite(samples[p])) { sum += samples[p]; n++; }
  const mean = n ? sum / n : 0;
  let max = 0;
  for (const p of pos) if (Number.isFinite(samples[p])) max = Math.max(max, Math.abs(samples[p] - mean));
  const out = new Int8Array(pos.length);
  if (!(max > 0)) return out;
  pos.forEach((p, i) => { out[i] = Number.isFinite(samples[p]) ? Math.round((127 * (samples[p] - mean)) / max) : 0; });
  return out;
}

/** Hash of the sampled values (float32 bytes): equal samples, equal hash. */
export function sampleHash(samples: Float32Array): string {
  return createHash('sha256').update(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)).digest('hex').slice(0, 24);
}

const planes = new Map<number, Float32Array>();

function hyperplanes(w: number): Float32Array {
  let h = planes.get(w);
  if (!h) {
    const rand = mulberry32(fnv1a(`wpi:lsh:${w}`));
    h = new Float32Array(LSH_TABLES * LSH_BITS * w);
    for (let i = 0; i < h.length; i += 2) {
      const u = Math.max(rand(), 1e-12); const v = rand();
      const r = Math.sqrt(-2 * Math.log(u));
      h[i] = r * Math.cos(2 * Math.PI * v);
      if (i + 1 < h.length) h[i + 1] = r * Math.sin(2 * Math.PI * v);
    }
    planes.set(w, h);
  }
  return h;
}

/**
 * LSH keys of `rows` vectors of length `w` (row-major): LSH_TABLES keys per row, each LSH_BITS sign bits of the
 * centred row against random hyperplanes. A constant or non-finite row gets key 0 in every table and is marked in
 * `valid`. A row and its negation get complementary keys.
 */
export function rowKeys(values: Float32Array, rows: number, w: number): { keys: Uint16Array; valid: Uint8Array } {
  const h = hyperplanes(w);
  const keys = new Uint16Array(rows * LSH_TABLES);
  const valid = new Uint8Array(rows);
  const x = new Float32Array(w);
  for (let r = 0; r < rows; r++) {
    let s = 0; let ok = true;
    for (let j = 0; j < w; j++) { const v = values[r * w + j]; if (!Number.isFinite(v)) { ok = false; break; } x[j] = v; s += v; }
    if (!ok) continue;
    const m = s / w;
    let ss = 0;
    for (let j = 0; j < w; j++) { x[j] -= m; ss += x[j] * x[j]; }
    if (!(ss > 0)) continue;
    valid[r] = 1;
    for (let tb = 0; tb < LSH_TABLES; tb++) {
      let key = 0;
      for (let b = 0; b < LSH_BITS; b++) {
        const o = (tb * LSH_BITS + b) * w;
        let d = 0;
        for (let j = 0; j < w; j++) d += x[j] * h[o + j];
        if (d > 0) key |= 1 << b;
      }
      keys[r * LSH_TABLES + tb] = key;
    }
  }
  return { keys, valid };
}

/** Reference rows kept for the row search: a permuted copy finds most of them, chance ~none (screen.ts). */
export const LSH_ROWS = 32;

/** LSH keys of a reference's first LSH_ROWS valid sampled rows (its samples are rowIdx.length rows of w values). */
export function referenceRowKeys(samples: Float32Array, plan: SamplePlan): Uint16Array | null {
  if (plan.w < 8 || plan.rowIdx.length < 8) return null;
  const { keys, valid } = rowKeys(samples, plan.rowIdx.length, plan.w);
  const kept: number[] = [];
  for (let r = 0; r < valid.length && kept.length < LSH_ROWS * LSH_TABLES; r++) if (valid[r]) for (let tb = 0; tb < LSH_TABLES; tb++) kept.push(keys[r * LSH_TABLES + tb]);
  return kept.length ? Uint16Array.from(kept) : null;
}

/** The off-diagonal double-centred cosines of a stored Gram triangle as int8 (×127), or null when degenerate. */
export function gramSketch(triangle: Float32Array | null): Int8Array | null {
  if (!triangle) return null;
  const g = centredCosines(triangle);
  if (!g) return null;
  const off = offDiagonal(g);
  return Int8Array.from(off, (v) => Math.max(-127, Math.min(127, Math.round(127 * v))));
}
