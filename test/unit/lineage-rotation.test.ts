// Rotation-robust evidence (docs/matching.md §8): a residual stream multiplied by an orthogonal Q, the norms folded into
// the linears, is found through the Gram sketches of format version 2; independent models, rotated or not, are not;
// a version-1 reference says why it cannot find a rotated copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { llama } from '../fixtures/models';
import { distilledStudent, rotateResidual, sameDataProfile } from '../fixtures/disguise';
import { parseFingerprint, readFingerprint, serializeFingerprint, writeFingerprint } from '../../src/core/fingerprint/io';
import type { Fingerprint } from '../../src/core/fingerprint/types';
import { translatorFromMap } from '../../src/core/l10n';
import { auditPhrase } from '../../src/core/auditPhrases';
import { WEBVIEW_L10N_KO } from '../../src/shared/webviewStrings.ko';
import { SMALL, languageAgainst, reference } from './helpers/lineage';
import { tmp } from './helpers/matchFixtures';

test('a rotated copy (norms folded, residual × orthogonal Q) is derived, every block matrix through its Gram sketch', async () => {
  const { model, fp } = await reference(41, SMALL, true);
  const cmp = await languageAgainst(rotateResidual(model, SMALL, 7), fp);
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  assert.match(cmp.relation, /^derived \(\d+ with a rotated basis\)$/);
  const matrices = cmp.table.filter((r) => r.suspectLayer !== null && r.suspectKind !== 'norm');
  assert.equal(matrices.length, 7 * SMALL.layers);
  for (const r of matrices) {
    assert.ok(r.matched && r.relation === 'rotated' && r.r > 0.9 && r.log10P < -20, JSON.stringify(r));
    assert.equal(r.suspect, r.reference, 'each matrix is found at its own place');
    assert.equal(r.gramSide, r.suspectKind === 'attn-o' || r.suspectKind === 'mlp-down' ? 'cols' : 'rows');
  }
  // The index-aligned r of the same tensors is about zero: only the Gram sees the copy.
  assert.ok(cmp.table.filter((r) => r.suspectKind === 'norm').every((r) => !r.matched), 'folded norms (all ones) carry nothing');
  // Token geometry is learned from the data (a distilled student's head has Gram r 0.99): never evidence here.
  assert.ok(cmp.table.filter((r) => r.suspectKind === 'embedding' || r.suspectKind === 'head').every((r) => !r.matched));
  const ko = translatorFromMap(WEBVIEW_L10N_KO.strings);
  assert.match(auditPhrase(cmp.relation, ko), /기저가 회전된 텐서 \d+개/);
});

test('by default a fingerprint has row sketches only: a rotated copy is derived through q/k/v/gate/up, o/down stay unmatched', async () => {
  const { model, fp } = await reference(48);
  assert.ok(fp.tensors.every((t) => t.gramCols === null));
  const cmp = await languageAgainst(rotateResidual(model, SMALL, 11), fp);
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  const blocks = cmp.table.filter((x) => x.suspectLayer !== null && x.suspectKind !== 'norm');
  const readers = blocks.filter((r) => r.suspectKind !== 'attn-o' && r.suspectKind !== 'mlp-down');
  assert.equal(readers.length, 5 * SMALL.layers);
  assert.ok(readers.every((r) => r.matched), JSON.stringify(readers.find((r) => !r.matched)));
  // W·Qᵀ keeps an index-aligned r of about tr(Q)/d with W (sd 1/√d = 0.125 at d = 64): now and then a reader is
  // found that way first, rightly (it is the reference's matrix), before the Gram test is asked.
  assert.ok(readers.filter((r) => r.relation === 'rotated' && r.gramSide === 'rows').length >= readers.length - 2);
  assert.ok(blocks.filter((r) => r.suspectKind === 'attn-o' || r.suspectKind === 'mlp-down').every((r) => !r.matched || r.relation !== 'rotated'));
});

