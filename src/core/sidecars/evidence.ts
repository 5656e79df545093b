// The evidence beside the weights that an audit reports apart from its verdicts: the tokenizer's lineage, the
// configuration side by side, and the declared claims checked against the verdicts (docs/declared-claims.md,
// docs/tokenizer.md). Context for the reviewer; never turned into a weight verdict.
import type { Checkpoint } from '../format/checkpoint';
import type { ConfigSummary } from '../format/config';
import type { AuditResult } from '../match/types';
import { readDeclaredClaims, type DeclaredClaim } from './claims';
import { checkClaims } from './claimsCheck';
import { compareConfigs } from './configDiff';
import { readTokenizerFiles } from './tokenizerFiles';
import { tokenizerFromGguf } from './ggufTokenizer';
import type { SidecarSource } from './source';
import { compareTokenizers } from './tokenizerLineage';
import type { SidecarEvidence, TokenizerReferenceComparison, TokenizerSummary } from './types';
import { tokenizerFingerprint, type TokenizerFingerprint } from './tokenizerPrint';

/** What a compared reference brings to the comparison (its fingerprint's config and tokenizer). */
export interface ReferenceSidecars {
  id: string;
  config: ConfigSummary | null;
  tokenizer: TokenizerFingerprint | null;
}

export interface SuspectSidecars {
  tokenizer: TokenizerFingerprint | null;
  tokenizerProblems: string[];
  config: ConfigSummary | null;
  declared: DeclaredClaim[];
  claimProblems: string[];
}

export type { SidecarEvidence, TokenizerReferenceComparison, TokenizerSummary } from './types';

export function summariseTokenizer(f: TokenizerFingerprint): TokenizerSummary {
  const { type, files, vocabSize, tokens, learned, merges, vocabSha256, specialTokens, normalizer, preTokenizer, decoder, tokenizerClass, chatTemplateSha256 } = f;
  return { type, files, vocabSize, tokens, learned, merges, vocabSha256, specialTokens, normalizer, preTokenizer, decoder, tokenizerClass, chatTemplateSha256 };
}

/** The sidecars of a checkpoint's folder (`source`: where its files come from; null: none, only the header's metadata). */
export async function readSuspectSidecars(checkpoint: Checkpoint, source: SidecarSource | null): Promise<SuspectSidecars> {
  const declared = await readDeclaredClaims(source, checkpoint.metadata);
  const tok = source ? await readTokenizerFiles(source) : { vocabulary: null, problems: [] };
  const vocabulary = tok.vocabulary ?? (checkpoint.embeddedTokenizer ? tokenizerFromGguf(checkpoint.embeddedTokenizer) : null);
  return {
    tokenizer: vocabulary ? tokenizerFingerprint(vocabulary) : null,
    tokenizerProblems: tok.problems,
    config: checkpoint.config ?? null,
    declared: declared.claims,
    claimProblems: declared.problems,
  };
}

const RELATION_RANK = { identical: 2, derived: 1, 'no-evidence': 0 } as const;

/** Sets the suspect's sidecars against the references compared, and its claims against the verdicts. */
export function sidecarEvidence(suspect: SuspectSidecars, references: ReferenceSidecars[], audit: AuditResult): SidecarEvidence {
  const comparisons: TokenizerReferenceComparison[] = [];
  const withoutTokenizer: string[] = [];
  for (const r of references) {
    if (!r.tokenizer) { withoutTokenizer.push(r.id); continue; }
    if (!suspect.tokenizer) continue;
    comparisons.push({ reference: r.id, referenceType: r.tokenizer.type, referenceVocabSize: r.tokenizer.vocabSize, ...compareTokenizers(suspect.tokenizer, r.tokenizer) });
  }
  comparisons.sort((a, b) => RELATION_RANK[b.relation] - RELATION_RANK[a.relation] || b.sameIdTokens - a.sameIdTokens || b.jaccard - a.jaccard);
  const configs = suspect.config
    ? references.filter((r) => r.config).map((r) => compareConfigs(suspect.config!, r.config!, r.id)).sort((a, b) => b.identical - a.identical)
    : [];
  return {
    tokenizer: { suspect: suspect.tokenizer ? summariseTokenizer(suspect.tokenizer) : null, problems: suspect.tokenizerProblems, comparisons, withoutTokenizer },
    config: { suspect: suspect.config, comparisons: configs },
    claims: { declared: suspect.declared, problems: suspect.claimProblems, checks: checkClaims(suspect.declared, audit) },
  };
}
