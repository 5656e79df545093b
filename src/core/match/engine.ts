// The matching engine (DESIGN §5): candidates by shape, aligned sampled reads of the local suspect at the reference's
// positions, centred correlation with an analytic and an empirical null, permutation search confirmed by agreement,
// hidden-dimension permutation recovery, and calibrated per-tensor evidence.
import type { Checkpoint, TensorEntry } from '../format/checkpoint';
import { isFloatDType } from '../format/dtype';
import { CheckpointReader } from '../format/tensorData';
import type { Component, ModuleKind, TensorRole } from '../naming/classify';
import { classifyAll } from '../naming/classify';
import { FORMAT_VERSION, SAMPLE_TARGET, WINDOW_COLS, planIndices, probeRows, samplePlan } from '../fingerprint/plan';
import { gatherElements, hashTensor, mapLimit } from '../fingerprint/sampler';
import { sampleMoments } from '../fingerprint/create';
import type { Fingerprint, SampleMoments, TensorFingerprint } from '../fingerprint/types';
import { fisherZ, log10BestOfK, log10BinomialTail, log10TwoSided, pearson, toP } from './stats';
import { t } from '../l10n';
import { rounder } from './rounding';
import type { MethodParameters, Relation, TensorEvidence } from './types';

export const DEFAULT_METHOD: MethodParameters = {
  formatVersion: FORMAT_VERSION,
  sampleTarget: SAMPLE_TARGET,
  windowCols: WINDOW_COLS,
  alphaTensor: 1e-6,
  minEffectR: 0.3,
  alphaComponent: 1e-6,
  minMatchedTensors: 3,
  minSamples: 16,
  minRelativeStd: 1e-3,
  permutationHitAlpha: 0.01,
  permutationAgreementAlpha: 1e-6,
  // l10n-ignore (next line): a method parameter, data of the audit result (--json, review notes' method section)
  nullModel: 'max of analytic (atanh(r)·sqrt(n-3) ~ N(0,1)) and empirical (row/column-shifted pairs of the same tensors; the suspect against the reference\'s other same-shaped tensors) two-sided p, Sidak best-of-K corrected',
};

/** Bounds for the heavier searches, so that time grows with tensor count. */
export interface SearchBudget {
  /** Multiply-adds allowed for row permutation searches in one reference comparison. */
  permutationFlops: number;
  /** Largest suspect row count searched for a permutation. */
  maxSearchRows: number;
  /** Largest suspect tensor hashed to confirm an exact copy. */
  hashMaxBytes: number;
}

export const DEFAULT_BUDGET: SearchBudget = { permutationFlops: 4e9, maxSearchRows: 262144, hashMaxBytes: 64 << 20 };

export interface Informativeness { informative: boolean; reason: string | null }

/** Whether sampled values can carry evidence: float, not a buffer, enough finite samples, not (near-)constant. */
export function informativeness(m: SampleMoments, dtype: string, kind: string, method = DEFAULT_METHOD): Informativeness {
  if (!isFloatDType(dtype as never) || dtype === 'F8_E8M0') return { informative: false, reason: t('integer, boolean or scale dtype') };
  if (kind === 'buffer') return { informative: false, reason: t('deterministic buffer') };
  if (m.n < method.minSamples) return { informative: false, reason: t('too few samples ({0})', m.n) };
  if (m.distinct < 8) return { informative: false, reason: t('constant or near-constant ({0} distinct values)', m.distinct) };
  if (!(m.std > 0) || m.std < method.minRelativeStd * Math.abs(m.mean)) return { informative: false, reason: t('near-constant (relative std below threshold)') };
  return { informative: true, reason: null };
}

/** A local suspect tensor. */
export interface SuspectTensor {
  index: number;
  entry: TensorEntry;
  rows: number;
  cols: number;
  role: TensorRole;
  moments: SampleMoments;
  info: Informativeness;
}

