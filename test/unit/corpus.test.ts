// The whole evaluation corpus: every manifest pair gets the right verdict; independents are never derived/inconclusive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusAvailable, corpusDir, runCorpus } from './helpers/matchCorpus';

const dir = corpusDir();
const skip = corpusAvailable(dir) ? false : `corpus not found at ${dir} (set WEIGHTPRINT_CORPUS)`;

test('corpus: every manifest pair gets the right verdict', { skip, timeout: 120_000 }, async (t) => {
  const run = await runCorpus(dir);
  assert.equal(run.pairs.length, 12);
  for (const p of run.pairs) {
    for (const v of p.verdicts) {
      const label = `${p.candidate} ${v.component} vs ${p.reference}: ${v.verdict} (${v.reference})`;
      if (p.expected === 'derived') {
        assert.ok(v.verdict === 'derived' || v.verdict === 'identical', label);
        assert.equal(v.reference, p.reference, label);
      } else {
        assert.equal(v.verdict, 'no-evidence', label);
        assert.equal(v.reference, null, label);
      }
    }
  }
  const rows = [...run.separation.entries()].sort().map(([kind, s]) =>
    `${kind.padEnd(18)} true: weakest r ${s.weakestTrueR === Infinity ? '  -  ' : s.weakestTrueR.toFixed(3)} -log10p ${s.weakestTrueZ === Infinity ? '-' : s.weakestTrueZ.toFixed(1)} (${s.trueN - s.unmatchedTrue}/${s.trueN} matched)` +
    ` | independent: strongest |r| ${s.strongestIndepR.toFixed(3)} -log10p ${s.strongestIndepLog10P.toFixed(2)} (n=${s.indepN})`);
  t.diagnostic('separation per tensor kind (exact copies excluded from "weakest true"):\n' + rows.join('\n'));
  for (const [kind, s] of run.separation) {
    assert.ok(s.strongestIndepR < 0.3, `${kind}: an independent tensor reached |r| ${s.strongestIndepR}`);
  }
});
