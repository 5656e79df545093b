// Rotation-robust evidence (docs/matching.md §8): a suspect matrix whose residual side was multiplied by an orthogonal
// Q (SliceGPT-style rotation, or any permutation) keeps its Gram on that side. The suspect's Gram sketch, read at the
// reference's positions, is compared with the reference's: double-centred, as cosines, off-diagonal entries, Pearson r.
// Null: the same r with the reference's sampled rows relabelled (the index correspondence broken), and the suspect
// against the reference's other same-shaped matrices; best-of-K over the candidates and both sides.
import { GRAM_KINDS, GRAM_SIZE, readGram } from '../fingerprint/gram';
import { mulberry32 } from '../fingerprint/plan';
import type { Fingerprint, TensorFingerprint } from '../fingerprint/types';
import { calibrate } from './nullModel';
import { fisherZ, pearson, toP } from './stats';
import type { LocalSuspect, SuspectTensor, TensorComparison } from './engineTypes';
import type { MethodParameters } from './types';

const RELABELLINGS = 24;
/**
 * Effect floor for a Gram match, above the aligned tests' 0.3. Two independently trained real LMs of the corpus
 * (RoPE, same data) reach Gram r 0.19 between same-kind matrices and 0.30 between one's q and the other's k: the
 * rows' places in a head carry shared structure the relabelling null does not see. Rotated copies keep 0.95 and more
 * (a 30 % fine-tune), the corpus' real fine-tune 0.90.
 */
export const GRAM_MIN_R = 0.5;
const K = GRAM_SIZE;

type Side = 'rows' | 'cols';

/** The double-centred cosine Gram (k × k, row-major) of a stored upper triangle, or null when degenerate. */
export function centredCosines(tri: Float32Array, k = K): Float64Array | null {
  const g = new Float64Array(k * k);
  let at = 0;
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) { g[a * k + b] = tri[at]; g[b * k + a] = tri[at]; at++; }
  const rowMean = new Float64Array(k);
  let all = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) rowMean[a] += g[a * k + b];
    rowMean[a] /= k;
    all += rowMean[a];
  }
  all /= k;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) g[a * k + b] -= rowMean[a] + rowMean[b] - all;
  const scale = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const d = g[a * k + a];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    scale[a] = 1 / Math.sqrt(d);
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) g[a * k + b] *= scale[a] * scale[b];
  return g;
}

/** Off-diagonal upper-triangle entries of a k × k matrix, its indices relabelled by `perm` when given. */
export function offDiagonal(g: Float64Array, perm: ArrayLike<number> | null = null, k = K): Float64Array {
  const out = new Float64Array((k * (k - 1)) / 2);
  let at = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const pa = perm ? perm[a] : a;
      const pb = perm ? perm[b] : b;
      out[at++] = g[pa * k + pb];
    }
  }
  return out;
}