/** A reference tensor, or one row block of a fused reference tensor. */
interface RefView {
  id: number;
  ref: TensorFingerprint;
  name: string;
  part: { m: number; k: number } | null;
  rows: number;
  cols: number;
  dims: number;
  planKey: string;
  rowIdx: Int32Array;
  c0: number;
  w: number;
  samples: Float32Array;
  normed: Float32Array | null;
}

interface Candidate { view: RefView; rel: Relation; block: number | null; key: string }

/** Everything one suspect × reference comparison produces, per suspect tensor. */
export interface TensorComparison {
  evidence: TensorEvidence | null;
  /** Every aligned pair's r, for heatmaps: [view reference tensor name, reference layer, r]. */
  pairs: { reference: string; referenceLayer: number | null; r: number; refIndex: number }[];
  /** The best candidate's reference samples and the suspect's values there (for weak context). */
  best: { refSamples: Float32Array; suspectValues: Float32Array } | null;
}

/** Centred, unit-norm copy; null when a value is not finite or the variance is zero. */
function normalise(x: Float32Array): Float32Array | null {
  let s = 0;
  for (let i = 0; i < x.length; i++) { if (!Number.isFinite(x[i])) return null; s += x[i]; }
  const m = s / x.length;
  let ss = 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) { const d = x[i] - m; out[i] = d; ss += d * d; }
  if (!(ss > 0)) return null;
  const k = 1 / Math.sqrt(ss);
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function viewsOf(fp: Fingerprint, suspect: SuspectTensor[], method: MethodParameters): RefView[] {
  const views: RefView[] = [];
  const suspectShapes = new Set(suspect.map((t) => `${t.rows}x${t.cols}`));
  fp.tensors.forEach((ref) => {
    if (!informativeness(ref.moments, ref.dtype, ref.kind, method).informative) return;
    const plan = samplePlan(ref.shape);
    const dims = ref.shape.length;
    const whole: RefView = {
      id: views.length, ref, name: ref.name, part: null, rows: plan.rows, cols: plan.cols, dims, planKey: ref.shape.join('x'),
      rowIdx: plan.rowIdx, c0: plan.c0, w: plan.w, samples: ref.samples, normed: normalise(ref.samples),
    };
    views.push(whole);
    for (const m of [2, 3]) {
      if (plan.rows % m !== 0 || !suspectShapes.has(`${plan.rows / m}x${plan.cols}`)) continue;
      const partRows = plan.rows / m;
      for (let k = 0; k < m; k++) {
        const keep: number[] = [];
        plan.rowIdx.forEach((r, i) => { if (r >= k * partRows && r < (k + 1) * partRows) keep.push(i); });
        const samples = new Float32Array(keep.length * plan.w);
        keep.forEach((i, o) => samples.set(ref.samples.subarray(i * plan.w, (i + 1) * plan.w), o * plan.w));
        const mo = sampleMoments(samples);
        if (!informativeness(mo, ref.dtype, ref.kind, method).informative) continue;
        views.push({
          id: views.length, ref, name: `${ref.name}[${k + 1}/${m}]`, part: { m, k }, rows: partRows, cols: plan.cols, dims,
          planKey: `${ref.shape.join('x')}#${m}.${k}`, rowIdx: Int32Array.from(keep, (i) => plan.rowIdx[i] - k * partRows),
          c0: plan.c0, w: plan.w, samples, normed: normalise(samples),
        });
      }
    }
  });
  return views;
}

function candidatesFor(t: SuspectTensor, views: RefView[]): Candidate[] {
  const out: Candidate[] = [];
  const dims = t.entry.shape.length;
  for (const v of views) {
    const add = (rel: Relation, block: number | null) => out.push({ view: v, rel, block, key: `${rel}|${block}|${v.planKey}` });
    if (v.part) {
      if (t.rows === v.rows && t.cols === v.cols) add('fused-part', v.part.k);
      continue;
    }
    if (t.rows === v.rows && t.cols === v.cols) add('same', null);
    let multiple = false;
    for (const m of [2, 3]) {
      if (t.cols === v.cols && t.rows === m * v.rows) {
        multiple = true;
        for (let k = 0; k < m; k++) add('split-block', k);
      }
    }
    if (!multiple && t.cols === v.cols && v.cols > 1 && t.rows > v.rows && dims === v.dims) add('row-extended', null);
    if (dims === 2 && v.dims === 2 && v.rows > 1 && v.cols > 1 && t.rows === v.cols && t.cols === v.rows) add('transposed', null);
  }
  return out;
}

