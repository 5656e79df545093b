// Permutation recovery (docs/matching.md): row permutations (neurons, heads) confirmed by agreement between tensors that
// share the permuted axis, and hidden-dimension permutations recovered from an embedding-like probe.
import { probeRows } from '../fingerprint/plan';
import { gatherElements } from '../fingerprint/sampler';
import type { Fingerprint } from '../fingerprint/types';
import { fisherZ, log10BestOfK, log10BinomialTail, log10TwoSided, pearson, toP } from './stats';
import type { MethodParameters } from './types';
import type { LocalSuspect, RefView, SearchBudget, SuspectTensor, TensorComparison } from './engineTypes';
import { dot, normalise } from './vectors';

interface PermResult {
  t: SuspectTensor;
  view: RefView;
  map: Int32Array;
  hits: number;
  log10P: number;
  r: number;
  n: number;
  k: number;
  confirmed: boolean;
}

/** Row permutations and subsets (neurons, heads; pruned ones): each sampled reference row is searched among all suspect
 * rows in the same column window; a mapping counts only when another tensor sharing the axis yields the same mapping. */
export async function permutationSearch(
  suspect: LocalSuspect, views: RefView[], results: TensorComparison[], method: MethodParameters, budget: SearchBudget, notes: string[],
  signal?: AbortSignal,
): Promise<void> {
  let flops = 0;
  let truncated = false;
  const found: PermResult[] = [];
  for (const t of suspect.tensors) {
    const ev = results[t.index].evidence;
    if (!t.info.informative || (ev && ev.matched) || t.rows > budget.maxSearchRows || t.rows < 8) continue;
    // A suspect with fewer rows than the reference (at least a quarter of them) is searched too: pruned neurons or heads
    // keep a subset of the reference's rows, found row by row like a permutation.
    const cands = views.filter((v) => !v.part && v.cols === t.cols && 4 * t.rows >= v.rows && v.w >= 8 && v.rowIdx.length >= 8 && v.normed && v.dims === t.entry.shape.length);
    if (cands.length === 0) continue;
    const byWindow = new Map<string, RefView[]>();
    for (const v of cands) byWindow.set(`${v.c0}:${v.w}`, [...(byWindow.get(`${v.c0}:${v.w}`) ?? []), v]);
    let best: PermResult | null = null;
    for (const group of byWindow.values()) {
      signal?.throwIfAborted();
      const { c0, w } = group[0];
      const cost = group.reduce((s, v) => s + v.rowIdx.length, 0) * t.rows * w;
      if (flops + cost > budget.permutationFlops) { truncated = true; continue; }
      flops += cost;
      const idx = new Float64Array(t.rows * w);
      for (let r = 0; r < t.rows; r++) for (let j = 0; j < w; j++) idx[r * w + j] = r * t.cols + c0 + j;
      const a = await gatherElements(suspect.reader, t.entry, idx);
      const rowsN = new Float32Array(a.length);
      for (let r = 0; r < t.rows; r++) {
        const n = normalise(a.subarray(r * w, (r + 1) * w));
        if (n) rowsN.set(n, r * w);
      }
      for (const v of group) {
        const R = v.rowIdx.length;
        const map = new Int32Array(R).fill(-1);
        let hits = 0;
        const x = new Float32Array(R * w);
        const yAligned = new Float32Array(R * w);
        for (let i = 0; i < R; i++) {
          const refRow = normalise(v.samples.subarray(i * w, (i + 1) * w));
          if (!refRow) continue;
          let bestR = 0; let bestJ = -1;
          for (let j = 0; j < t.rows; j++) {
            let s = 0;
            const o = j * w;
            for (let q = 0; q < w; q++) s += refRow[q] * rowsN[o + q];
            if (Math.abs(s) > Math.abs(bestR)) { bestR = s; bestJ = j; }
          }
          const lpRow = log10BestOfK(log10TwoSided(fisherZ(bestR) * Math.sqrt(w - 3)), t.rows);
          x.set(v.samples.subarray(i * w, (i + 1) * w), i * w);
          if (bestJ >= 0) yAligned.set(a.subarray(bestJ * w, (bestJ + 1) * w), i * w);
          if (lpRow < Math.log10(method.permutationHitAlpha)) { map[i] = bestJ; hits++; }
        }
        const lpHits = log10BinomialTail(hits, R, method.permutationHitAlpha);
        const pr = pearson(x, yAligned);
        if (!best || lpHits < best.log10P) best = { t, view: v, map, hits, log10P: lpHits, r: pr.r, n: pr.n, k: cands.length, confirmed: false };
      }
    }
    if (best && best.hits >= 3) found.push(best);
  }
  // l10n-ignore (next line): an audit note, data; src/core/auditPhrases.ts translates it where it is displayed
  if (truncated) notes.push(`permutation search stopped at its budget of ${budget.permutationFlops.toExponential(1)} multiply-adds; some tensors were not searched`);
  // Agreement: two tensors sharing the permuted axis (same reference row plan, same suspect row count) must map the
  // sampled reference rows to the same suspect rows. By chance each row agrees with probability ~1/rows.
  const pairsTested = Math.max(1, (found.length * (found.length - 1)) / 2);
  for (let a = 0; a < found.length; a++) {
    for (let b = a + 1; b < found.length; b++) {
      const A = found[a]; const B = found[b];
      if (A.view.planKey !== B.view.planKey || A.t.rows !== B.t.rows || A.view.ref === B.view.ref) continue;
      let agree = 0;
      for (let i = 0; i < A.map.length; i++) if (A.map[i] >= 0 && A.map[i] === B.map[i]) agree++;
      const lp = log10BinomialTail(agree, A.map.length, 1 / A.t.rows) + Math.log10(pairsTested);
      if (lp < Math.log10(method.permutationAgreementAlpha)) { A.confirmed = true; B.confirmed = true; }
    }
  }
  const lg = Math.log10(method.alphaTensor);
  for (const f of found) {
    const lp = log10BestOfK(f.log10P, f.k);
    const isPermutation = countMoved(f) > 0;
    if (!(f.confirmed && lp < lg && Math.abs(f.r) >= method.minEffectR && isPermutation)) continue;
    results[f.t.index].evidence = {
      suspect: f.t.entry.name, suspectIndex: f.t.index, reference: f.view.name, relation: f.t.rows === f.view.rows ? 'same' : f.t.rows > f.view.rows ? 'row-extended' : 'row-subset', block: null,
      r: f.r, n: f.n, z: fisherZ(f.r) * Math.sqrt(Math.max(1, f.n - 3)), zEmpirical: null, p: toP(lp), log10P: lp, candidates: f.k,
      exact: false, hashConfirmed: false, dtypeExact: false, permuted: true, permutationConfirmed: true, hiddenPermuted: false, matched: true,
      suspectLayer: f.t.role.layer, referenceLayer: f.view.ref.layer, suspectKind: f.t.role.kind, parameters: f.t.entry.count,
    };
  }
}

