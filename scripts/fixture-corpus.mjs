// The generated fixture corpus for the test runners (webview, integration, @vscode/test-cli): its folder
// (WEIGHTPRINT_FIXTURE_CORPUS, else <repo>/test-artifacts/corpus), made by the built generator when missing or stale.
// Exits the runner with one line when it cannot be made.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function fixtureCorpus(repo) {
  const dir = resolve(process.env.WEIGHTPRINT_FIXTURE_CORPUS || join(repo, 'test-artifacts', 'corpus'));
  const generator = join(repo, 'dist-test', 'generate-fixtures.js');
  if (!existsSync(generator)) {
    console.error(`the fixture generator is not built (${generator}): build first (node scripts/build.mjs)`);
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [generator, 'corpus', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`cannot generate the fixture corpus at ${dir}: ${(r.stderr || String(r.error)).trim()}`);
    process.exit(1);
  }
  return dir;
}
