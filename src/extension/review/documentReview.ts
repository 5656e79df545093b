// The review of one open checkpoint document on the host side: its ReviewStore (beside the checkpoint), the status
// the Findings pane shows, every change the webview or a command asks for, reload-and-merge when the file changes
// on disk, and the `findings` event every panel of the document is told. vscode-free (the file watcher and the
// UI are passed in), so it runs under node's test runner.
import { promises as fsp } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AuditResult } from '../../core/match/types';
import {
  LABELS, nodeStoreFs, ReviewStore, ReviewStoreError, type Finding, type FindingPatch, type StoreFs, type StoreStatus,
} from '../../core/review';
import { evidenceFor } from '../../core/review/findings';
import type { ReviewLabels } from '../../core/review/labels';
import { localisedRecord, t } from '../../core/l10n';
import type { ComponentName, ErrorInfo, FindingDraft, FindingsStatus, FindingState, FindingTarget } from '../../shared/protocol';
import { DocumentEvents, type DocumentEvent, type FindingsState, type ViewRequest } from '../documentEvents';
import { parseFindingDraft } from '../../shared/findingsView';
import type { LoadResult } from '../editor/checkpointSession';
import { settleLoad, toErrorInfo } from '../editor/checkpointSession';

export interface ReviewEnvironment {
  /** The reviewer's name for new and changed findings (setting `weightprint.review.reviewer`, else the OS user). */
  reviewer(): string;
  /** Watches one file; `changed` is called on create, change and delete. */
  watch?(path: string, changed: () => void): { dispose(): void };
  log?(line: string): void;
  /** Store file operations (tests inject failures); default node's, with read-only folders detected by mode bits. */
  fs?: StoreFs;
  /** Told after every change of a document's findings or status, and when it is disposed (the side bar tree). */
  changed?(review: DocumentReview, disposed: boolean): void;
  /** Clock and ids for deterministic tests. */
  now?: () => Date;
  newId?: () => string;
}

/** What the Review Findings tree and the commands read. */
export interface ReviewSnapshot {
  uri: string;
  title: string;
  findings: Finding[];
  status: FindingsStatus;
  canUndo: boolean;
  undoLabel: string | null;
}

const UNDO_LABELS: Record<string, string> = localisedRecord({
  add: 'Undo add finding', update: 'Undo edit', remove: 'Undo delete', suggest: 'Undo audit suggestions',
});

/**
 * A folder whose mode has no write bit is read-only for this tool even when the process could write it (a
 * superuser, a container running as root): the store fails its writes there with EACCES as anywhere else.
 */
export function readOnlyAwareFs(base: StoreFs = nodeStoreFs): StoreFs {
  const guard = async (path: string) => {
    const dir = dirname(path);
    let mode: number;
    try {
      mode = (await fsp.stat(dir)).mode;
    } catch {
      return;
    }
    if ((mode & 0o222) === 0) throw Object.assign(new Error(`EACCES: folder ${dir} is read-only`), { code: 'EACCES' }); // l10n-ignore: an errno message, read by code
  };
  return {
    ...base,
    create: async (path) => { await guard(path); return base.create(path); },
    rename: async (from, to) => { await guard(to); return base.rename(from, to); },
  };
}

export class DocumentReview {
  private store?: ReviewStore;
  private openError?: ErrorInfo;
  /** The last write failed because the folder is read-only. */
  private readOnly = false;
  private watcher?: { dispose(): void };
  private watchedPath = '';
  private readonly changeListeners = new Set<() => void>();
  /** The checkpoint's tensor rows (for grouping and revealing findings), indexed by name on first use. */
  private rows: readonly { id: number; name: string; component: ComponentName; layer: number | null }[] = [];
  private byName?: Map<string, { id: number; component: ComponentName; layer: number | null }>;
  private disposed = false;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves when the store is open (or could not be opened). */
  readonly ready: Promise<void>;

  constructor(
    readonly uri: string, readonly title: string, load: Promise<LoadResult>, private readonly env: ReviewEnvironment,
    /** Where changes and requests go (the document's panels). */
    readonly events = new DocumentEvents(env.log),
  ) {
    this.ready = this.start(load);
  }

