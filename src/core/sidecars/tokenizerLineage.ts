// Tokenizer lineage between a suspect's tokenizer and a reference's, from their fingerprints (tokenizerPrint.ts).
// Context beside the weight evidence, never a weight verdict. Independent tokenizers trained on similar text share
// many tokens (common words, the alphabet) and their first merges, so the overlap of the token sets is reported but
// never decides; what decides is structure chance does not give: learned tokens at the same ids far beyond what
// neighbouring ids predict, a long common start of the merge list, or the same token set with the same merge order.
// The thresholds and the null measured on independently trained tokenizers are in docs/tokenizer.md.
import { BLOCK, MERGE_HEAD, type TokenizerFingerprint } from './tokenizerPrint';

export type TokenizerRelation = 'identical' | 'derived' | 'no-evidence';
export type TokenizerReason = 'same-vocabulary' | 'same-ids' | 'merge-prefix' | 'same-set-and-order';

export interface TokenizerComparison {
  relation: TokenizerRelation;
  reasons: TokenizerReason[];
  /** Jaccard of the learned-token sets. */
  jaccard: number;
  /** Learned tokens in both (estimated unless `exact`). */
  sharedTokens: number;
  /** sharedTokens over the smaller learned set. */
  containment: number;
  /** Shared learned tokens at the same id. */
  sameIdTokens: number;
  /** Same-id tokens chance and similar training text explain: the mean count at neighbouring ids (±1 … ±8). */
  sameIdExpected: number;
  /** Ids 0 … n−1 holding the same tokens (whole blocks of 1,024 ids, the alphabet included). */
  sameIdPrefix: number;
  /** The base tokens (alphabet, special, added, byte tokens) are the same at the same ids. */
  alphabetIdentical: boolean;
  /** Length of the common start of the merge lists; null when either has no merges. */
  mergePrefix: number | null;
  /** Spearman correlation of the ranks of merges both have; null when too few are shared. */
  mergeRankCorrelation: number | null;
  /** Merges in both (estimated unless `exact`); null when either has no merges. */
  sharedMerges: number | null;
  /** Spearman correlation of the scores of shared pieces (Unigram / SentencePiece); null without scores. */
  scoreCorrelation: number | null;
  /** The sketches held both whole vocabularies: the figures are counts, not estimates. */
  exact: boolean;
}

export const DERIVED_SAME_ID_SHARE = 0.5;
export const DERIVED_MERGE_PREFIX_MIN = 100;
export const DERIVED_MERGE_PREFIX_SHARE = 0.25;
export const DERIVED_CONTAINMENT = 0.95;
/**
 * Merge (or score) order agreement over shared merges (pieces) for the same-set rule: independently trained
 * tokenizers on similar text reach 0.87–0.95 for merges and 0.98 for Unigram scores (docs/tokenizer.md); a
 * re-numbered copy keeps 1.
 */
export const DERIVED_ORDER_CORRELATION = 0.99;
export const DERIVED_SCORE_CORRELATION = 0.995;
const MIN_SAMPLE = 8;

interface Sample { inA: Map<number, number>; inB: Map<number, number>; size: number; both: number[]; complete: boolean }

/**
 * The union sample of two bottom-k sketches: hashes up to the smaller of the two sketches' largest (beyond it one of
 * the sets is unknown); a sketch that holds its whole set sets no bound.
 */
function unionSample(a: number[], b: number[], populationA: number, populationB: number): Sample {
  const boundA = a.length >= populationA ? Infinity : a[a.length - 1] ?? Infinity;
  const boundB = b.length >= populationB ? Infinity : b[b.length - 1] ?? Infinity;
  const bound = Math.min(boundA, boundB);
  const inA = new Map<number, number>();
  const inB = new Map<number, number>();
  a.forEach((h, i) => { if (h <= bound) inA.set(h, i); });
  b.forEach((h, i) => { if (h <= bound) inB.set(h, i); });
  const both = [...inA.keys()].filter((h) => inB.has(h));
  const size = new Set([...inA.keys(), ...inB.keys()]).size;
  return { inA, inB, size, both, complete: bound === Infinity };
}

