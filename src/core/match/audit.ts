// Per-component verdicts from per-tensor evidence, against every reference of a library.
import { performance } from 'node:perf_hooks';
import { openCheckpoint, type Checkpoint } from '../format/checkpoint';
import { COMPONENTS, type Component } from '../naming/classify';
import { fingerprintCheckpoint, type FingerprintOptions } from '../fingerprint/create';
import type { Fingerprint } from '../fingerprint/types';
import type { CheckpointReaderOptions } from '../format/tensorData';
import { DEFAULT_BUDGET, DEFAULT_METHOD, compareWithReference, informativeness, prepareSuspect, type LocalSuspect, type SearchBudget, type TensorComparison } from './engine';
import { t } from '../l10n';
import { cosine, pearson } from './stats';
import { componentVerdict } from './verdict';
import { referenceSetOf, type IndexedReference, type ReferenceSet } from './referenceSet';
import { screenReferences, type ScreenResult } from './screen';
import { readSuspectSidecars, sidecarEvidence, type ReferenceSidecars, type SuspectSidecars } from '../sidecars/evidence';
import { localSidecars, type SidecarSource } from '../sidecars/source';

const TASK_NOTE = 'task-determined tensors (output biases, per-class vectors indexed by the label space) agree between models trained for the same task; they are shown but never decide a verdict'; // l10n-ignore: audit data
import type {
  AuditResult, ComponentEvidence, ComponentResult, LayerHeatmap, MethodParameters, ReferenceComparison, ScreeningSummary, TensorEvidence, Verdict, WeakContext,
} from './types';

export interface AuditOptions {
  method?: Partial<MethodParameters>;
  budget?: Partial<SearchBudget>;
  /** `fraction`: how much of the matching is done (screening, then full comparisons), from 0 to 1. */
  onProgress?: (message: string, fraction: number) => void;
  /** Stops the audit early: it rejects with the signal's reason (an AbortError DOMException for a plain abort()). */
  signal?: AbortSignal;
  /**
   * 'auto' (default): screen the references first (screen.ts) when there are more than CASCADE_FROM of them, and
   * compare in full only the shortlisted ones; 'always' / 'never': screen or compare every reference in full.
   */
  cascade?: 'auto' | 'always' | 'never';
  /** At most this many shortlisted references are compared in full, most promising first (default 64). */
  maxCompared?: number;
  /** Where the suspect's bytes come from (default: its local files); remote/audit.ts passes an HTTP Range source. */
  readerOptions?: CheckpointReaderOptions;
  /** The suspect's tokenizer, config and claims: set against the references compared (result.sidecars). */
  suspectSidecars?: SuspectSidecars;
  /**
   * auditCheckpoint: where the checkpoint's sidecar files come from (default: its local folder; for a checkpoint read
   * through readerOptions.openSource, none unless given); false reads none.
   */
  sidecars?: SidecarSource | false;
}

/** Up to this many references every one is compared in full (every card keeps its unrelated pairs for context); a full
 * comparison costs ~2 s per reference for a corpus-sized suspect, the screening ~10 ms. */
export const CASCADE_FROM = 4;
const MAX_COMPARED = 64;
const RUNNERS_UP = 5;

// The audit's relation and note sentences below are data, not messages: they go into `audit --json` and into review
// findings as evidence snapshots, in English; src/core/auditPhrases.ts translates them where they are displayed.
// Each is marked l10n-ignore; a new sentence needs a rule in auditPhrases.ts.
const WEAK_NOTE = 'Weak evidence, shown as context only: raw cosine of all-positive vectors (norm weights) is ~1 between unrelated models, ' + // l10n-ignore: audit data
  'and per-layer std curves are shaped by the architecture and training recipe. Neither decides a verdict.';

const RANK: Record<Verdict, number> = { identical: 3, derived: 2, inconclusive: 1, 'no-evidence': 0 };

/** Marks reference tensors whose samples are bit-identical across references that otherwise share little: such
 * tensors (deterministic initialisations, buffers) say nothing about provenance. Returns reference id → names. */
