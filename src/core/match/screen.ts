// Screening (docs/library-index.md): the first stages of the audit's cascade. Each reference's index entry is checked
// against the suspect with cheap tests that have the same reach as the full ones — exact sample hashes, aligned
// sketches under every shape relation the engine knows, row LSH for permuted or pruned rows, Gram sketches for rotated
// or hidden-permuted matrices. A reference whose component shows none of them is ruled out for that component; the
// rest are compared in full, most promising first. The suspect's reads are made once and shared by every reference.
import { GRAM_KINDS, readGram } from '../fingerprint/gram';
import { samplePlan } from '../fingerprint/plan';
import { gatherElements } from '../fingerprint/sampler';
import type { Component } from '../naming/classify';
import { centredCosines, offDiagonal } from './gram';
import type { IndexedReference, IndexedTensor } from './referenceSet';
import { LSH_TABLES, rowKeys, sampleHash, sketchGrid, sketchPositions } from './sketch';
import { withoutCommonRow } from './nullModel';
import { normalise } from './vectors';
import { fisherZ, log10BinomialTail, pearson } from './stats';
import type { LocalSuspect, SearchBudget, SuspectTensor } from './engineTypes';

/** Stages of the cascade, in order; a component is ruled out at the first one it does not pass. */
export type ScreenStage = 'shape' | 'screen' | 'budget';
export type ScreenSignalKind = 'exact' | 'aligned' | 'aligned-weak' | 'rows' | 'gram';

export interface ScreenSignal {
  kind: ScreenSignalKind;
  /** Strength: −log10 of the signal's chance probability (capped at 300); orders the shortlist. */
  score: number;
  suspect: string;
  reference: string;
}

export interface ComponentScreen {
  /** Some suspect tensor of the component has a shape-compatible tensor in the reference. */
  candidates: boolean;
  /** The strongest signal that passed, or null (ruled out). */
  signal: ScreenSignal | null;
  /** The strongest aligned-sketch |r| seen, passed or not (context for runners-up). */
  bestR: number;
}

/** Aligned sketch thresholds: |r| ≥ 0.2 with z ≥ 6 on ≥ 64 pairs; the full test's floor is |r| ≥ 0.3 on 4,096. */
const SKETCH_MIN_R = 0.2;
const SKETCH_MIN_Z = 6;
const SKETCH_MIN_N = 64;
/** Weak aligned agreement: pairs at z ≥ 3 far more often than chance (the "many weak agreements" of an inconclusive). */
const WEAK_Z = 3;
const WEAK_Q = 0.0027;
const WEAK_LOG10P = -6;
/** Row LSH: rows whose keys collide, against a Poisson chance rate. */
const ROWS_MIN_HITS = 3;
const ROWS_LOG10P = -6;
/** Gram sketches of the same kind and shape: the full test's floor is 0.5. */
const GRAM_SCREEN_R = 0.4;

interface Pair { rel: string; block: number; valid: (vr: number) => boolean; index: (vr: number, col: number) => number }

/** The shape relations of the engine's candidatesFor, as position maps from reference (row, col) to suspect element. */
function relations(t: SuspectTensor, ref: IndexedTensor, rows: number, cols: number): Pair[] {
  const out: Pair[] = [];
  const dims = t.entry.shape.length;
  const rdims = ref.shape.length;
  const tc = t.cols;
  const plain = (rel: string) => out.push({ rel, block: 0, valid: (vr) => vr < t.rows, index: (vr, c) => vr * tc + c });
  if (t.rows === rows && t.cols === cols) plain('same');
  for (const m of [2, 3]) {
    if (rows % m === 0 && t.rows === rows / m && t.cols === cols) {
      const pr = rows / m;
      for (let k = 0; k < m; k++) out.push({ rel: 'fused-part', block: k, valid: (vr) => vr >= k * pr && vr < (k + 1) * pr, index: (vr, c) => (vr - k * pr) * tc + c });
    }
  }
  let multiple = false;
  for (const m of [2, 3]) {
    if (t.cols === cols && t.rows === m * rows) {
      multiple = true;
      for (let k = 0; k < m; k++) out.push({ rel: 'split-block', block: k, valid: () => true, index: (vr, c) => (vr + k * rows) * tc + c });
    }
  }
  if (!multiple && t.cols === cols && cols > 1 && t.rows > rows && dims === rdims) plain('row-extended');
  if (t.cols === cols && cols > 1 && t.rows < rows && 2 * t.rows > rows && dims === rdims && dims >= 2) plain('row-truncated');
  if (dims === 2 && rdims === 2 && rows > 1 && cols > 1 && t.rows === cols && t.cols === rows) {
    out.push({ rel: 'transposed', block: 0, valid: () => true, index: (vr, c) => c * tc + vr });
  }
  return out;
}

