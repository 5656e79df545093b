// "Weightprint: Audit Checkpoint…": pick a checkpoint (or use the active checkpoint editor) and references, open the
// checkpoint in the editor, compute its statistics and match it against the references with a cancellable progress
// notification, then show the Provenance view.
import { basename } from 'node:path';
import { t } from '../../core/l10n';
import * as vscode from 'vscode';
import type { AuditResult } from '../../core/match';
import { activeCheckpointUri, pickCheckpoint, uriArg, type DocumentRegistry } from '../editor/openDocuments';
import type { LibraryService } from '../library/referenceLibrary';
import { COMMANDS } from '../library/libraryCommands';
import { resolveOpenTarget } from '../editor/openCheckpoint';
import { COMPONENT_SHORT_LABEL } from '../../shared/findingsView';
import type { ComponentName } from '../../shared/protocol';

export const AUDIT_COMMAND = 'weightprint.auditCheckpoint';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !(v instanceof vscode.Uri);

const allReferences = () => t('All references');

/** Which references to audit against: `undefined` means all of them; an empty list means the user backed out. */
async function chooseReferences(library: LibraryService, requested: unknown): Promise<string[] | undefined | null> {
  if (requested === 'all') return undefined;
  if (Array.isArray(requested) && requested.every((r) => typeof r === 'string')) return requested.length ? requested as string[] : undefined;
  const models = library.summaries();
  if (models.length === 1) return undefined;
  const items: (vscode.QuickPickItem & { id?: string })[] = [
    { label: allReferences(), description: t('{0} models', models.length), picked: true, alwaysShow: true },
    ...models.map((m) => ({ label: m.id, description: m.source, detail: m.components.map((c) => COMPONENT_SHORT_LABEL[c.name as ComponentName] ?? c.name).join(', '), id: m.id })),
  ];
  const picks = await vscode.window.showQuickPick(items, {
    title: t('Audit Checkpoint: references'), placeHolder: t('References to match against'), canPickMany: true,
  });
  if (!picks || picks.length === 0) return null;
  if (picks.some((p) => !p.id)) return undefined;
  return picks.map((p) => p.id!).filter(Boolean);
}

/**
 * `weightprint.auditCheckpoint [target]` — target: a Uri (explorer), a path, or `{ uri | path, references: string[] |
 * 'all' }`. Resolves with the audit result (undefined when cancelled, failed or backed out of).
 */
export async function auditCheckpointCommand(library: LibraryService, documents: DocumentRegistry, arg?: unknown): Promise<AuditResult | undefined> {
  const opts = isObj(arg) ? arg : {};
  const uri = uriArg(arg) ?? activeCheckpointUri() ?? await pickCheckpoint(t('Audit Checkpoint'), t('Audit'));
  if (!uri) return undefined;
  await library.current();
  if (library.count() === 0) {
    const add = t('Add Checkpoint to Reference Library');
    const answer = await vscode.window.showErrorMessage(t('Weightprint: the reference library is empty. Add the known models you want to audit against first.'), add, t('Import Fingerprint…'));
    if (answer === add) await vscode.commands.executeCommand(COMMANDS.add);
    else if (answer) await vscode.commands.executeCommand(COMMANDS.import);
    return undefined;
  }
  const references = await chooseReferences(library, opts.references);
  if (references === null) return undefined;

  let target = documents.get(uri) ? { uri } : undefined;
  if (!target) {
    const resolved = await resolveOpenTarget(uri);
    if (!resolved) return undefined;
    if ('error' in resolved) {
      void vscode.window.showErrorMessage(t('Weightprint: {0}', resolved.error));
      return undefined;
    }
    await vscode.commands.executeCommand('vscode.openWith', resolved.uri, resolved.viewType, { preview: false });
    target = { uri: resolved.uri };
  } else {
    // Bring the already open editor to the front.
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString());
    if (tab?.input instanceof vscode.TabInputCustom) await vscode.commands.executeCommand('vscode.openWith', tab.input.uri, tab.input.viewType, { preview: false });
  }
  let document;
  try {
    document = await documents.waitFor(target.uri);
  } catch (e) {
    void vscode.window.showErrorMessage(t('Weightprint: {0}', (e as Error).message));
    return undefined;
  }
  const name = basename(target.uri.fsPath);
  const result = await document.jobs.runAudit({ references, withStats: true, title: t('Weightprint: auditing {0}', name) });
  if (!result) {
    const info = document.jobs.info().audit;
    if (info.state === 'error') void vscode.window.showErrorMessage(t('Weightprint: the audit of {0} failed: {1}', name, info.error ?? ''));
    return undefined;
  }
  document.events.emit({ kind: 'showView', request: { view: 'provenance' } });
  return result;
}