function ranks(values: number[]): number[] {
  const order = values.map((_, i) => i).sort((x, y) => values[x] - values[y]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    for (let m = i; m <= j; m++) out[order[m]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

export function spearman(x: number[], y: number[]): number | null {
  if (x.length < MIN_SAMPLE) return null;
  const rx = ranks(x);
  const ry = ranks(y);
  const n = rx.length;
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0; let sxx = 0; let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

function leadingEqual(a: number[], b: number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function mergePrefixOf(a: TokenizerFingerprint, b: TokenizerFingerprint): number | null {
  if (!a.merges || !b.merges) return null;
  const head = leadingEqual(a.mergeHead, b.mergeHead);
  if (head < Math.min(a.mergeHead.length, b.mergeHead.length) || head < MERGE_HEAD) return head;
  return Math.max(head, Math.min(leadingEqual(a.mergeBlocks, b.mergeBlocks) * BLOCK, a.merges, b.merges));
}

/** How `suspect`'s tokenizer relates to `reference`'s (the relation is symmetric; the figures are too). */
export function compareTokenizers(suspect: TokenizerFingerprint, reference: TokenizerFingerprint): TokenizerComparison {
  const s = unionSample(suspect.sketch.hash, reference.sketch.hash, suspect.learned, reference.learned);
  const jaccard = s.size ? s.both.length / s.size : 0;
  const sharedTokens = s.complete ? s.both.length : Math.round((jaccard / (1 + jaccard)) * (suspect.learned + reference.learned));
  const smaller = Math.min(suspect.learned, reference.learned);
  let same = 0;
  let neighbours = 0;
  const scoresA: number[] = []; const scoresB: number[] = [];
  for (const h of s.both) {
    const ia = s.inA.get(h)!; const ib = s.inB.get(h)!;
    const d = Math.abs(suspect.sketch.id[ia] - reference.sketch.id[ib]);
    if (d === 0) same++;
    else if (d <= 8) neighbours++;
    if (suspect.sketch.score && reference.sketch.score) { scoresA.push(suspect.sketch.score[ia]); scoresB.push(reference.sketch.score[ib]); }
  }
  const scale = s.both.length ? sharedTokens / s.both.length : 0;
  const sameIdTokens = Math.round(same * scale);
  const sameIdExpected = Math.round((neighbours / 16) * scale * 10) / 10;

  let mergeRankCorrelation: number | null = null;
  let sharedMerges: number | null = null;
  let mergeContainment = 0;
  if (suspect.merges && reference.merges) {
    const m = unionSample(suspect.mergeSketch.hash, reference.mergeSketch.hash, suspect.merges, reference.merges);
    const jm = m.size ? m.both.length / m.size : 0;
    sharedMerges = m.complete ? m.both.length : Math.round((jm / (1 + jm)) * (suspect.merges + reference.merges));
    mergeContainment = sharedMerges / Math.min(suspect.merges, reference.merges);
    mergeRankCorrelation = spearman(m.both.map((h) => suspect.mergeSketch.rank[m.inA.get(h)!]), m.both.map((h) => reference.mergeSketch.rank[m.inB.get(h)!]));
  }
  const mergePrefix = mergePrefixOf(suspect, reference);
  const scoreCorrelation = scoresA.length ? spearman(scoresA, scoresB) : null;
  const containment = smaller ? Math.min(1, sharedTokens / smaller) : 0;

  const reasons: TokenizerReason[] = [];
  const identical = suspect.vocabSha256 === reference.vocabSha256 && suspect.mergesSha256 === reference.mergesSha256;
  if (identical) reasons.push('same-vocabulary');
  else {
    if (same >= MIN_SAMPLE && sameIdTokens >= DERIVED_SAME_ID_SHARE * smaller && sameIdTokens >= 4 * sameIdExpected) reasons.push('same-ids');
    if (mergePrefix !== null && mergePrefix >= Math.max(DERIVED_MERGE_PREFIX_MIN, DERIVED_MERGE_PREFIX_SHARE * Math.min(suspect.merges, reference.merges))) reasons.push('merge-prefix');
    const sameOrder = (mergeContainment >= DERIVED_CONTAINMENT && (mergeRankCorrelation ?? 0) >= DERIVED_ORDER_CORRELATION)
      || (!suspect.merges && !reference.merges && (scoreCorrelation ?? 0) >= DERIVED_SCORE_CORRELATION);
    if (containment >= DERIVED_CONTAINMENT && sameOrder) reasons.push('same-set-and-order');
  }
  return {
    relation: identical ? 'identical' : reasons.length ? 'derived' : 'no-evidence',
    reasons,
    jaccard,
    sharedTokens,
    containment,
    sameIdTokens,
    sameIdExpected,
    sameIdPrefix: Math.min(leadingEqual(suspect.idBlocks, reference.idBlocks) * BLOCK, suspect.vocabSize, reference.vocabSize),
    alphabetIdentical: suspect.alphabetSha256 === reference.alphabetSha256,
    mergePrefix,
    mergeRankCorrelation,
    sharedMerges,
    scoreCorrelation,
    exact: s.complete,
  };
}