const capped = (lp: number) => Math.min(300, -lp);

function dotInt8(a: Int8Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const PAIRS: [number, number][] = [];
for (let a = 0; a < LSH_TABLES; a++) for (let b = a + 1; b < LSH_TABLES; b++) PAIRS.push([a, b]);

/** 32-bit keys from two 16-bit tables: a chance collision among n rows has probability ~n/2^32 per pair of tables. */
function pairKey(keys: Uint16Array, o: number, [a, b]: [number, number], flip: boolean): number {
  const ka = flip ? ~keys[o + a] & 0xffff : keys[o + a];
  const kb = flip ? ~keys[o + b] & 0xffff : keys[o + b];
  return ((ka << 16) | kb) >>> 0;
}

function has(sorted: Uint32Array, key: number): boolean {
  let lo = 0; let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === key) return true;
    if (v < key) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}

interface RowTable { bits: Uint8Array[]; pairs: Uint32Array[] }

/** Per reference: per suspect component, whether it has candidates and its strongest passing signal. */
export type ScreenResult = Map<Component, ComponentScreen>;

/** Kinds grouped for the row search: a permuted or pruned matrix keeps its kind's group under any naming. */
function kindGroup(kind: string): string {
  if (kind.startsWith('attn-')) return 'attn';
  if (kind.startsWith('mlp-')) return 'mlp';
  if (kind === 'embedding' || kind === 'head') return 'token';
  return kind === 'unknown' ? '*' : kind;
}

const sameGroup = (a: string, b: string) => { const ga = kindGroup(a); const gb = kindGroup(b); return ga === gb || ga === '*' || gb === '*'; };

/**
 * Screens one suspect against every reference. The loop runs suspect tensor by suspect tensor: the reads and tables of
 * one tensor (its values at each reference shape's sketch positions under each relation, its rows' LSH keys, its Gram)
 * are made once, before the references are visited, and dropped before the next tensor.
 */
