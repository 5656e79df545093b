// A checkpoint replaced on disk while its editor is open: the stale editor closes (with a message), and reopened it
// shows the new file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, answeredPanel, closeAllEditors, panels, scratchDir, VIEW_FILE, waitFor, writeSmallCheckpoint } from './helpers';

function openTabs(uri: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputCustom && tab.input.uri.toString() === uri.toString());
}

describe('checkpoint changed on disk', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('closes the editor of a checkpoint replaced on disk, and the reopened editor shows the new contents', async () => {
    const dir = scratchDir('watch');
    const uri = vscode.Uri.file(path.join(dir, 'model.safetensors'));
    writeSmallCheckpoint(uri.fsPath, [{ name: 'lm_head.weight', shape: [4, 4] }]);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_FILE);
    const first = await answeredPanel(uri);
    assert.equal(first.init?.tensors, 1);
    // Replaced the way downloads and copies do it: a new file renamed over the old one.
    const next = path.join(dir, 'model.safetensors.partial');
    writeSmallCheckpoint(next, [{ name: 'lm_head.weight', shape: [4, 4] }, { name: 'model.norm.weight', shape: [4] }]);
    fs.renameSync(next, uri.fsPath);
    await waitFor('the stale editor to close', () => (openTabs(uri).length === 0 ? true : undefined), 30_000);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_FILE);
    const reopened = await waitFor('the reopened editor to read the new file', async () =>
      (await panels()).find((p) => p.uri === uri.toString() && p.init?.tensors === 2), 30_000);
    assert.equal(reopened.sent, 'init');
  });

  it('closes the editor of a checkpoint deleted on disk', async () => {
    const dir = scratchDir('watch-delete');
    const uri = vscode.Uri.file(path.join(dir, 'gone.safetensors'));
    writeSmallCheckpoint(uri.fsPath, [{ name: 'lm_head.weight', shape: [4, 4] }]);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_FILE);
    await answeredPanel(uri);
    fs.rmSync(uri.fsPath);
    await waitFor('the editor of the deleted file to close', () => (openTabs(uri).length === 0 ? true : undefined), 30_000);
  });
});
