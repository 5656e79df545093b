// A checkpoint replaced or deleted on disk while its editor is open: the editor shows what it read, so a stale
// view is a wrong view. Like VS Code's media preview, the document watches its files (the checkpoint and, for a
// sharded index, its shards); on a change the editors of that document close with a message naming the file, and
// the reviewer reopens it. Writes come in bursts (a copy, a rename), so the events are gathered for a moment first.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import type { CheckpointDocument } from './checkpointDocument';

const SETTLE_MS = 300;

/** What identifies a file's contents cheaply: a replaced or rewritten file differs in one of these. */
async function identity(file: string): Promise<string> {
  try {
    const s = await fsp.stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * The files a document was read from (the checkpoint itself and, once loaded, every shard of its index), each with
 * its identity when the document opened: the watcher's late events for the file's own creation change nothing.
 */
async function filesOf(document: CheckpointDocument): Promise<Map<string, string>> {
  const names = [document.uri.fsPath];
  const first = identity(document.uri.fsPath);
  const loaded = await document.load;
  if (loaded.ok) {
    const dir = path.dirname(loaded.session.summary.path);
    for (const f of loaded.session.summary.files) names.push(path.resolve(dir, f.name));
  }
  const files = new Map<string, string>([[document.uri.fsPath, await first]]);
  for (const name of names.slice(1)) if (!files.has(name)) files.set(name, await identity(name));
  return files;
}

/** Calls `onChange(file)` once when any file of `document` changes, appears anew or is deleted. */
export function watchCheckpoint(document: CheckpointDocument, onChange: (file: string) => void): vscode.Disposable {
  if (document.uri.scheme !== 'file') return new vscode.Disposable(() => undefined);
  const folder = vscode.Uri.file(path.dirname(document.uri.fsPath));
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'));
  const files = filesOf(document);
  let timer: NodeJS.Timeout | undefined;
  let fired = false;
  const seen = (uri: vscode.Uri): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void files.then(async (known) => {
        const was = known.get(uri.fsPath);
        if (fired || was === undefined || (await identity(uri.fsPath)) === was) return;
        fired = true;
        onChange(uri.fsPath);
      });
    }, SETTLE_MS);
  };
  const subscriptions = [watcher, watcher.onDidChange(seen), watcher.onDidCreate(seen), watcher.onDidDelete(seen)];
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    for (const s of subscriptions) s.dispose();
  });
}

/** Closes every editor tab showing `uri` in a checkpoint editor and says why. */
export async function closeChangedCheckpoint(uri: vscode.Uri, file: string, viewTypes: readonly string[]): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputCustom && viewTypes.includes(tab.input.viewType) && tab.input.uri.toString() === uri.toString());
  if (tabs.length === 0) return;
  await vscode.window.tabGroups.close(tabs, true);
  void vscode.window.showWarningMessage(t('{0} changed on disk; its checkpoint editor was closed so that nothing stale stays on screen. Reopen it to see the new contents.', file));
}
