// Every user-visible label of the review exports and findings, in one object so it can be swapped for a translation.
import type { Component } from '../naming/classify';
import type { Relation, Verdict } from '../match/types';
import { VERDICT_WORDS } from '../match/verdictWords';
import { architectureRuleText, architectureSummaryText, type ArchitectureRule, type ArchitectureSummary } from '../catalogue/phrases';
import type { ArchitectureConfidence } from '../catalogue/match';
import { translatorFromMap, type Translate } from '../l10n';
import { auditPhrase } from '../auditPhrases';
import type { Confidence, FindingState, FindingVerdict } from './types';
import { mdCode } from './export/escape';

/** The "Architecture match" section of the notes: layout and shapes from the catalogue, never weight evidence. */
export interface ArchitectureLabels {
  title: string;
  note: string;
  component: string;
  prefix: string;
  /** A component at the top level of the names (empty prefix). */
  root: string;
  family: string;
  confidence: string;
  match: string;
  rules: string;
  repos: string;
  confidences: Record<ArchitectureConfidence, string>;
  /** A match's one-line summary and its signature rules, said in this language from the match's facts. */
  summaryText: (s: ArchitectureSummary) => string;
  ruleText: (r: ArchitectureRule) => string;
}

/** What a no-evidence suggestion rests on (findings.ts noEvidenceBasis). */
export interface NoEvidenceBasis {
  /** Ids of every reference checked. */
  references: readonly string[];
  /** Ids of those that have the component's kind (a language model for a language model …); null when not recorded. */
  sameKind: readonly string[] | null;
  /** Informative tensors of the component, when too few to say much (below 10); else null. */
  fewInformative: number | null;
  confidence: Confidence;
}

/** Reference ids for a sentence: code spans, the first five, then "…". */
export function idList(ids: readonly string[]): string {
  return ids.slice(0, 5).map((id) => mdCode(id, false)).join(', ') + (ids.length > 5 ? ', …' : '');
}

export interface ReviewLabels {
  /** BCP 47 language of these labels (the HTML export's lang attribute). */
  lang: string;
  title: string;
  auditVerdict: string;
  referencesChecked: string;
  /** After the first few ids of a long list: "and 994 more". */
  moreReferences: (n: number) => string;
  toolVersion: string;
  findingId: string;
  legend: string;
  checkpoint: string;
  headerHash: string;
  generated: string;
  tool: string;
  tensors: string;
  parameters: string;
  summary: string;
  component: string;
  verdict: string;
  reference: string;
  matchedInformative: string;
  coveredParameters: string;
  medianR: string;
  combinedP: string;
  relation: string;
  findings: string;
  noFindings: string;
  target: string;
  confidence: string;
  state: string;
  reviewer: string;
  created: string;
  updated: string;
  rationale: string;
  evidence: string;
  noEvidence: string;
  evidenceFrom: string;
  wholeModel: string;
  layersOf: (component: string, from: number, to: number) => string;
  tensorsTarget: (count: number) => string;
  componentEvidence: string;
  matchTable: string;
  suspectTensor: string;
  referenceTensor: string;
  r: string;
  z: string;
  p: string;
  flags: string;
  matched: string;
  moreRows: (n: number) => string;
  heatmap: string;
  heatmapCaption: (component: string, reference: string) => string;
  suspectLayer: string;
  referenceLayer: string;
  perLayerMatch: string;
  perLayerMatchCaption: string;
  /** Legend of the per-layer match chart: the best |r| of a suspect layer over all reference layers. */
  maxR: string;
  perLayerStd: string;
  /** Y axis of the per-layer std chart. */
  stdAxis: string;
  perLayerStdCaption: (component: string) => string;
  weakContext: string;
  stdCurveR: string;
  method: string;
  methodText: (m: { alphaTensor: number; minEffectR: number; minMatchedTensors: number; alphaComponent: number; formatVersion: number; sampleTarget: number; windowCols: number }) => string;
  nullModel: string;
  thresholds: string;
  parameter: string;
  value: string;
  library: string;
  /** "Checked against 1,002 references (families: llama 334, phi 333, …)." */
  checkedAgainstFamilies: (n: number, families: string) => string;
  noLibrary: string;
  libraryId: string;
  source: string;
  libraryCreated: string;
  files: string;
  file: string;
  size: string;
  sha256: string;
  notComputed: string;
  notes: string;
  total: string;
  none: string;
  na: string;
  /** How the checkpoint is stored (the review's checkpoint.kind). */
  checkpointKinds: Record<'file' | 'sharded' | 'folder-of-files', string>;
  verdicts: Record<Verdict, string>;
  findingVerdicts: Record<FindingVerdict, string>;
  confidences: Record<Confidence, string>;
  states: Record<FindingState, string>;
  components: Record<Component, string>;
  suggestedRationale: (component: string, verdict: string, reference: string | null) => string;
  /** A no-evidence finding's verdict with what it rests on: "no evidence of reuse against 2 references (lm_A, vit_R)". */
  noEvidenceAgainst: (references: readonly string[]) => string;
  /** The rationale of a no-evidence suggestion (Markdown): the references, those of the component's kind, the confidence. */
  suggestedNoEvidence: (s: NoEvidenceBasis & { component: string }) => string;
  flagNames: { exact: string; sha256: string; dtype: string; permuted: string; hiddenPermuted: string };
  /** How a suspect tensor lines up with its reference tensor (TensorEvidence.relation). */
  relations: Record<Relation, string>;
  /** CSV header cells by column id (a column without one keeps its id, as in English). */
  csvColumns?: Partial<Record<string, string>>;
  /** The audit's sentences (relations, notes, the weak-evidence note) in this language, counts said with their number. */
  auditPhrase?: (text: string) => string;
  /** The "Architecture match" section (layout, not weights). */
  architecture: ArchitectureLabels;
  /** The section on the evidence beside the weights: declared claims, tokenizer, configuration. */
  sidecars: SidecarLabels;
}

