#!/usr/bin/env node
// Editor benchmark in the real VS Code (code-server, as the integration tier runs it): a 100,000-tensor checkpoint
// opened and closed ten times. Prints the time from "open" to the painted Overview, the host's memory after each
// close against idle, and the baseline measured in the same run and process: JSON.parse of the same header.
// Needs the test tools (npm run test:tools); without them it says so and does nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = process.env.WEIGHTPRINT_TOOLS || path.join(os.homedir(), '.cache', 'weightprint', 'tools');
if (!fs.existsSync(path.join(tools, 'cs', 'node_modules', 'code-server'))) {
  console.log(`editor: not run — code-server is not installed in ${tools} (npm run test:tools)`);
  process.exit(0);
}
const figuresFile = path.join(repo, 'test-artifacts', 'integration', 'big-header.json');
fs.rmSync(figuresFile, { force: true });
const run = spawnSync(process.execPath, [path.join(repo, 'test', 'integration', 'run-code-server.mjs')], {
  cwd: repo, encoding: 'utf8',
  env: { ...process.env, WEIGHTPRINT_IT_GREP: 'big header', WEIGHTPRINT_BIG_HEADER_CYCLES: '10' },
});
if (run.status !== 0 || !fs.existsSync(figuresFile)) {
  console.log(run.stdout.split('\n').slice(-30).join('\n'));
  console.error('editor: the big-header run failed');
  process.exit(1);
}
const f = JSON.parse(fs.readFileSync(figuresFile, 'utf8'));
const warm = f.paintMs.slice(1);
const warmMedian = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)];
console.log(`editor (code-server, Node ${f.node}): ${f.tensors.toLocaleString('en')} tensors, ${(f.headerBytes / 1e6).toFixed(1)} MB header`);
console.log(`  JSON.parse of the header (baseline)   ${f.jsonParseMs} ms`);
console.log(`  first webview of the workbench (a one-tensor checkpoint)   ${f.firstWebviewMs} ms`);
console.log(`  open → Overview painted, first        ${f.paintMs[0]} ms`);
console.log(`  open → Overview painted, median of the next ${warm.length}   ${warmMedian} ms   ratio to baseline ${(warmMedian / f.jsonParseMs).toFixed(1)}x   target < 1000 ms: ${warmMedian < 1000 ? 'met' : 'MISSED'}`);
console.log(`  host heap+external after each close vs idle (${f.idleMB} MB): ${f.grownMB.map((g) => `${g >= 0 ? '+' : ''}${g}`).join(', ')} MB   target < +50 MB: ${f.grownMB.every((g) => g < 50) ? 'met' : 'MISSED'}`);
console.log(`  host RSS at the end: ${f.rssMB} MB`);
