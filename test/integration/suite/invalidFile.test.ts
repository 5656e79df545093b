// (d) An invalid checkpoint opens an error view, and the host keeps working.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, activeCustomTab, answeredPanel, closeAllEditors, domDriverAvailable, panels, scratchDir, VIEW_FILE, waitFor, waitForWebviewText, writeSmallCheckpoint, writeTruncatedCheckpoint } from './helpers';

describe('invalid checkpoint', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('shows the error view for a truncated header, and the host still opens a valid file afterwards', async () => {
    const dir = scratchDir('invalid');
    const bad = vscode.Uri.file(path.join(dir, 'truncated.safetensors'));
    writeTruncatedCheckpoint(bad.fsPath);

    await vscode.commands.executeCommand('vscode.openWith', bad, VIEW_FILE);
    await activeCustomTab(VIEW_FILE, bad);
    const panel = await answeredPanel(bad);
    assert.equal(panel.sent, 'loadError');
    assert.equal(panel.error?.code, 'header-beyond-file');
    assert.equal(panel.error?.file, bad.fsPath);
    assert.equal(panel.error?.byteOffset, 0);

    const p = await waitFor('the error view to report its first paint', async () =>
      (await panels()).find((x) => x.uri === bad.toString() && x.rendered), 30_000);
    assert.equal(p.rendered?.view, 'error');
    if (domDriverAvailable()) {
      await waitForWebviewText('invalid-file-error-view', (t) => t.includes('truncated.safetensors') && t.includes('header-beyond-file'), 30_000);
    }

    const good = vscode.Uri.file(path.join(dir, 'good.safetensors'));
    writeSmallCheckpoint(good.fsPath, [{ name: 'lm_head.weight', shape: [4, 4] }]);
    await vscode.commands.executeCommand('vscode.openWith', good, VIEW_FILE);
    const ok = await answeredPanel(good);
    assert.equal(ok.sent, 'init');
    assert.equal(ok.init?.tensors, 1);
  });

  it('shows the error view for a FIFO named .safetensors without blocking the host, which still opens a valid file', async () => {
    const dir = scratchDir('fifo');
    const fifo = vscode.Uri.file(path.join(dir, 'pipe.safetensors'));
    execFileSync('mkfifo', [fifo.fsPath]);
    await vscode.commands.executeCommand('vscode.openWith', fifo, VIEW_FILE);
    const panel = await answeredPanel(fifo);
    assert.equal(panel.sent, 'loadError');
    assert.equal(panel.error?.code, 'not-regular');
    assert.equal(panel.error?.file, fifo.fsPath);
    if (domDriverAvailable()) {
      await waitForWebviewText('fifo-error-view', (t) => t.includes('pipe.safetensors') && t.includes('not-regular'), 30_000);
    }
    // Nobody ever wrote to the FIFO: a host that had blocked on it would not answer this.
    const good = vscode.Uri.file(path.join(dir, 'after-fifo.safetensors'));
    writeSmallCheckpoint(good.fsPath, [{ name: 'lm_head.weight', shape: [4, 4] }]);
    await vscode.commands.executeCommand('vscode.openWith', good, VIEW_FILE);
    const ok = await answeredPanel(good);
    assert.equal(ok.sent, 'init');
  });

  it('respects weightprint.maxHeaderBytes', async () => {
    const config = vscode.workspace.getConfiguration('weightprint');
    const original = config.inspect<number>('maxHeaderBytes')?.globalValue;
    const file = vscode.Uri.file(path.join(scratchDir('limit'), 'many.safetensors'));
    writeSmallCheckpoint(file.fsPath, Array.from({ length: 40 }, (_, i) => ({ name: `model.layers.${i}.mlp.up_proj.weight`, shape: [2, 2] })));
    try {
      await config.update('maxHeaderBytes', 1024, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('vscode.openWith', file, VIEW_FILE);
      const panel = await answeredPanel(file);
      assert.equal(panel.sent, 'loadError');
      assert.equal(panel.error?.code, 'header-too-large');
      assert.match(panel.error?.message ?? '', /weightprint\.maxHeaderBytes/);
    } finally {
      await config.update('maxHeaderBytes', original, vscode.ConfigurationTarget.Global);
    }
    await closeAllEditors();
    await vscode.commands.executeCommand('vscode.openWith', file, VIEW_FILE);
    await waitFor('the same file to open with the default limit', async () =>
      (await panels()).find((p) => p.uri === file.toString() && p.sent === 'init'));
  });
});
