// Commands of the reference library: Add Checkpoint to Reference Library, Import Fingerprint…, Remove from Library,
// Refresh. Every command takes optional arguments so that scripts and tests need no UI input.
import * as fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { FINGERPRINT_EXTENSION, fingerprintPath, readFingerprint, type Fingerprint } from '../../core/fingerprint';
import { safeFileName } from '../../core/fingerprint/library';
import { activeCheckpointUri, pickCheckpoint, uriArg } from '../editor/openDocuments';
import type { JobRegistry } from '../jobs/jobRegistry';
import { LIBRARY_VIEW, type LibraryNode, type LibraryService } from './referenceLibrary';
import { notificationProgress } from '../jobs/progressUi';
import { toErrorInfo } from '../editor/checkpointSession';
import { formatInteger, t } from '../../core/l10n';
import { isAbortError } from '../../core/abort';

export const COMMANDS = {
  add: 'weightprint.addToLibrary',
  import: 'weightprint.importFingerprint',
  remove: 'weightprint.removeFromLibrary',
  refresh: 'weightprint.refreshLibrary',
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !(v instanceof vscode.Uri);

/** The default reference id of a checkpoint path: file name without extension, or the folder's name. */
export function defaultReferenceId(path: string): string {
  const name = basename(path);
  if (name.endsWith('.safetensors.index.json') || name.endsWith('.json')) return basename(dirname(path)) || 'model';
  const ext = /\.(safetensors|gguf|bin|pt|pth)$/.exec(name);
  if (ext) return name.slice(0, -ext[0].length) || 'model';
  return name || 'model';
}

export interface AddResult {
  id: string;
  file: string;
  tensors: number;
}

/**
 * `weightprint.addToLibrary [target] [selected]` — target: a Uri (explorer), a path, or `{ uri | path, id }`.
 * Without one, the active checkpoint editor's file, else a picker. Asks for the id unless given.
 */
export async function addToLibrary(service: LibraryService, registry: JobRegistry, arg?: unknown): Promise<AddResult | undefined> {
  const opts = isObj(arg) ? arg : {};
  const uri = uriArg(arg) ?? activeCheckpointUri() ?? await pickCheckpoint(t('Add Checkpoint to Reference Library'), t('Fingerprint'));
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(t('Weightprint: only local checkpoints can be fingerprinted ({0})', uri.toString()));
    return undefined;
  }
  const library = await service.current();
  let id = typeof opts.id === 'string' ? opts.id.trim() : undefined;
  if (!id) {
    const suggested = defaultReferenceId(uri.fsPath);
    id = (await vscode.window.showInputBox({
      title: t('Add Checkpoint to Reference Library'),
      prompt: t('Reference id for {0} (how audits will name this model)', uri.fsPath),
      value: suggested,
      valueSelection: [0, suggested.length],
      validateInput: (v) => (!v.trim() ? t('Enter an id') : library.get(v.trim()) ? t('The library already holds {0}', v.trim()) : undefined),
    }))?.trim();
    if (!id) return undefined;
  }
  if (library.get(id)) {
    void vscode.window.showErrorMessage(t('Weightprint: the reference library already holds a model with id {0}.', JSON.stringify(id)));
    return undefined;
  }
  const controller = new AbortController();
  const job = registry.add('library', t('fingerprint of {0}', id), () => controller.abort());
  try {
    const fp = await notificationProgress.run(t('Weightprint: fingerprinting {0}', id), controller, (report) => fingerprintPath(uri.fsPath, {
      id, signal: controller.signal,
      onProgress: (done, total) => {
        if (done === total || done % 16 === 0) {
          report(t('{0}/{1} tensors', done, total), total ? done / total : null);
          job.update(total ? done / total : null);
        }
      },
    }));
    const file = await service.add(fp);
    void vscode.window.showInformationMessage(t('Weightprint: added {0} ({1} tensors, {2} parameters) to the reference library.', id, fp.tensors.length, formatInteger(fp.model.parameters)));
    return { id, file, tensors: fp.tensors.length };
  } catch (e) {
    if (isAbortError(e) || controller.signal.aborted) {
      void vscode.window.showInformationMessage(t('Weightprint: fingerprinting {0} cancelled.', id));
    } else {
      void vscode.window.showErrorMessage(t('Weightprint: cannot add {0} to the reference library: {1}', uri.fsPath, toErrorInfo(e).message));
    }
    return undefined;
  } finally {
    job.end();
  }
}

/**
 * `weightprint.importFingerprint [uri] [uris]` — copies .wpf files into the default library folder after checking
 * them. Arguments: a Uri, a Uri list, or `{ files: string[] }`; without one, a file picker.
 */
