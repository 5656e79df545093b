// The reviewer's workflow in a real VS Code: statistics computed on open and cached in global storage; the reference
// library (add, import, remove, problems, file watcher, tree view); Audit Checkpoint on the VL suspect; Compare.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, answeredPanel, closeAllEditors, corpusDir, domDriverAvailable, domSnapshot, panels, scratchDir, sleep, VIEW_FILE, waitFor, waitForWebviewText } from './helpers';

interface JobsInfo {
  uri: string;
  stats: { state: string; source: 'none' | 'cache' | 'computed'; tensorsWithStats: number; tensors: number; cacheFile?: string; error?: string; runs: number };
  audit: { state: string; error?: string; components?: { name: string; verdict: string; reference: string | null }[]; runs: number };
  top?: { name: string; std: number | null; flags: string[] }[];
  libraryFolders: string[];
  jobsRunning: string[];
}

interface TreeRow {
  label: string;
  description?: string;
  icon?: string;
  children: { label: string; description?: string }[];
}

interface PanelJobs {
  uri: string;
  stats?: { state: string; tensorsWithStats: number; error?: string; layers?: number };
  audit?: { state: string; libraryModels: number; error?: string; components?: { name: string; verdict: string; reference: string | null }[] };
  views: string[];
}

async function documentInfo(uri: vscode.Uri): Promise<JobsInfo | undefined> {
  const all = await vscode.commands.executeCommand<JobsInfo[]>('weightprint.test.documents', uri);
  return all?.[0];
}

async function panelJobs(uri: vscode.Uri): Promise<PanelJobs | undefined> {
  return (await panels() as unknown as PanelJobs[]).find((p) => p.uri === uri.toString());
}

const tree = async (expand = false) => (await vscode.commands.executeCommand<TreeRow[]>('weightprint.test.libraryTree', { expand })) ?? [];

async function shot(name: string): Promise<void> {
  if (domDriverAvailable()) await domSnapshot(name);
}

