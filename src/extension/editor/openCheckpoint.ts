// "Weightprint: Open Checkpoint": opens a folder's index or single .safetensors file, an index file or a
// .safetensors file in the checkpoint editor. From the explorer it gets the clicked resource; from the
// command palette it asks with a file/folder picker.
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import { VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from './checkpointEditor';

export type OpenTarget = { uri: vscode.Uri; viewType: string } | { error: string };

function base(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function isIndex(name: string): boolean {
  return name.endsWith('.safetensors.index.json');
}

/** Decides what to open for a file or folder; for a folder of several unindexed files, asks which one. */
export async function resolveOpenTarget(uri: vscode.Uri): Promise<OpenTarget | undefined> {
  let type: vscode.FileType;
  try {
    type = (await vscode.workspace.fs.stat(uri)).type;
  } catch (e) {
    return { error: `${uri.fsPath}: ${(e as Error).message}` };
  }
  if (!(type & vscode.FileType.Directory)) {
    const name = base(uri);
    if (name.endsWith('.json')) return { uri, viewType: VIEW_TYPE_INDEX };
    return { uri, viewType: VIEW_TYPE_FILE };
  }
  const names = (await vscode.workspace.fs.readDirectory(uri))
    .filter(([, t]) => !(t & vscode.FileType.Directory))
    .map(([n]) => n)
    .sort();
  const index = names.find((n) => n === 'model.safetensors.index.json') ?? names.find(isIndex);
  if (index) return { uri: vscode.Uri.joinPath(uri, index), viewType: VIEW_TYPE_INDEX };
  const files = names.filter((n) => n.endsWith('.safetensors'));
  if (files.length === 0) return { error: t('{0} holds no .safetensors file and no .safetensors.index.json', uri.fsPath) };
  if (files.length === 1) return { uri: vscode.Uri.joinPath(uri, files[0]), viewType: VIEW_TYPE_FILE };
  const pick = await vscode.window.showQuickPick(files, {
    title: t('Open Checkpoint'),
    placeHolder: t('{0} .safetensors files and no index: which one?', files.length),
  });
  return pick ? { uri: vscode.Uri.joinPath(uri, pick), viewType: VIEW_TYPE_FILE } : undefined;
}

export async function openCheckpointCommand(resource?: unknown): Promise<void> {
  let uri = resource instanceof vscode.Uri ? resource : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      title: t('Open Checkpoint'),
      openLabel: t('Open Checkpoint'),
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { [t('Checkpoints')]: ['safetensors', 'json'], [t('All files')]: ['*'] },
    });
    uri = picked?.[0];
    if (!uri) return;
  }
  const target = await resolveOpenTarget(uri);
  if (!target) return;
  if ('error' in target) {
    void vscode.window.showErrorMessage(t('Weightprint: {0}', target.error));
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', target.uri, target.viewType);
}
