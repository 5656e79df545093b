// Lineage verdicts on small generated models: aggregates agree with verdicts, heads and norms count for true copies,
// task-determined tensors never decide, partial reuse is a verdict; controls never come out derived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { continuedTraining, llama } from '../fixtures/models';
import { merge, partialReuse, sameDataProfile, truncateVocabulary } from '../fixtures/disguise';
import { formatMessage, translatorFromMap } from '../../src/core/l10n';
import { auditPhrase } from '../../src/core/auditPhrases';
import { WEBVIEW_L10N_KO } from '../../src/shared/webviewStrings.ko';
import { fineTune } from '../fixtures/trained';
import { SMALL, languageAgainst, reference } from './helpers/lineage';

test('weights under noise at 10x their spread: many weak agreements make the component inconclusive, not no-evidence', async () => {
  const { model, fp } = await reference(11);
  const noisy = model.map((t, i) => fineTune(t, 900 + i, 10));
  const cmp = await languageAgainst(noisy, fp);
  assert.ok(cmp.evidence.log10PValue < -6, `combined log10 p ${cmp.evidence.log10PValue}`);
  assert.equal(cmp.evidence.matchedTensors, 0);
  assert.equal(cmp.verdict, 'inconclusive');
  assert.equal(cmp.relation, 'many weak agreements, no tensor with a material effect');
});

test('independent models (other seed, same data other seed, fine-tuned) stay no-evidence with combined p near 1', async () => {
  const { fp } = await reference(12);
  for (const suspect of [llama(13, SMALL), sameDataProfile(llama(14, SMALL), 77, SMALL), continuedTraining(sameDataProfile(llama(15, SMALL), 77, SMALL), 3, 0.3, SMALL)]) {
    const cmp = await languageAgainst(suspect, fp);
    assert.equal(cmp.verdict, 'no-evidence', cmp.relation);
    assert.ok(cmp.evidence.log10PValue > -3, `combined log10 p ${cmp.evidence.log10PValue}`);
  }
});

test('LM head: the common row direction is removed before correlating, so a merged head (r ≈ 0.6) counts and an independent one does not', async () => {
  const { model, fp } = await reference(21);
  const merged = await languageAgainst(merge(model, llama(22, SMALL)), fp);
  const head = merged.table.find((r) => r.suspect === 'lm_head.weight');
  assert.ok(head && head.matched && head.r >= 0.5 && head.log10P < -20, JSON.stringify(head));
  const independent = await languageAgainst(sameDataProfile(llama(23, SMALL), 77, SMALL), fp);
  const other = independent.table.find((r) => r.suspect === 'lm_head.weight');
  assert.ok(other && !other.matched && Math.abs(other.r) < 0.3, JSON.stringify(other));
  assert.equal(independent.verdict, 'no-evidence');
});

test('token embeddings and LM head copied, blocks trained anew: derived with partial groups and the wording says which', async () => {
  const { model, fp } = await reference(31);
  const cmp = await languageAgainst(partialReuse(llama(32, SMALL), model), fp);
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  assert.deepEqual(cmp.evidence.partial, ['token embeddings', 'LM head']);
  assert.equal(cmp.relation, 'token embeddings and LM head reused; the transformer blocks show no evidence');
  assert.equal(auditPhrase(cmp.relation, translatorFromMap(WEBVIEW_L10N_KO.strings)), '토큰 임베딩 및 LM 헤드 재사용됨. 트랜스포머 블록에는 근거 없음');
  assert.equal(auditPhrase(cmp.relation, (m, ...a) => formatMessage(m, a)), cmp.relation, 'English says it as the audit wrote it');
});

test('one matching matrix alone is not a coherent group: embeddings only copied stay inconclusive', async () => {
  const { model, fp } = await reference(33);
  const own = llama(34, SMALL);
  const emb = model.find((t) => t.name === 'model.embed_tokens.weight')!;
  const cmp = await languageAgainst(own.map((t) => (t.name === emb.name ? emb : t)), fp);
  assert.equal(cmp.evidence.matchedTensors, 1);
  assert.equal(cmp.verdict, 'inconclusive', cmp.relation);
});

test('a truncated vocabulary (the reference\'s first rows) matches as row-truncated; a shorter independent table does not', async () => {
  const { model, fp } = await reference(41);
  const cmp = await languageAgainst(truncateVocabulary(model, 176), fp);
  const emb = cmp.table.find((r) => r.suspect === 'model.embed_tokens.weight');
  assert.ok(emb && emb.matched && emb.relation === 'row-truncated' && emb.r > 0.99, JSON.stringify(emb));
  assert.equal(cmp.verdict, 'derived');
  assert.match(cmp.relation, /rows truncated/);
  const other = await languageAgainst(truncateVocabulary(sameDataProfile(llama(42, SMALL), 77, SMALL), 176), fp);
  assert.equal(other.verdict, 'no-evidence', other.relation);
});
