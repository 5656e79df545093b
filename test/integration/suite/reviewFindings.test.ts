// Findings in a real VS Code: the audit command drafts one suggested finding per component into the review store
// beside the checkpoint; confirming, adding, an external edit of the review file (merged), undo, the Findings tab
// and the Review Findings tree; Export Review Notes as Markdown. The corpus folder is read-only, so the suspect is
// copied into the workspace first.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createFinding, serialiseReview } from '../../../src/core/review';
import type { Finding } from '../../../src/shared/protocol';
import type { ReviewSnapshot } from '../../../src/extension/review/documentReview';
import { activateExtension, closeAllEditors, corpusDir, domDriverAvailable, domSnapshot, scratchDir, sleep, waitFor, waitForWebviewText } from './helpers';


interface TreeCheckpoint {
  label: string;
  description?: string;
  status: string;
  groups: { label: string; findings: { label: string; description: string; contextValue: string }[] }[];
}

interface LibraryRow {
  label: string;
}

const NAME = 'suspect_vl_copied_vision.safetensors';

async function review(uri: vscode.Uri): Promise<ReviewSnapshot | undefined> {
  return (await vscode.commands.executeCommand<ReviewSnapshot[]>('weightprint.test.review', uri))?.[0];
}

const byComponent = (r: ReviewSnapshot | undefined, c: string) => r?.findings.find((f) => f.target.kind === 'component' && f.target.component === c);