test('independent models stay no-evidence through the Gram test: rotated, same data, or distilled', async () => {
  const { model, fp } = await reference(42);
  const sameData = (seed: number) => sameDataProfile(llama(seed, SMALL), 77, SMALL);
  for (const suspect of [llama(43, SMALL), sameData(44), rotateResidual(sameData(45), SMALL, 8), distilledStudent(model, sameData(47), SMALL, 9)]) {
    const cmp = await languageAgainst(suspect, fp);
    assert.equal(cmp.verdict, 'no-evidence', cmp.relation);
    assert.ok(!cmp.table.some((r) => r.relation === 'rotated'), JSON.stringify(cmp.table.find((r) => r.relation === 'rotated')));
    assert.ok(cmp.evidence.log10PValue > -3, `combined log10 p ${cmp.evidence.log10PValue}`);
  }
});

/** The same fingerprint as a version-1 file: no sketches, version-1 plan. */
function asVersion1(fp: Fingerprint): string {
  const doc = JSON.parse(serializeFingerprint(fp));
  doc.version = 1;
  delete doc.plan.gramSize;
  delete doc.plan.gramMaxLength;
  for (const t of doc.tensors) { delete t.gramRows; delete t.gramCols; }
  return JSON.stringify(doc);
}

test('version-1 fingerprints keep loading and matching; against one a rotated copy is not found, and a note says why', async () => {
  const { model, fp } = await reference(46);
  const old = parseFingerprint(asVersion1(fp), 'old.wpf');
  assert.equal(old.version, 1);
  assert.ok(old.tensors.every((t) => t.gramRows === null && t.gramCols === null));
  assert.deepEqual([...old.tensors[3].samples], [...fp.tensors[3].samples], 'version 1 and 2 sample the same positions');
  // Written back, a version-1 fingerprint stays version 1 (no sketch fields).
  const file = join(tmp(), 'old.wpf');
  await writeFingerprint(file, old);
  const back = await readFingerprint(file);
  assert.equal(back.version, 1);
  assert.doesNotMatch(serializeFingerprint(back), /gramRows/);
  const copy = await languageAgainst(model, old);
  assert.equal(copy.verdict, 'identical');
  const rotated = await languageAgainst(rotateResidual(model, SMALL, 9), old);
  assert.equal(rotated.verdict, 'no-evidence');
  const { auditCheckpoint } = await import('../../src/core/match/audit');
  const { writeLlama } = await import('./helpers/lineage');
  const audit = await auditCheckpoint(await writeLlama(rotateResidual(model, SMALL, 9)), [old]);
  assert.ok(audit.notes.some((n) => /version-1 fingerprint has no Gram sketches/.test(n)), audit.notes.join('\n'));
});

test('a fingerprint without sketches (as made over HTTP Range) cannot find a rotated copy, and the notes say so', async () => {
  const { model } = await reference(49);
  const { fingerprintPath } = await import('../../src/core/fingerprint/create');
  const { auditCheckpoint } = await import('../../src/core/match/audit');
  const { writeLlama } = await import('./helpers/lineage');
  const bare = await fingerprintPath(await writeLlama(model), { id: 'bare', gramRows: false });
  assert.ok(bare.version === 3 && bare.tensors.every((t) => !t.gramRows && !t.gramCols));
  const audit = await auditCheckpoint(await writeLlama(rotateResidual(model, SMALL, 12)), [bare]);
  assert.equal(audit.components.find((c) => c.name === 'language')?.comparisons[0].verdict, 'no-evidence');
  assert.ok(audit.notes.some((n) => /has no Gram sketches \(made over HTTP Range\)/.test(n)), audit.notes.join('\n'));
  const ko = translatorFromMap(WEBVIEW_L10N_KO.strings);
  assert.ok(audit.notes.map((n) => auditPhrase(n, ko)).some((n) => /그람 스케치가 없어/.test(n)));
});
