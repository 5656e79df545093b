// A GGUF file (F16 and Q8_0 tensors, written as llama.cpp writes them) opens in the checkpoint editor: the host
// answers with its tensors and components, and the page shows the format badge and the quantised dtypes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, activeCustomTab, answeredPanel, closeAllEditors, domDriverAvailable, scratchDir, VIEW_FILE, waitForWebviewText } from './helpers';
import { ggufFromModel, llamaMetadata, writeGguf } from '../../unit/helpers/ggufWriter';
import { llama } from '../../fixtures/models';

const DIMS = { d: 64, layers: 2, heads: 4, ff: 128, vocab: 192, used: 160 };

describe('checkpoint editor on a GGUF file', function () {
  before(activateExtension);
  const file = vscode.Uri.file(path.join(scratchDir('gguf'), 'llama-q8_0.gguf'));

  before(async () => {
    await closeAllEditors();
    writeGguf(file.fsPath, ggufFromModel(llama(5, DIMS), 'Q8_0', DIMS.heads), llamaMetadata(DIMS.heads, DIMS.layers));
    await vscode.commands.executeCommand('vscode.openWith', file, VIEW_FILE);
  });
  after(closeAllEditors);

  it('opens the .gguf file in the weightprint.checkpoint editor and answers with its tensors', async () => {
    const tab = await activeCustomTab(VIEW_FILE, file);
    assert.equal(tab.uri.fsPath, file.fsPath);
    const panel = await answeredPanel(file);
    assert.equal(panel.sent, 'init', `load error: ${panel.error?.message}`);
    assert.equal(panel.init?.tensors, 3 + 9 * DIMS.layers);
    assert.deepEqual(panel.init?.components, ['language']);
  });

  it('shows the format and the quantised dtype on the page', async function () {
    if (!domDriverAvailable()) this.skip();
    const text = await waitForWebviewText('gguf-overview', (t) => t.includes('GGUF') && t.includes('Q8_0'), 30_000);
    assert.match(text, /\b21\b/);
  });
});