export async function importFingerprints(service: LibraryService, arg?: unknown, selected?: unknown): Promise<string[]> {
  let uris: vscode.Uri[] = [];
  if (Array.isArray(selected) && selected.length) uris = selected.map(uriArg).filter((u): u is vscode.Uri => !!u);
  else if (Array.isArray(arg)) uris = arg.map(uriArg).filter((u): u is vscode.Uri => !!u);
  else if (isObj(arg) && Array.isArray(arg.files)) uris = arg.files.map(uriArg).filter((u): u is vscode.Uri => !!u);
  else if (uriArg(arg)) uris = [uriArg(arg)!];
  if (!uris.length) {
    uris = await vscode.window.showOpenDialog({
      title: t('Import Fingerprint'), openLabel: t('Import'), canSelectFiles: true, canSelectFolders: false, canSelectMany: true,
      filters: { [t('Weightprint fingerprints')]: [FINGERPRINT_EXTENSION.slice(1)] },
    }) ?? [];
    if (!uris.length) return [];
  }
  const library = await service.current();
  const imported: string[] = [];
  const failures: string[] = [];
  await fs.mkdir(service.defaultFolder, { recursive: true });
  for (const uri of uris) {
    try {
      let fp: Fingerprint;
      try {
        fp = await readFingerprint(uri.fsPath);
      } catch (e) {
        throw new Error(t('not a usable fingerprint: {0}', toErrorInfo(e).message));
      }
      const existing = library.get(fp.model.id);
      if (existing) {
        if (existing.path && await samePath(existing.path, uri.fsPath)) continue;
        throw new Error(t('the library already holds a model with id {0} ({1})', JSON.stringify(fp.model.id), existing.path));
      }
      const target = join(service.defaultFolder, safeFileName(fp.model.id) + FINGERPRINT_EXTENSION);
      await fs.copyFile(uri.fsPath, target, fsConstants.COPYFILE_EXCL);
      library.addLoaded(fp, target);
      imported.push(fp.model.id);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'EEXIST' ? t('a fingerprint file of that name is already in the library folder') : toErrorInfo(e).message;
      failures.push(`${basename(uri.fsPath)}: ${reason}`);
    }
  }
  await service.reload();
  if (imported.length) void vscode.window.showInformationMessage(t('Weightprint: imported {0} into the reference library.', imported.join(', ')));
  if (failures.length) void vscode.window.showErrorMessage(t('Weightprint: could not import {0}', failures.join('; ')));
  return imported;
}

async function samePath(a: string, b: string): Promise<boolean> {
  try {
    return (await fs.realpath(a)) === (await fs.realpath(b));
  } catch {
    return false;
  }
}

/**
 * `weightprint.removeFromLibrary [node]` — node: a tree item, an id, or `{ id, skipConfirmation }`. Without one,
 * asks which model. Deletes the fingerprint file after a confirmation.
 */
export async function removeFromLibrary(service: LibraryService, arg?: unknown): Promise<boolean> {
  let id: string | undefined;
  let confirm = true;
  if (typeof arg === 'string') id = arg;
  else if (isObj(arg)) {
    const node = arg as Partial<LibraryNode> & Obj;
    if (node.kind === 'model' && node.model) id = node.model.id;
    else if (typeof node.id === 'string') id = node.id;
    if (node.skipConfirmation === true) confirm = false;
  }
  await service.current();
  if (!id) {
    const pick = await vscode.window.showQuickPick(service.summaries().map((m) => ({ label: m.id, description: m.source })), {
      title: t('Remove from Library'), placeHolder: t('Reference model to remove'),
    });
    id = pick?.label;
    if (!id) return false;
  }
  const model = service.summaries().find((m) => m.id === id);
  if (!model) {
    void vscode.window.showErrorMessage(t('Weightprint: the reference library holds no model with id {0}.', JSON.stringify(id)));
    return false;
  }
  if (confirm) {
    const remove = t('Remove');
    const answer = await vscode.window.showWarningMessage(t('Remove {0} from the reference library?', model.id), {
      modal: true, detail: t('This deletes the fingerprint file {0}.', model.path),
    }, remove);
    if (answer !== remove) return false;
  }
  try {
    await service.remove(model.id);
    return true;
  } catch (e) {
    void vscode.window.showErrorMessage(t('Weightprint: cannot remove {0}: {1}', model.id, toErrorInfo(e).message));
    return false;
  }
}

export function registerLibraryCommands(service: LibraryService, registry: JobRegistry): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.add, (arg?: unknown) => addToLibrary(service, registry, arg)),
    vscode.commands.registerCommand(COMMANDS.import, (arg?: unknown, selected?: unknown) => importFingerprints(service, arg, selected)),
    vscode.commands.registerCommand(COMMANDS.remove, (arg?: unknown) => removeFromLibrary(service, arg)),
    vscode.commands.registerCommand(COMMANDS.refresh, async () => { await service.reload(); return service.count(); }),
  ];
}

/** Reveals the Reference Library view (the webview's "manage library" button). */
export function revealLibrary(): Thenable<unknown> {
  return vscode.commands.executeCommand(`${LIBRARY_VIEW}.focus`);
}
