// Every test tier, in order: static checks, unit (node), webview (headless Chromium), integration (real VS Code).
// Installs what the browser and VS Code tiers need when it is missing (scripts/install-test-tools.sh).
// Ends with one line "tests: N passed, N failed"; exits non-zero when anything failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Pass/fail counts from node:test (spec or TAP), mocha, or a plain "N passed, N failed" line. */
function counts(output) {
  const last = (re) => { const all = [...output.matchAll(re)]; return all.length ? Number(all[all.length - 1][1]) : undefined; };
  const pass = last(/^[ℹ#] pass (\d+)/gm) ?? last(/^\s*(\d+) passing/gm) ?? last(/(\d+) passed, \d+ failed/gm);
  const fail = last(/^[ℹ#] fail (\d+)/gm) ?? last(/^\s*(\d+) failing/gm) ?? last(/\d+ passed, (\d+) failed/gm) ?? 0;
  return { pass: pass ?? 0, fail };
}

const tiers = [
  { name: 'static', steps: [['npx', ['tsc', '-p', '.', '--noEmit']], ['npx', ['eslint', 'src', 'webview', 'test', 'scripts']],
  // The committed WebAssembly is the assembly of kernels.wat (wabt, a devDependency).
  [process.execPath, ['src/core/stats/wasm/build.mjs', '--check']]] },
  { name: 'build', steps: [[process.execPath, ['scripts/build.mjs']]] },
  { name: 'unit', steps: [[process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', 'dist-test/unit/']]], counted: true },
  { name: 'tools', steps: existsSync(join(root, 'scripts/install-test-tools.sh')) ? [['bash', ['scripts/install-test-tools.sh']]] : [] },
  { name: 'webview', steps: [[process.execPath, ['test/webview/run.mjs']]], counted: true },
  { name: 'integration', steps: [[process.execPath, ['test/integration/run-code-server.mjs']]], counted: true },
];

let passed = 0;
let failed = 0;
const summary = [];
for (const tier of tiers) {
  if (only.length && !only.includes(tier.name) && !['static', 'build', 'tools'].includes(tier.name)) continue;
  const started = Date.now();
  let ok = true;
  let tierPass = 0;
  let tierFail = 0;
  for (const [cmd, args] of tier.steps) {
    console.log(`\n=== ${tier.name}: ${cmd === process.execPath ? 'node' : cmd} ${args.join(' ')}`);
    const { code, output } = await run(cmd, args);
    if (tier.counted) {
      const c = counts(output);
      tierPass += c.pass;
      tierFail += c.fail;
      if (code !== 0 && c.fail === 0) tierFail += 1;
    } else if (code !== 0) {
      tierFail += 1;
    }
    if (code !== 0) { ok = false; break; }
  }
  passed += tierPass;
  failed += tierFail;
  summary.push(`${tier.name.padEnd(12)} ${ok ? 'ok  ' : 'FAIL'} ${tier.counted ? `${tierPass} passed, ${tierFail} failed` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok && ['static', 'build', 'tools'].includes(tier.name)) break;
}
console.log('\n' + summary.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