export async function screenReferences(suspect: LocalSuspect, refs: IndexedReference[], budget: SearchBudget,
  signal?: AbortSignal, onTensor?: (done: number, total: number) => void): Promise<ScreenResult[]> {
  const out: ScreenResult[] = refs.map(() => new Map());
  const slot = (i: number, c: Component) => { let s = out[i].get(c); if (!s) out[i].set(c, (s = { candidates: false, signal: null, bestR: 0 })); return s; };
  const offer = (i: number, c: Component, s: ScreenSignal) => { const cur = slot(i, c); if (!cur.signal || s.score > cur.signal.score) cur.signal = s; };
  const weak = refs.map(() => new Map<Component, { hits: number; pairs: number }>());
  // One reference tensor per shape: what the suspect side is prepared from.
  const shapes = new Map<string, IndexedTensor>();
  for (const ref of refs) for (const r of ref.tensors) if (!shapes.has(r.shapeKey)) shapes.set(r.shapeKey, r);
  const tensors = suspect.tensors.filter((t) => t.info.informative);
  for (const [done, t] of tensors.entries()) {
    signal?.throwIfAborted();
    onTensor?.(done, tensors.length);
    const comp = t.role.component;
    const ts = new TensorScreen(suspect, t, budget);
    await ts.prepare(shapes.values());
    const hash = ts.hash;
    for (const [i, ref] of refs.entries()) {
      const own = slot(i, comp);
      for (const r of ref.tensors) {
        const prepared = ts.shapes.get(r.shapeKey);
        if (!prepared) continue;
        own.candidates = true;
        if (prepared.same && hash === r.hash) {
          offer(i, comp, { kind: 'exact', score: 300, suspect: t.entry.name, reference: r.name });
          continue;
        }
        const grid = r.kind === 'head' ? prepared.grid : null;
        for (const [p, pair] of prepared.pairs.entries()) {
          const y = prepared.values[p];
          const head = grid && pair.rel !== 'transposed' && pair.rel !== 'fused-part';
          // As the full test does for LM heads: the row every token shares (frequency structure) is projected out.
          const { r: rr, n } = head ? pearson(withoutCommonRow(Float32Array.from(r.sketch), grid.rows, grid.w), withoutCommonRow(y.values, grid.rows, grid.w))
            : y.unit ? { r: dotInt8(r.sketch, y.unit) / (r.sketchNorm || Infinity), n: y.values.length } : pearson(r.sketch, y.values);
          if (n < SKETCH_MIN_N || !Number.isFinite(rr)) continue;
          const z = Math.abs(fisherZ(rr)) * Math.sqrt(n - 3);
          if (Math.abs(rr) > own.bestR) own.bestR = Math.abs(rr);
          let w = weak[i].get(comp);
          if (!w) weak[i].set(comp, (w = { hits: 0, pairs: 0 }));
          w.pairs++; if (z >= WEAK_Z) w.hits++;
          if (Math.abs(rr) >= SKETCH_MIN_R && z >= SKETCH_MIN_Z) {
            offer(i, comp, { kind: 'aligned', score: Math.min(300, (z * z) / (2 * Math.LN10)), suspect: t.entry.name, reference: r.name });
          }
        }
        if (prepared.rows && sameGroup(t.role.kind, r.kind)) {
          const rows = rowHits(prepared.rows, r, t.rows);
          if (rows) offer(i, comp, { kind: 'rows', score: rows, suspect: t.entry.name, reference: r.name });
        }
        if (prepared.gram && r.gram && r.kind === t.role.kind) {
          const gr = pearson(prepared.gram, r.gram).r;
          if (gr >= GRAM_SCREEN_R) offer(i, comp, { kind: 'gram', score: Math.min(300, 10 * gr), suspect: t.entry.name, reference: r.name });
        }
      }
    }
  }
  // Weak agreement is judged against the library itself: models from one recipe share structure that lifts their weak
  // agreements above the analytic rate, so the chance rate is the 90th percentile of all references' rates.
  const rates = new Map<Component, number[]>();
  for (const byComp of weak) for (const [comp, w] of byComp) if (w.pairs) rates.set(comp, [...(rates.get(comp) ?? []), w.hits / w.pairs]);
  for (const [i, byComp] of weak.entries()) {
    for (const [comp, w] of byComp) {
      const sorted = (rates.get(comp) ?? []).sort((a, b) => a - b);
      const q = Math.max(WEAK_Q, sorted.length ? sorted[Math.floor(0.9 * (sorted.length - 1))] : 0);
      const lp = log10BinomialTail(w.hits, w.pairs, q);
      if (w.hits >= 3 && lp < WEAK_LOG10P) offer(i, comp, { kind: 'aligned-weak', score: capped(lp), suspect: '', reference: '' });
    }
  }
  return out;
}

/** Row LSH: −log10 chance of the reference's sampled rows found among the suspect's rows (any order, any subset),
 * or 0 when not significant. The bitsets rule most rows out before any pair of tables is looked up. */
function rowHits(table: RowTable, r: IndexedTensor, suspectRows: number): number {
  const keys = r.rowKeys!;
  const rows = keys.length / LSH_TABLES;
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * LSH_TABLES;
    let pos = 0; let neg = 0; let np = 0; let nn = 0;
    for (let tb = 0; tb < LSH_TABLES; tb++) {
      const k = keys[o + tb]; const c = ~k & 0xffff;
      if (table.bits[tb][k >> 3] & (1 << (k & 7))) { pos |= 1 << tb; np++; }
      if (table.bits[tb][c >> 3] & (1 << (c & 7))) { neg |= 1 << tb; nn++; }
    }
    if (np < 2 && nn < 2) continue;
    for (let p = 0; p < PAIRS.length; p++) {
      const [a, b] = PAIRS[p];
      const need = (1 << a) | (1 << b);
      if (((pos & need) === need && has(table.pairs[p], pairKey(keys, o, PAIRS[p], false)))
        || ((neg & need) === need && has(table.pairs[p], pairKey(keys, o, PAIRS[p], true)))) { hits++; break; }
    }
  }
  const q = Math.min(1, (2 * PAIRS.length * suspectRows) / 2 ** 32);
  const lp = log10BinomialTail(hits, rows, q);
  return hits >= ROWS_MIN_HITS && lp < ROWS_LOG10P ? capped(lp) : 0;
}

interface PreparedShape {
  pairs: Pair[];
  /** The suspect's values at the shape's sketch positions, one per pair. */
  values: { values: Float32Array; unit: Float32Array | null }[];
  /** A 'same' relation exists (the exact-hash test applies). */
  same: boolean;
  grid: { rows: number; w: number } | null;
  rows: RowTable | null;
  gram: Float64Array | null;
}

/** One suspect tensor's side of the screen: everything read once, per reference shape, before the references. */
class TensorScreen {
  readonly shapes = new Map<string, PreparedShape>();
  hash = '';
  private readonly rowTables = new Map<string, RowTable | null>();
  private gramValues: Float64Array | null | undefined;