/** atanh(r) of `x` against `refGram` relabelled by fixed pseudo-random permutations. */
export function relabelledNull(x: Float64Array, refGram: Float64Array, count = RELABELLINGS): number[] {
  const rand = mulberry32(0x6a5d);
  const perm = Array.from({ length: K }, (_, i) => i);
  const out: number[] = [];
  for (let n = 0; n < count; n++) {
    for (let i = K - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    out.push(fisherZ(pearson(x, offDiagonal(refGram, perm)).r));
  }
  return out;
}

const sketchOf = (ref: TensorFingerprint, side: Side): Float32Array | null => (side === 'rows' ? ref.gramRows : ref.gramCols);

/** The suspect's sketches, kept across references (one read per tensor and side per audit). */
const suspectSketches = new WeakMap<LocalSuspect, Map<string, Float64Array | null>>();

async function suspectGram(suspect: LocalSuspect, t: SuspectTensor, side: Side): Promise<Float64Array | null> {
  let cache = suspectSketches.get(suspect);
  if (!cache) suspectSketches.set(suspect, (cache = new Map()));
  const key = `${t.index}:${side}`;
  if (!cache.has(key)) {
    const tri = await readGram(suspect.reader, t.entry, side);
    cache.set(key, tri ? centredCosines(tri) : null);
  }
  return cache.get(key)!;
}

interface Scored { ref: TensorFingerprint; side: Side; r: number; x: Float64Array; refGram: Float64Array }

/**
 * Gram evidence for the hidden-unit matrices the aligned and permutation tests left unmatched. Token matrices
 * (embeddings, LM head) are never tested this way: a distilled student's head reaches Gram r 0.99 (fingerprint/gram.ts).
 */
export async function gramSearch(
  suspect: LocalSuspect, fp: Fingerprint, results: TensorComparison[], method: MethodParameters, notes: string[], signal?: AbortSignal,
): Promise<void> {
  if (fp.version < 2) {
    if (suspect.tensors.some((t) => GRAM_KINDS.has(t.role.kind) && !results[t.index].evidence?.matched)) {
      notes.push(`reference ${fp.model.id}: a version-1 fingerprint has no Gram sketches; rotated copies cannot be found against it (re-fingerprint to version 2)`); // l10n-ignore: audit data
    }
    return;
  }
  if (!fp.tensors.some((r) => r.gramRows || r.gramCols)) {
    if (suspect.tensors.some((t) => GRAM_KINDS.has(t.role.kind) && !results[t.index].evidence?.matched)) {
      notes.push(`reference ${fp.model.id}: its fingerprint has no Gram sketches (made over HTTP Range); rotated copies cannot be found against it (fingerprint the downloaded files to add them)`); // l10n-ignore: audit data
    }
    return;
  }
  for (const t of suspect.tensors) {
    signal?.throwIfAborted();
    const ev = results[t.index].evidence;
    if (!t.info.informative || t.task || (ev && ev.matched) || t.entry.shape.length !== 2 || !GRAM_KINDS.has(t.role.kind)) continue;
    // Same kind only: q against k is where architecture-shared structure reached r 0.30 (GRAM_MIN_R).
    const refs = fp.tensors.filter((r) => r.kind === t.role.kind && r.shape.length === 2 && r.shape[0] === t.rows && r.shape[1] === t.cols && (r.gramRows || r.gramCols));
    if (refs.length === 0) continue;
    const scored: Scored[] = [];
    for (const side of ['rows', 'cols'] as const) {
      if (!refs.some((r) => sketchOf(r, side))) continue;
      const mine = await suspectGram(suspect, t, side);
      if (!mine) continue;
      const x = offDiagonal(mine);
      for (const ref of refs) {
        const tri = sketchOf(ref, side);
        const refGram = tri ? centredCosines(tri) : null;
        if (!refGram) continue;
        scored.push({ ref, side, r: pearson(x, offDiagonal(refGram)).r, x, refGram });
      }
    }
    if (scored.length === 0) continue;
    const best = scored.reduce((a, b) => (b.r > a.r ? b : a));
    const n = (K * (K - 1)) / 2;
    const others = scored.filter((s) => s !== best).map((s) => fisherZ(s.r));
    const cal = calibrate(best.r, n, relabelledNull(best.x, best.refGram), others, scored.length);
    const matched = cal.log10P < Math.log10(method.alphaTensor) && best.r >= Math.max(GRAM_MIN_R, method.minEffectR);
    // An unmatched Gram result replaces nothing: the aligned evidence stays what the tables show.
    if (!matched) continue;
    results[t.index].evidence = {
      suspect: t.entry.name, suspectIndex: t.index, reference: best.ref.name, relation: 'rotated', block: null,
      r: best.r, n, z: cal.z, zEmpirical: cal.zEmpirical, p: toP(cal.log10P), log10P: cal.log10P, candidates: scored.length,
      exact: false, hashConfirmed: false, dtypeExact: false, permuted: false, permutationConfirmed: false, hiddenPermuted: false,
      matched, gramSide: best.side,
      suspectLayer: t.role.layer, referenceLayer: best.ref.layer, suspectKind: t.role.kind, parameters: t.entry.count,
    };
  }
}
