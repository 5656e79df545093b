// The sentences every output (CLI, notes, editor) says about the evidence beside the weights, in the display
// language. They hold strings from files (token contents, claim values, reference ids) as they are: each output
// renders them inert its own way (control characters, HTML, Markdown, CSV).
import { t, type Translate } from '../l10n';
import type { Component } from '../naming/components';
import type { ConfigComparison, ConfigFact } from './configDiff';
import type { ClaimCheck, SidecarEvidence, TokenizerReferenceComparison, TokenizerSummary } from './types';
import type { TokenizerReason, TokenizerRelation } from './tokenizerLineage';

/** config.json's own key for each fact: reviewers know them, and they read the same in every language. */
export const CONFIG_FACT_KEY: Record<ConfigFact, string> = {
  modelType: 'model_type', hiddenSize: 'hidden_size', layers: 'num_hidden_layers', heads: 'num_attention_heads',
  kvHeads: 'num_key_value_heads', headDim: 'head_dim', intermediateSize: 'intermediate_size', vocabSize: 'vocab_size',
  ropeTheta: 'rope_theta', normEps: 'norm_eps', experts: 'num_experts', expertsPerToken: 'num_experts_per_tok', patchSize: 'patch_size',
};

export function tokenizerRelationWord(r: TokenizerRelation, tr: Translate = t): string {
  return r === 'identical' ? tr('identical') : r === 'derived' ? tr('derived') : tr('no evidence');
}

export function tokenizerReasonWord(r: TokenizerReason, tr: Translate = t): string {
  switch (r) {
    case 'same-vocabulary': return tr('the same vocabulary and merges');
    case 'same-ids': return tr('learned tokens at the same ids');
    case 'merge-prefix': return tr('the same first merges');
    case 'same-set-and-order': return tr('the same tokens in the same merge order');
  }
}

const count = (n: number): string => n.toLocaleString('en-US');
const ratio = (x: number | null): string => (x === null ? '-' : x.toFixed(2));

export function tokenizerSummaryLine(s: TokenizerSummary, tr: Translate = t): string {
  return s.merges
    ? tr('tokenizer: {0}, {1} ids ({2} learned tokens, {3} merges), from {4}', s.type, count(s.vocabSize), count(s.learned), count(s.merges), s.files.join(', '))
    : tr('tokenizer: {0}, {1} ids ({2} learned tokens), from {3}', s.type, count(s.vocabSize), count(s.learned), s.files.join(', '));
}

/** The figures of one comparison, with what chance and common language explain. */
export function tokenizerFiguresLine(c: TokenizerReferenceComparison, tr: Translate = t): string {
  const parts = [
    tr('{0} learned tokens shared (Jaccard {1})', count(c.sharedTokens), ratio(c.jaccard)),
    tr('{0} at the same ids (neighbouring ids predict ~{1})', count(c.sameIdTokens), c.sameIdExpected.toFixed(1)),
  ];
  if (c.mergePrefix !== null) parts.push(tr('first {0} merges the same', count(c.mergePrefix)));
  if (c.mergeRankCorrelation !== null) parts.push(tr('merge order ρ {0} over {1} shared merges', ratio(c.mergeRankCorrelation), count(c.sharedMerges ?? 0)));
  if (c.scoreCorrelation !== null) parts.push(tr('score order ρ {0}', ratio(c.scoreCorrelation)));
  if (!c.exact) parts.push(tr('estimated from sketches'));
  return parts.join('; ');
}

export function tokenizerComparisonLine(c: TokenizerReferenceComparison, tr: Translate = t): string {
  const figures = tokenizerFiguresLine(c, tr);
  if (c.relation === 'no-evidence') return tr('tokenizer vs {0}: no evidence of reuse; {1}. Independent tokenizers trained on similar text share common tokens and their first merges.', c.reference, figures);
  return tr('tokenizer vs {0}: {1} ({2}); {3}', c.reference, tokenizerRelationWord(c.relation, tr), c.reasons.map((r) => tokenizerReasonWord(r, tr)).join(', '), figures);
}

/** "configuration vs X: 8 of 9 architecture facts identical (layout only, not evidence)" (the line without the differences). */
export function configComparisonHead(c: ConfigComparison, tr: Translate = t): string {
  return tr('configuration vs {0}: {1} of {2} architecture facts identical (layout only, not evidence)', c.reference, c.identical, c.compared);
}

export function configComparisonLine(c: ConfigComparison, component: (c: Component) => string, tr: Translate = t): string {
  const differ = c.rows.filter((r) => r.suspect !== null && r.reference !== null && !r.same)
    .map((r) => `${component(r.component)} ${CONFIG_FACT_KEY[r.fact]} ${r.suspect} ≠ ${r.reference}`);
  const head = configComparisonHead(c, tr);
  return differ.length ? `${head}; ${tr('differ: {0}', differ.slice(0, 6).join(', ') + (differ.length > 6 ? ` (+${differ.length - 6})` : ''))}` : head;
}

export function claimCheckLine(k: ClaimCheck, component: (c: Component) => string, tr: Translate = t): string {
  const comp = k.component ? component(k.component) : '';
  const ref = k.reference ?? '-';
  const where = k.claim ? `${k.claim.file} ${k.claim.field}` : '';
  const value = k.claim?.value ?? '';
  if (k.kind === 'agrees') return tr('claim agrees: {0} declares base model {1}; the {2} weights match {3}', where, value, comp, ref);
  if (k.kind === 'other-reference') return tr('claim disagrees: {0} declares base model {1}; the {2} weights match {3}', where, value, comp, ref);
  if (k.kind === 'declared-not-found') return tr('claim not supported: {0} declares base model {1}; {2} was checked and no component matches it', where, value, ref);
  return tr('claim missing: no base model is declared; the {0} weights match {1}', comp, ref);
}

/** Every line about the sidecars, in the order the CLI and the plain-text notes give them. */
export function sidecarLines(s: SidecarEvidence, component: (c: Component) => string, maxReferences = 8, tr: Translate = t): string[] {
  const lines: string[] = [];
  lines.push(...s.claims.declared.map((c) => tr('declared: {0} {1} = {2}', c.file, c.field, c.value)));
  lines.push(...s.claims.checks.map((k) => claimCheckLine(k, component, tr)));
  if (s.tokenizer.suspect) lines.push(tokenizerSummaryLine(s.tokenizer.suspect, tr));
  lines.push(...s.tokenizer.comparisons.slice(0, maxReferences).map((c) => tokenizerComparisonLine(c, tr)));
  if (s.tokenizer.suspect && s.tokenizer.withoutTokenizer.length) lines.push(tr('tokenizer: {0} reference(s) compared have no tokenizer fingerprint', s.tokenizer.withoutTokenizer.length));
  lines.push(...s.config.comparisons.slice(0, maxReferences).map((c) => configComparisonLine(c, component, tr)));
  return lines;
}
