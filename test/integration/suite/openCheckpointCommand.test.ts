// (e) "Weightprint: Open Checkpoint" on a folder opens its index, or its single .safetensors file.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, activeCustomTab, answeredPanel, closeAllEditors, corpusDir, scratchDir, VIEW_FILE, VIEW_INDEX, writeSmallCheckpoint } from './helpers';

describe('Open Checkpoint command', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('is contributed under the Weightprint category', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('weightprint.openCheckpoint'));
  });

  it('opens the index of a sharded checkpoint folder', async () => {
    const folder = vscode.Uri.file(path.join(corpusDir(), 'vl', 'ref_vl'));
    await vscode.commands.executeCommand('weightprint.openCheckpoint', folder);
    const index = vscode.Uri.joinPath(folder, 'model.safetensors.index.json');
    await activeCustomTab(VIEW_INDEX, index);
    const panel = await answeredPanel(index);
    assert.equal(panel.init?.tensors, 93);
  });

  it('opens the single .safetensors file of a folder without index', async () => {
    const dir = scratchDir('single');
    const file = path.join(dir, 'model.safetensors');
    writeSmallCheckpoint(file, [{ name: 'visual.blocks.0.attn.qkv.weight', shape: [12, 4] }, { name: 'visual.blocks.0.norm1.weight', shape: [4] }]);
    await vscode.commands.executeCommand('weightprint.openCheckpoint', vscode.Uri.file(dir));
    await activeCustomTab(VIEW_FILE, vscode.Uri.file(file));
    const panel = await answeredPanel(vscode.Uri.file(file));
    assert.equal(panel.init?.tensors, 2);
    assert.deepEqual(panel.init?.components, ['vision']);
  });

  it('opens an index file given directly', async () => {
    const index = vscode.Uri.file(path.join(corpusDir(), 'vl', 'ref_vl', 'model.safetensors.index.json'));
    await vscode.commands.executeCommand('weightprint.openCheckpoint', index);
    await activeCustomTab(VIEW_INDEX, index);
  });
});