export interface SidecarLabels {
  title: string;
  note: string;
  claims: string;
  noClaims: string;
  tokenizer: string;
  noTokenizer: string;
  configuration: string;
  configurationNote: string;
  file: string;
  field: string;
  value: string;
  reference: string;
  relation: string;
  figures: string;
  key: string;
  suspect: string;
  same: string;
  /** Flags a claim check that disagrees with the weights, or a sidecar that could not be read. */
  flagged: string;
  notRead: string;
  /** The sentences of src/core/sidecars/phrases.ts in this language. */
  translate: Translate;
}

/** The catalogue's phrases as written (English), whatever the display language. */
const english = translatorFromMap({});

export const LABELS_EN: ReviewLabels = {
  lang: 'en',
  auditPhrase: (text) => auditPhrase(text, english),
  title: 'Weightprint review notes',
  auditVerdict: 'audit verdict',
  referencesChecked: 'references checked',
  moreReferences: (n) => `and ${n} more`,
  toolVersion: 'tool version',
  findingId: 'id',
  legend: 'Legend',
  checkpoint: 'Checkpoint',
  headerHash: 'Header hash',
  generated: 'Generated',
  tool: 'Tool',
  tensors: 'Tensors',
  parameters: 'Parameters',
  summary: 'Summary of component verdicts',
  component: 'Component',
  verdict: 'Verdict',
  reference: 'Reference',
  matchedInformative: 'Matched / informative tensors',
  coveredParameters: 'Covered parameters',
  medianR: 'Median r',
  combinedP: 'Combined p',
  relation: 'Relation',
  findings: 'Findings',
  noFindings: 'No findings.',
  target: 'Target',
  confidence: 'Confidence',
  state: 'State',
  reviewer: 'Reviewer',
  created: 'Created',
  updated: 'Updated',
  rationale: 'Rationale',
  evidence: 'Evidence',
  noEvidence: 'No evidence snapshot.',
  evidenceFrom: 'Evidence at the time of writing',
  wholeModel: 'whole model',
  layersOf: (component, from, to) => `${component}, layers ${from}–${to}`,
  tensorsTarget: (count) => (count === 1 ? '1 tensor' : `${count} tensors`),
  componentEvidence: 'Component evidence',
  matchTable: 'Tensor matches',
  suspectTensor: 'Suspect tensor',
  referenceTensor: 'Reference tensor',
  r: 'r',
  z: 'z',
  p: 'p',
  flags: 'Flags',
  matched: 'Matched',
  moreRows: (n) => (n === 1 ? '… 1 more row in the JSON and CSV exports.' : `… ${n} more rows in the JSON and CSV exports.`),
  heatmap: 'Layer similarity heatmap',
  heatmapCaption: (component, reference) => `${component} against ${reference}: best |r| per suspect layer × reference layer, read on the colour scale beside the map (0 to 1); a diagonal of cells near 1 is reuse.`,
  suspectLayer: 'suspect layer',
  referenceLayer: 'reference layer',
  perLayerMatch: 'Per-layer match',
  perLayerMatchCaption: 'Best |r| of each suspect layer against the same reference layer (diagonal of the heatmap).',
  maxR: 'max |r|',
  perLayerStd: 'Per-layer standard deviation',
  stdAxis: 'std',
  perLayerStdCaption: (component) => `${component}: std of each layer's tensors (weak, architecture-driven context).`,
  weakContext: 'Context (weak evidence)',
  stdCurveR: 'std-curve r',
  method: 'Method and thresholds',
  methodText: (m) => `A tensor matches when p < ${m.alphaTensor} and |r| ≥ ${m.minEffectR} (or it is an exact / dtype-exact copy); ` +
    `a component derives from a reference when ≥ ${m.minMatchedTensors} tensors match and the Fisher-combined p < ${m.alphaComponent}. ` +
    `Fingerprint format v${m.formatVersion}, about ${m.sampleTarget} samples per tensor in windows of ${m.windowCols} columns.`,
  nullModel: 'Null model',
  thresholds: 'Thresholds',
  parameter: 'Parameter',
  value: 'Value',
  library: 'Reference library entries used',
  checkedAgainstFamilies: (n, families) => `Checked against ${n} references (families: ${families}).`,
  noLibrary: 'No reference was used.',
  libraryId: 'Id',
  source: 'Source',
  libraryCreated: 'Fingerprinted',
  files: 'Files',
  file: 'File',
  size: 'Size (bytes)',
  sha256: 'SHA-256',
  notComputed: 'not computed',
  notes: 'Notes',
  total: 'Total',
  none: 'none',
  na: 'n/a',
  checkpointKinds: { file: 'file', sharded: 'sharded', 'folder-of-files': 'folder-of-files' },
  verdicts: { ...VERDICT_WORDS },
  findingVerdicts: {
    'no-evidence': 'no evidence of reuse', independent: 'independent', derived: 'derived', 'identical-copy': 'identical copy', inconclusive: 'inconclusive', note: 'note',
  },
  confidences: { low: 'low', medium: 'medium', high: 'high' },
  states: { suggested: 'suggested', confirmed: 'confirmed', rejected: 'rejected' },
  components: { language: 'language model', vision: 'vision encoder', audio: 'audio encoder', projector: 'projector', other: 'other' },
  suggestedRationale: (component, verdict, reference) => reference
    ? `Suggested by the audit: the ${component} is **${verdict}** with respect to reference "${reference}".`
    : `Suggested by the audit: the ${component} shows **${verdict}** against the references checked.`,
  noEvidenceAgainst: (refs) => `no evidence of reuse against ${refs.length === 1 ? '1 reference' : `${refs.length} references`}${refs.length ? ` (${refs.slice(0, 5).join(', ')}${refs.length > 5 ? ', …' : ''})` : ''}`,
  suggestedNoEvidence: (s) => [
    `Suggested by the audit: **no evidence of reuse** for the ${s.component} against ${s.references.length === 1 ? '1 reference' : `${s.references.length} references`}${s.references.length ? ` (${idList(s.references)})` : ''}.`,
    s.sameKind === null ? `Which of them include ${s.component} weights is not recorded.`
      : s.sameKind.length === 0 ? `None of them includes ${s.component} weights, so it was not compared with its own kind.`
        : s.sameKind.length === 1 ? `Only 1 of them includes ${s.component} weights (${idList(s.sameKind)}).`
          : `${s.sameKind.length} of them include ${s.component} weights (${idList(s.sameKind)}).`,
    s.fewInformative !== null ? `Only ${s.fewInformative} of its tensors are informative.` : '',
    `Confidence ${s.confidence}: no evidence is not independence; whether the ${s.component} is *independent* is the reviewer's call.`,
  ].filter(Boolean).join(' '),
  flagNames: { exact: 'exact', sha256: 'sha256', dtype: 'dtype', permuted: 'permuted', hiddenPermuted: 'hidden-perm' },
  relations: { same: 'same', 'row-extended': 'row-extended', 'row-truncated': 'row-truncated', transposed: 'transposed', 'fused-part': 'fused-part', 'split-block': 'split-block', rotated: 'rotated', 'row-subset': 'row-subset', 'column-subset': 'column-subset' },
  architecture: {
    title: 'Architecture match (layout only — not evidence of weight reuse)',
    note: 'Same tensor names and shapes as a known public family. Open architectures are reused legitimately; whether weights were reused is decided only by the fingerprint evidence above.',
    component: 'Component',
    prefix: 'Root',
    root: '(root)',
    family: 'Family',
    confidence: 'Match',
    match: 'Summary',
    rules: 'Signature rules that held',
    repos: 'Public checkpoints to compare',
    confidences: { exact: 'exact sizes', shapes: 'same per-layer shapes', layout: 'layout only' },
    summaryText: (s) => architectureSummaryText(s, english),
    ruleText: (r) => architectureRuleText(r, english),
  },
  sidecars: {
    title: 'Beside the weights: declared claims, tokenizer, configuration',
    note: 'Context for the reviewer, never a weight verdict: what the files declare, where the tokenizer comes from, and the architecture facts side by side. The weights decide.',
    claims: 'Declared claims',
    noClaims: 'No claims declared in config.json, adapter_config.json, the model card or the header metadata.',
    tokenizer: 'Tokenizer',
    noTokenizer: 'No tokenizer files beside the checkpoint.',
    configuration: 'Configuration',
    configurationNote: 'Layout only, not evidence: every model of a family shares these facts.',
    file: 'File',
    field: 'Field',
    value: 'Value',
    reference: 'Reference',
    relation: 'Relation',
    figures: 'Figures',
    key: 'config.json key',
    suspect: 'Suspect',
    same: 'Same',
    flagged: 'Flagged',
    notRead: 'not read',
    translate: english,
  },
};

/** The labels in use by default. A translation supplies another ReviewLabels object. */
export const LABELS: ReviewLabels = LABELS_EN;