function suspectIndices(c: Candidate, t: SuspectTensor): Float64Array {
  const v = c.view;
  const out = new Float64Array(v.rowIdx.length * v.w);
  let k = 0;
  for (let i = 0; i < v.rowIdx.length; i++) {
    const vr = v.rowIdx[i];
    for (let j = 0; j < v.w; j++) {
      const col = v.c0 + j;
      if (c.rel === 'transposed') out[k++] = col * t.cols + vr;
      else if (c.rel === 'split-block') out[k++] = (vr + c.block! * v.rows) * t.cols + col;
      else out[k++] = vr * t.cols + col;
    }
  }
  return out;
}

/** r of aligned pairs after shifting the suspect's rows (or columns) within the sample grid: a null that keeps
 * every row- or column-aligned structure two independent models may share. Returns atanh(r) values. */
export function shiftNull(x: Float32Array, y: Float32Array, rows: number, w: number, maxShifts = 16): number[] {
  const out: number[] = [];
  const shifted = new Float32Array(x.length);
  if (rows >= 4) {
    const k = Math.min(maxShifts, rows - 1);
    for (let s = 1; s <= k; s++) {
      const shift = Math.max(1, Math.round((s * (rows - 1)) / (k + 1)));
      for (let i = 0; i < rows; i++) shifted.set(y.subarray(((i + shift) % rows) * w, ((i + shift) % rows) * w + w), i * w);
      out.push(fisherZ(pearson(x, shifted).r));
    }
  }
  if (w >= 4) {
    const k = Math.min(maxShifts, w - 1);
    for (let s = 1; s <= k; s++) {
      const shift = Math.max(1, Math.round((s * (w - 1)) / (k + 1)));
      for (let i = 0; i < rows; i++) for (let j = 0; j < w; j++) shifted[i * w + j] = y[i * w + ((j + shift) % w)];
      out.push(fisherZ(pearson(x, shifted).r));
    }
  }
  return out;
}

function meanSd(values: number[]): { mean: number; sd: number } {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) * (v - m), 0) / Math.max(1, values.length - 1));
  return { mean: m, sd };
}

function robustCentre(values: number[]): { centre: number; spread: number } {
  const s = [...values].sort((a, b) => a - b);
  const med = s[s.length >> 1];
  const mad = [...s.map((v) => Math.abs(v - med))].sort((a, b) => a - b)[s.length >> 1];
  return { centre: med, spread: 1.4826 * mad };
}

/** Calibrated z and log10 p of one aligned comparison (analytic and empirical nulls). */
export function calibrate(r: number, n: number, nullShift: number[], nullOthers: number[], k: number):
  { z: number; zEmpirical: number | null; log10P: number } {
  const se = 1 / Math.sqrt(Math.max(1, n - 3));
  const fz = fisherZ(r);
  const z = fz / se;
  let lp = log10TwoSided(z);
  let zEmp: number | null = null;
  if (nullShift.length >= 8) {
    const { mean, sd } = meanSd(nullShift);
    const ze = (fz - mean) / Math.max(sd, se);
    zEmp = ze;
    lp = Math.max(lp, log10TwoSided(ze));
  }
  if (nullOthers.length >= 3) {
    const { centre, spread } = robustCentre(nullOthers);
    const zo = (fz - centre) / Math.max(spread, se);
    zEmp = zEmp === null ? zo : (Math.abs(zo) < Math.abs(zEmp) ? zo : zEmp);
    lp = Math.max(lp, log10TwoSided(zo));
  }
  return { z, zEmpirical: zEmp, log10P: log10BestOfK(lp, k) };
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

function equalAfterRounding(ref: Float32Array, sus: Float32Array, round: (v: number) => number): boolean {
  for (let i = 0; i < ref.length; i++) {
    const a = round(ref[i]); const b = sus[i];
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) return false;
  }
  return true;
}