export function sharedAcrossUnrelated(refs: Fingerprint[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(refs.map((r) => [r.model.id, new Set<string>()]));
  const keyOf = (t: Fingerprint['tensors'][number]) => `${t.shape.join('x')}:${Buffer.from(t.samples.buffer, t.samples.byteOffset, t.samples.byteLength).toString('base64')}`;
  const keys = refs.map((r) => new Map(r.tensors.map((t) => [keyOf(t), t.name])));
  for (let a = 0; a < refs.length; a++) {
    for (let b = a + 1; b < refs.length; b++) {
      const shared: [string, string][] = [];
      for (const [k, name] of keys[a]) { const other = keys[b].get(k); if (other) shared.push([name, other]); }
      const smaller = Math.min(keys[a].size, keys[b].size);
      if (shared.length && shared.length < 0.5 * smaller) {
        for (const [na, nb] of shared) { out.get(refs[a].model.id)!.add(na); out.get(refs[b].model.id)!.add(nb); }
      }
    }
  }
  return out;
}

/** sharedAcrossUnrelated over index entries: equal sample hashes stand for equal samples. */
export function sharedByHash(refs: IndexedReference[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(refs.map((r) => [r.id, new Set<string>()]));
  const holders = new Map<string, { ref: number; name: string }[]>();
  refs.forEach((r, i) => { for (const t of r.tensors) holders.set(`${t.shape.join('x')}:${t.hash}`, [...(holders.get(`${t.shape.join('x')}:${t.hash}`) ?? []), { ref: i, name: t.name }]); });
  const pairs = new Map<string, [string, string][]>();
  for (const list of holders.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        if (list[a].ref === list[b].ref) continue;
        const [x, y] = list[a].ref < list[b].ref ? [list[a], list[b]] : [list[b], list[a]];
        const key = `${x.ref}:${y.ref}`;
        pairs.set(key, [...(pairs.get(key) ?? []), [x.name, y.name]]);
      }
    }
  }
  for (const [key, shared] of pairs) {
    const [a, b] = key.split(':').map(Number);
    if (shared.length < 0.5 * Math.min(refs[a].tensorCount, refs[b].tensorCount)) {
      for (const [na, nb] of shared) { out.get(refs[a].id)!.add(na); out.get(refs[b].id)!.add(nb); }
    }
  }
  return out;
}

function withoutTensors(fp: Fingerprint, names: Set<string>): Fingerprint {
  if (names.size === 0) return fp;
  return { ...fp, tensors: fp.tensors.filter((t) => !names.has(t.name)) };
}

function heatmapOf(comps: TensorComparison[], idx: number[], suspect: LocalSuspect): LayerHeatmap {
  const sLayers = new Set<number>();
  const rLayers = new Set<number>();
  const cells = new Map<string, number>();
  for (const i of idx) {
    const sl = suspect.tensors[i].role.layer;
    if (sl === null) continue;
    for (const p of comps[i].pairs) {
      if (p.referenceLayer === null) continue;
      sLayers.add(sl); rLayers.add(p.referenceLayer);
      const key = `${sl}:${p.referenceLayer}`;
      cells.set(key, Math.max(cells.get(key) ?? -1, Math.abs(p.r)));
    }
    const ev = comps[i].evidence;
    if (ev && ev.matched && ev.referenceLayer !== null) {
      sLayers.add(sl); rLayers.add(ev.referenceLayer);
      const key = `${sl}:${ev.referenceLayer}`;
      cells.set(key, Math.max(cells.get(key) ?? -1, Math.abs(ev.r)));
    }
  }
  const suspectLayers = [...sLayers].sort((a, b) => a - b);
  const referenceLayers = [...rLayers].sort((a, b) => a - b);
  return {
    suspectLayers, referenceLayers,
    r: suspectLayers.map((s) => referenceLayers.map((r) => { const v = cells.get(`${s}:${r}`); return v === undefined ? null : v; })),
  };
}

function weakContext(comps: TensorComparison[], idx: number[], suspect: LocalSuspect, fp: Fingerprint): WeakContext {
  const norms: WeakContext['norms'] = [];
  for (const i of idx) {
    const t = suspect.tensors[i];
    const c = comps[i];
    if (t.entry.shape.length !== 1 || t.role.kind !== 'norm' || !c.best || !c.evidence) continue;
    norms.push({ suspect: t.entry.name, reference: c.evidence.reference, rawCosine: cosine(c.best.refSamples, c.best.suspectValues), centredR: pearson(c.best.refSamples, c.best.suspectValues).r });
  }
  // Per-layer std curves: mean sampled std of the layer's matrices, suspect vs reference, when layer counts agree.
  const curve = (items: { layer: number | null; std: number; dims: number }[]) => {
    const by = new Map<number, number[]>();
    for (const it of items) if (it.layer !== null && it.dims >= 2) by.set(it.layer, [...(by.get(it.layer) ?? []), it.std]);
    return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v.reduce((s, x) => s + x, 0) / v.length);
  };
  const sCurve = curve(idx.map((i) => ({ layer: suspect.tensors[i].role.layer, std: suspect.tensors[i].moments.std, dims: suspect.tensors[i].entry.shape.length })));
  const refComponents = new Set(idx.map((i) => comps[i].evidence?.reference).filter(Boolean).map((n) => fp.tensors.find((t) => n!.startsWith(t.name))?.component));
  const rCurve = curve(fp.tensors.filter((t) => refComponents.has(t.component)).map((t) => ({ layer: t.layer, std: t.moments.std, dims: t.shape.length })));
  const stdCurveR = sCurve.length >= 3 && sCurve.length === rCurve.length ? pearson(sCurve, rCurve).r : null;
  return { note: WEAK_NOTE, norms, stdCurveR };
}

