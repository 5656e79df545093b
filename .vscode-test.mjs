// @vscode/test-cli configuration: the same integration suite under @vscode/test-electron, on a machine that can
// download VS Code (`npm run test:integration:electron`). On networks that reach only the npm registry and
// Debian, `npm run test:integration` runs it in code-server instead (test/integration/run-code-server.mjs).
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureCorpus } from './scripts/fixture-corpus.mjs';

const repo = dirname(fileURLToPath(import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'weightprint-it-ws-'));
mkdirSync(join(repo, 'test-artifacts', 'integration'), { recursive: true });
// The suite's checkpoints come from the generated fixture corpus (made here when missing or stale).
const corpus = fixtureCorpus(repo);

export default defineConfig({
  label: 'integration',
  files: 'dist-test/integration/**/*.test.js',
  version: process.env.VSCODE_TEST_VERSION || 'stable',
  extensionDevelopmentPath: repo,
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  env: {
    WEIGHTPRINT_TEST: '1',
    WEIGHTPRINT_FIXTURE_CORPUS: corpus,
  },
  mocha: { ui: 'bdd', timeout: 60_000 },
});