describe('review findings: audit suggestions, confirm, merge, undo, tree and export', function () {
  before(activateExtension);
  this.timeout(120_000);
  let dir: string;
  let copy: vscode.Uri;
  let reviewFile: string;
  const added: string[] = [];

  before(async () => {
    await closeAllEditors();
    // The library of lm_A and vit_R (the same references as the Audit Checkpoint test; removed again afterwards).
    const rows = (await vscode.commands.executeCommand<LibraryRow[]>('weightprint.test.libraryTree', {})) ?? [];
    for (const [id, rel] of [['lm_A', 'lm/lm_A.safetensors'], ['vit_R', 'vision/vit_R.safetensors']]) {
      if (rows.some((r) => r.label === id)) continue;
      const a = await vscode.commands.executeCommand<{ id: string }>('weightprint.addToLibrary', { path: path.join(corpusDir(), rel), id });
      assert.equal(a?.id, id);
      added.push(id);
    }
    dir = scratchDir('review');
    copy = vscode.Uri.file(path.join(dir, NAME));
    fs.copyFileSync(path.join(corpusDir(), 'vl', NAME), copy.fsPath);
    fs.chmodSync(copy.fsPath, 0o644);
    reviewFile = `${copy.fsPath}.review.json`;
  });

  after(async () => {
    await closeAllEditors();
    for (const id of added) await vscode.commands.executeCommand('weightprint.removeFromLibrary', { id, skipConfirmation: true });
  });

  it('the audit command adds one suggested finding per component, with its evidence, to the store beside the checkpoint', async () => {
    const result = await vscode.commands.executeCommand<{ components: { name: string; verdict: string }[] }>(
      'weightprint.auditCheckpoint', { uri: copy, references: ['lm_A', 'vit_R'] });
    assert.ok(result, 'the audit completed');
    const r = await waitFor('the suggested findings', async () => {
      const s = await review(copy);
      // Added in memory first, then written: wait for the write as well.
      return s && s.findings.length >= result.components.length && s.status.kind !== 'new' ? s : undefined;
    }, 30_000);
    assert.equal(r.findings.length, result.components.length, 'one per component');
    assert.ok(r.findings.every((f) => f.state === 'suggested'));
    const vision = byComponent(r, 'vision')!;
    assert.equal(vision.verdict, 'derived');
    assert.equal(vision.evidence?.reference, 'vit_R');
    assert.equal(vision.evidence?.auditVerdict, 'derived');
    // No evidence of reuse is not independence: a suggestion never says "independent".
    assert.equal(byComponent(r, 'language')?.verdict, 'no-evidence');
    assert.ok(r.findings.every((f) => f.verdict !== 'independent'));
    assert.equal(r.status.kind, 'ok');
    assert.equal(r.status.path, reviewFile);
    const onDisk = JSON.parse(fs.readFileSync(reviewFile, 'utf8')) as { findings: Finding[]; format: string };
    assert.equal(onDisk.format, 'weightprint-review');
    assert.equal(onDisk.findings.length, r.findings.length);
  });

  it('confirms the suggested vision finding (command with arguments) and shows it in the Findings tab', async () => {
    const vision = byComponent(await review(copy), 'vision')!;
    const confirmed = await vscode.commands.executeCommand<Finding>('weightprint.confirmFinding', { uri: copy.toString(), id: vision.id });
    assert.equal(confirmed?.state, 'confirmed');
    const onDisk = JSON.parse(fs.readFileSync(reviewFile, 'utf8')) as { findings: Finding[] };
    assert.equal(onDisk.findings.find((f) => f.id === vision.id)?.state, 'confirmed');
    if (domDriverAvailable()) {
      const text = await waitForWebviewText('findings-pane', (t) => t.includes('Add finding') && t.includes('vision encoder') && t.includes('confirmed') && t.includes('suggested'), 20_000, 'Findings');
      assert.match(text, /derived/);
      assert.match(text, /no evidence of reuse against \d+ references? \(/);
      assert.match(text, /Suggested by the audit/);
    }
  });

  it('adds a finding on a layer range from arguments, with the audit evidence of those layers frozen in it', async () => {
    const f = await vscode.commands.executeCommand<Finding>('weightprint.addFinding', {
      uri: copy.toString(), target: { kind: 'layers', component: 'vision', from: 0, to: 1 }, verdict: 'derived', confidence: 'high',
      rationale: 'Layers 0–1 match <vit_R> one to one: =HYPERLINK("x")',
    });
    assert.ok(f, 'added');
    assert.equal(f.state, 'confirmed');
    assert.equal(f.evidence?.reference, 'vit_R');
    assert.ok((f.evidence?.tensors.length ?? 0) > 0, 'per-tensor rows of layers 0–1');
    assert.ok(f.evidence!.tensors.every((t) => t.layer === 0 || t.layer === 1));
  });

  it('merges an external edit of the review file (another window, a git pull) and keeps local findings', async () => {
    const before = (await review(copy))!;
    const doc = JSON.parse(fs.readFileSync(reviewFile, 'utf8')) as { checkpoint: { headerHash: string; name: string }; findings: Finding[] };
    const theirs = createFinding({ target: { kind: 'model' }, verdict: 'note', rationale: 'Committee asked for the tokenizer too (from git pull).', reviewer: 'bob' },
      { newId: () => 'external-0001', now: () => new Date() });
    fs.writeFileSync(reviewFile, serialiseReview(doc.checkpoint, [...doc.findings, theirs]));
    const merged = await waitFor('the watcher to merge the external finding', async () => {
      const s = await review(copy);
      return s?.findings.some((f) => f.id === 'external-0001') ? s : undefined;
    }, 20_000);
    assert.equal(merged.findings.length, before.findings.length + 1);
    assert.equal(merged.status.kind, 'ok');
    if (domDriverAvailable()) await waitForWebviewText('findings-pane-merged', (t) => t.includes('Committee asked for the tokenizer too'), 15_000);
    // A local change now writes both sides.
    const language = byComponent(merged, 'language')!;
    await vscode.commands.executeCommand('weightprint.rejectFinding', { uri: copy.toString(), id: language.id });
    const onDisk = JSON.parse(fs.readFileSync(reviewFile, 'utf8')) as { findings: Finding[] };
    assert.ok(onDisk.findings.some((f) => f.id === 'external-0001'), 'the external finding is kept');
    assert.equal(onDisk.findings.find((f) => f.id === language.id)?.state, 'rejected');
  });

  it('undoes the last change (the reject) with Undo Last Finding Change', async () => {
    const s = (await review(copy))!;
    assert.equal(s.canUndo, true);
    assert.equal(s.undoLabel, 'Undo edit');
    assert.equal(await vscode.commands.executeCommand('weightprint.undoFindingChange', { uri: copy.toString() }), true);
    const after = (await review(copy))!;
    assert.equal(byComponent(after, 'language')?.state, 'suggested');
    assert.equal(after.canUndo, false);
    const onDisk = JSON.parse(fs.readFileSync(reviewFile, 'utf8')) as { findings: Finding[] };
    assert.equal(onDisk.findings.find((f) => f.id === byComponent(after, 'language')!.id)?.state, 'suggested');
    assert.ok(fs.existsSync(`${reviewFile}.bak`), 'the previous version is kept as a backup');
  });

  it('confirms a finding from the webview (its Confirm button asks the host)', async function () {
    if (!domDriverAvailable()) this.skip();
    const before = (await review(copy))!.findings.filter((f) => f.state === 'confirmed').length;
    await domSnapshot('findings-pane-before-click', 'Findings');
    await sleep(300);
    await domSnapshot('findings-pane-click', 'Confirm');
    const after = await waitFor('the click to confirm one more finding', async () => {
      const s = await review(copy);
      return s && s.findings.filter((f) => f.state === 'confirmed').length === before + 1 ? s : undefined;
    }, 10_000);
    assert.ok(after.canUndo);
    await vscode.commands.executeCommand('weightprint.undoFindingChange', { uri: copy.toString() });
    await sleep(500);
    await domSnapshot('findings-pane');
  });

  it('lists the findings in the Review Findings tree, grouped by checkpoint and component', async () => {
    await vscode.commands.executeCommand('weightprint.reviewFindings.focus');
    const tree = await waitFor('the checkpoint in the tree', async () => {
      const t = await vscode.commands.executeCommand<TreeCheckpoint[]>('weightprint.test.findingsTree');
      return t?.find((c) => c.label === NAME && c.groups.some((g) => g.label === 'vision encoder')) ? t : undefined;
    });
    const cp = tree.find((c) => c.label === NAME)!;
    assert.equal(cp.status, 'ok');
    assert.deepEqual(cp.groups.map((g) => g.label), ['whole model', 'language model', 'vision encoder', 'projector']);
    const vision = cp.groups.find((g) => g.label === 'vision encoder')!;
    assert.ok(vision.findings.some((f) => f.label === 'derived: vision encoder' && f.description === 'confirmed · high' && f.contextValue === 'weightprint.finding.confirmed'), JSON.stringify(vision));
    assert.ok(vision.findings.some((f) => f.label === 'derived: vision encoder, layers 0–1'), JSON.stringify(vision));
    assert.ok(cp.groups.find((g) => g.label === 'language model')!.findings.some((f) => f.contextValue === 'weightprint.finding.suggested'));
    // A click reveals the finding's component in the editor.
    const snap = (await review(copy))!;
    assert.equal(await vscode.commands.executeCommand('weightprint.revealFinding', { uri: copy.toString(), id: byComponent(snap, 'vision')!.id }), true);
    await sleep(800);
    if (domDriverAvailable()) await domSnapshot('review-findings-tree');
  });

  it('opens the Add finding form from the editor\'s context menu on a module tree layer (a layer range of its component)', async function () {
    if (!domDriverAvailable()) this.skip();
    // What the webview/context menu item passes: the module tree row's data-vscode-context.
    await vscode.commands.executeCommand('weightprint.addFindingHere', { webview: 'weightprint.checkpoint', webviewSection: 'moduleNode', path: 'vision_model.encoder.layers.1' });
    const text = await waitForWebviewText('findings-form', (t) => t.includes('Layer range') && t.includes('Rationale') && t.includes('Add finding'), 15_000);
    assert.match(text, /vision encoder/);
  });

  it('exports Markdown review notes: the vision encoder derives from vit_R, the language model shows no evidence of reuse', async () => {
    const out = path.join(scratchDir('review-notes'), 'notes.md');
    const r = await vscode.commands.executeCommand<{ path: string; format: string; findings: number; hashed: boolean }>('weightprint.exportReviewNotes', { uri: copy.toString(), path: out });
    assert.ok(r, 'exported');
    assert.equal(r.format, 'md');
    assert.equal(r.path, out);
    assert.equal(r.hashed, true);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /^# Weightprint review notes/);
    assert.match(text, /\| vision encoder \| \*\*derived\*\* \| `vit_R` \|/);
    assert.match(text, /\| language model \| \*\*no evidence of reuse\*\* \|/);
    assert.match(text, /### \d+\. vision encoder: derived \(confirmed\)/);
    assert.match(text, /### \d+\. language model: no evidence of reuse against \d+ references? \(.+\) \(suggested\)/);
    assert.match(text, /Committee asked for the tokenizer too/);
    assert.match(text, /[0-9a-f]{64}/, 'file SHA-256');
    assert.ok(!fs.readdirSync(path.dirname(out)).some((f) => f.endsWith('.tmp')), 'no temp file left');
    // The same export again is byte-identical except for the generated date.
    const again = path.join(path.dirname(out), 'notes-again.md');
    await vscode.commands.executeCommand('weightprint.exportReviewNotes', { uri: copy.toString(), path: again, hashFiles: false });
    const strip = (s: string) => s.replace(/^- Generated: .*$/m, '').replace(/\| `[^`]*\.safetensors` \|[^\n]*/g, '');
    assert.equal(strip(fs.readFileSync(again, 'utf8')), strip(text));
  });
});
