// Depth pruning and layer re-ordering (docs/matching.md §9): candidates are found by shape, never by layer number, so
// a suspect that dropped a layer and swapped two is matched layer by layer to where each came from, and the layer
// heatmap shows it off the diagonal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { llama } from '../fixtures/models';
import { reorderLayers, sameDataProfile } from '../fixtures/disguise';
import { SMALL, languageAgainst, reference } from './helpers/lineage';

const DEEP = { ...SMALL, layers: 4 };

test('a model with a layer dropped and two swapped is derived, each layer matched to its source, the heatmap says which', async () => {
  const { model, fp } = await reference(61, DEEP);
  const order = [0, 3, 1];
  const cmp = await languageAgainst(reorderLayers(model, order, 5), fp);
  assert.equal(cmp.verdict, 'derived', cmp.relation);
  const blocks = cmp.table.filter((r) => r.suspectLayer !== null && r.suspectKind !== 'norm');
  assert.ok(blocks.length >= 7 * order.length - 1);
  for (const r of blocks) assert.ok(r.matched && r.referenceLayer === order[r.suspectLayer!], JSON.stringify(r));
  const { suspectLayers, referenceLayers, r } = cmp.heatmap;
  assert.deepEqual(suspectLayers, [0, 1, 2]);
  for (const [i, sl] of suspectLayers.entries()) {
    const row = r[i].map((x) => x ?? -1);
    const brightest = referenceLayers[row.indexOf(Math.max(...row))];
    assert.equal(brightest, order[sl], `suspect layer ${sl}: brightest cell at reference layer ${brightest}`);
    assert.ok(Math.max(...row) > 0.9);
  }
  assert.ok(!r.flat().some((x, k) => x !== null && x > 0.5 && referenceLayers[k % referenceLayers.length] === 2), 'the dropped layer 2 lights up nowhere');
});

test('an independent model with layers dropped and re-ordered stays no-evidence', async () => {
  const { fp } = await reference(62, DEEP);
  const cmp = await languageAgainst(reorderLayers(sameDataProfile(llama(63, DEEP), 77, DEEP), [0, 3, 1], 6), fp);
  assert.equal(cmp.verdict, 'no-evidence', cmp.relation);
  assert.ok(cmp.heatmap.r.flat().every((x) => x === null || x < 0.5));
});
