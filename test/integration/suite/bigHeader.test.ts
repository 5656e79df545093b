// A 100,000-tensor checkpoint (a 12.8 MB header, sparse data) opened and closed again and again: every close gives
// the document, its inventory, caches and listeners back (the extension host's heap returns to within 50 MB of
// idle), and each open paints the Overview. The times to the first paint are printed (and read by `npm run bench`,
// bench/editor.mjs); they are not asserted: tests wait for states, not times.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { writeMany } from '../../fixtures/generate';
import { activateExtension, closeAllEditors, panels, REPO, scratchDir, VIEW_FILE, waitFor, writeSmallCheckpoint } from './helpers';

const TENSORS = 100_000;
const CYCLES = Number(process.env.WEIGHTPRINT_BIG_HEADER_CYCLES || 6);
const MB = 1024 * 1024;

/** The heap and off-heap buffers of this process (the extension host) after full collections. */
async function settledBytes(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function openDocuments(): Promise<number> {
  return ((await vscode.commands.executeCommand<unknown[]>('weightprint.test.documents')) ?? []).length;
}

describe('big header', () => {
  before(activateExtension);
  after(closeAllEditors);

  it(`opens and closes a ${TENSORS.toLocaleString('en')}-tensor checkpoint ${CYCLES} times and gives the memory back`, async function () {
    this.timeout(60_000 + CYCLES * 60_000);
    const dir = scratchDir('big-header');
    const file = path.join(dir, `many-${TENSORS}.safetensors`);
    await writeMany(file, TENSORS, 'base_model.model.multi_modal_language_model.decoder.');
    const headerBytes = Number(readPrefix(file));
    const uri = vscode.Uri.file(file);
    const gc = exposeGc();
    await closeAllEditors();
    await waitFor('no open checkpoint documents', async () => (await openDocuments()) === 0 || undefined);
    // The first webview of a fresh workbench boots slowly whatever it shows: a one-tensor checkpoint measures that.
    const tiny = vscode.Uri.file(path.join(dir, 'tiny.safetensors'));
    writeSmallCheckpoint(tiny.fsPath, [{ name: 'lm_head.weight', shape: [4, 4] }]);
    const tiny0 = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', tiny, VIEW_FILE);
    const tinyPanel = await waitFor('the tiny checkpoint to paint', async () => (await panels()).find((p) => p.uri === tiny.toString() && p.rendered?.view === 'checkpoint'), 60_000);
    const firstWebviewMs = (tinyPanel.renderedAt ?? Date.now()) - tiny0;
    await closeAllEditors();
    await waitFor('no open checkpoint documents', async () => (await openDocuments()) === 0 || undefined);
    const idle = await settledBytes(gc);
    const paints: number[] = [];
    const after: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const t0 = Date.now();
      await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_FILE);
      const panel = await waitFor('the Overview to paint', async () => (await panels()).find((p) => p.uri === uri.toString() && p.rendered?.view === 'checkpoint'), 60_000);
      // The host stamps the paint report when it arrives (this test runs in the same process): polling adds nothing.
      paints.push((panel.renderedAt ?? Date.now()) - t0);
      assert.equal(panel.rendered?.tensors, TENSORS);
      await closeAllEditors();
      await waitFor('the document to be disposed', async () => (await openDocuments()) === 0 || undefined, 30_000);
      after.push(await settledBytes(gc));
    }
    const grown = after.map((b) => (b - idle) / MB);
    // The baseline of the same run: JSON.parse of the same header bytes in this process.
    const text = readHeader(file, headerBytes);
    const parses = [0, 1, 2].map(() => { const t0 = performance.now(); JSON.parse(text); return Math.round(performance.now() - t0); });
    const figures = {
      tensors: TENSORS, headerBytes, idleMB: Math.round(idle / MB), grownMB: grown.map((g) => Math.round(g)), paintMs: paints,
      medianPaintMs: median(paints), firstWebviewMs, jsonParseMs: median(parses), rssMB: Math.round(process.memoryUsage().rss / MB), node: process.version,
    };
    // Read by bench/editor.mjs (npm run bench) and kept with the other test artifacts.
    fs.mkdirSync(path.join(REPO, 'test-artifacts', 'integration'), { recursive: true });
    fs.writeFileSync(path.join(REPO, 'test-artifacts', 'integration', 'big-header.json'), JSON.stringify(figures, null, 2) + '\n');
    for (const [i, g] of grown.entries()) assert.ok(g < 50, `after close ${i + 1} the host holds ${g.toFixed(0)} MB more than idle`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

function readHeader(file: string, length: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(length);
    fs.readSync(fd, b, 0, length, 8);
    return b.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function readPrefix(file: string): bigint {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(8);
    fs.readSync(fd, b, 0, 8, 0);
    return b.readBigUInt64LE(0);
  } finally {
    fs.closeSync(fd);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
