// Result types of the evidence beside the weights (tokenizer, configuration, declared claims): part of AuditResult,
// so kept apart from the code that computes them (no import cycle with match/types.ts).
import type { ConfigSummary } from '../format/config';
import type { Component } from '../naming/components';
import type { DeclaredClaim } from './claims';
import type { ConfigComparison } from './configDiff';
import type { TokenizerType } from './tokenizerFiles';
import type { TokenizerComparison } from './tokenizerLineage';
import type { TokenizerSummary } from './tokenizerPrint';

export type { TokenizerSummary } from './tokenizerPrint';

export type ClaimCheckKind = 'agrees' | 'other-reference' | 'declared-not-found' | 'undeclared-reuse';

export interface ClaimCheck {
  kind: ClaimCheckKind;
  /** The claim checked; null for undeclared reuse. */
  claim: DeclaredClaim | null;
  component: Component | null;
  /** The reference the weights matched (other-reference, agrees, undeclared-reuse) or the declared one that was checked. */
  reference: string | null;
}

export interface TokenizerReferenceComparison extends TokenizerComparison {
  reference: string;
  referenceType: TokenizerType;
  referenceVocabSize: number;
}

export interface SidecarEvidence {
  tokenizer: {
    suspect: TokenizerSummary | null;
    /** One line per tokenizer file that could not be read. */
    problems: string[];
    /** Against each reference compared that has a tokenizer fingerprint, derived first. */
    comparisons: TokenizerReferenceComparison[];
    /** References compared that have none (older fingerprints, folders without tokenizer files). */
    withoutTokenizer: string[];
  };
  config: { suspect: ConfigSummary | null; comparisons: ConfigComparison[] };
  claims: { declared: DeclaredClaim[]; problems: string[]; checks: ClaimCheck[] };
}
