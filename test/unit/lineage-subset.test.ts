// Subset relations (docs/matching.md §9): a width-pruned model keeps a subset of the reference's rows (gate/up/q/k/v
// after neurons or heads were dropped) or columns (down/o); both are found through the fingerprint's probes, and a
// pruned independent model is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { llama } from '../fixtures/models';
import { partialReuse, pruneHidden, pruneWidth, reorderVocabulary, sameDataProfile } from '../fixtures/disguise';
import { auditCheckpoint } from '../../src/core/match/audit';
import { translatorFromMap } from '../../src/core/l10n';
import { auditPhrase } from '../../src/core/auditPhrases';
import { WEBVIEW_L10N_KO } from '../../src/shared/webviewStrings.ko';
import { SMALL, languageAgainst, reference, writeLlama } from './helpers/lineage';

const READS_ROWS = new Set(['attn-q', 'attn-k', 'attn-v', 'mlp-gate', 'mlp-up']);
const PRUNED_COLS = new Set(['attn-o', 'mlp-down']);

test('a width-pruned copy (a quarter of the neurons and heads dropped) is derived through row and column subsets', async () => {
  const { model, fp } = await reference(51);
  const cmp = await languageAgainst(pruneWidth(model, SMALL, 9), fp);
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  assert.match(cmp.relation, /\d+ pruned to a subset/);
  const rows = cmp.table.filter((r) => READS_ROWS.has(r.suspectKind ?? ''));
  const cols = cmp.table.filter((r) => PRUNED_COLS.has(r.suspectKind ?? ''));
  assert.equal(rows.length, 5 * SMALL.layers);
  assert.equal(cols.length, 2 * SMALL.layers);
  // A dropped last head leaves the kept rows where they were: index-aligned truncation is then the right relation.
  for (const r of rows) assert.ok(r.matched && (r.relation === 'row-subset' || r.relation === 'row-truncated') && r.suspect === r.reference, JSON.stringify(r));
  assert.ok(rows.some((r) => r.relation === 'row-subset'));
  for (const r of cols) assert.ok(r.matched && r.relation === 'column-subset' && r.suspect === r.reference && r.r > 0.3, JSON.stringify(r));
  const ko = translatorFromMap(WEBVIEW_L10N_KO.strings);
  assert.match(auditPhrase(cmp.relation, ko), /부분집합으로 가지치기된 텐서 \d+개/);
});

test('a width-pruned independent model stays no-evidence: no subset is found by chance', async () => {
  const { fp } = await reference(52);
  for (const seed of [53, 54]) {
    const cmp = await languageAgainst(pruneWidth(sameDataProfile(llama(seed, SMALL), 77, SMALL), SMALL, seed), fp);
    assert.equal(cmp.verdict, 'no-evidence', cmp.relation);
    const subset = cmp.table.find((r) => r.matched && (r.relation === 'row-subset' || r.relation === 'column-subset'));
    assert.equal(subset, undefined, JSON.stringify(subset));
    assert.ok(cmp.evidence.log10PValue > -3, `combined log10 p ${cmp.evidence.log10PValue}`);
  }
});

test('a vocabulary cut to three quarters and re-ordered, blocks trained anew: derived, embeddings and head as row subsets', async () => {
  const { model, fp } = await reference(55);
  const own = sameDataProfile(llama(56, SMALL), 77, SMALL);
  const cmp = await languageAgainst(reorderVocabulary(partialReuse(own, model), 0.75, 3), fp);
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  assert.deepEqual(cmp.evidence.partial, ['token embeddings', 'LM head']);
  const matched = cmp.table.filter((r) => r.matched);
  assert.deepEqual(matched.map((r) => r.suspect).sort(), ['lm_head.weight', 'model.embed_tokens.weight']);
  assert.ok(matched.every((r) => r.relation === 'row-subset' && r.permutationConfirmed), JSON.stringify(matched));
  const other = await languageAgainst(reorderVocabulary(own, 0.75, 3), fp);
  assert.equal(other.verdict, 'no-evidence', other.relation);
});

test('a hidden size pruned to three quarters is recovered from the embedding probe: every tensor with a residual axis is a subset', async () => {
  const { model, fp } = await reference(57);
  const audit = await auditCheckpoint(await writeLlama(pruneHidden(model, SMALL, 0.75, 4)), [fp]);
  const cmp = audit.components.find((c) => c.name === 'language')!.comparisons[0];
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  assert.match(cmp.relation, /hidden dimension pruned/);
  assert.ok(audit.notes.some((n) => n.startsWith(`hidden dimension pruned from ${SMALL.d} to ${0.75 * SMALL.d} units`)), audit.notes.join('\n'));
  for (const r of cmp.table) {
    assert.ok(r.matched && (r.relation === 'row-subset' || r.relation === 'column-subset') && r.suspect === r.reference, JSON.stringify(r));
  }
  const ko = translatorFromMap(WEBVIEW_L10N_KO.strings);
  assert.match(auditPhrase(cmp.relation, ko), /은닉 차원 가지치기/);
  // An independent model of that narrower width: nothing to recover.
  const narrow = { ...SMALL, d: 0.75 * SMALL.d };
  const other = await languageAgainst(sameDataProfile(llama(58, narrow), 77, narrow), fp);
  assert.equal(other.verdict, 'no-evidence', other.relation);
});
