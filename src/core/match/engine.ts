// The matching engine (docs/matching.md): candidates by shape, aligned sampled reads of the local suspect at the reference's
// positions, centred correlation with an analytic and an empirical null, permutation search confirmed by agreement,
// hidden-dimension permutation recovery (permutation.ts), and calibrated per-tensor evidence (nullModel.ts).
import type { Checkpoint } from '../format/checkpoint';
import { isFloatDType } from '../format/dtype';
import { CheckpointReader, type CheckpointReaderOptions } from '../format/tensorData';
import type { Component, ModuleKind } from '../naming/classify';
import { classifyAll } from '../naming/classify';
import { FORMAT_VERSION, SAMPLE_TARGET, WINDOW_COLS, planIndices, samplePlan } from '../fingerprint/plan';
import { gatherElements, hashTensor, mapLimit } from '../fingerprint/sampler';
import { realView } from '../format/rowOrder';
import { sampleMoments } from '../fingerprint/create';
import type { Fingerprint, SampleMoments } from '../fingerprint/types';
import { fisherZ, pearson, toP } from './stats';
import { calibrate, shiftNull, withoutCommonRow } from './nullModel';
import { hiddenPermutation, permutationSearch } from './permutation';
import { gramSearch } from './gram';
import { columnSubsetSearch } from './subset';
import { dot, normalise } from './vectors';
import { t } from '../l10n';
import { rounder } from './rounding';
import { taskDetermined } from './taskTensors';
import type { MethodParameters, Relation } from './types';
import type { SearchBudget, Informativeness, SuspectTensor, RefView, TensorComparison, LocalSuspect } from './engineTypes';

export type { SearchBudget, Informativeness, SuspectTensor, RefView, TensorComparison, LocalSuspect } from './engineTypes';

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

export const DEFAULT_BUDGET: SearchBudget = { permutationFlops: 4e9, maxSearchRows: 262144, hashMaxBytes: 64 << 20 };

/** Whether sampled values can carry evidence: float, not a buffer, enough finite samples, not (near-)constant. */
export function informativeness(m: SampleMoments, dtype: string, kind: string, method = DEFAULT_METHOD): Informativeness {
  if (!isFloatDType(dtype as never) || dtype === 'F8_E8M0') return { informative: false, reason: t('integer, boolean or scale dtype') };
  if (kind === 'buffer') return { informative: false, reason: t('deterministic buffer') };
  if (m.n < method.minSamples) return { informative: false, reason: t('too few samples ({0})', m.n) };
  if (m.distinct < 8) return { informative: false, reason: t('constant or near-constant ({0} distinct values)', m.distinct) };
  if (!(m.std > 0) || m.std < method.minRelativeStd * Math.abs(m.mean)) return { informative: false, reason: t('near-constant (relative std below threshold)') };
  return { informative: true, reason: null };
}

interface Candidate { view: RefView; rel: Relation; block: number | null; key: string }

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
          planKey: `${ref.shape.join('x')}#${m}.${k}`, rowIdx: Float64Array.from(keep, (i) => plan.rowIdx[i] - k * partRows),
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
    // A truncated vocabulary: the suspect keeps the reference's first rows; sampled rows past its end read as NaN
    // and drop out of r. More than half the rows must remain so that most samples still pair; a reference with 2x
    // the rows is a fused one (fused-part covers it).
    if (t.cols === v.cols && v.cols > 1 && t.rows < v.rows && 2 * t.rows > v.rows && dims === v.dims && dims >= 2) add('row-truncated', null);
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

/** Tensors read concurrently between two cancellation checks of prepareSuspect. */
const PREPARE_BATCH = 64;

/**
 * Opens a suspect for matching: roles and its own sampled moments (sampled reads, O(tensors)). An aborted `signal`
 * rejects with its reason (an AbortError DOMException unless the caller gave another) and closes the reader.
 * `readerOptions.openSource` reads the bytes from elsewhere than the local files (an hf:// suspect, remote/audit.ts).
 */
