// The fixture corpus end to end: every manifest pair gets the right verdict; independents are never
// derived/inconclusive. The same run on the evaluation corpus of real trained checkpoints is `npm run eval`.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCorpus, separationRows, wrongVerdicts } from '../eval/corpusRun';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';

before(() => ensureFixtureCorpus());

test('fixture corpus: every manifest pair gets the right verdict', { timeout: 120_000 }, async (t) => {
  const run = await runCorpus(CORPUS);
  assert.equal(run.pairs.length, 12);
  assert.ok(run.pairs.every((p) => p.verdicts.length > 0), 'every pair names a component the audit found');
  assert.deepEqual(wrongVerdicts(run), []);
  t.diagnostic('separation per tensor kind (exact copies excluded from "weakest true"):\n' + separationRows(run).join('\n'));
  for (const [kind, s] of run.separation) {
    assert.ok(s.strongestIndepR < 0.3, `${kind}: an independent tensor reached |r| ${s.strongestIndepR}`);
  }
});
