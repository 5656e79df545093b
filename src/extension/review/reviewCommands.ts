// Commands of the review workflow: add a finding (the editor's form, or straight from arguments), confirm, reject,
// delete, undo the last change, save the review elsewhere, reveal a finding in the editor; the audit's draft
// findings; the review environment of each document (reviewer name, file watcher). Every command takes optional
// arguments so that scripts and tests need no UI input.
import { basename, dirname, join } from 'node:path';
import { t } from '../../core/l10n';
import * as vscode from 'vscode';
import { checkpointInputs } from '../../core/format/checkpoint';
import { checkOutputPath } from '../../core/outputPath';
import { defaultReviewer, labelsFor, REVIEW_SUFFIX } from '../../core/review';
import type { ComponentName, Finding, FindingDraft, FindingState, FindingTarget } from '../../shared/protocol';
import { COMPONENT_NAMES, parseFindingDraft, parseTarget, targetForModule, targetLabel, VERDICT_LABEL } from '../../shared/findingsView';
import type { AuditEvents } from '../jobs/auditEvents';
import { VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from '../editor/checkpointEditor';
import type { CheckpointDocument } from '../editor/checkpointDocument';
import { activeCheckpointUri, uriArg, type DocumentRegistry } from '../editor/openDocuments';
import { FINDINGS_VIEW, FindingsTreeProvider, REVEAL_FINDING_COMMAND } from './findingsTree';
import { DocumentReview, type ReviewEnvironment } from './documentReview';
import { notesLanguage } from '../settings';

export const REVIEW_COMMANDS = {
  add: 'weightprint.addFinding',
  addFromContext: 'weightprint.addFindingHere',
  confirm: 'weightprint.confirmFinding',
  reject: 'weightprint.rejectFinding',
  remove: 'weightprint.deleteFinding',
  undo: 'weightprint.undoFindingChange',
  saveAs: 'weightprint.saveReviewAs',
  reveal: REVEAL_FINDING_COMMAND,
  refresh: 'weightprint.refreshFindings',
} as const;

/** Test-only: the Review Findings tree as text, and every open document's review. */
export const TEST_FINDINGS_TREE_COMMAND = 'weightprint.test.findingsTree';
export const TEST_REVIEW_COMMAND = 'weightprint.test.review';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && !Array.isArray(v);

/** `weightprint.review.reviewer`, else the OS user. */
export function reviewerName(): string {
  const v = vscode.workspace.getConfiguration('weightprint').get<string>('review.reviewer');
  return typeof v === 'string' && v.trim() ? v.trim() : defaultReviewer();
}

/** The review environment of a document: the reviewer setting, a file watcher on the store, the tree's hook. */
export function reviewEnvironment(tree: FindingsTreeProvider, log: vscode.LogOutputChannel): ReviewEnvironment {
  return {
    reviewer: reviewerName,
    log: (line) => log.info(line),
    changed: (review, disposed) => tree.changed(review, disposed),
    watch: (path, changed) => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)));
      const subs = [w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed), w];
      return { dispose: () => { for (const s of subs) s.dispose(); } };
    },
  };
}

function describeError(e: unknown): string {
  return DocumentReview.describe(e);
}

