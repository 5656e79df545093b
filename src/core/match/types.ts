// Result types of matching: what the CLI prints and what the editor's Provenance view renders.
import type { SidecarEvidence } from '../sidecars/types';
import type { Component } from '../naming/classify';

export type Verdict = 'identical' | 'derived' | 'no-evidence' | 'inconclusive';

/** How a suspect tensor lines up with a reference tensor. */
export type Relation =
  | 'same'          // same shape, same element positions
  | 'row-extended'  // suspect has more rows (e.g. vocabulary extension); reference rows are its first rows
  | 'row-truncated' // suspect has fewer rows (a truncated vocabulary); its rows are the reference's first rows
  | 'transposed'    // 2-D, suspect = reference^T
  | 'fused-part'    // reference is fused (e.g. qkv [3d, d]); the suspect is one of its row blocks
  | 'split-block'   // reference is one part; the suspect is fused and holds it as a row block
  | 'rotated'       // same shape, one side's basis rotated or permuted: the Gram sketches on the other side agree
  | 'row-subset'    // suspect has fewer rows, each one of the reference's (pruned neurons or heads), found by search
  | 'column-subset'; // suspect has fewer columns, each one of the reference's (pruned inputs), found by search

export interface TensorEvidence {
  suspect: string;
  suspectIndex: number;
  /** Reference tensor name; for a fused reference, the name with the part, e.g. "…qkv.weight[1/3]". */
  reference: string;
  relation: Relation;
  /** Row block index for fused-part / split-block (0-based), else null. */
  block: number | null;
  /** Centred Pearson r of aligned samples (for permuted matches: after applying the recovered permutation). */
  r: number;
  /** Aligned sample pairs used. */
  n: number;
  /** Analytic z: atanh(r)·sqrt(n-3). */
  z: number;
  /** Empirical z: against the shift null (and the suspect's other candidates when there are enough). */
  zEmpirical: number | null;
  /** p-value of this match after the best-of-K correction, max of analytic and empirical; log10 in log10P. */
  p: number;
  log10P: number;
  /** Candidates this suspect tensor was compared with (the K of best-of-K). */
  candidates: number;
  exact: boolean;
  /** SHA-256 confirmed equal (only when the reference stored a hash and the suspect tensor has the same bytes). */
  hashConfirmed: boolean;
  dtypeExact: boolean;
  permuted: boolean;
  /** Permutation confirmed by agreement with another tensor sharing the axis. */
  permutationConfirmed: boolean;
  hiddenPermuted: boolean;
  /** Counted as a match by the method's thresholds. */
  matched: boolean;
  suspectLayer: number | null;
  referenceLayer: number | null;
  suspectKind: string;
  parameters: number;
  /** Indexed by the label space (output bias, per-class vector): shown, never counted towards a verdict. */
  taskDetermined?: true;
  /** For relation 'rotated': which Gram sketch agreed ('rows': W·Wᵀ, columns rotated; 'cols': Wᵀ·W, rows rotated). */
  gramSide?: 'rows' | 'cols';
}

export interface LayerHeatmap {
  suspectLayers: number[];
  referenceLayers: number[];
  /** r[i][j]: best centred r between a suspect tensor of suspectLayers[i] and a reference tensor of referenceLayers[j]. */
  r: (number | null)[][];
}

export interface WeakContext {
  note: string;
  /** Norm-like 1-D tensors: raw cosine (≈1 for unrelated models) next to centred r. */
  norms: { suspect: string; reference: string; rawCosine: number; centredR: number }[];
  /** Correlation of per-layer sample-std curves (architecture-driven; never decides). */
  stdCurveR: number | null;
}

export interface ComponentEvidence {
  matchedTensors: number;
  informativeTensors: number;
  /** Median r of the matched tensors (null when none matched). */
  medianR: number | null;
  /** Fisher-combined p over the informative tensors. */
  pValue: number;
  log10PValue: number;
  coveredParameterFraction: number;
  exactTensors: number;
  dtypeExactTensors: number;
  permutedTensors: number;
  hiddenPermutation: boolean;
  /** Present when a derived verdict rests on part of the component: the groups reused (e.g. token embeddings, LM head). */
  partial?: string[];
}

export interface ReferenceComparison {
  reference: string;
  verdict: Verdict;
  relation: string;
  evidence: ComponentEvidence;
  heatmap: LayerHeatmap;
  table: TensorEvidence[];
  context: WeakContext;
}

export interface ComponentResult {
  name: Component;
  tensors: number;
  parameters: number;
  verdict: Verdict;
  reference: string | null;
  /** Human label, e.g. "identical up to dtype (BF16)", "derived (fine-tuned or modified)". */
  relation: string;
  evidence: ComponentEvidence;
  /** Every reference compared in full, best first (with the cascade: the shortlisted ones only). */
  comparisons: ReferenceComparison[];
  /** Present when the references were screened first (docs/library-index.md). */
  screening?: ScreeningSummary;
}

/**
 * How the cascade narrowed the references for one component: of `references`, `withCandidates` had a tensor of a
 * compatible shape, `shortlisted` passed a screening test (or were compared in full for another component, which
 * compares every suspect tensor), `compared` were compared in full. Ruled out at the shape
 * stage: references − withCandidates; at screening: withCandidates − shortlisted; by the budget: shortlisted − compared.
 */
export interface ScreeningSummary {
  references: number;
  withCandidates: number;
  shortlisted: number;
  compared: number;
  /** The strongest references other than the verdict's, by screening score, then best aligned sketch |r|. */
  runnersUp: { reference: string; family: string | null; signal: string | null; score: number; bestR: number; compared: boolean }[];
}

export interface MethodParameters {
  formatVersion: number;
  sampleTarget: number;
  windowCols: number;
  alphaTensor: number;
  minEffectR: number;
  alphaComponent: number;
  minMatchedTensors: number;
  minSamples: number;
  minRelativeStd: number;
  permutationHitAlpha: number;
  permutationAgreementAlpha: number;
  nullModel: string;
}

export interface AuditResult {
  checkpoint: { path: string; tensors: number; parameters: number; headerHash: string };
  /**
   * The references checked; `components`: which components each one has (its fingerprint's tensors, in COMPONENTS
   * order), so a "no evidence" can say how many references of the component's kind it rests on (absent in older results).
   */
  references: { id: string; source: string; tensors: number; parameters: number; components?: Component[]; family?: string | null }[];
  components: ComponentResult[];
  method: MethodParameters;
  notes: string[];
  seconds: number;
  /** Tokenizer, configuration and declared claims beside the weights (context, never a verdict); absent in older results. */
  sidecars?: SidecarEvidence;
}
