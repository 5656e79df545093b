// (a) The extension activates when a checkpoint is opened, and the default editor for .safetensors is ours.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeCustomTab, answeredPanel, closeAllEditors, EXTENSION_ID, scratchDir, VIEW_FILE, writeSmallCheckpoint } from './helpers';

describe('activation', () => {
  afterEach(closeAllEditors);

  it('activates on opening a .safetensors file, which opens in the checkpoint editor by default', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    const file = path.join(scratchDir('activation'), 'tiny.safetensors');
    writeSmallCheckpoint(file, [{ name: 'model.embed_tokens.weight', shape: [8, 4] }, { name: 'model.norm.weight', shape: [4] }]);
    const uri = vscode.Uri.file(file);

    await vscode.commands.executeCommand('vscode.open', uri);
    await activeCustomTab(VIEW_FILE, uri);
    assert.equal(ext.isActive, true, 'extension is active once its editor opened');

    const panel = await answeredPanel(uri);
    assert.equal(panel.sent, 'init');
    assert.equal(panel.init?.tensors, 2);
  });
});
