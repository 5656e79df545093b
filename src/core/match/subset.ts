// Column subsets and permutations (docs/matching.md §9): a matrix whose inputs were pruned (down_proj after MLP
// neurons were dropped, o_proj after heads were) keeps a subset of the reference's columns, in any order; one whose
// inputs were permuted keeps all of them. Each sampled reference column
// (its values at the sampled rows) is searched among all suspect columns at the same rows; a suspect column is used
// once. Rows are searched for subsets in permutation.ts, where tensors sharing the axis confirm each other.
import { GRAM_KINDS } from '../fingerprint/gram';
import { gatherElements } from '../fingerprint/sampler';
import { fisherZ, log10BestOfK, log10BinomialTail, log10TwoSided, pearson, toP } from './stats';
import type { MethodParameters } from './types';
import type { LocalSuspect, RefView, SearchBudget, TensorComparison } from './engineTypes';
import { dot, normalise } from './vectors';

/** Share of the sampled reference columns that must be found: pruning keeps most columns, chance finds ~1 %. */
const MIN_FOUND = 0.5;

export async function columnSubsetSearch(
  suspect: LocalSuspect, views: RefView[], results: TensorComparison[], method: MethodParameters, budget: SearchBudget, signal?: AbortSignal,
): Promise<void> {
  const lg = Math.log10(method.alphaTensor);
  let flops = 0;
  for (const t of suspect.tensors) {
    const ev = results[t.index].evidence;
    // Only matrices whose rows and columns are hidden units: a token-indexed matrix's columns share the token-frequency
    // profile of its rows (an independent same-data LM head reached r 0.31 here), and its hidden axis is the probe's job.
    if (!t.info.informative || t.task || (ev && ev.matched) || t.entry.shape.length !== 2 || t.cols < 8 || !GRAM_KINDS.has(t.role.kind)) continue;
    const cands = views.filter((v) => !v.part && v.dims === 2 && v.rows === t.rows && v.cols >= t.cols && 4 * t.cols >= v.cols && v.w >= 8 && v.rowIdx.length >= 8);
    if (cands.length === 0) continue;
    const byPlan = new Map<string, RefView[]>();
    for (const v of cands) byPlan.set(v.planKey, [...(byPlan.get(v.planKey) ?? []), v]);
    let best: { v: RefView; hits: number; log10P: number; r: number; n: number } | null = null;
    for (const group of byPlan.values()) {
      signal?.throwIfAborted();
      const { rowIdx, w } = group[0];
      const R = rowIdx.length;
      const cost = group.length * w * t.cols * R;
      if (flops + cost > budget.permutationFlops) continue;
      flops += cost;
      const idx = new Float64Array(R * t.cols);
      for (let i = 0; i < R; i++) for (let c = 0; c < t.cols; c++) idx[i * t.cols + c] = rowIdx[i] * t.cols + c;
      const a = await gatherElements(suspect.reader, t.entry, idx);
      const column = (src: Float32Array, stride: number, c: number): Float32Array => {
        const out = new Float32Array(R);
        for (let i = 0; i < R; i++) out[i] = src[i * stride + c];
        return out;
      };
      const suspectCols = Array.from({ length: t.cols }, (_, c) => normalise(column(a, t.cols, c)));
      for (const v of group) {
        const used = new Set<number>();
        const x = new Float32Array(R * w);
        const y = new Float32Array(R * w);
        let hits = 0;
        for (let j = 0; j < w; j++) {
          const refCol = normalise(column(v.samples, w, j));
          if (!refCol) continue;
          let bestR = 0; let bestC = -1;
          for (let c = 0; c < t.cols; c++) {
            const sc = suspectCols[c];
            if (!sc || used.has(c)) continue;
            const s = dot(refCol, sc);
            if (Math.abs(s) > Math.abs(bestR)) { bestR = s; bestC = c; }
          }
          const lp = log10BestOfK(log10TwoSided(fisherZ(bestR) * Math.sqrt(R - 3)), t.cols);
          for (let i = 0; i < R; i++) {
            x[i * w + j] = v.samples[i * w + j];
            y[i * w + j] = bestC >= 0 ? a[i * t.cols + bestC] : NaN;
          }
          if (bestC >= 0 && lp < Math.log10(method.permutationHitAlpha)) { used.add(bestC); hits++; }
        }
        const lpHits = log10BinomialTail(hits, w, method.permutationHitAlpha);
        const pr = pearson(x, y);
        if (!best || lpHits < best.log10P) best = { v, hits, log10P: lpHits, r: pr.r, n: pr.n };
      }
    }
    if (!best) continue;
    const lp = log10BestOfK(best.log10P, cands.length);
    if (!(best.hits >= MIN_FOUND * best.v.w && lp < lg && Math.abs(best.r) >= method.minEffectR)) continue;
    results[t.index].evidence = {
      suspect: t.entry.name, suspectIndex: t.index, reference: best.v.name, relation: t.cols === best.v.cols ? 'same' : 'column-subset', block: null,
      r: best.r, n: best.n, z: fisherZ(best.r) * Math.sqrt(Math.max(1, best.n - 3)), zEmpirical: null, p: toP(lp), log10P: lp, candidates: cands.length,
      exact: false, hashConfirmed: false, dtypeExact: false, permuted: true, permutationConfirmed: false, hiddenPermuted: false, matched: true,
      suspectLayer: t.role.layer, referenceLayer: best.v.ref.layer, suspectKind: t.role.kind, parameters: t.entry.count,
    };
  }
}
