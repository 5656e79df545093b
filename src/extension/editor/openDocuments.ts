// The open checkpoint documents by URI (several panels may show one document), and the checkpoint of the active
// editor, for the commands that act on "the checkpoint in front of the reviewer".
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import type { CheckpointDocument } from './checkpointDocument';
import { CHECKPOINT_EXTENSIONS, VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from './viewTypes';

export class DocumentRegistry {
  private readonly docs = new Map<string, Set<CheckpointDocument>>();
  private readonly waiters = new Set<() => void>();

  add(doc: CheckpointDocument): void {
    const key = doc.uri.toString();
    let set = this.docs.get(key);
    if (!set) this.docs.set(key, (set = new Set()));
    set.add(doc);
    for (const w of [...this.waiters]) w();
  }

  remove(doc: CheckpointDocument): void {
    const key = doc.uri.toString();
    const set = this.docs.get(key);
    set?.delete(doc);
    if (set && set.size === 0) this.docs.delete(key);
  }

  get(uri: vscode.Uri): CheckpointDocument | undefined {
    const set = this.docs.get(uri.toString());
    if (!set) return undefined;
    let last: CheckpointDocument | undefined;
    for (const d of set) if (!d.isDisposed) last = d;
    return last;
  }

  all(): CheckpointDocument[] {
    return [...this.docs.values()].flatMap((s) => [...s]).filter((d) => !d.isDisposed);
  }

  /** The document of `uri` once an editor opened it (rejects after `timeoutMs`). */
  waitFor(uri: vscode.Uri, timeoutMs = 30_000): Promise<CheckpointDocument> {
    const now = this.get(uri);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        const d = this.get(uri);
        if (!d) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(d);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(t('the checkpoint editor did not open {0} within {1} s', uri.fsPath, timeoutMs / 1000)));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}

/** The URI shown by the active tab when it is a checkpoint editor. */
export function activeCheckpointUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && (input.viewType === VIEW_TYPE_FILE || input.viewType === VIEW_TYPE_INDEX)) return input.uri;
  return undefined;
}

/** A URI from a command argument: a Uri, a path string, or an object with `uri`/`path`. */
export function uriArg(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (typeof v === 'string' && v) return v.includes('://') ? vscode.Uri.parse(v) : vscode.Uri.file(v);
  if (v && typeof v === 'object') {
    const o = v as { uri?: unknown; path?: unknown; fsPath?: unknown; scheme?: unknown };
    if (o.uri !== undefined) return uriArg(o.uri);
    // A Uri revived from JSON ({scheme, path, …}).
    if (typeof o.scheme === 'string' && typeof o.path === 'string') return vscode.Uri.from(o as { scheme: string; path: string });
    if (typeof o.path === 'string') return vscode.Uri.file(o.path);
  }
  return undefined;
}

/** Asks for a checkpoint file or folder. */
export async function pickCheckpoint(title: string, openLabel = t('Select')): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title, openLabel, canSelectFiles: true, canSelectFolders: true, canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [t('Checkpoints')]: [...CHECKPOINT_EXTENSIONS, 'json'], [t('All files')]: ['*'] },
  });
  return picked?.[0];
}
