// "Weightprint: Audit Hugging Face Model…": audits an hf:// checkpoint against the reference library over HTTP Range
// (docs/remote.md, "Auditing a Hub model"), under a cancellable notification showing the bytes fetched, then opens the
// review notes (Markdown, in the notes language) as a read-only document and says what was fetched.
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import { isAbortError } from '../../core/abort';
import { auditRemote, formatBytes, formatSummary, parseHfUri, type RemoteAuditProgress, type RemoteAuditSummary } from '../../core/remote';
import { remoteNotesReport } from '../../core/remote/notes';
import { exportReview } from '../../core/review/export/index';
import { labelsFor } from '../../core/review/language';
import type { CompareReports } from '../compare/compareCommand';
import type { JobRegistry } from '../jobs/jobRegistry';
import { notificationProgress } from '../jobs/progressUi';
import type { LibraryService } from '../library/referenceLibrary';
import { COMMANDS } from '../library/libraryCommands';
import { notesLanguage } from '../settings';
import { toErrorInfo } from '../editor/checkpointSession';
import { endpointSetting, HUB_COMMANDS, HUB_TOKEN_SECRET, proxySetting, showHubError } from './hubCommands';

export const HUB_AUDIT_COMMAND = 'weightprint.auditHubModel';

export interface HubAuditResult {
  /** The read-only document holding the review notes. */
  notes: vscode.Uri;
  verdicts: { component: string; verdict: string; reference: string | null }[];
  summary: RemoteAuditSummary;
}

function validateUri(value: string): string | undefined {
  try {
    parseHfUri(value);
    return undefined;
  } catch (e) {
    return toErrorInfo(e).message;
  }
}

function progressText(p: RemoteAuditProgress): string {
  const fetched = p.modelBytes ? t('{0} fetched of {1}', formatBytes(p.bytesFetched), formatBytes(p.modelBytes)) : t('{0} fetched', formatBytes(p.bytesFetched));
  return p.message ? `${fetched} · ${p.message}` : fetched;
}

/**
 * `weightprint.auditHubModel [uri | {uri, endpoint}]` — asks for the hf:// URI when none is given. Resolves with the
 * notes' document, the verdicts and what was fetched; undefined when backed out of, cancelled or failed.
 */
export async function auditHubModelCommand(
  deps: { secrets: vscode.SecretStorage; library: LibraryService; jobs: JobRegistry; reports: CompareReports; log: vscode.LogOutputChannel },
  arg?: unknown,
): Promise<HubAuditResult | undefined> {
  const given = typeof arg === 'string' ? { uri: arg } : typeof arg === 'object' && arg !== null ? arg as { uri?: unknown; endpoint?: unknown } : {};
  const title = t('Audit Hugging Face Model');
  let uri = typeof given.uri === 'string' ? given.uri.trim() : undefined;
  uri ||= (await vscode.window.showInputBox({
    title, prompt: t('hf://owner/repo[@revision][/subfolder]. Only the headers and the bytes the audit needs are fetched.'),
    placeHolder: 'hf://Qwen/Qwen2.5-VL-7B-Instruct', value: 'hf://', ignoreFocusOut: true, validateInput: validateUri,
  }))?.trim();
  if (!uri) return undefined;
  const invalid = validateUri(uri);
  if (invalid) {
    void vscode.window.showErrorMessage(t('Weightprint: {0}', invalid));
    return undefined;
  }
  const ref = parseHfUri(uri);
  await deps.library.current();
  if (deps.library.count() === 0) {
    const add = t('Add Hugging Face Model to Library');
    const answer = await vscode.window.showErrorMessage(t('Weightprint: the reference library is empty. Add the known models you want to audit against first.'), add, t('Import Fingerprint…'));
    if (answer === add) await vscode.commands.executeCommand(HUB_COMMANDS.add);
    else if (answer) await vscode.commands.executeCommand(COMMANDS.import);
    return undefined;
  }
  const references = await deps.library.fingerprints();
  const token = (await deps.secrets.get(HUB_TOKEN_SECRET)) || undefined;
  const endpoint = (typeof given.endpoint === 'string' && given.endpoint.trim()) || endpointSetting();
  const controller = new AbortController();
  const job = deps.jobs.add('audit', t('remote audit of {0}', uri), () => controller.abort());
  deps.log.info(`remote audit of ${uri} started`); // l10n-ignore: log line
  try {
    const run = await notificationProgress.run(t('Weightprint: auditing {0} over HTTP Range', uri), controller, (report) =>
      auditRemote(ref, references, {
        token, endpoint, proxy: proxySetting(), signal: controller.signal, progressIntervalMs: 250,
        onProgress: (p) => report(progressText(p), null),
      }));
    const line = formatSummary(run.summary);
    deps.log.info(`remote audit of ${uri}: ${line}`);
    const report = await remoteNotesReport({ checkpoint: run.checkpoint, audit: run.result, library: references, options: { labels: labelsFor(notesLanguage()) } });
    const notes = deps.reports.put(run.summary.source.replace(/^hf:\/\//, ''), exportReview(report, 'md'));
    const doc = await vscode.workspace.openTextDocument(notes);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: false });
    void vscode.window.showInformationMessage(t('Weightprint: audited {0}: {1}.', run.summary.source, line));
    const verdicts = run.result.components.map((c) => ({ component: c.name, verdict: c.verdict, reference: c.reference }));
    return { notes, verdicts, summary: run.summary };
  } catch (e) {
    if (isAbortError(e) || controller.signal.aborted) {
      void vscode.window.showInformationMessage(t('Weightprint: the audit of {0} was cancelled.', uri));
      return undefined;
    }
    showHubError(e, ref, deps.log, true);
    return undefined;
  } finally {
    job.end();
  }
}