export class ReviewCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly documents: DocumentRegistry, private readonly tree: FindingsTreeProvider, private readonly log: vscode.LogOutputChannel, private readonly audits: AuditEvents) {}

  /** The document a command acts on: its `uri` argument (or a tree node's), else the active checkpoint editor. */
  private documentFor(arg: unknown): CheckpointDocument | undefined {
    const uri = this.uriOf(arg) ?? activeCheckpointUri();
    return uri ? this.documents.get(uri) : undefined;
  }

  private uriOf(arg: unknown): vscode.Uri | undefined {
    if (isObj(arg) && 'review' in arg && arg.review instanceof DocumentReview) return vscode.Uri.parse(arg.review.uri);
    if (isObj(arg) && typeof arg.uri === 'string' && arg.uri.includes('://')) return vscode.Uri.parse(arg.uri);
    return uriArg(arg);
  }

  private requireDocument(arg: unknown): CheckpointDocument | undefined {
    const doc = this.documentFor(arg);
    if (!doc) void vscode.window.showErrorMessage(t('Weightprint: open a checkpoint in the checkpoint editor first.'));
    return doc;
  }

  /** A finding id from a tree node or `{ id }`. */
  private findingId(arg: unknown): string | undefined {
    if (isObj(arg) && isObj(arg.finding) && typeof arg.finding.id === 'string') return arg.finding.id;
    if (isObj(arg) && typeof arg.id === 'string') return arg.id;
    return undefined;
  }

  /** Runs a change; a refusal is shown (with Save Review As… when the folder is read-only). Resolves with the value or undefined. */
  private async change<T>(doc: CheckpointDocument, what: string, fn: (r: DocumentReview) => Promise<T>): Promise<T | undefined> {
    try {
      return await fn(doc.review);
    } catch (e) {
      const message = describeError(e);
      this.log.warn(`${what} failed: ${message}`);
      const saveAs = t('Save Review As…');
      const readOnly = (e as { code?: string }).code === 'read-only';
      void vscode.window.showWarningMessage(t('Weightprint: {0}: {1}', what, message), ...(readOnly || doc.review.status().canSaveAs ? [saveAs] : []))
        .then((answer) => (answer === saveAs ? this.saveAs(doc) : undefined));
      return undefined;
    }
  }

  async saveAs(doc: CheckpointDocument, path?: string): Promise<boolean> {
    let target = path;
    if (!target) {
      const current = doc.review.status().path || join(dirname(doc.uri.fsPath), basename(doc.uri.fsPath) + REVIEW_SUFFIX);
      const home = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const picked = await vscode.window.showSaveDialog({
        title: t('Save Review As'), saveLabel: t('Save Review'),
        defaultUri: vscode.Uri.file(home ? join(home, basename(current)) : current),
        filters: { [t('Weightprint review')]: ['json'] },
      });
      if (!picked) return false;
      target = picked.fsPath;
    }
    try {
      // A review store is what Save As writes (an existing one of this checkpoint is merged); the checkpoint's files never.
      const load = await doc.load;
      await checkOutputPath(target, { inputs: load.ok ? checkpointInputs(load.session.checkpoint) : [doc.uri.fsPath], allowReviewStore: true });
      await doc.review.saveAs(target);
      void vscode.window.showInformationMessage(t('Weightprint: the review of {0} is now saved in {1}.', basename(doc.uri.fsPath), target));
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(t('Weightprint: cannot save the review to {0}: {1}', target, describeError(e)));
      return false;
    }
  }

  /**
   * `weightprint.addFinding [args]`: with `{ uri?, target, verdict, confidence?, rationale? }` adds the finding
   * directly and resolves with it; otherwise opens the Add finding form of the active checkpoint editor (the
   * webview starts from what is selected there).
   */
  private async add(arg?: unknown): Promise<Finding | undefined> {
    const doc = this.requireDocument(arg);
    if (!doc) return undefined;
    if (isObj(arg) && arg.target !== undefined && arg.verdict !== undefined) {
      const draft: FindingDraft = parseFindingDraft({ confidence: 'medium', rationale: '', ...arg });
      return this.change(doc, t('adding the finding'), (r) => r.add(draft, doc.jobs.auditOutcome));
    }
    const target = isObj(arg) ? parseTarget(arg.target) : undefined;
    if (!doc.review.openForm(target)) {
      void vscode.window.showErrorMessage(t('Weightprint: the checkpoint editor is not ready yet.'));
    }
    return undefined;
  }

  /**
   * `weightprint.addFindingHere`: the editor's context menu (webview/context) on a tensor row, a module tree node,
   * a component card or a heatmap cell; the element's `data-vscode-context` says what it is.
   */
  private addFromContext(arg?: unknown): void {
    const doc = this.requireDocument(undefined);
    if (!doc || !isObj(arg)) return;
    const target = this.contextTarget(doc.review, arg);
    if (!target) {
      void vscode.window.showErrorMessage(t('Weightprint: nothing to write a finding about here.'));
      return;
    }
    doc.review.openForm(target);
  }

  private contextTarget(review: DocumentReview, c: Obj): FindingTarget | undefined {
    const component = COMPONENT_NAMES.includes(c.component as ComponentName) ? c.component as ComponentName : undefined;
    switch (c.webviewSection) {
      case 'tensorRow':
        return typeof c.tensor === 'string' ? { kind: 'tensors', tensors: [c.tensor] } : undefined;
      case 'moduleNode': {
        if (typeof c.path !== 'string') return undefined;
        const under = review.tensorsUnder(c.path);
        const sizes = new Map<ComponentName, number>();
        for (const t of review.tensorsUnder('')) sizes.set(t.component, (sizes.get(t.component) ?? 0) + 1);
        return targetForModule(c.path, under, (k) => sizes.get(k) ?? 0);
      }
      case 'componentCard':
        return component ? { kind: 'component', component } : undefined;
      case 'heatmapCell': {
        const layer = Number(c.layer);
        return component && Number.isSafeInteger(layer) && layer >= 0 ? { kind: 'layers', component, from: layer, to: layer } : undefined;
      }
      default:
        return parseTarget(c.target);
    }
  }

  private async setState(arg: unknown, state: FindingState): Promise<Finding | undefined> {
    const doc = this.requireDocument(arg);
    const id = this.findingId(arg);
    if (!doc || !id) return undefined;
    return this.change(doc, state === 'confirmed' ? t('confirming the finding') : t('rejecting the finding'), (r) => r.setState(id, state));
  }

  private async remove(arg: unknown): Promise<boolean> {
    const doc = this.requireDocument(arg);
    const id = this.findingId(arg);
    if (!doc || !id) return false;
    const f = doc.review.findings.find((x) => x.id === id);
    if (!f) return false;
    if (!(isObj(arg) && arg.skipConfirmation === true)) {
      const del = t('Delete');
      const answer = await vscode.window.showWarningMessage(
        t('Delete the finding "{0}: {1}"? You can undo it (Weightprint: Undo Last Finding Change).', VERDICT_LABEL[f.verdict], targetLabel(f.target)), { modal: true }, del);
      if (answer !== del) return false;
    }
    return !!(await this.change(doc, t('deleting the finding'), (r) => r.remove(id)));
  }

  private async undo(arg: unknown): Promise<boolean> {
    const doc = this.requireDocument(arg);
    if (!doc) return false;
    if (!doc.review.snapshot().canUndo) {
      if (!isObj(arg)) void vscode.window.showInformationMessage(t('Weightprint: there is no finding change to undo.'));
      return false;
    }
    return (await this.change(doc, t('undoing the last finding change'), (r) => r.undo())) ?? false;
  }

  /** Shows a finding in its checkpoint editor: its tensor, its component's card, or (whole model) the Findings tab. */
  private async reveal(arg: unknown): Promise<boolean> {
    const doc = this.documentFor(arg);
    const id = this.findingId(arg);
    if (!doc || !id) return false;
    const r = doc.review;
    const f = r.findings.find((x) => x.id === id);
    if (!f) return false;
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === doc.uri.toString());
    const viewType = tab?.input instanceof vscode.TabInputCustom ? tab.input.viewType : doc.uri.path.endsWith('.json') ? VIEW_TYPE_INDEX : VIEW_TYPE_FILE;
    await vscode.commands.executeCommand('vscode.openWith', doc.uri, viewType, { preview: false });
    const t = f.target;
    if (t.kind === 'tensors') {
      const tensorId = r.tensorId(t.tensors[0]);
      return r.showView({ view: 'tensors', ...(tensorId !== undefined ? { tensorId } : {}), findingId: f.id });
    }
    if (t.kind === 'layers') {
      const tensorId = r.firstTensorOf(t.component, t.from, t.to);
      return r.showView({ view: 'tensors', ...(tensorId !== undefined ? { tensorId } : {}), component: t.component, findingId: f.id });
    }
    if (t.kind === 'component') return r.showView({ view: 'provenance', component: t.component, findingId: f.id });
    return r.showView({ view: 'findings', findingId: f.id });
  }

  /** Draft findings: one `suggested` finding per component after every completed audit of an open checkpoint. */
  private suggest(uri: string, audit: Parameters<DocumentReview['addSuggestions']>[0]): void {
    const doc = this.documents.get(vscode.Uri.parse(uri));
    if (!doc) return;
    doc.review.addSuggestions(audit, labelsFor(notesLanguage(doc.uri))).then(
      (added) => this.log.info(`review of ${basename(doc.uri.fsPath)}: ${added.length} suggested finding(s) from the audit`),
      (e: unknown) => this.log.warn(`review of ${basename(doc.uri.fsPath)}: the audit's suggestions were not saved: ${describeError(e)}`),
    );
  }

  register(test: boolean): vscode.Disposable[] {
    const c = REVIEW_COMMANDS;
    const reg = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, fn);
    this.disposables.push(
      this.audits.onDidComplete((event) => this.suggest(event.uri, event.result)),
      reg(c.add, (arg) => this.add(arg)),
      reg(c.addFromContext, (arg) => this.addFromContext(arg)),
      reg(c.confirm, (arg) => this.setState(arg, 'confirmed')),
      reg(c.reject, (arg) => this.setState(arg, 'rejected')),
      reg(c.remove, (arg) => this.remove(arg)),
      reg(c.undo, (arg) => this.undo(arg)),
      reg(c.saveAs, async (arg) => {
        const doc = this.requireDocument(arg);
        return doc ? this.saveAs(doc, isObj(arg) && typeof arg.path === 'string' ? arg.path : undefined) : false;
      }),
      reg(c.reveal, (arg) => this.reveal(arg)),
      reg(c.refresh, async () => {
        await Promise.all(this.documents.all().map((d) => d.review.reload()));
      }),
    );
    if (test) {
      this.disposables.push(
        reg(TEST_FINDINGS_TREE_COMMAND, () => this.tree.describe()),
        reg(TEST_REVIEW_COMMAND, async (arg) => {
          const only = uriArg(arg)?.toString();
          const docs = this.documents.all().filter((d) => !only || d.uri.toString() === only);
          await Promise.all(docs.map((d) => d.review.ready));
          return docs.map((d) => d.review.snapshot());
        }),
      );
    }
    return this.disposables;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export { FINDINGS_VIEW };
