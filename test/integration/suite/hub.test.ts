// "Add Hugging Face Model to Library…" against a loopback server with the Hub layout and Range support
// (test/unit/helpers/remoteFaults.ts): the library tree lists the model with its origin; access errors and bad repo
// ids fail cleanly; and the editor gets an architecture match for a checkpoint with a known layout.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exampleTensors, loadCatalogue } from '../../../src/core/catalogue';
import { FAULT_COMMIT, startFaultServer, type FaultServer } from '../../unit/helpers/remoteFaults';
import { activateExtension, answeredPanel, closeAllEditors, corpusDir, panels, scratchDir, waitFor, writeSmallCheckpoint } from './helpers';

interface TreeRow { label: string; description?: string; icon?: string; children: { label: string; description?: string }[] }
interface HubAddResult { id: string; file: string; tensors: number; bytesFetched: number; modelBytes: number; commit: string | null }

const TOKEN = 'hf_integrationSecretToken0123456789';
const tree = async (expand = false) => (await vscode.commands.executeCommand<TreeRow[]>('weightprint.test.libraryTree', { expand })) ?? [];

describe('Add Hugging Face Model to Library (loopback Hub server)', function () {
  before(activateExtension);
  this.timeout(120_000);
  let server: FaultServer;
  const added: string[] = [];

  before(async () => {
    await closeAllEditors();
    server = await startFaultServer({ file: fs.readFileSync(path.join(corpusDir(), 'lm', 'lm_B.safetensors')), token: TOKEN });
  });

  after(async () => {
    for (const id of added) await vscode.commands.executeCommand('weightprint.removeFromLibrary', { id, skipConfirmation: true });
    await server?.stop();
    await closeAllEditors();
  });

  it('fingerprints a repo over HTTP Range and lists it in the Reference Library with its origin', async () => {
    const t0 = Date.now();
    const r = await vscode.commands.executeCommand<HubAddResult>('weightprint.addHubModel', { repo: 'ok/lm-b', endpoint: server.endpoint });
    assert.ok(r, 'the command returned a result');
    added.push(r.id);
    assert.equal(r.id, 'ok/lm-b');
    assert.equal(r.commit, FAULT_COMMIT);
    assert.ok(r.tensors > 0);
    assert.ok(r.bytesFetched > 0 && r.bytesFetched <= r.modelBytes, `${r.bytesFetched} of ${r.modelBytes}`);
    assert.ok(fs.existsSync(r.file), r.file);
    // Every request was a Range request on the Hub layout; no token was sent (none is set).
    // (after the first answer's X-Repo-Commit, URLs name the commit instead of the branch)
    const fileRequests = server.log.filter((l) => /^\/ok\/lm-b\/resolve\/(main|[0-9a-f]{40})\/model\.safetensors$/.test(l.path));
    assert.ok(fileRequests.some((l) => l.range === 'bytes=0-7'), JSON.stringify(server.log.slice(0, 5)));
    assert.ok(fileRequests.every((l) => l.range && l.status === 206), 'only Range requests, all answered 206');
    assert.ok(server.log.every((l) => !l.auth), 'no Authorization header without a token');
    const stored = JSON.parse(fs.readFileSync(r.file, 'utf8')) as { model: { origin?: { repo: string; revision: string; commit: string; endpoint: string; fetchedAt: string } } };
    assert.equal(stored.model.origin?.repo, 'ok/lm-b');
    assert.equal(stored.model.origin?.revision, 'main');
    assert.equal(stored.model.origin?.commit, FAULT_COMMIT);

    const rows = await tree(true);
    const row = rows.find((x) => x.label === 'ok/lm-b');
    assert.ok(row, `tree lists the model: ${rows.map((x) => x.label).join(', ')}`);
    assert.match(row.description ?? '', /ok\/lm-b@main \(commit fedcba9\) · fetched \d{4}-\d\d-\d\d/);
    assert.equal(row.icon, 'cloud');
    const source = row.children.find((c) => c.label === 'source');
    assert.ok(source?.description?.startsWith(`${server.endpoint.replace(/\/+$/, '')}/ok/lm-b/tree/main`), source?.description);
    assert.match(source?.description ?? '', /commit fedcba987654/);
    console.log(`      addHubModel: ${r.tensors} tensors, ${r.bytesFetched} of ${r.modelBytes} bytes, ${Date.now() - t0} ms`);
  });

  it('flags a second fetch of the same repo and revision as a duplicate', async () => {
    const r = await vscode.commands.executeCommand<HubAddResult>('weightprint.addHubModel', { repo: 'ok/lm-b', id: 'lm-b-again', endpoint: server.endpoint });
    assert.ok(r);
    added.push(r.id);
    const rows = await tree(true);
    for (const id of ['ok/lm-b', 'lm-b-again']) {
      const row = rows.find((x) => x.label === id);
      assert.ok(row, id);
      assert.equal(row.icon, 'warning', `${id} has a warning icon`);
      assert.match(row.description ?? '', /⚠ duplicate/);
      assert.ok(row.children.some((c) => c.label === 'duplicate' && /same header hash|also/.test(c.description ?? '')), JSON.stringify(row.children));
    }
  });

  it('gated and missing repos and invalid repo ids fail with no library change and no token in any output', async () => {
    const before = (await tree()).length;
    assert.equal(await vscode.commands.executeCommand('weightprint.addHubModel', { repo: 'gated/x', endpoint: server.endpoint }), undefined);
    assert.equal(await vscode.commands.executeCommand('weightprint.addHubModel', { repo: 'missing/x', endpoint: server.endpoint }), undefined);
    assert.equal(await vscode.commands.executeCommand('weightprint.addHubModel', { repo: 'not a repo', endpoint: server.endpoint }), undefined);
    assert.equal((await tree()).length, before);
    // The secret-storage token is sent to the endpoint (private repo) and never written to the fingerprint.
    assert.equal(await vscode.commands.executeCommand('weightprint.setHubToken', { token: TOKEN }), true);
    try {
      const r = await vscode.commands.executeCommand<HubAddResult>('weightprint.addHubModel', { repo: 'private/lm-b', endpoint: server.endpoint });
      assert.ok(r, 'the private repo is readable with the stored token');
      added.push(r.id);
      assert.ok(server.log.some((l) => l.path.startsWith('/private/') && l.auth === `Bearer ${TOKEN}`));
      assert.ok(!fs.readFileSync(r.file, 'utf8').includes(TOKEN), 'no token in the fingerprint');
      const settings = JSON.stringify(vscode.workspace.getConfiguration('weightprint'));
      assert.ok(!settings.includes(TOKEN), 'no token in the settings');
    } finally {
      await vscode.commands.executeCommand('weightprint.clearHubToken');
    }
    assert.equal(await vscode.commands.executeCommand('weightprint.addHubModel', { repo: 'private/other', endpoint: server.endpoint }), undefined, '401 once the token is cleared');
  });

  it('the editor receives an architecture match (layout) for a checkpoint with the Qwen2 layout', async () => {
    const catalogue = loadCatalogue();
    const tensors = exampleTensors(catalogue, 'qwen2', 'qwen2.5-0.5b', 'model.')
      .filter((t) => { const m = /layers\.(\d+)\./.exec(t.name); return !m || Number(m[1]) < 2; })
      .map((t) => ({ name: t.name, shape: t.shape.map(() => 4) }));
    const file = path.join(scratchDir('hub-arch'), 'qwen-layout.safetensors');
    writeSmallCheckpoint(file, tensors);
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'weightprint.checkpoint');
    assert.equal((await answeredPanel(uri)).sent, 'init');
    // The matches follow the first paint as their own message.
    const panel = await waitFor('the architecture matches', async () => (await panels()).find((p) => p.uri === uri.toString() && p.init?.architecture));
    assert.ok(panel.init?.architecture?.some((a) => a === 'language:model.:qwen2:layout'), JSON.stringify(panel.init?.architecture));
  });
});
