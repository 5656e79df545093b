// (b) The sharded VL reference opens in the checkpoint editor; (c) its webview shows 93 tensors, both shards and
// the language/vision/projector split, as a person sees it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, activeCustomTab, answeredPanel, closeAllEditors, corpusDir, domDriverAvailable, panels, scratchDir, sleep, VIEW_FILE, VIEW_INDEX, waitFor, waitForWebviewText, writeSmallCheckpoint } from './helpers';

const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];

describe('checkpoint editor on a sharded checkpoint', function () {
  before(activateExtension);
  const index = () => vscode.Uri.file(path.join(corpusDir(), 'vl', 'ref_vl', 'model.safetensors.index.json'));

  before(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('vscode.openWith', index(), VIEW_INDEX);
  });
  after(closeAllEditors);

  it('opens the index file in the weightprint.checkpointIndex custom editor', async () => {
    const tab = await activeCustomTab(VIEW_INDEX, index());
    assert.equal(tab.uri.fsPath, index().fsPath);
  });

  it('answers the webview with the whole checkpoint: 93 tensors in 2 shards, language/vision/projector', async () => {
    const panel = await answeredPanel(index());
    assert.equal(panel.sent, 'init', `load error: ${panel.error?.message}`);
    assert.equal(panel.init?.tensors, 93);
    assert.deepEqual(panel.init?.files, SHARDS);
    assert.deepEqual(panel.init?.components, ['language', 'vision', 'projector']);
  });

  it('shows the tensor count, both shards and the components in the webview', async () => {
    // What the webview itself reports after its first paint (works under @vscode/test-electron too) …
    const panel = await waitFor('the webview to report its first paint', async () =>
      (await panels()).find((p) => p.uri === index().toString() && p.rendered), 30_000);
    assert.deepEqual(panel.rendered, { view: 'checkpoint', tensors: 93, files: 2, components: ['language', 'vision', 'projector'] });
    // … and, under code-server, the text on screen read by the playwright driver.
    if (domDriverAvailable()) {
      const text = await waitForWebviewText('vl-index-overview', (t) =>
        /\b93\b/.test(t) && SHARDS.every((s) => t.includes(s)) && ['language', 'vision', 'projector'].every((c) => t.includes(c)), 30_000);
      assert.match(text, /\b93\b/);
    }
  });

  it('lists the tensors and shows a selected tensor\'s detail, read from the shard', async function () {
    if (!domDriverAvailable()) this.skip();
    await waitForWebviewText('vl-index-tensors', (t) => t.includes('lm_head.weight') && t.includes('model.embed_tokens.weight'), 20_000, 'Tensors');
    const before = (await answeredPanel(index())).answers['reply:getTensorDetail'] ?? 0;
    await waitForWebviewText('vl-index-detail', (t) => t.includes('lm_head.weight'), 20_000, 'lm_head.weight');
    const panel = await waitFor('the host to answer a tensor detail request', async () => {
      const p = (await panels()).find((x) => x.uri === index().toString());
      return p && (p.answers['reply:getTensorDetail'] ?? 0) > before ? p : undefined;
    });
    assert.equal(panel.answers['reply-error'] ?? 0, 0, 'no request failed');
  });

  it('loads the codicon font from the extension\'s own assets', async function () {
    if (!domDriverAvailable()) this.skip();
    await waitForWebviewText('vl-index-codicons', (_t, f) => f.fonts.includes('codicon'), 15_000);
  });

  it('follows the color theme (dark and high contrast screenshots)', async function () {
    if (!domDriverAvailable()) this.skip();
    const workbench = vscode.workspace.getConfiguration('workbench');
    const original = workbench.inspect<string>('colorTheme')?.globalValue;
    try {
      for (const [theme, shot] of [['Default Dark Modern', 'vl-index-dark'], ['Default High Contrast', 'vl-index-high-contrast']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await waitFor(`theme ${theme}`, () => vscode.window.activeColorTheme.kind !== vscode.ColorThemeKind.Light || undefined);
        await sleep(400); // the webview restyles from the theme's CSS variables after the workbench
        await waitForWebviewText(shot, (t) => /\b93\b/.test(t), 20_000, 'Overview');
      }
    } finally {
      await workbench.update('colorTheme', original, vscode.ConfigurationTarget.Global);
    }
  });

  it('answers a recreated webview again after its editor was hidden (no retained context)', async () => {
    const before = (await answeredPanel(index())).answers.init ?? 0;
    const other = path.join(scratchDir('hide'), 'other.safetensors');
    writeSmallCheckpoint(other, [{ name: 'w', shape: [2] }]);
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(other), VIEW_FILE, { preview: false });
    await activeCustomTab(VIEW_FILE, vscode.Uri.file(other));
    await vscode.commands.executeCommand('vscode.openWith', index(), VIEW_INDEX);
    await activeCustomTab(VIEW_INDEX, index());
    await waitFor('the re-shown webview to be answered again', async () => {
      const p = (await panels()).find((x) => x.uri === index().toString());
      return p && (p.answers.init ?? 0) > before ? p : undefined;
    });
  });

  it('renders with a strict CSP, a fresh nonce per render and resource roots limited to the extension assets', async () => {
    const first = await answeredPanel(index());
    await vscode.commands.executeCommand('workbench.action.splitEditor');
    const both = await waitFor('a second panel on the same checkpoint', async () => {
      const ps = (await panels()).filter((p) => p.uri === index().toString() && p.csp);
      return ps.length >= 2 ? ps : undefined;
    });
    const second = both.find((p) => p.id !== first.id)!;
    for (const p of both) {
      assert.match(p.csp ?? '', /default-src 'none'/);
      assert.doesNotMatch(p.csp ?? '', /unsafe-inline|unsafe-eval/);
      assert.match(p.csp ?? '', /script-src 'nonce-[A-Za-z0-9]{32}'/);
      for (const root of p.localResourceRoots) assert.match(root, /\/(dist|media|codicons|codicons\/dist)$/, root);
    }
    const nonce = (p: typeof first) => /'nonce-([^']+)'/.exec(p.csp ?? '')?.[1];
    assert.notEqual(nonce(first), nonce(second));
  });
});
