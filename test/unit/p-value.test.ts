// The one p-value format (src/core/match/pValue.ts) and that the CLI, the comparison report and the review notes all
// write it: tiny p-values read "<1e-300" everywhere, never "2.1e-204286" in one view and "<1e-300" in another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatP, formatPValue } from '../../src/core/match/pValue';
import { fmtP } from '../../src/core/review/export/numbers';
import { auditText } from '../../src/cli/commands/audit';
import { compareMarkdown } from '../../src/extension/compare/compareReport';
import { exportReview } from '../../src/core/review/export/index';
import { goldenInputs } from './helpers/reviewCorpus';

test('formatPValue: three decimals from 0.001, two significant digits below, "<1e-300" under the floor', () => {
  assert.equal(formatPValue(0), '1.000');
  assert.equal(formatPValue(Math.log10(0.158)), '0.158');
  assert.equal(formatPValue(-2.9999), '0.001');
  assert.equal(formatPValue(Math.log10(5e-4)), '5.0e-4');
  assert.equal(formatPValue(Math.log10(5.4e-196)), '5.4e-196');
  assert.equal(formatPValue(-300), '1.0e-300');
  assert.equal(formatPValue(-300.0001), '<1e-300');
  assert.equal(formatPValue(-19599.2), '<1e-300');
  assert.equal(formatPValue(-204285.7), '<1e-300');
  // p = 0 (log10 -Infinity), and a value a review file stored as null or left out.
  assert.equal(formatPValue(-Infinity), '<1e-300');
  assert.equal(formatPValue(null), '<1e-300');
  assert.equal(formatPValue(undefined), '<1e-300');
});

test('formatP prefers log10 p (exact where p underflowed) and falls back to p', () => {
  assert.equal(formatP(0, -204285.7), '<1e-300');
  assert.equal(formatP(0, null), '<1e-300');
  assert.equal(formatP(3e-107), '3.0e-107');
  assert.equal(formatP(0.5), '0.500');
  assert.equal(formatP(0.5, Number.NaN), '0.500');
  assert.equal(fmtP, formatPValue, 'the notes use the same function');
});

test('the CLI, the comparison report and the notes write the corpus audit\'s p-values alike', async () => {
  const { report } = await goldenInputs();
  const audit = report.audit!;
  const vision = audit.components.find((c) => c.name === 'vision')!;
  assert.ok(vision.evidence.log10PValue < -300, `the corpus vision encoder's p is below 1e-300 (${vision.evidence.log10PValue})`);
  const outputs = { cli: auditText(audit), compare: compareMarkdown(audit, 'a', 'b'), md: exportReview(report, 'md'), html: exportReview(report, 'html') };
  for (const [name, text] of Object.entries(outputs)) {
    assert.ok(text.includes('<1e-300') || text.includes('&lt;1e-300'), `${name} writes <1e-300`);
    assert.doesNotMatch(text, /\de-\d{4,}/, `${name} writes no exponent beyond 300`);
    assert.doesNotMatch(text, /\b1e-\d{4,}/, `${name} writes no rounded power of ten`);
  }
  // The language model's combined p is about 1: the same three decimals in each.
  const lm = formatPValue(audit.components.find((c) => c.name === 'language')!.evidence.log10PValue);
  for (const [name, text] of Object.entries(outputs)) assert.ok(text.includes(lm), `${name} writes the language model's p as ${lm}`);
});
