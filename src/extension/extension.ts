// Entry point of the extension host side. Activation registers providers, commands and the Reference Library view;
// checkpoints are read when an editor opens them, and the library is loaded when first needed.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { auditCheckpointCommand, AUDIT_COMMAND } from './jobs/auditCommand';
import { AuditEvents, type AuditEvent } from './jobs/auditEvents';
import { CheckpointEditorProvider, VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from './editor/checkpointEditor';
import { COMPARE_COMMAND, COMPARE_SCHEME, CompareReports, compareCommand } from './compare/compareCommand';
import { activeCheckpointUri, DocumentRegistry, uriArg } from './editor/openDocuments';
import { JobRegistry } from './jobs/jobRegistry';
import type { JobsEnvironment } from './jobs/documentJobs';
import { LIBRARY_VIEW, LibraryService, LibraryTreeProvider } from './library/referenceLibrary';
import { registerLibraryCommands, revealLibrary } from './library/libraryCommands';
import { HUB_COMMANDS, HubCommands } from './hub/hubCommands';
import { auditHubModelCommand, HUB_AUDIT_COMMAND } from './hub/hubAudit';
import { openCheckpointCommand } from './editor/openCheckpoint';
import { PanelRegistry } from './editor/panelRegistry';
import { CANCEL_JOBS_COMMAND, JobStatusBar, notificationProgress } from './jobs/progressUi';
import { autoComputeMaxBytes } from './settings';
import { EXPORT_COMMAND, exportReviewNotesCommand } from './review/exportCommand';
import { FINDINGS_VIEW, FindingsTreeProvider } from './review/findingsTree';
import { reviewEnvironment, ReviewCommands } from './review/reviewCommands';
import { useBundle, t } from '../core/l10n';

/** Computes (or recomputes) the statistics of the active checkpoint editor's document. */
export const STATS_COMMAND = 'weightprint.computeStatistics';

/** Test-only command: the state of every open checkpoint panel (see panelRegistry.ts). Not in the palette. */
export const TEST_PANELS_COMMAND = 'weightprint.test.panels';
/** Test-only: every open document's jobs, and its rows with the largest std (sorted by the host's table). */
export const TEST_DOCUMENTS_COMMAND = 'weightprint.test.documents';
/** Test-only: the Reference Library tree as text. */
export const TEST_LIBRARY_COMMAND = 'weightprint.test.libraryTree';

/** What the extension exports to other extensions and tests. */
export interface WeightprintApi {
  /** Fires after every completed audit of an open checkpoint (draft findings hook in here). */
  onDidCompleteAudit(listener: (event: AuditEvent) => void): vscode.Disposable;
  latestAudit(uri: vscode.Uri): AuditEvent | undefined;
}

export function activate(context: vscode.ExtensionContext): WeightprintApi {
  // Every layer (host, core, webview) translates through core/l10n's t() with the bundle vscode.l10n loaded for the
  // display language (l10n/bundle.l10n.<language>.json; none for English): one place that also fits Korean particles.
  useBundle(vscode.l10n.bundle ?? {}, vscode.env.language);
  const log = vscode.window.createOutputChannel('Weightprint', { log: true });
  const testMode = context.extensionMode === vscode.ExtensionMode.Test || process.env.WEIGHTPRINT_TEST === '1';
  // Test seams exist only in test mode: the panels' recorded state and the commands that read it.
  const registry = testMode ? new PanelRegistry() : undefined;
  const jobs = new JobRegistry();
  const documents = new DocumentRegistry();
  const audits = new AuditEvents((line) => log.warn(line));
  context.subscriptions.push(audits);
  const library = new LibraryService(context.globalStorageUri, log);
  const tree = new LibraryTreeProvider(library);
  const reports = new CompareReports();
  const statusBar = new JobStatusBar(jobs);
  const treeView = vscode.window.createTreeView(LIBRARY_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const statsCacheDir = join(context.globalStorageUri.fsPath, 'stats-cache');

  const jobsEnvironment = (uri: vscode.Uri): JobsEnvironment => ({
    statsCacheDir,
    autoComputeMaxBytes: () => autoComputeMaxBytes(uri),
    progress: notificationProgress,
    library,
    registry: jobs,
    log: (line) => log.info(line),
    onAudit: (event) => audits.fire(event),
  });
  const findingsTree = new FindingsTreeProvider();
  const findingsView = vscode.window.createTreeView(FINDINGS_VIEW, { treeDataProvider: findingsTree, showCollapseAll: true });
  const reviewCommands = new ReviewCommands(documents, findingsTree, log, audits);
  const hubCommands = new HubCommands(context.secrets, library, jobs, log);
  const services = {
    registry, log, documents, jobsEnvironment, manageLibrary: revealLibrary,
    // Started, not awaited: the webview's message is answered at once; the command shows its own progress.
    addHubModel: (repo: string) => { void vscode.commands.executeCommand(HUB_COMMANDS.add, { repo }); return Promise.resolve(); },
    reviewEnvironment: () => reviewEnvironment(findingsTree, log),
    saveReviewAs: (doc: Parameters<ReviewCommands['saveAs']>[0]) => reviewCommands.saveAs(doc),
  };

  context.subscriptions.push(
    log, library, tree, reports, statusBar,
    CheckpointEditorProvider.register(context, VIEW_TYPE_FILE, services),
    CheckpointEditorProvider.register(context, VIEW_TYPE_INDEX, services),
    treeView,
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, reports),
    library.onDidChange(() => { for (const d of documents.all()) d.jobs.libraryChanged(); }),
    vscode.commands.registerCommand('weightprint.openCheckpoint', (resource?: unknown) => openCheckpointCommand(resource)),
    vscode.commands.registerCommand(AUDIT_COMMAND, (arg?: unknown) => auditCheckpointCommand(library, documents, arg)),
    vscode.commands.registerCommand(COMPARE_COMMAND, (a?: unknown, b?: unknown) => compareCommand(reports, jobs, a, b)),
    vscode.commands.registerCommand(STATS_COMMAND, async (arg?: unknown) => {
      const uri = uriArg(arg) ?? activeCheckpointUri();
      const doc = uri && documents.get(uri);
      if (!doc) {
        void vscode.window.showErrorMessage(t('Weightprint: open a checkpoint in the checkpoint editor first.'));
        return undefined;
      }
      await doc.jobs.runStats();
      return doc.jobs.info().stats;
    }),
    vscode.commands.registerCommand(CANCEL_JOBS_COMMAND, (arg?: unknown) => statusBar.cancel(arg)),
    ...registerLibraryCommands(library, jobs),
    ...hubCommands.register(),
    vscode.commands.registerCommand(HUB_AUDIT_COMMAND, (arg?: unknown) => auditHubModelCommand({ secrets: context.secrets, library, jobs, reports, log }, arg)),
    findingsTree, findingsView, reviewCommands,
    ...reviewCommands.register(testMode),
    vscode.commands.registerCommand(EXPORT_COMMAND, (arg?: unknown) => exportReviewNotesCommand(documents, library, jobs, arg)),
  );
  if (registry) {
    context.subscriptions.push(
      vscode.commands.registerCommand(TEST_PANELS_COMMAND, () => registry.snapshot()),
      vscode.commands.registerCommand(TEST_DOCUMENTS_COMMAND, (arg?: unknown) => {
        const only = uriArg(arg)?.toString();
        return documents.all().filter((d) => !only || d.uri.toString() === only).map((d) => {
          const session = d.jobs.checkpointSession;
          const top = session?.query({ filter: '', regex: false, sortKey: 'std', descending: true, start: 0, count: 3 }).rows
            .map((r) => ({ name: r.name, std: r.stats?.std ?? null, flags: r.stats?.flags ?? [] }));
          return { ...d.jobs.info(), top, libraryFolders: library.folders(), jobsRunning: jobs.running().map((j) => j.label) };
        });
      }),
      vscode.commands.registerCommand(TEST_LIBRARY_COMMAND, (arg?: { expand?: boolean }) => tree.describe(arg?.expand ? treeView : undefined)),
    );
  }
  return {
    onDidCompleteAudit: (listener) => audits.onDidComplete(listener),
    latestAudit: (uri) => audits.latest(uri.toString()),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions and the documents' dispose.
}
