// Findings: what a reviewer concludes about a checkpoint, with the evidence it rested on when written.
import type { Component } from '../naming/classify';
import type { ComponentEvidence, MethodParameters, Relation, Verdict } from '../match/types';

/**
 * `no-evidence`: the audit found no reuse against the references it checked (what a suggestion says; it is not
 * independence, which only a reviewer records, as `independent`). Added after schema version 1 was published: older
 * files never hold it and still load.
 */
export const FINDING_VERDICTS = ['no-evidence', 'independent', 'derived', 'identical-copy', 'inconclusive', 'note'] as const;
export type FindingVerdict = (typeof FINDING_VERDICTS)[number];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const FINDING_STATES = ['suggested', 'confirmed', 'rejected'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

/** What a finding is about. Layer ranges are inclusive; tensor names are kept sorted and unique. */
export type FindingTarget =
  | { kind: 'model' }
  | { kind: 'component'; component: Component }
  | { kind: 'layers'; component: Component; from: number; to: number }
  | { kind: 'tensors'; tensors: string[] };

/** One tensor's match numbers at the time the finding was written. */
export interface TensorEvidenceSnapshot {
  suspect: string;
  reference: string;
  relation: Relation;
  r: number;
  log10P: number;
  matched: boolean;
  exact: boolean;
  layer: number | null;
}

/** The audit numbers behind a finding, frozen when the finding was written (a later audit does not change them). */
export interface EvidenceSnapshot {
  /** Header hash of the audited checkpoint. */
  headerHash: string;
  /** Reference library id the evidence is about (the component's best reference), or null. */
  reference: string | null;
  /** The audit's verdict for the target's component (against `reference`). */
  auditVerdict: Verdict;
  /** The audit's human label, e.g. "derived (2 exact)". */
  relation: string;
  /** Component-level numbers (for a model target: of the component with the strongest verdict). */
  component: Component | null;
  evidence: ComponentEvidence;
  /** Per-tensor rows for layer-range and tensor targets (best reference), ordered by name. */
  tensors: TensorEvidenceSnapshot[];
  /** References checked by the audit. */
  referencesChecked: string[];
  method: MethodParameters;
  toolVersion: string;
}

export interface Finding {
  /** Stable id (random UUID by default). */
  id: string;
  target: FindingTarget;
  verdict: FindingVerdict;
  confidence: Confidence;
  /** The reviewer's rationale, Markdown. */
  rationale: string;
  evidence: EvidenceSnapshot | null;
  reviewer: string;
  /** ISO 8601 times (UTC, milliseconds). */
  created: string;
  updated: string;
  state: FindingState;
}

/** What a caller supplies to create a finding; the rest is filled in (id, times, reviewer, state). */
export interface FindingInput {
  target: FindingTarget;
  verdict: FindingVerdict;
  confidence?: Confidence;
  rationale?: string;
  evidence?: EvidenceSnapshot | null;
  reviewer?: string;
  state?: FindingState;
  id?: string;
}

/** Fields a caller may change on an existing finding. */
export type FindingPatch = Partial<Pick<Finding, 'target' | 'verdict' | 'confidence' | 'rationale' | 'evidence' | 'reviewer' | 'state'>>;

/** The review store file (`<name>.review.json`), schema version 1. */
export interface ReviewDocument {
  format: 'weightprint-review';
  schemaVersion: number;
  checkpoint: {
    /** SHA-256 over the checkpoint's header(s): Checkpoint.headerHash. */
    headerHash: string;
    /** The checkpoint's file name (or index name) the review was written for, for display. */
    name: string;
  };
  findings: Finding[];
}