/** Matches a prepared suspect against references (fingerprints, or an index with a loader) and returns per-component
 * verdicts. With many references the cascade screens them first (options.cascade). */
export async function auditSuspect(suspect: LocalSuspect, references: Fingerprint[] | ReferenceSet, options: AuditOptions = {}): Promise<AuditResult> {
  const t0 = performance.now();
  const method = { ...DEFAULT_METHOD, ...options.method };
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  const notes: string[] = [];
  const list = Array.isArray(references) ? references : null;
  const count = list ? list.length : (references as ReferenceSet).references.length;
  const cascade = options.cascade === 'always' || (options.cascade !== 'never' && count > CASCADE_FROM);
  // Fingerprints in memory are indexed only when the cascade needs their sketches.
  const set: ReferenceSet | null = list ? (cascade ? referenceSetOf(list) : null) : references as ReferenceSet;
  const shared = list ? sharedAcrossUnrelated(list) : sharedByHash(set!.references);
  // l10n-ignore (next line): audit data
  for (const [id, names] of shared) if (names.size) notes.push(`${names.size} tensor(s) of reference ${id} are identical across unrelated references and give no evidence`);
  const byComponent = new Map<Component, number[]>();
  suspect.tensors.forEach((t) => byComponent.set(t.role.component, [...(byComponent.get(t.role.component) ?? []), t.index]));
  const perRef: { fp: Fingerprint; comps: TensorComparison[] }[] = [];
  const referenceSidecars: ReferenceSidecars[] = [];
  let screenShare = 0;
  let toCompare = count;
  const compare = async (fp: Fingerprint) => {
    options.signal?.throwIfAborted();
    options.onProgress?.(t('matching against {0}', fp.model.id), screenShare + (1 - screenShare) * (perRef.length / Math.max(1, toCompare)));
    referenceSidecars.push({ id: fp.model.id, config: fp.model.config, tokenizer: fp.tokenizer ?? null });
    perRef.push({ fp, comps: await compareWithReference(suspect, withoutTensors(fp, shared.get(fp.model.id) ?? new Set()), method, budget, notes, options.signal) });
  };
  let screens: ScreenResult[] | null = null;
  let order: number[] = [];
  if (cascade) {
    screenShare = 0.5;
    screens = await screenReferences(suspect, set!.references, budget, options.signal,
      (done, total) => options.onProgress?.(t('screening {0} references: tensor {1} of {2}', count, done + 1, total), 0.5 * (done / total)));
    const promise = screens.map((s) => Math.max(0, ...[...s.values()].map((c) => c.signal?.score ?? 0)));
    order = promise.map((p, i) => [p, i]).filter(([p]) => p > 0).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
    const max = options.maxCompared ?? MAX_COMPARED;
    // l10n-ignore (next line): audit data
    if (order.length > max) notes.push(`${order.length - max} shortlisted reference(s) were not compared in full (budget of ${max}); the verdicts rest on the ${max} most promising`);
    order = order.slice(0, max);
    toCompare = order.length;
    for (const i of order) await compare(await set!.load(set!.references[i]));
  } else if (list) {
    for (const fp of list) await compare(fp);
  } else {
    for (const r of set!.references) await compare(await set!.load(r));
  }
  if (perRef.some(({ comps }) => comps.some((c) => c.evidence?.matched && c.evidence.taskDetermined))) notes.push(TASK_NOTE);
  const components: ComponentResult[] = [];
  for (const name of COMPONENTS) {
    const idx = byComponent.get(name);
    if (!idx) continue;
    const parameters = idx.reduce((s, i) => s + suspect.tensors[i].entry.count, 0);
    const comparisons: ReferenceComparison[] = perRef.map(({ fp, comps }) => {
      const rows = idx.map((i) => comps[i].evidence).filter((e): e is TensorEvidence => e !== null);
      const v = componentVerdict(rows, parameters, method);
      return {
        reference: fp.model.id, verdict: v.verdict, relation: v.relation, evidence: v.evidence,
        heatmap: heatmapOf(comps, idx, suspect), table: rows.sort((a, b) => a.log10P - b.log10P), context: weakContext(comps, idx, suspect, fp),
      };
    });
    comparisons.sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || b.evidence.matchedTensors - a.evidence.matchedTensors ||
      b.evidence.informativeTensors - a.evidence.informativeTensors || a.evidence.log10PValue - b.evidence.log10PValue);
    const top = comparisons[0];
    const informativeOwn = idx.filter((i) => suspect.tensors[i].info.informative).length;
    const empty: ComponentEvidence = {
      matchedTensors: 0, informativeTensors: 0, medianR: null, pValue: 1, log10PValue: 0, coveredParameterFraction: 0,
      exactTensors: 0, dtypeExactTensors: 0, permutedTensors: 0, hiddenPermutation: false,
    };
    const verdict: Verdict = top ? top.verdict : 'no-evidence';
    components.push({
      name, tensors: idx.length, parameters, verdict,
      reference: top && verdict !== 'no-evidence' ? top.reference : null,
      relation: top ? (verdict === 'no-evidence' ? `none of the ${count} reference(s) matches` : top.relation) : count ? `none of the ${count} reference(s) matches` : 'no references', // l10n-ignore: audit data
      evidence: top ? top.evidence : { ...empty, informativeTensors: informativeOwn },
      comparisons,
      ...(screens ? { screening: screeningOf(name, screens, set!.references, order, top && verdict !== 'no-evidence' ? top.reference : null) } : {}),
    });
  }
  const result: AuditResult = {
    checkpoint: { path: suspect.checkpoint.path, tensors: suspect.checkpoint.tensors.length, parameters: suspect.checkpoint.parameters, headerHash: suspect.checkpoint.headerHash },
    references: list && !set ? list.map((r) => {
      const has = new Set(r.tensors.map((x) => x.component));
      return { id: r.model.id, source: r.model.source, tensors: r.tensors.length, parameters: r.model.parameters, components: COMPONENTS.filter((c) => has.has(c)) };
    }) : set!.references.map((r) => ({ id: r.id, source: r.source, tensors: r.tensorCount, parameters: r.parameters, components: r.components, family: r.family })),
    components, method, notes, seconds: (performance.now() - t0) / 1000,
  };
  if (options.suspectSidecars) result.sidecars = sidecarEvidence(options.suspectSidecars, referenceSidecars, result);
  return result;
}

