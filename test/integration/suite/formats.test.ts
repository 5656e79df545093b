// A GGUF file (Q8_0 and F32 tensors, written as llama.cpp writes them) and a PyTorch .bin open in the checkpoint
// editor: the host answers with their tensors and components, and the page shows the format badge and the dtypes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, activeCustomTab, answeredPanel, closeAllEditors, domDriverAvailable, scratchDir, VIEW_FILE, VIEW_INDEX, waitForWebviewText } from './helpers';
import { simpleStateDict, writeTorchFile } from '../../unit/helpers/torchWriter';
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

describe('checkpoint editor on a PyTorch .bin file', function () {
  before(activateExtension);
  const file = vscode.Uri.file(path.join(scratchDir('torch'), 'pytorch_model.bin'));

  before(async () => {
    await closeAllEditors();
    const model = llama(6, DIMS);
    writeTorchFile(file.fsPath, simpleStateDict(model.map((x) => ({ name: x.name, dtype: 'F32' as const, shape: x.shape, values: Array.from(x.data) }))));
    // .bin is a generic extension: its editor is contributed with priority "option" (the index editor's view type).
    await vscode.commands.executeCommand('vscode.openWith', file, VIEW_INDEX);
  });
  after(closeAllEditors);

  it('opens the .bin file and answers with its tensors', async () => {
    const panel = await answeredPanel(file);
    assert.equal(panel.sent, 'init', `load error: ${panel.error?.message}`);
    assert.equal(panel.init?.tensors, 3 + 9 * DIMS.layers);
  });

  it('shows the PyTorch format on the page', async function () {
    if (!domDriverAvailable()) this.skip();
    await waitForWebviewText('pytorch-overview', (t) => t.includes('PyTorch') && t.includes('F32'), 30_000);
  });
});