describe('statistics in the checkpoint editor', function () {
  before(activateExtension);
  this.timeout(60_000);
  let copy: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    // A private copy, so that no earlier test has cached its statistics yet.
    const dir = scratchDir('stats');
    copy = vscode.Uri.file(path.join(dir, 'lm_A_copy.safetensors'));
    fs.copyFileSync(path.join(corpusDir(), 'lm', 'lm_A.safetensors'), copy.fsPath);
  });
  after(closeAllEditors);

  it('computes the statistics of a small checkpoint on open and sends them to the webview', async () => {
    await vscode.commands.executeCommand('vscode.openWith', copy, VIEW_FILE, { preview: false });
    await answeredPanel(copy);
    const info = await waitFor('statistics to complete', async () => {
      const i = await documentInfo(copy);
      return i?.stats.state === 'done' ? i : undefined;
    }, 40_000);
    assert.equal(info.stats.source, 'computed');
    assert.equal(info.stats.tensorsWithStats, 39);
    // The host's table sorts by std: the largest std first, a real number.
    const top = info.top ?? [];
    assert.ok(top.length === 3 && typeof top[0].std === 'number' && top[0].std > 0, JSON.stringify(top));
    assert.ok(top[0].std! >= (top[1].std ?? 0), 'sorted by std, descending');
    // What the webview was sent: the final state with every row's statistics, and the per-layer series.
    const panel = await waitFor('the panel to be told', async () => {
      const p = await panelJobs(copy);
      return p?.stats?.state === 'done' && (p.stats.layers ?? 0) > 0 ? p : undefined;
    });
    assert.equal(panel.stats?.tensorsWithStats, 39);
    assert.equal(panel.audit?.state, 'idle');
    if (domDriverAvailable()) {
      // The webview's Statistics view (drawn by the webview; only the host side is asserted here).
      await domSnapshot('statistics-lm_A', 'Statistics').catch((e: Error) => console.log(`no Statistics view to click: ${e.message}`));
      await sleep(800);
      await shot('statistics-lm_A');
    }
  });

  it('writes the cache in global storage and loads it when the checkpoint is reopened (no new job)', async () => {
    const info = (await documentInfo(copy))!;
    assert.ok(info.stats.cacheFile && fs.existsSync(info.stats.cacheFile), `cache file ${info.stats.cacheFile}`);
    assert.match(info.stats.cacheFile!, /stats-cache/);
    await closeAllEditors();
    await waitFor('the document to be disposed', async () => ((await documentInfo(copy)) ? undefined : true));
    await vscode.commands.executeCommand('vscode.openWith', copy, VIEW_FILE, { preview: false });
    const again = await waitFor('statistics from the cache', async () => {
      const i = await documentInfo(copy);
      return i?.stats.state === 'done' ? i : undefined;
    }, 20_000);
    assert.equal(again.stats.source, 'cache');
    assert.equal(again.stats.runs, 0, 'no statistics job ran');
    assert.equal(again.stats.tensorsWithStats, 39);
    const panel = await waitFor('the reopened panel to get the cached statistics', async () => {
      const p = await panelJobs(copy);
      return p?.stats?.state === 'done' ? p : undefined;
    });
    assert.equal(panel.stats?.tensorsWithStats, 39);
  });

  it('recomputes a stale entry, and waits for the command above weightprint.statistics.autoComputeMaxBytes', async () => {
    await closeAllEditors();
    await waitFor('the document to be disposed', async () => ((await documentInfo(copy)) ? undefined : true));
    const config = vscode.workspace.getConfiguration('weightprint');
    await config.update('statistics.autoComputeMaxBytes', 1024, vscode.ConfigurationTarget.Global);
    try {
      // Same bytes, new mtime: the cache entry is stale.
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(copy.fsPath, later, later);
      await vscode.commands.executeCommand('vscode.openWith', copy, VIEW_FILE, { preview: false });
      await answeredPanel(copy);
      await sleep(500);
      const idle = (await documentInfo(copy))!;
      assert.equal(idle.stats.state, 'idle', 'a stale entry is not shown and nothing starts above the limit');
      assert.equal(idle.stats.tensorsWithStats, 0);
      const stats = await vscode.commands.executeCommand<JobsInfo['stats']>('weightprint.computeStatistics', copy);
      assert.equal(stats?.state, 'done');
      assert.equal(stats?.source, 'computed');
      assert.equal(stats?.tensorsWithStats, 39);
    } finally {
      await config.update('statistics.autoComputeMaxBytes', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('reference library', function () {
  this.timeout(60_000);
  const lmA = () => path.join(corpusDir(), 'lm', 'lm_A.safetensors');
  const vitR = () => path.join(corpusDir(), 'vision', 'vit_R.safetensors');

  after(async () => {
    await vscode.workspace.getConfiguration('weightprint').update('libraryPaths', undefined, vscode.ConfigurationTarget.Global);
  });

  it('adds lm_A and vit_R with Add Checkpoint to Reference Library (arguments, no UI)', async () => {
    const a = await vscode.commands.executeCommand<{ id: string; file: string; tensors: number }>('weightprint.addToLibrary', { path: lmA(), id: 'lm_A' });
    assert.equal(a?.id, 'lm_A');
    assert.equal(a?.tensors, 39);
    assert.ok(fs.existsSync(a!.file));
    const v = await vscode.commands.executeCommand<{ id: string; file: string }>('weightprint.addToLibrary', { uri: vscode.Uri.file(vitR()), id: 'vit_R' });
    assert.equal(v?.id, 'vit_R');
    assert.equal(path.dirname(v!.file), path.dirname(a!.file), 'adds go to the default library folder');
  });

  it('lists the models, their components with parameter counts and their source in the Reference Library view', async () => {
    const rows = await waitFor('both models in the tree', async () => {
      const t = await tree();
      return t.some((r) => r.label === 'lm_A') && t.some((r) => r.label === 'vit_R') ? t : undefined;
    });
    const lm = rows.find((r) => r.label === 'lm_A')!;
    assert.equal(lm.description, '2.79M params · 39 tensors');
    assert.deepEqual(lm.children.map((c) => c.label), ['language', 'source']);
    assert.match(lm.children[0].description ?? '', /2\.79M params · 39 tensors/);
    assert.equal(lm.children[1].description, lmA());
    const vit = rows.find((r) => r.label === 'vit_R')!;
    assert.ok(vit.children.some((c) => c.label === 'vision'), JSON.stringify(vit));
    await vscode.commands.executeCommand('weightprint.referenceLibrary.focus');
    await tree(true);
    await sleep(500);
    await shot('reference-library-tree');
  });

  it('shows an unreadable fingerprint of a configured folder as a warning item, reloaded by the file watcher', async () => {
    const extra = scratchDir('extra-library');
    await vscode.workspace.getConfiguration('weightprint').update('libraryPaths', ['${workspaceFolder}/extra-library'], vscode.ConfigurationTarget.Global);
    await waitFor('the configured folder to be loaded', async () => ((await tree()).length >= 2 ? true : undefined));
    await sleep(300);
    fs.writeFileSync(path.join(extra, 'broken.wpf'), 'not a fingerprint');
    const rows = await waitFor('the watcher to pick up the broken file', async () => {
      const t = await tree();
      return t.find((r) => r.label === 'broken.wpf') ? t : undefined;
    }, 15_000);
    const problem = rows.find((r) => r.label === 'broken.wpf')!;
    assert.equal(problem.icon, 'warning');
    assert.ok(problem.description && problem.description.length > 5, problem.description);
    await sleep(500);
    await shot('reference-library-problem');
    fs.rmSync(path.join(extra, 'broken.wpf'));
    await waitFor('the problem to go away', async () => ((await tree()).some((r) => r.label === 'broken.wpf') ? undefined : true), 15_000);
  });

  it('removes a model (confirmation skipped by argument) and imports its fingerprint file back', async () => {
    const added = await vscode.commands.executeCommand<{ id: string; file: string }>('weightprint.addToLibrary', { path: path.join(corpusDir(), 'lm', 'lm_B.safetensors'), id: 'lm_B' });
    assert.ok(added);
    const kept = path.join(scratchDir('wpf'), 'lm_B.wpf');
    fs.copyFileSync(added.file, kept);
    assert.equal(await vscode.commands.executeCommand('weightprint.removeFromLibrary', { id: 'lm_B', skipConfirmation: true }), true);
    assert.ok(!fs.existsSync(added.file), 'the fingerprint file is deleted');
    assert.ok(!(await tree()).some((r) => r.label === 'lm_B'));
    const imported = await vscode.commands.executeCommand<string[]>('weightprint.importFingerprint', { files: [kept] });
    assert.deepEqual(imported, ['lm_B']);
    assert.ok((await tree()).some((r) => r.label === 'lm_B'));
    assert.equal(await vscode.commands.executeCommand('weightprint.removeFromLibrary', { id: 'lm_B', skipConfirmation: true }), true);
  });
});

describe('Audit Checkpoint and Compare', function () {
  this.timeout(90_000);
  const suspect = () => vscode.Uri.file(path.join(corpusDir(), 'vl', 'suspect_vl_copied_vision.safetensors'));

  before(closeAllEditors);
  after(closeAllEditors);

  it('audits the VL suspect against lm_A and vit_R: vision derived from vit_R, language no evidence', async () => {
    const result = await vscode.commands.executeCommand<{ components: { name: string; verdict: string; reference: string | null }[] }>(
      'weightprint.auditCheckpoint', { uri: suspect(), references: ['lm_A', 'vit_R'] });
    assert.ok(result, 'the audit completed');
    const byName = new Map(result.components.map((c) => [c.name, c]));
    assert.equal(byName.get('vision')?.verdict, 'derived');
    assert.equal(byName.get('vision')?.reference, 'vit_R');
    assert.equal(byName.get('language')?.verdict, 'no-evidence');
    // The same result went to the webview, which was asked to show the Provenance view.
    const panel = await waitFor('the webview to receive the audit', async () => {
      const p = await panelJobs(suspect());
      return p?.audit?.state === 'done' && p.views.includes('provenance') ? p : undefined;
    });
    const sent = new Map((panel.audit?.components ?? []).map((c) => [c.name, c]));
    assert.deepEqual(sent.get('vision'), { name: 'vision', verdict: 'derived', reference: 'vit_R' });
    assert.equal(sent.get('language')?.verdict, 'no-evidence');
    assert.ok((panel.audit?.libraryModels ?? 0) >= 2);
    // Statistics ran as part of the audit.
    const info = await documentInfo(suspect());
    assert.equal(info?.stats.state, 'done');
    assert.equal(info?.stats.tensorsWithStats, info?.stats.tensors);
    await sleep(500);
    await shot('provenance-view');
  });

  it('shows the answer first after the audit, and every view in light and dark (screenshots)', async function () {
    if (!domDriverAvailable()) this.skip();
    // Provenance opens with the verdict table: the derived vision encoder is its first row, before any card.
    const text = await waitForWebviewText('after-audit-provenance-verdicts', (t) => t.includes('Verdicts by component') && t.includes('vit_R'), 20_000, 'Provenance');
    const table = text.slice(text.indexOf('Verdicts by component'));
    const row = (name: string) => table.search(new RegExp(`\\b${name}\\b`));
    assert.ok(row('vision') >= 0 && row('vision') < row('projector') && row('projector') < row('language'), `reused components first: ${table.slice(0, 400)}`);
    assert.ok(/Checked against 2 references \(lm_A, vit_R\)/.test(table), table.slice(0, 400));
    // The heatmap's caption reads its numbered colour scale; nothing says "bright" or "dark", which flip with the theme.
    assert.ok(/colour scale/.test(text) && !/\bbright\b|\bdark map\b/i.test(text), text.slice(text.indexOf('Layer similarity'), text.indexOf('Layer similarity') + 600));
    const workbench = vscode.workspace.getConfiguration('workbench');
    const original = workbench.inspect<string>('colorTheme')?.globalValue;
    try {
      for (const [theme, kind] of [['Default Light Modern', vscode.ColorThemeKind.Light], ['Default Dark Modern', vscode.ColorThemeKind.Dark]] as const) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await waitFor(`theme ${theme}`, () => vscode.window.activeColorTheme.kind === kind || undefined);
        await sleep(400); // the webview restyles from the theme's CSS variables after the workbench
        for (const view of ['Overview', 'Tensors', 'Statistics', 'Provenance', 'Findings']) {
          await domSnapshot(`after-audit-${view.toLowerCase()}-${kind === vscode.ColorThemeKind.Light ? 'light' : 'dark'}`, view);
        }
      }
      // The Overview repeats the verdicts once there is an audit.
      await waitForWebviewText('after-audit-overview-verdicts', (t) => t.includes('Audit verdicts') && t.includes('vit_R'), 20_000, 'Overview');
    } finally {
      await workbench.update('colorTheme', original, vscode.ConfigurationTarget.Global);
    }
  });

  it('compares two checkpoints into a read-only Markdown document', async () => {
    const a = path.join(corpusDir(), 'lm', 'lm_A.safetensors');
    const b = path.join(corpusDir(), 'lm', 'A_ft_code.safetensors');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('weightprint.compareCheckpoints', vscode.Uri.file(a), vscode.Uri.file(b));
    assert.ok(uri, 'a report was produced');
    assert.equal(uri.scheme, 'weightprint-compare');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.ok(doc, 'the report is open');
    assert.equal(doc.languageId, 'markdown');
    const text = doc.getText();
    assert.match(text, /\| language \| \d+ \| [\d,]+ \| \*\*derived\*\*/);
    assert.match(text, /\| model\.layers\.0\.self_attn\.q_proj\.weight \| model\.layers\.0\.self_attn\.q_proj\.weight \| same \| 0\.\d{4} /);
    await shot('compare-report');
  });
});
