// "Weightprint: Compare Two Checkpoints…": fingerprints A, matches B against it and shows the per-tensor relation
// table as a read-only Markdown document (`weightprint-compare:` scheme).
import { basename } from 'node:path';
import { t } from '../../core/l10n';
import { abortError, isAbortError } from '../../core/abort';
import * as vscode from 'vscode';
import { compareCheckpoints } from '../../core/match';
import { pickCheckpoint, uriArg } from '../editor/openDocuments';
import type { JobRegistry } from '../jobs/jobRegistry';
import { compareMarkdown } from './compareReport';
import { notificationProgress } from '../jobs/progressUi';
import { toErrorInfo } from '../editor/checkpointSession';

export const COMPARE_COMMAND = 'weightprint.compareCheckpoints';
export const COMPARE_SCHEME = 'weightprint-compare';

/** Holds the reports; documents are read-only because no file system backs the scheme. */
export class CompareReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private next = 1;

  put(title: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${title.replace(/[/\\?#]/g, '_')}.md`, query: `n=${this.next++}` });
    this.reports.set(uri.toString(), markdown);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? `# ${t('Weightprint comparison')}\n\n${t('This report is no longer available: run Compare Two Checkpoints again.')}\n`;
  }

  dispose(): void {
    this.emitter.dispose();
    this.reports.clear();
  }
}

type Obj = Record<string, unknown>;

/**
 * `weightprint.compareCheckpoints [a] [b]` — two Uris/paths, `{ a, b }`, or from the explorer (clicked, selected[])
 * with two selected. Missing ones are asked for. Resolves with the report document's URI.
 */
export async function compareCommand(reports: CompareReports, registry: JobRegistry, first?: unknown, second?: unknown): Promise<vscode.Uri | undefined> {
  let a: vscode.Uri | undefined;
  let b: vscode.Uri | undefined;
  if (Array.isArray(second) && second.length === 2) {
    [a, b] = second.map(uriArg);
  } else if (first && typeof first === 'object' && !(first instanceof vscode.Uri) && ('a' in (first as Obj) || 'b' in (first as Obj))) {
    a = uriArg((first as Obj).a);
    b = uriArg((first as Obj).b);
  } else {
    a = uriArg(first);
    b = uriArg(second);
  }
  a ??= await pickCheckpoint(t('Compare Two Checkpoints: the first (reference) checkpoint A'), t('Select A'));
  if (!a) return undefined;
  b ??= await pickCheckpoint(t('Compare Two Checkpoints: the checkpoint B to compare with {0}', basename(a.fsPath)), t('Select B'));
  if (!b) return undefined;
  if (a.scheme !== 'file' || b.scheme !== 'file') {
    void vscode.window.showErrorMessage(t('Weightprint: only local checkpoints can be compared.'));
    return undefined;
  }
  const title = `${basename(a.fsPath)} vs ${basename(b.fsPath)}`;
  const controller = new AbortController();
  const job = registry.add('compare', t('compare {0}', title), () => controller.abort());
  try {
    const result = await notificationProgress.run(t('Weightprint: comparing {0}', title), controller, async (report) => {
      report(t('fingerprinting A, matching B'), null);
      // The signal stops the fingerprint and the matching; the race ends the notification at once.
      const cancelled = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(abortError(t('compare cancelled'))), { once: true }));
      const work = compareCheckpoints(a.fsPath, b.fsPath, { signal: controller.signal, onProgress: (m) => report(m, null) });
      work.catch(() => undefined);
      return Promise.race([work, cancelled]);
    });
    const uri = reports.put(title, compareMarkdown(result, a.fsPath, b.fsPath));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: false });
    return uri;
  } catch (e) {
    if (isAbortError(e) || controller.signal.aborted) return undefined;
    void vscode.window.showErrorMessage(t('Weightprint: cannot compare {0}: {1}', title, toErrorInfo(e).message));
    return undefined;
  } finally {
    job.end();
  }
}
