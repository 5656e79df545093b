// One esbuild entry per target: extension host, CLI, stats/fingerprint workers, webview, tests.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync, mkdirSync, copyFileSync, readFileSync, writeFileSync, watch as watchFiles } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function findTests(dir, suffix) {
  const out = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const entry of entries) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTests(full, suffix));
    else if (entry.endsWith(suffix)) out.push(full);
  }
  return out;
}

function readdirSafe(dir) {
  try { return readdirSync(dir); } catch { return []; }
}

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

const workerEntries = findTests('src/core', '.worker.ts');

const targets = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  ...(workerEntries.length ? [{ ...node, entryPoints: workerEntries, outdir: 'dist/workers', entryNames: '[name]' }] : []),
  {
    ...common, platform: 'browser', target: 'es2022', format: 'iife',
    entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist',
    loader: { '.ttf': 'file' },
  },
];
if (!production) {
  const unitTests = findTests('test/unit', '.test.ts');
  if (unitTests.length) {
    targets.push({ ...node, entryPoints: unitTests, outdir: 'dist-test/unit', outbase: 'test/unit', external: ['vscode'] });
  }
  targets.push({ ...node, entryPoints: { 'generate-fixtures': 'test/fixtures/generate-cli.ts', eval: 'test/eval/eval.ts' }, outdir: 'dist-test' });
  const benches = readdirSafe('bench').filter((f) => f.endsWith('.ts')).map((f) => join('bench', f));
  if (benches.length) targets.push({ ...node, entryPoints: benches, outdir: 'dist-bench' });
  const integration = [...findTests('test/integration/suite', '.ts')];
  if (integration.length) {
    targets.push({ ...node, entryPoints: integration, outdir: 'dist-test/integration', outbase: 'test/integration/suite', external: ['vscode', 'mocha'] });
  }
}

// The webview's icon font ships inside the extension (the .vsix holds no node_modules).
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join('node_modules/@vscode/codicons/dist', f), join('dist/codicons', f));

// The webview's stylesheet: media/styles/*.css, one file per view, joined in file-name order (the numeric prefix)
// into dist/webview.css. Joined here rather than with @import: axe-core fetches imported stylesheets, which the
// webview's CSP blocks, and one file is one request.
const STYLES = 'media/styles';
function writeWebviewCss() {
  const files = readdirSync(STYLES).filter((f) => f.endsWith('.css')).sort();
  writeFileSync('dist/webview.css', files.map((f) => readFileSync(join(STYLES, f), 'utf8')).join(''));
}
writeWebviewCss();

if (!watch) rmSync('dist-test', { recursive: true, force: true });
if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  watchFiles(STYLES, () => writeWebviewCss());
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
