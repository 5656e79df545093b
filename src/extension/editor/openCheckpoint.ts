// "Weightprint: Open Checkpoint": opens a folder's index or single .safetensors file, an index file or a
// .safetensors file in the checkpoint editor. From the explorer it gets the clicked resource; from the
// command palette it asks with a file/folder picker.
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import { VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from './checkpointEditor';
import { CHECKPOINT_EXTENSIONS } from './viewTypes';

export type OpenTarget = { uri: vscode.Uri; viewType: string } | { error: string };

function base(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function isIndex(name: string): boolean {
  return name.endsWith('.safetensors.index.json') || name.endsWith('.bin.index.json');
}

const isCheckpointFile = (name: string): boolean => CHECKPOINT_EXTENSIONS.some((e) => name.endsWith(`.${e}`));

/** `.bin` is a generic extension: its files open in the editor contributed with priority "option". */
function viewTypeOf(name: string): string {
  return name.endsWith('.json') || name.endsWith('.bin') ? VIEW_TYPE_INDEX : VIEW_TYPE_FILE;
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
    return { uri, viewType: viewTypeOf(base(uri)) };
  }
  const names = (await vscode.workspace.fs.readDirectory(uri))
    .filter(([, t]) => !(t & vscode.FileType.Directory))
    .map(([n]) => n)
    .sort();
  const index = names.find((n) => n === 'model.safetensors.index.json') ?? names.find((n) => n.endsWith('.safetensors.index.json')) ?? names.find(isIndex);
  if (index) return { uri: vscode.Uri.joinPath(uri, index), viewType: VIEW_TYPE_INDEX };
  const safetensors = names.filter((n) => n.endsWith('.safetensors'));
  const files = safetensors.length ? safetensors : names.filter(isCheckpointFile);
  if (files.length === 0) return { error: t('{0} holds no checkpoint file (.safetensors, .gguf, .bin, .pt, .pth) and no index', uri.fsPath) };
  if (files.length === 1) return { uri: vscode.Uri.joinPath(uri, files[0]), viewType: viewTypeOf(files[0]) };
  const pick = await vscode.window.showQuickPick(files, {
    title: t('Open Checkpoint'),
    placeHolder: t('{0} checkpoint files and no index: which one?', files.length),
  });
  return pick ? { uri: vscode.Uri.joinPath(uri, pick), viewType: viewTypeOf(pick) } : undefined;
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
      filters: { [t('Checkpoints')]: [...CHECKPOINT_EXTENSIONS, 'json'], [t('All files')]: ['*'] },
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