  private async start(load: Promise<LoadResult>): Promise<void> {
    const result = await settleLoad(load);
    if (!result.ok) {
      this.openError = { message: t('No review: the checkpoint could not be opened ({0}).', result.error.message) };
      this.broadcast();
      return;
    }
    // Indexed later, on first use: the panel's first paint does not wait for 100,000 map entries.
    this.rows = result.session.inventory.rows;
    try {
      const store = await ReviewStore.openFor(result.session.checkpoint, {
        fs: this.env.fs ?? readOnlyAwareFs(), reviewer: this.env.reviewer(), now: this.env.now, newId: this.env.newId,
      });
      if (this.disposed) return;
      this.store = store;
      store.onDidChange((change) => {
        if (change.conflicts.length) {
          this.env.log?.(`review of ${this.title}: ${change.conflicts.length} conflict(s) merged (${change.conflicts.map((c) => `${c.kind} ${c.id}`).join(', ')})`);
        }
        this.broadcast();
      });
      this.watchStore();
    } catch (e) {
      this.openError = toErrorInfo(e);
      this.env.log?.(`review of ${this.title} cannot be opened: ${this.openError.message}`);
    }
    this.broadcast();
  }

  /** (Re)starts the file watcher on the store's current path. */
  private watchStore(): void {
    const path = this.store?.path;
    if (!path || path === this.watchedPath || !this.env.watch) return;
    this.watcher?.dispose();
    this.watchedPath = path;
    this.watcher = this.env.watch(path, () => this.scheduleReload());
  }