export async function prepareSuspect(checkpoint: Checkpoint, method = DEFAULT_METHOD, signal?: AbortSignal, readerOptions?: CheckpointReaderOptions): Promise<LocalSuspect> {
  const reader = new CheckpointReader(checkpoint, readerOptions);
  const roles = classifyAll(checkpoint.tensors.map((t) => t.name));
  const task = taskDetermined(checkpoint.tensors.map((t, i) => ({ shape: t.shape, layer: roles[i].layer })));
  const tensors: SuspectTensor[] = [];
  try {
    // Checked between batches, when no read is in flight, so that closing the reader cannot race a read.
    for (let start = 0; start < checkpoint.tensors.length; start += PREPARE_BATCH) {
      signal?.throwIfAborted();
      const batch = checkpoint.tensors.slice(start, start + PREPARE_BATCH);
      tensors.push(...await mapLimit(batch.map(realView), 8, async (entry, i): Promise<SuspectTensor> => {
        const index = start + i;
        const plan = samplePlan(entry.shape);
        const own = await gatherElements(reader, entry, planIndices(plan));
        const moments = sampleMoments(own);
        return { index, entry, rows: plan.rows, cols: plan.cols, role: roles[index], moments, info: informativeness(moments, entry.dtype, roles[index].kind, method), task: task[index] };
      }));
    }
  } catch (e) {
    await reader.close();
    throw e;
  }
  return { checkpoint, reader, tensors };
}

/**
 * Compares a local suspect with one reference fingerprint. An aborted `signal` rejects with its reason (an AbortError
 * DOMException unless the caller gave another); it is checked once per suspect tensor and search step.
 */
export async function compareWithReference(
  suspect: LocalSuspect, fp: Fingerprint, method = DEFAULT_METHOD, budget = DEFAULT_BUDGET, notes: string[] = [], signal?: AbortSignal,
): Promise<TensorComparison[]> {
  signal?.throwIfAborted();
  const views = viewsOf(fp, suspect.tensors, method);
  const results: TensorComparison[] = suspect.tensors.map(() => ({ evidence: null, pairs: [], best: null }));
  const lg = Math.log10(method.alphaTensor);

  for (const t of suspect.tensors) {
    signal?.throwIfAborted();
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
    const R = best.c.view.rowIdx.length;
    const w = best.c.view.w;
    let stat = { x, y, r: best.r, n: best.n };
    if (best.c.view.ref.kind === 'head' && !exact && !dtypeExact && R >= 8 && w >= 8) {
      const sx = withoutCommonRow(x, R, w);
      const sy = withoutCommonRow(y, R, w);
      stat = { x: sx, y: sy, ...pearson(sx, sy) };
    }
    const cal = calibrate(stat.r, stat.n, shiftNull(stat.x, stat.y, R, w), others, scored.length);
    let hashConfirmed = false;
    if (exact && best.c.rel === 'same' && !best.c.view.part && best.c.view.ref.sha256 && best.c.view.ref.dtype === t.entry.dtype &&
      t.entry.end - t.entry.begin === best.c.view.ref.bytes && best.c.view.ref.bytes <= budget.hashMaxBytes) {
      hashConfirmed = (await hashTensor(suspect.reader, t.entry)) === best.c.view.ref.sha256;
    }
    const lp = exact || dtypeExact ? Math.min(cal.log10P, -300) : cal.log10P;
    results[t.index].evidence = {
      suspect: t.entry.name, suspectIndex: t.index, reference: best.c.view.name, relation: best.c.rel, block: best.c.block,
      r: exact || dtypeExact ? 1 : stat.r, n: stat.n, z: cal.z, zEmpirical: cal.zEmpirical, p: toP(lp), log10P: lp, candidates: scored.length,
      exact, hashConfirmed, dtypeExact, permuted: false, permutationConfirmed: false, hiddenPermuted: false,
      matched: exact || dtypeExact || (lp < lg && Math.abs(stat.r) >= method.minEffectR),
      suspectLayer: t.role.layer, referenceLayer: best.c.view.ref.layer, suspectKind: t.role.kind, parameters: t.entry.count,
      ...(t.task ? { taskDetermined: true as const } : {}),
    };
    results[t.index].best = { refSamples: x, suspectValues: y };
  }

  await permutationSearch(suspect, views, results, method, budget, notes, signal);
  await columnSubsetSearch(suspect, views, results, method, budget, signal);
  await hiddenPermutation(suspect, fp, views, results, method, notes, signal);
  await gramSearch(suspect, fp, results, method, notes, signal);
  return results;
}

export type { Component, ModuleKind };