export interface LocalSuspect {
  checkpoint: Checkpoint;
  reader: CheckpointReader;
  tensors: SuspectTensor[];
}

/** Opens a suspect for matching: roles and its own sampled moments (sampled reads, O(tensors)). */
export async function prepareSuspect(checkpoint: Checkpoint, method = DEFAULT_METHOD): Promise<LocalSuspect> {
  const reader = new CheckpointReader(checkpoint);
  const roles = classifyAll(checkpoint.tensors.map((t) => t.name));
  const tensors = await mapLimit(checkpoint.tensors, 8, async (entry, index): Promise<SuspectTensor> => {
    const plan = samplePlan(entry.shape);
    const own = await gatherElements(reader, entry, planIndices(plan));
    const moments = sampleMoments(own);
    return { index, entry, rows: plan.rows, cols: plan.cols, role: roles[index], moments, info: informativeness(moments, entry.dtype, roles[index].kind, method) };
  });
  return { checkpoint, reader, tensors };
}

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

/** Compares a local suspect with one reference fingerprint. */
export async function compareWithReference(
  suspect: LocalSuspect, fp: Fingerprint, method = DEFAULT_METHOD, budget = DEFAULT_BUDGET, notes: string[] = [],
): Promise<TensorComparison[]> {
  const views = viewsOf(fp, suspect.tensors, method);
  const results: TensorComparison[] = suspect.tensors.map(() => ({ evidence: null, pairs: [], best: null }));
  const lg = Math.log10(method.alphaTensor);

  for (const t of suspect.tensors) {
    if (!t.info.informative) continue;
    const cands = candidatesFor(t, views);
    if (cands.length === 0) continue;
    const groups = new Map<string, Candidate[]>();
    for (const c of cands) groups.set(c.key, [...(groups.get(c.key) ?? []), c]);
    const reads = new Map<string, Float32Array>();
    const scored: { c: Candidate; r: number; n: number }[] = [];
    for (const [key, group] of groups) {
      const y = await gatherElements(suspect.reader, t.entry, suspectIndices(group[0], t));
      reads.set(key, y);
      const yn = normalise(y);
      for (const c of group) {
        const res = yn && c.view.normed ? { r: Math.max(-1, Math.min(1, dot(yn, c.view.normed))), n: y.length } : pearson(c.view.samples, y);
        scored.push({ c, r: res.r, n: res.n });
        results[t.index].pairs.push({ reference: c.view.name, referenceLayer: c.view.ref.layer, r: res.r, refIndex: fp.tensors.indexOf(c.view.ref) });
      }
    }
    // Exact and dtype-exact copies first: they need no statistics.
    let best = scored[0];
    let exact = false;
    let dtypeExact = false;
    for (const s of scored) {
      const y = reads.get(s.c.key)!;
      if (bitsEqual(s.c.view.samples, y)) { best = s; exact = true; break; }
    }
    if (!exact) {
      const round = rounder(t.entry.dtype);
      if (round && t.entry.dtype !== 'F32') {
        for (const s of scored) {
          if (s.c.view.ref.dtype === t.entry.dtype) continue;
          if (equalAfterRounding(s.c.view.samples, reads.get(s.c.key)!, round)) { best = s; dtypeExact = true; break; }
        }
      }
      if (!dtypeExact) for (const s of scored) if (Math.abs(s.r) > Math.abs(best.r)) best = s;
    }
    const x = best.c.view.samples;
    const y = reads.get(best.c.key)!;
    const others = scored.filter((s) => s !== best && s.c.view.ref !== best.c.view.ref).map((s) => fisherZ(s.r));
    const cal = calibrate(best.r, best.n, shiftNull(x, y, best.c.view.rowIdx.length, best.c.view.w), others, scored.length);
    let hashConfirmed = false;
    if (exact && best.c.rel === 'same' && !best.c.view.part && best.c.view.ref.sha256 && best.c.view.ref.dtype === t.entry.dtype &&
      t.entry.end - t.entry.begin === best.c.view.ref.bytes && best.c.view.ref.bytes <= budget.hashMaxBytes) {
      hashConfirmed = (await hashTensor(suspect.reader, t.entry)) === best.c.view.ref.sha256;
    }
    const lp = exact || dtypeExact ? Math.min(cal.log10P, -300) : cal.log10P;
    results[t.index].evidence = {
      suspect: t.entry.name, suspectIndex: t.index, reference: best.c.view.name, relation: best.c.rel, block: best.c.block,
      r: exact || dtypeExact ? 1 : best.r, n: best.n, z: cal.z, zEmpirical: cal.zEmpirical, p: toP(lp), log10P: lp, candidates: scored.length,
      exact, hashConfirmed, dtypeExact, permuted: false, permutationConfirmed: false, hiddenPermuted: false,
      matched: exact || dtypeExact || (lp < lg && Math.abs(best.r) >= method.minEffectR),
      suspectLayer: t.role.layer, referenceLayer: best.c.view.ref.layer, suspectKind: t.role.kind, parameters: t.entry.count,
    };
    results[t.index].best = { refSamples: x, suspectValues: y };
  }

  await permutationSearch(suspect, views, results, method, budget, notes);
  await hiddenPermutation(suspect, fp, views, results, method, notes);
  return results;
}

