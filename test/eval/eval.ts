// npm run eval: the evaluation corpus of real trained checkpoints (WEIGHTPRINT_CORPUS, else ../shared/corpus beside
// the repository) audited pair by pair against the manifest's ground truth. Prints the verdict table and the
// separation table of docs/matching.md; exits 1 on any wrong verdict, 2 when the corpus is missing.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pairProblems, runCorpus, separationRows } from './corpusRun';

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? process.env.WEIGHTPRINT_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus'));
  if (!existsSync(join(dir, 'manifest.json'))) {
    process.stderr.write(`eval: no corpus at ${dir} (no manifest.json there); set WEIGHTPRINT_CORPUS to the evaluation corpus folder\n`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const run = await runCorpus(dir);
  console.log(`corpus: ${dir}`);
  console.log(`\n${'candidate'.padEnd(26)} ${'component'.padEnd(15)} ${'reference'.padEnd(9)} ${'expected'.padEnd(11)} got`);
  let failed = 0;
  for (const p of run.pairs) {
    const got = p.verdicts.map((v) => `${v.component}: ${v.verdict}${v.reference ? ` (${v.reference})` : ''}`).join(', ') || 'no such component';
    const problems = pairProblems(p);
    if (problems.length) failed++;
    console.log(`${p.candidate.padEnd(26)} ${p.component.padEnd(15)} ${p.reference.padEnd(9)} ${p.expected.padEnd(11)} ${got}${problems.length ? '   <-- WRONG' : ''}`);
  }
  console.log('\nseparation per tensor kind (exact copies excluded from "weakest true"):');
  for (const row of separationRows(run)) console.log(row);
  console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const w of run.pairs.flatMap(pairProblems)) console.log(`wrong: ${w}`);
  console.log(`eval: ${run.pairs.length - failed} of ${run.pairs.length} pairs right, ${failed} wrong`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e: unknown) => {
  process.stderr.write(`eval: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 3;
});
