// "Weightprint: Export Review Notes…": the open checkpoint's findings, its latest audit, statistics and the
// references used, as Markdown, self-contained HTML, JSON or CSV (format from the file's extension), with the
// checkpoint files' SHA-256 computed under a cancellable progress notification. The path is checked first (never
// the checkpoint's own files or its review store), and the file written atomically.
import { t } from '../../core/l10n';
import { isAbortError } from '../../core/abort';
import { checkOutputPath, writeOutputFile } from '../../core/outputPath';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Fingerprint } from '../../core/fingerprint';
import {
  buildReviewReport, exportReview, formatForPath, generatedDate, labelsFor, newSuggestions, notesOutputCheck, suggestFindings, type ExportFormat,
} from '../../core/review';
import type { TensorStats } from '../../core/stats';
import { activeCheckpointUri, uriArg, type DocumentRegistry } from '../editor/openDocuments';
import type { JobRegistry } from '../jobs/jobRegistry';
import type { LibraryService } from '../library/referenceLibrary';
import { notificationProgress } from '../jobs/progressUi';
import { reviewerName } from './reviewCommands';
import { toErrorInfo } from '../editor/checkpointSession';
import { notesLanguage } from '../settings';

export const EXPORT_COMMAND = 'weightprint.exportReviewNotes';

const filters = (): Record<string, string[]> => ({
  'Markdown': ['md'], [t('HTML (self-contained)')]: ['html'], 'JSON': ['json'], 'CSV': ['csv'],
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && !Array.isArray(v);

export interface ExportResult {
  path: string;
  format: ExportFormat;
  findings: number;
  hashed: boolean;
}

/**
 * `weightprint.exportReviewNotes [args]` — args: a Uri / path of an open checkpoint, or `{ uri, path, hashFiles }`
 * (`path` is the output file; without it a save dialog asks). Resolves with what was written, or undefined.
 */
export async function exportReviewNotesCommand(documents: DocumentRegistry, library: LibraryService, jobs: JobRegistry, arg?: unknown): Promise<ExportResult | undefined> {
  const opts = isObj(arg) ? arg : {};
  const uri = (isObj(arg) ? uriArg(opts.uri) : uriArg(arg)) ?? activeCheckpointUri();
  const doc = uri && documents.get(uri);
  if (!doc) {
    void vscode.window.showErrorMessage(t('Weightprint: open the checkpoint in the checkpoint editor first, then export its review notes.'));
    return undefined;
  }
  const load = await doc.load;
  if (!load.ok) {
    void vscode.window.showErrorMessage(t('Weightprint: the checkpoint could not be opened: {0}', load.error.message));
    return undefined;
  }
  const session = load.session;
  const checkpoint = session.checkpoint;
  await doc.review.ready;

  let out = typeof opts.path === 'string' && opts.path ? opts.path : undefined;
  const interactive = !out;
  if (!out) {
    const home = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dirname(checkpoint.path);
    const picked = await vscode.window.showSaveDialog({
      title: t('Export Review Notes'), saveLabel: t('Export'),
      defaultUri: vscode.Uri.file(join(home, `${basename(doc.uri.fsPath).replace(/\.((safetensors|bin)(\.index)?\.json|safetensors|gguf|bin|pt|pth)$/i, '')}.review.md`)),
      filters: filters(),
    });
    if (!picked) return undefined;
    out = picked.fsPath;
  }
  let format = formatForPath(out);
  if (!format) {
    out = `${out}.md`;
    format = 'md';
  }
  try {
    const check = notesOutputCheck({ checkpoint });
    const store = doc.review.status().path;
    await checkOutputPath(out, { ...check, reviewStores: [...check.reviewStores ?? [], ...(store ? [store] : [])] });
  } catch (e) {
    void vscode.window.showErrorMessage(t('Weightprint: cannot export the review notes to {0}: {1}', out, toErrorInfo(e).message));
    return undefined;
  }

  const audit = doc.jobs.auditOutcome ?? null;
  const labels = labelsFor(notesLanguage(doc.uri));
  const stored = doc.review.findings;
  // Components the audit judged but nobody wrote about yet (e.g. the store could not be written) get their suggestion.
  const findings = audit ? [...stored, ...newSuggestions(stored, suggestFindings(audit, { reviewer: reviewerName(), labels }))] : stored;
  const all = session.allStats();
  const stats = all.length > 0 && all.every((s) => !!s) ? (all as TensorStats[]) : null;
  // buildReviewReport keeps the entries the audit used; one removed since is left out (the audit still names it).
  const references: Fingerprint[] = audit ? await library.fingerprints().catch(() => []) : [];
  const hashFiles = opts.hashFiles !== false;
  const controller = new AbortController();
  const job = jobs.add('export', t('export of {0}', basename(out)), () => controller.abort());
  try {
    const text = await notificationProgress.run(t('Weightprint: exporting review notes to {0}', basename(out)), controller, async (report) => {
      report(hashFiles ? t('hashing the checkpoint files') : t('writing'), hashFiles ? 0 : null);
      let last = -1;
      const result = await buildReviewReport({
        checkpoint, audit, findings, stats, library: references, generated: generatedDate(), hashFiles, signal: controller.signal, options: { labels },
        architecture: session.matchArchitecture().architecture,
        onProgress: (done, total) => {
          const fraction = total > 0 ? done / total : 1;
          if (fraction - last >= 0.01 || fraction === 1) {
            last = fraction;
            report(t('SHA-256 of the checkpoint files: {0}%', Math.round(fraction * 100)), fraction);
            job.update(fraction);
          }
        },
      });
      return exportReview(result, format);
    });
    await writeOutputFile(out, text);
    const written = out;
    if (interactive || opts.notify === true) {
      const open = t('Open');
      void vscode.window.showInformationMessage(t('Weightprint: review notes written to {0}.', written), open).then((a) => {
        if (a === open) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(written));
      });
    }
    return { path: written, format, findings: findings.length, hashed: hashFiles };
  } catch (e) {
    if (controller.signal.aborted || isAbortError(e)) {
      void vscode.window.showInformationMessage(t('Weightprint: export of the review notes cancelled.'));
    } else {
      void vscode.window.showErrorMessage(t('Weightprint: cannot export the review notes to {0}: {1}', out, toErrorInfo(e).message));
    }
    return undefined;
  } finally {
    job.end();
  }
}
