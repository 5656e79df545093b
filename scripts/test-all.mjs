// Every test tier, in order: static checks, build, test tools (scripts/install-test-tools.sh installs what is
// missing), the generated fixture corpus, unit (node), webview (headless Chromium), integration (real VS Code).
// Ends with one line "tests: N passed, N failed, N skipped"; a skip is never counted as a pass, and every skipped
// test is listed with its reason. Exits non-zero when anything failed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Pass/fail/skip counts from node:test (spec or TAP), mocha, or a plain "N passed, N failed[, N skipped]" line. */
function counts(output) {
  const last = (re) => { const all = [...output.matchAll(re)]; return all.length ? Number(all[all.length - 1][1]) : undefined; };
  const pass = last(/^[ℹ#] pass (\d+)/gm) ?? last(/^\s*(\d+) passing/gm) ?? last(/(\d+) passed, \d+ failed/gm);
  const fail = last(/^[ℹ#] fail (\d+)/gm) ?? last(/^\s*(\d+) failing/gm) ?? last(/\d+ passed, (\d+) failed/gm) ?? 0;
  const cancelled = last(/^[ℹ#] cancelled (\d+)/gm) ?? 0;
  const skip = (last(/^[ℹ#] skipped (\d+)/gm) ?? 0) + (last(/^[ℹ#] todo (\d+)/gm) ?? 0) || (last(/^\s*(\d+) pending/gm) ?? last(/\d+ passed, \d+ failed, (\d+) skipped/gm) ?? 0);
  return { pass: pass ?? 0, fail: fail + cancelled, skip };
}

/** The skipped tests with their reasons: node:test spec ("﹣ name # reason"), TAP ("ok … # SKIP reason"), mocha
 * ("- name"), and the webview runner ("skip - name — reason"). */
function skipLines(output) {
  const lines = [];
  for (const m of output.matchAll(/^\s*﹣ (.+)$/gm)) lines.push(m[1]);
  for (const m of output.matchAll(/^\s*ok \d+ - (.+ # SKIP.*)$/gm)) lines.push(m[1]);
  for (const m of output.matchAll(/^skip - (.+)$/gm)) lines.push(m[1]);
  if (/^\s*\d+ pending/m.test(output)) for (const m of output.matchAll(/^\s+- (.+)$/gm)) lines.push(m[1]);
  return lines;
}

const tiers = [
  { name: 'static', steps: [['npx', ['tsc', '-p', '.', '--noEmit']], ['npx', ['eslint', 'src', 'webview', 'test', 'scripts']],
  // The committed WebAssembly is the assembly of kernels.wat (wabt, a devDependency).
  [process.execPath, ['src/core/stats/wasm/build.mjs', '--check']],
  // Layers and cycles (docs/architecture.md), and proof that a planted violation fails.
  [process.execPath, ['scripts/check-layers.mjs']], [process.execPath, ['scripts/check-layers.mjs', '--self-test']]] },
  { name: 'build', steps: [[process.execPath, ['scripts/build.mjs']]] },
  // Before the unit tier: some unit tests use Chromium and nginx.
  { name: 'tools', steps: [['bash', ['scripts/install-test-tools.sh']]] },
  { name: 'fixtures', steps: [[process.execPath, ['dist-test/generate-fixtures.js', 'corpus']]] },
  { name: 'unit', steps: [[process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', 'dist-test/unit/']]], counted: true },
  { name: 'webview', steps: [[process.execPath, ['test/webview/run.mjs']]], counted: true },
  { name: 'integration', steps: [[process.execPath, ['test/integration/run-code-server.mjs']]], counted: true },
];

const SETUP = ['static', 'build', 'tools', 'fixtures'];
let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];
const skips = [];
for (const tier of tiers) {
  if (only.length && !only.includes(tier.name) && !SETUP.includes(tier.name)) continue;
  const started = Date.now();
  let ok = true;
  let tierPass = 0;
  let tierFail = 0;
  let tierSkip = 0;
  for (const [cmd, args] of tier.steps) {
    console.log(`\n=== ${tier.name}: ${cmd === process.execPath ? 'node' : cmd} ${args.join(' ')}`);
    const { code, output } = await run(cmd, args);
    if (tier.counted) {
      const c = counts(output);
      tierPass += c.pass;
      tierFail += c.fail;
      tierSkip += c.skip;
      skips.push(...skipLines(output).map((l) => `${tier.name}: ${l}`));
      if (code !== 0 && c.fail === 0) tierFail += 1;
    } else if (code !== 0) {
      tierFail += 1;
    }
    if (code !== 0) { ok = false; break; }
  }
  passed += tierPass;
  failed += tierFail;
  skipped += tierSkip;
  summary.push(`${tier.name.padEnd(12)} ${ok ? 'ok  ' : 'FAIL'} ${tier.counted ? `${tierPass} passed, ${tierFail} failed, ${tierSkip} skipped` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok && SETUP.includes(tier.name)) break;
}
console.log('\n' + summary.join('\n'));
if (skips.length) console.log(`skipped:\n${skips.map((s) => `  ${s}`).join('\n')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