  constructor(private readonly suspect: LocalSuspect, private readonly t: SuspectTensor, private readonly budget: SearchBudget) {}

  async prepare(examples: Iterable<IndexedTensor>): Promise<void> {
    const t = this.t;
    this.hash = await this.ownHash();
    for (const r of examples) {
      const plan = samplePlan(r.shape);
      const pairs = relations(t, r, plan.rows, plan.cols);
      const rowsFit = t.entry.shape.length === 2 && r.shape.length === 2 && t.cols === plan.cols && 4 * t.rows >= plan.rows && t.rows >= 8 && plan.w >= 8;
      if (pairs.length === 0 && !rowsFit) continue;
      const values = [];
      for (const p of pairs) values.push(await this.alignedValues(r, p));
      const gramFits = !t.task && GRAM_KINDS.has(t.role.kind) && t.entry.shape.length === 2 && r.shape[0] === t.rows && r.shape[1] === t.cols;
      this.shapes.set(r.shapeKey, {
        pairs, values, same: pairs.some((p) => p.rel === 'same'), grid: sketchGrid(plan.count, plan.w),
        rows: rowsFit ? await this.rowTable(plan.c0, plan.w) : null,
        gram: gramFits ? await this.gram() : null,
      });
    }
  }

  private async alignedValues(ref: IndexedTensor, pair: Pair): Promise<{ values: Float32Array; unit: Float32Array | null }> {
    const plan = samplePlan(ref.shape);
    const pos = sketchPositions(plan.count);
    const idx = new Float64Array(pos.length);
    for (let i = 0; i < pos.length; i++) {
      const vr = plan.rowIdx[Math.floor(pos[i] / plan.w)];
      idx[i] = pair.valid(vr) ? pair.index(vr, plan.c0 + (pos[i] % plan.w)) : -1;
    }
    const read = await gatherElements(this.suspect.reader, this.t.entry, Array.from(idx).filter((i) => i >= 0));
    const values = new Float32Array(idx.length).fill(NaN);
    let at = 0;
    for (let i = 0; i < idx.length; i++) if (idx[i] >= 0) values[i] = read[at++];
    return { values, unit: normalise(values) };
  }

  private async ownHash(): Promise<string> {
    const plan = samplePlan(this.t.entry.shape);
    const idx = new Float64Array(plan.count);
    let at = 0;
    for (const r of plan.rowIdx) for (let j = 0; j < plan.w; j++) idx[at++] = r * plan.cols + plan.c0 + j;
    return sampleHash(await gatherElements(this.suspect.reader, this.t.entry, idx));
  }

  /** Per column window: a bitset of the 16-bit keys of every suspect row (one per LSH table), and sorted 32-bit pair
   * keys (one array per pair of tables). */
  private async rowTable(c0: number, w: number): Promise<RowTable | null> {
    const key = `${c0}|${w}`;
    if (!this.rowTables.has(key)) {
      const t = this.t;
      let table: RowTable | null = null;
      if (t.rows <= this.budget.maxSearchRows) {
        const idx = new Float64Array(t.rows * w);
        for (let r = 0; r < t.rows; r++) for (let j = 0; j < w; j++) idx[r * w + j] = r * t.cols + c0 + j;
        const { keys, valid } = rowKeys(await gatherElements(this.suspect.reader, t.entry, idx), t.rows, w);
        const bits = Array.from({ length: LSH_TABLES }, () => new Uint8Array(8192));
        for (let r = 0; r < t.rows; r++) {
          if (!valid[r]) continue;
          for (let tb = 0; tb < LSH_TABLES; tb++) { const k = keys[r * LSH_TABLES + tb]; bits[tb][k >> 3] |= 1 << (k & 7); }
        }
        const pairs = PAIRS.map((pair) => {
          const list: number[] = [];
          for (let r = 0; r < t.rows; r++) if (valid[r]) list.push(pairKey(keys, r * LSH_TABLES, pair, false));
          return Uint32Array.from(list).sort();
        });
        table = { bits, pairs };
      }
      this.rowTables.set(key, table);
    }
    return this.rowTables.get(key)!;
  }

  private async gram(): Promise<Float64Array | null> {
    if (this.gramValues === undefined) {
      const tri = await readGram(this.suspect.reader, this.t.entry, 'rows');
      const g = tri ? centredCosines(tri) : null;
      this.gramValues = g ? offDiagonal(g) : null;
    }
    return this.gramValues;
  }
}