/** How the cascade narrowed the references for one component (AuditResult's ComponentResult.screening). */
function screeningOf(name: Component, screens: ScreenResult[], refs: IndexedReference[], compared: number[], best: string | null): ScreeningSummary {
  let withCandidates = 0; let shortlisted = 0;
  const rows: ScreeningSummary['runnersUp'] = [];
  const comparedSet = new Set(compared);
  screens.forEach((s, i) => {
    const c = s.get(name);
    if (!c?.candidates) return;
    withCandidates++;
    // A reference compared in full for another component was compared in full for this one too (every suspect
    // tensor is matched): it counts as shortlisted here, so the stages still add up to the references.
    if (c.signal || comparedSet.has(i)) shortlisted++;
    if (refs[i].id !== best) rows.push({ reference: refs[i].id, family: refs[i].family, signal: c.signal?.kind ?? null, score: c.signal?.score ?? 0, bestR: c.bestR, compared: comparedSet.has(i) });
  });
  rows.sort((a, b) => b.score - a.score || b.bestR - a.bestR || (a.reference < b.reference ? -1 : 1));
  const comparedHere = compared.filter((i) => screens[i].get(name)?.candidates).length;
  return { references: refs.length, withCandidates, shortlisted, compared: comparedHere, runnersUp: rows.slice(0, RUNNERS_UP) };
}

/** Opens, prepares and audits a checkpoint. */
export async function auditCheckpoint(pathOrCheckpoint: string | Checkpoint, references: Fingerprint[] | ReferenceSet, options: AuditOptions = {}): Promise<AuditResult> {
  const t0 = performance.now();
  const checkpoint = typeof pathOrCheckpoint === 'string' ? await openCheckpoint(pathOrCheckpoint) : pathOrCheckpoint;
  const suspect = await prepareSuspect(checkpoint, { ...DEFAULT_METHOD, ...options.method }, options.signal, options.readerOptions);
  try {
    const source = options.sidecars === false ? undefined : options.sidecars ?? (options.readerOptions?.openSource ? null : localSidecars(checkpoint.folder));
    const sidecars = source === undefined ? undefined : await readSuspectSidecars(checkpoint, source);
    const result = await auditSuspect(suspect, references, { ...options, suspectSidecars: options.suspectSidecars ?? sidecars });
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  } finally {
    await suspect.reader.close();
  }
}

/** Two local checkpoints: fingerprints `a` in memory and matches `b` against it. */
export async function compareCheckpoints(a: string, b: string, options: AuditOptions & { fingerprint?: FingerprintOptions } = {}): Promise<AuditResult> {
  const fp = await fingerprintCheckpoint(await openCheckpoint(a), { hashMaxBytes: 0, signal: options.signal, ...options.fingerprint, id: options.fingerprint?.id ?? a });
  return auditCheckpoint(b, [fp], options);
}

export { informativeness };