function countMoved(f: PermResult): number {
  let moved = 0;
  for (let i = 0; i < f.map.length; i++) if (f.map[i] >= 0 && f.map[i] !== f.view.rowIdx[i]) moved++;
  return moved;
}

/** Hidden-dimension permutation (AWM-style): recover the column order from an embedding-like tensor's probe (full
 * rows), then re-test unmatched tensors with that order applied to their hidden-sized axes. A suspect whose hidden
 * size was pruned (d' < D, at least D/4) keeps a subset of the probe's columns: the map then sends the dropped
 * reference units to -1, their samples drop out, and the relation is a row or column subset. */
export async function hiddenPermutation(
  suspect: LocalSuspect, fp: Fingerprint, views: RefView[], results: TensorComparison[], method: MethodParameters, notes: string[],
  signal?: AbortSignal,
): Promise<void> {
  const probes = fp.tensors.filter((t) => t.probe && t.shape.length === 2);
  let perm: Int32Array | null = null;
  let d = 0;
  let kept = 0;
  for (const p of probes) {
    const rows = probeRows(p.shape);
    const cols = p.shape[1];
    for (const t of suspect.tensors) {
      if (!t.info.informative || t.entry.shape.length !== 2 || t.cols > cols || 4 * t.cols < cols || t.rows < p.shape[0]) continue;
      const ev = results[t.index].evidence;
      if (ev && ev.matched && !ev.permuted) continue;
      signal?.throwIfAborted();
      const width = t.cols;
      const idx = new Float64Array(rows.length * width);
      for (let r = 0; r < rows.length; r++) for (let c = 0; c < width; c++) idx[r * width + c] = rows[r] * width + c;
      const y = await gatherElements(suspect.reader, t.entry, idx);
      const M = rows.length;
      const colVec = (src: Float32Array, stride: number, c: number) => {
        const v = new Float32Array(M);
        for (let r = 0; r < M; r++) v[r] = src[r * stride + c];
        return normalise(v);
      };
      const sus = Array.from({ length: width }, (_, c) => colVec(y, width, c));
      const map = new Int32Array(cols).fill(-1);
      const used = new Set<number>();
      let hits = 0;
      let identity = 0;
      for (let c = 0; c < cols; c++) {
        const rv = colVec(p.probe!, cols, c);
        if (!rv) continue;
        let bestR = 0; let bestJ = -1;
        for (let j = 0; j < width; j++) {
          const sv = sus[j];
          if (!sv) continue;
          const s = dot(rv, sv);
          if (Math.abs(s) > Math.abs(bestR)) { bestR = s; bestJ = j; }
        }
        const lp = log10BestOfK(log10TwoSided(fisherZ(bestR) * Math.sqrt(M - 3)), width);
        if (lp < Math.log10(method.permutationHitAlpha) && !used.has(bestJ)) { map[c] = bestJ; used.add(bestJ); hits++; if (bestJ === c) identity++; }
      }
      const lpHits = log10BinomialTail(hits, cols, method.permutationHitAlpha);
      // Every suspect unit should be found once; a same-width identity is the aligned test's business.
      if (hits >= width * 0.9 && (width < cols || identity < hits * 0.5) && lpHits < Math.log10(method.alphaTensor)) {
        perm = map; d = cols; kept = width;
        // l10n-ignore (next line): an audit note, data; src/core/auditPhrases.ts translates it where it is displayed
        notes.push(width === cols ? `hidden-dimension permutation recovered from ${p.name} against ${t.entry.name}: ${hits}/${cols} columns mapped`
          // l10n-ignore (next line): an audit note, data
          : `hidden dimension pruned from ${cols} to ${width} units, recovered from ${p.name} against ${t.entry.name}: ${hits}/${width} kept units mapped`);
        break;
      }
    }
    if (perm) break;
  }
  if (!perm) return;
  const lg = Math.log10(method.alphaTensor);
  for (const t of suspect.tensors) {
    signal?.throwIfAborted();
    if (!t.info.informative) continue;
    const ev = results[t.index].evidence;
    if (ev && ev.matched) continue;
    // An axis is mapped when the reference's is hidden-sized and the suspect's has the kept width.
    const fits = (refAxis: number, axis: number, mapped: boolean) => (mapped ? refAxis === d && axis === kept : refAxis === axis);
    const cands = views.filter((v) => !v.part && (v.rows === d || v.cols === d) && (fits(v.rows, t.rows, true) || fits(v.cols, t.cols, true)));
    let best: { v: RefView; r: number; n: number; variant: number } | null = null;
    let tries = 0;
    for (const v of cands) {
      for (const variant of [1, 2, 3]) {
        const mapRows = (variant & 1) !== 0; const mapCols = (variant & 2) !== 0;
        if (!fits(v.rows, t.rows, mapRows) || !fits(v.cols, t.cols, mapCols)) continue;
        const idx: number[] = [];
        const x: number[] = [];
        let ok = true;
        for (let i = 0; i < v.rowIdx.length; i++) {
          const r = mapRows ? perm[v.rowIdx[i]] : v.rowIdx[i];
          for (let j = 0; j < v.w; j++) {
            const c = mapCols ? perm[v.c0 + j] : v.c0 + j;
            if (r < 0 || c < 0) { ok = false; continue; }
            idx.push(r * t.cols + c);
            x.push(v.samples[i * v.w + j]);
          }
        }
        // Same width: every unit maps. Pruned: the dropped units' samples drop out, most must remain.
        if ((kept === d && !ok) || idx.length < 0.5 * v.samples.length) continue;
        tries++;
        const y = await gatherElements(suspect.reader, t.entry, Float64Array.from(idx));
        const pr = pearson(Float32Array.from(x), y);
        if (!best || Math.abs(pr.r) > Math.abs(best.r)) best = { v, r: pr.r, n: pr.n, variant };
      }
    }
    if (!best) continue;
    const lp = log10BestOfK(log10TwoSided(fisherZ(best.r) * Math.sqrt(Math.max(1, best.n - 3))), tries);
    if (!(lp < lg && Math.abs(best.r) >= method.minEffectR)) continue;
    results[t.index].evidence = {
      suspect: t.entry.name, suspectIndex: t.index, reference: best.v.name, block: null,
      relation: kept === d ? 'same' : best.variant & 2 ? 'column-subset' : 'row-subset',
      r: best.r, n: best.n, z: fisherZ(best.r) * Math.sqrt(Math.max(1, best.n - 3)), zEmpirical: null, p: toP(lp), log10P: lp, candidates: tries,
      exact: false, hashConfirmed: false, dtypeExact: false, permuted: true, permutationConfirmed: true, hiddenPermuted: true, matched: true,
      suspectLayer: t.role.layer, referenceLayer: best.v.ref.layer, suspectKind: t.role.kind, parameters: t.entry.count,
    };
  }
}