/** Row permutations (neurons, heads): each sampled reference row is searched among all suspect rows in the same
 * column window; a mapping counts only when another tensor sharing the axis yields the same mapping. */
async function permutationSearch(
  suspect: LocalSuspect, views: RefView[], results: TensorComparison[], method: MethodParameters, budget: SearchBudget, notes: string[],
): Promise<void> {
  let flops = 0;
  let truncated = false;
  const found: PermResult[] = [];
  for (const t of suspect.tensors) {
    const ev = results[t.index].evidence;
    if (!t.info.informative || (ev && ev.matched) || t.rows > budget.maxSearchRows || t.rows < 8) continue;
    const cands = views.filter((v) => !v.part && v.cols === t.cols && v.rows <= t.rows && v.w >= 8 && v.rowIdx.length >= 8 && v.normed && v.dims === t.entry.shape.length);
    if (cands.length === 0) continue;
    const byWindow = new Map<string, RefView[]>();
    for (const v of cands) byWindow.set(`${v.c0}:${v.w}`, [...(byWindow.get(`${v.c0}:${v.w}`) ?? []), v]);
    let best: PermResult | null = null;
    for (const group of byWindow.values()) {
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
  // l10n-ignore (next line): an audit note, data; src/shared/auditPhrases.ts translates it where it is displayed
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
      suspect: f.t.entry.name, suspectIndex: f.t.index, reference: f.view.name, relation: f.t.rows === f.view.rows ? 'same' : 'row-extended', block: null,
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
 * rows), then re-test unmatched tensors with that order applied to their hidden-sized axes. */
async function hiddenPermutation(
  suspect: LocalSuspect, fp: Fingerprint, views: RefView[], results: TensorComparison[], method: MethodParameters, notes: string[],
): Promise<void> {
  const probes = fp.tensors.filter((t) => t.probe && t.shape.length === 2);
  let perm: Int32Array | null = null;
  let d = 0;
  for (const p of probes) {
    const rows = probeRows(p.shape);
    const cols = p.shape[1];
    for (const t of suspect.tensors) {
      if (!t.info.informative || t.entry.shape.length !== 2 || t.cols !== cols || t.rows < p.shape[0]) continue;
      const ev = results[t.index].evidence;
      if (ev && ev.matched && !ev.permuted) continue;
      const idx = new Float64Array(rows.length * cols);
      for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols; c++) idx[r * cols + c] = rows[r] * cols + c;
      const y = await gatherElements(suspect.reader, t.entry, idx);
      const M = rows.length;
      const colVec = (src: Float32Array, c: number) => {
        const v = new Float32Array(M);
        for (let r = 0; r < M; r++) v[r] = src[r * cols + c];
        return normalise(v);
      };
      const sus = Array.from({ length: cols }, (_, c) => colVec(y, c));
      const map = new Int32Array(cols).fill(-1);
      const used = new Set<number>();
      let hits = 0;
      let identity = 0;
      for (let c = 0; c < cols; c++) {
        const rv = colVec(p.probe!, c);
        if (!rv) continue;
        let bestR = 0; let bestJ = -1;
        for (let j = 0; j < cols; j++) {
          const sv = sus[j];
          if (!sv) continue;
          const s = dot(rv, sv);
          if (Math.abs(s) > Math.abs(bestR)) { bestR = s; bestJ = j; }
        }
        const lp = log10BestOfK(log10TwoSided(fisherZ(bestR) * Math.sqrt(M - 3)), cols);
        if (lp < Math.log10(method.permutationHitAlpha) && !used.has(bestJ)) { map[c] = bestJ; used.add(bestJ); hits++; if (bestJ === c) identity++; }
      }
      const lpHits = log10BinomialTail(hits, cols, method.permutationHitAlpha);
      if (hits >= cols * 0.9 && identity < hits * 0.5 && lpHits < Math.log10(method.alphaTensor)) {
        perm = map; d = cols;
        // l10n-ignore (next line): an audit note, data; src/shared/auditPhrases.ts translates it where it is displayed
        notes.push(`hidden-dimension permutation recovered from ${p.name} against ${t.entry.name}: ${hits}/${cols} columns mapped`);
        break;
      }
    }
    if (perm) break;
  }
  if (!perm) return;
  const lg = Math.log10(method.alphaTensor);
  for (const t of suspect.tensors) {
    if (!t.info.informative) continue;
    const ev = results[t.index].evidence;
    if (ev && ev.matched) continue;
    const cands = views.filter((v) => !v.part && v.rows === t.rows && v.cols === t.cols && (v.rows === d || v.cols === d));
    let best: { v: RefView; r: number; n: number; variant: number } | null = null;
    let tries = 0;
    for (const v of cands) {
      for (const variant of [1, 2, 3]) {
        const mapRows = variant & 1 && v.rows === d; const mapCols = variant & 2 && v.cols === d;
        if ((variant & 1 && !mapRows) || (variant & 2 && !mapCols)) continue;
        const idx = new Float64Array(v.rowIdx.length * v.w);
        let k = 0; let ok = true;
        for (let i = 0; i < v.rowIdx.length; i++) {
          const r = mapRows ? perm[v.rowIdx[i]] : v.rowIdx[i];
          for (let j = 0; j < v.w; j++) {
            const c = mapCols ? perm[v.c0 + j] : v.c0 + j;
            if (r < 0 || c < 0) ok = false;
            idx[k++] = r * t.cols + c;
          }
        }
        if (!ok) continue;
        tries++;
        const y = await gatherElements(suspect.reader, t.entry, idx);
        const pr = pearson(v.samples, y);
        if (!best || Math.abs(pr.r) > Math.abs(best.r)) best = { v, r: pr.r, n: pr.n, variant };
      }
    }
    if (!best) continue;
    const lp = log10BestOfK(log10TwoSided(fisherZ(best.r) * Math.sqrt(Math.max(1, best.n - 3))), tries);
    if (!(lp < lg && Math.abs(best.r) >= method.minEffectR)) continue;
    results[t.index].evidence = {
      suspect: t.entry.name, suspectIndex: t.index, reference: best.v.name, relation: 'same', block: null,
      r: best.r, n: best.n, z: fisherZ(best.r) * Math.sqrt(Math.max(1, best.n - 3)), zEmpirical: null, p: toP(lp), log10P: lp, candidates: tries,
      exact: false, hashConfirmed: false, dtypeExact: false, permuted: true, permutationConfirmed: true, hiddenPermuted: true, matched: true,
      suspectLayer: t.role.layer, referenceLayer: best.v.ref.layer, suspectKind: t.role.kind, parameters: t.entry.count,
    };
  }
}

export type { Component, ModuleKind };
