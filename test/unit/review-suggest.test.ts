// Suggested findings for a component without evidence of reuse: the verdict is "no evidence of reuse against N
// references (list)", never "independent" (a reviewer may record that); the confidence says how many references of
// the component's kind the audit had, and the rationale says why. Older review files with "independent" still load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createFinding, exportReview, LABELS_KO, noEvidenceBasis, parseReviewDocument, serialiseReview, suggestFindings, type Finding,
} from '../../src/core/review/index';
import type { AuditResult } from '../../src/core/match/types';
import { findingVerdictLabel, VERDICTS } from '../../src/shared/findingsView';
import { goldenInputs } from './helpers/reviewCorpus';

const ctx = { now: () => new Date('2025-03-01T09:00:00.000Z'), reviewer: 'r', toolVersion: '0.0.0-test' };
const languageOf = (fs: Finding[]) => fs.find((f) => f.target.kind === 'component' && f.target.component === 'language')!;

test('the corpus audit: the language model gets "no evidence of reuse" against lm_A and vit_R, low confidence, and why', async () => {
  const { report } = await goldenInputs();
  const audit = report.audit!;
  assert.deepEqual(audit.references.map((r) => [r.id, r.components]), [['lm_A', ['language']], ['vit_R', ['vision', 'projector']]]);
  const suggested = suggestFindings(audit, ctx);
  assert.ok(suggested.every((f) => f.verdict !== 'independent'), 'no suggestion says independent');
  const lm = languageOf(suggested);
  assert.equal(lm.verdict, 'no-evidence');
  assert.equal(lm.confidence, 'low', 'one reference with language model weights');
  assert.equal(lm.rationale, 'Suggested by the audit: **no evidence of reuse** for the language model against 2 references (`lm_A`, `vit_R`). ' +
    'Only 1 of them includes language model weights (`lm_A`). ' +
    "Confidence low: no evidence is not independence; whether the language model is *independent* is the reviewer's call.");
  assert.equal(findingVerdictLabel(lm), 'no evidence of reuse against 2 references (lm_A, vit_R)');
  const md = exportReview({ ...report, findings: suggested }, 'md');
  // (Markdown text: the underscores escaped, rendered as typed.)
  assert.match(md, /^### 1\. language model: no evidence of reuse against 2 references \(lm\\_A, vit\\_R\) \(suggested\)$/m);
  const html = exportReview({ ...report, findings: suggested }, 'html');
  assert.match(html, /language model: <span class="verdict">no evidence of reuse against 2 references \(lm_A, vit_R\)<\/span>/);
  assert.match(html, /<strong>no evidence of reuse<\/strong> for the language model/);
  const ko = languageOf(suggestFindings(audit, { ...ctx, labels: LABELS_KO }));
  assert.match(ko.rationale, /^감사 결과 제안: 언어 모델은 확인한 기준 모델 2개\(`lm_A`, `vit_R`\) 대비 \*\*재사용 근거 없음\*\*입니다\. /);
  assert.match(ko.rationale, /언어 모델 가중치를 포함한 기준 모델은 1개\(`lm_A`\)뿐입니다\. 확신도 낮음: /);
  assert.equal(LABELS_KO.noEvidenceAgainst(['lm_A', 'vit_R']), '기준 모델 2개(lm_A, vit_R) 대비 재사용 근거 없음');
});

test('confidence follows the references of the component\'s kind and the informative tensors; never high', async () => {
  const { report } = await goldenInputs();
  const base = report.audit!;
  const lm = base.components.find((c) => c.name === 'language')!;
  const withRefs = (components: (string[] | undefined)[]): AuditResult => ({
    ...base, references: components.map((c, i) => ({ id: `r${i}`, source: 's', tensors: 1, parameters: 1, ...(c ? { components: c as never } : {}) })),
  });
  const basis = (components: (string[] | undefined)[], informative = lm.evidence.informativeTensors) =>
    noEvidenceBasis(withRefs(components), { ...lm, evidence: { ...lm.evidence, informativeTensors: informative } });
  assert.deepEqual(basis([['vision'], ['audio']]), { references: ['r0', 'r1'], sameKind: [], fewInformative: null, confidence: 'low' });
  assert.equal(basis([['language'], ['vision']]).confidence, 'low');
  assert.equal(basis([['language'], ['language', 'vision']]).confidence, 'medium');
  assert.equal(basis([['language'], ['language'], ['language'], ['language']]).confidence, 'medium', 'never high');
  assert.deepEqual(basis([['language'], ['language']], 4), { references: ['r0', 'r1'], sameKind: ['r0', 'r1'], fewInformative: 4, confidence: 'low' });
  // An audit result from before references recorded their components.
  assert.deepEqual(basis([undefined, ['language']]), { references: ['r0', 'r1'], sameKind: null, fewInformative: null, confidence: 'low' });
  const rationale = (components: (string[] | undefined)[]) => languageOf(suggestFindings(withRefs(components), ctx)).rationale;
  assert.match(rationale([['vision']]), /None of them includes language model weights, so it was not compared with its own kind\. Confidence low:/);
  assert.match(rationale([['language'], ['language']]), /2 of them include language model weights \(`r0`, `r1`\)\. Confidence medium:/);
  assert.match(rationale([undefined]), /Which of them include language model weights is not recorded\. Confidence low:/);
  assert.match(rationale(Array.from({ length: 7 }, () => ['vision'])), /against 7 references \(`r0`, `r1`, `r2`, `r3`, `r4`, …\)/);
});

test('"no-evidence" is a finding verdict next to "independent": old files load, both can be written, others are refused', () => {
  assert.ok(VERDICTS.includes('independent') && VERDICTS.includes('no-evidence'), 'the form offers both');
  const binding = { headerHash: 'a'.repeat(64), name: 'm.safetensors' };
  const make = (verdict: Finding['verdict']) => createFinding({ target: { kind: 'component', component: 'language' }, verdict, rationale: 'x' }, { ...ctx, newId: () => `id-${verdict}` });
  // A file written before "no-evidence" existed, with a suggestion that said "independent".
  const old = serialiseReview(binding, [{ ...make('independent'), state: 'suggested' }]);
  assert.equal(parseReviewDocument(old).findings[0].verdict, 'independent');
  assert.equal(parseReviewDocument(serialiseReview(binding, [make('no-evidence')])).findings[0].verdict, 'no-evidence');
  assert.throws(() => parseReviewDocument(old.replace('"independent"', '"no evidence"')), /verdict must be one of no-evidence, independent/);
  assert.equal(findingVerdictLabel({ verdict: 'no-evidence', evidence: null }), 'no evidence of reuse', 'without evidence: the plain words');
  assert.equal(findingVerdictLabel({ verdict: 'independent', evidence: null }), 'independent');
});