  private scheduleReload(): void {
    if (this.disposed) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 150);
  }

  /** Reads the file again and merges an external change; every panel is told when something changed. */
  async reload(): Promise<boolean> {
    await this.ready;
    const store = this.store;
    if (!store || this.disposed) return false;
    try {
      const r = await store.reload();
      if (r.changed) this.env.log?.(`review of ${this.title}: reloaded ${basename(store.path)} after an external change`);
      // A status change without a content change (e.g. the file became unreadable) is broadcast too.
      this.broadcast();
      return r.changed;
    } catch (e) {
      this.env.log?.(`review of ${this.title}: reload failed: ${toErrorInfo(e).message}`);
      return false;
    }
  }

  // ---- what the panels and the tree see -------------------------------------------------------------------------

  /** Asks every panel of the document to open the Add finding form; false when no panel shows the document. */
  openForm(target?: FindingTarget): boolean {
    return this.request({ kind: 'openFindingForm', ...(target ? { target } : {}) });
  }

  /** Asks every panel of the document to show a view (a finding revealed from the tree); false when none shows it. */
  showView(request: ViewRequest): boolean {
    return this.request({ kind: 'showView', request });
  }

  private request(e: DocumentEvent): boolean {
    return !this.disposed && this.events.emit(e);
  }

  /** Tensor name → id, component and layer in this checkpoint. */
  private tensors(): Map<string, { id: number; component: ComponentName; layer: number | null }> {
    if (!this.byName) {
      this.byName = new Map();
      for (const row of this.rows) this.byName.set(row.name, { id: row.id, component: row.component, layer: row.layer });
    }
    return this.byName;
  }

  get reviewStore(): ReviewStore | undefined {
    return this.store;
  }

  /** The component a tensor of this checkpoint belongs to. */
  componentOf(name: string): ComponentName | undefined {
    return this.tensors().get(name)?.component;
  }

  tensorId(name: string): number | undefined {
    return this.tensors().get(name)?.id;
  }

  /** The first tensor (by id) of a component, optionally within a layer range: what a click on such a finding shows. */
  firstTensorOf(component: ComponentName, from?: number, to?: number): number | undefined {
    let best: number | undefined;
    for (const t of this.tensors().values()) {
      if (t.component !== component) continue;
      if (from !== undefined && (t.layer === null || t.layer < from || t.layer > (to ?? from))) continue;
      if (best === undefined || t.id < best) best = t.id;
    }
    return best;
  }

  /** Tensor names under a module path (`model.layers.3` → its tensors), and the path itself when it is a tensor. */
  tensorsUnder(path: string): { name: string; component: ComponentName; layer: number | null }[] {
    const out: { name: string; component: ComponentName; layer: number | null }[] = [];
    for (const [name, t] of this.tensors()) {
      if (!path || name === path || name.startsWith(path + '.')) out.push({ name, component: t.component, layer: t.layer });
    }
    return out;
  }

  get findings(): Finding[] {
    return this.store?.findings ?? [];
  }

  status(): FindingsStatus {
    const store = this.store;
    if (!store) {
      return { kind: 'unavailable', message: this.openError?.message ?? t('Opening the review…'), path: '', writable: false, dirty: false, canSaveAs: false };
    }
    // The store's sentence is already in the display language (core messages go through t()).
    const s: StoreStatus = store.status;
    const writable = store.writable;
    // A write under way is not a failure: only changes a write could not save make the review read-only.
    if (writable && (this.readOnly || store.unsaved)) {
      return {
        kind: 'read-only', path: store.path, writable: true, dirty: store.dirty, canSaveAs: true,
        message: t('{0} cannot be written in {1} (the folder is read-only). Your changes are kept in memory only: save the review elsewhere to keep them.', basename(store.path), dirname(store.path)),
      };
    }
    return { kind: s.kind, message: s.message, path: store.path, writable, dirty: store.dirty, canSaveAs: true };
  }

  state(): FindingsState {
    const store = this.store;
    return {
      findings: this.findings, status: this.status(), canUndo: !!store?.canUndo && store.writable,
      undoLabel: store?.undoAction ? UNDO_LABELS[store.undoAction] ?? t('Undo') : null, reviewer: this.env.reviewer(),
    };
  }

  snapshot(): ReviewSnapshot {
    const m = this.state();
    return { uri: this.uri, title: this.title, findings: m.findings, status: m.status, canUndo: m.canUndo, undoLabel: m.undoLabel };
  }

  private broadcast(): void {
    if (this.disposed) return;
    this.events.emit({ kind: 'findings', state: this.state() });
    try { this.env.changed?.(this, false); } catch (e) { this.env.log?.(`a findings listener failed: ${toErrorInfo(e).message}`); }
    for (const l of [...this.changeListeners]) {
      try { l(); } catch (e) { this.env.log?.(`a findings listener failed: ${toErrorInfo(e).message}`); }
    }
  }

  /** Called after every change of the findings or the status (the side bar tree). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => { this.changeListeners.delete(listener); } };
  }

  // ---- changes ------------------------------------------------------------------------------------------------

  private async require(): Promise<ReviewStore> {
    await this.ready;
    if (!this.store) throw new ReviewStoreError('unreadable', this.openError?.message ?? t('the review is not available'), '');
    return this.store;
  }

  /**
   * Runs one change. A read-only folder keeps the change in memory (the status says so and offers Save Review As…);
   * other refusals (unreadable, newer schema, another checkpoint's review, unknown finding) are thrown.
   */
  private async run<T>(fn: (store: ReviewStore) => Promise<T>): Promise<T> {
    const store = await this.require();
    try {
      const value = await fn(store);
      this.readOnly = false;
      return value;
    } catch (e) {
      if (e instanceof ReviewStoreError && e.code === 'read-only') {
        this.readOnly = true;
        this.broadcast();
      }
      throw e;
    } finally {
      this.broadcast();
    }
  }

  /** Adds a finding; its evidence is frozen from the latest audit of this checkpoint when there is one. */
  add(draft: FindingDraft, audit?: AuditResult): Promise<Finding> {
    const d = parseFindingDraft(draft);
    return this.run(async (store) => {
      const evidence = audit && audit.checkpoint.headerHash === store.binding.headerHash ? evidenceFor(audit, d.target) : null;
      return store.add({ ...d, evidence, reviewer: this.env.reviewer(), state: 'confirmed' });
    });
  }

  /** Edits target, verdict, confidence and rationale (the evidence snapshot is kept). */
  update(id: string, draft: FindingDraft): Promise<Finding> {
    const d = parseFindingDraft(draft);
    return this.run((store) => store.update(id, { ...d, reviewer: this.env.reviewer() }));
  }

  setState(id: string, state: FindingState): Promise<Finding> {
    const patch: FindingPatch = { state, reviewer: this.env.reviewer() };
    return this.run((store) => store.update(id, patch));
  }

  remove(id: string): Promise<Finding> {
    return this.run((store) => store.remove(id));
  }

  undo(): Promise<boolean> {
    return this.run((store) => store.undo());
  }

  /** One `suggested` finding per audited component without a finding (see ReviewStore.addSuggestions). */
  addSuggestions(audit: AuditResult, labels?: ReviewLabels): Promise<Finding[]> {
    return this.run((store) => store.addSuggestions(audit, labels));
  }

  /** Writes the review to `path` and continues there (the watcher follows). */
  async saveAs(path: string): Promise<void> {
    await this.run((store) => store.saveAs(path));
    this.readOnly = false;
    this.watchStore();
    this.broadcast();
  }

  /** A label for errors shown to the reviewer. */
  static describe(e: unknown): string {
    if (e instanceof ReviewStoreError) return e.message;
    return toErrorInfo(e).message;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
    this.changeListeners.clear();
    try { this.env.changed?.(this, true); } catch { /* the tree's failure is its own */ }
  }
}

/** The reviewer's vocabulary for a finding verdict (shared with the exports). */
export const findingVerdictLabel = (v: Finding['verdict']): string => LABELS.findingVerdicts[v];
