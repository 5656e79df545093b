// The review store (docs/architecture.md, Review store; docs/review-store.md): `<name>.review.json` beside the checkpoint, keyed by header hash, stable JSON,
// atomic writes with a `.bak` of the previous version, merge on external change, never overwriting what it
// cannot read. One instance per open checkpoint; all operations are serialised. The document format is in
// document.ts, reading and atomic writing of the file in reviewFile.ts, status sentences and errors in storeStatus.ts.
import { basename } from 'node:path';
import type { Checkpoint } from '../format/checkpoint';
import { t } from '../l10n';
import type { AuditResult } from '../match/types';
import { serialiseReview, type CheckpointBinding } from './document';
import { applyPatch, createFinding, newSuggestions, suggestFindings, type FindingContext } from './findings';
import { sortFindings } from './order';
import { nodeStoreFs, type StoreFs, type StoreStat } from './fsLayer';
import { mergeFindings, type MergeConflict } from './merge';
import { checkpointDisplayName, reviewPathFor } from './paths';
import type { ReviewLabels } from './labels';
import { BACKUP_SUFFIX, readReviewFile, sha, statOrNull, writeAtomic, type ParsedDisk } from './reviewFile';
import { findingsIn, ReviewStoreError, statusFor, type StoreStatus } from './storeStatus';
import type { Finding, FindingInput, FindingPatch } from './types';

// Callers import these from './store'.
export {
  parseReviewDocument, REVIEW_FORMAT, REVIEW_SCHEMA_ID, REVIEW_SCHEMA_VERSION, serialiseReview, type CheckpointBinding,
} from './document';
export { BACKUP_SUFFIX } from './reviewFile';
export { ReviewStoreError, type ReviewStoreErrorCode, type StoreStatus, type StoreStatusKind } from './storeStatus';


export interface ReviewStoreOptions extends FindingContext {
  fs?: StoreFs;
}

export interface SyncResult {
  /** The file changed on disk since it was last read or written. */
  changed: boolean;
  conflicts: MergeConflict[];
}

export interface StoreChange {
  /** What happened: add, update, remove, suggest, undo, reload, save-as. */
  action: string;
  ids: string[];
  conflicts: MergeConflict[];
}

interface DiskState {
  exists: boolean;
  stat: StoreStat | null;
  hash: string | null;
}


export class ReviewStore {
  private findingsById = new Map<string, Finding>();
  private base: Finding[] = [];
  private disk: DiskState = { exists: false, stat: null, hash: null };
  private currentStatus: StoreStatus;
  private undoEntry: { action: string; before: { id: string; finding: Finding | null }[] } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private listeners = new Set<(change: StoreChange) => void>();
  private readonly fs: StoreFs;
  private storePath: string;
  /** Findings changed in memory that are not on disk (a write failed, e.g. read-only folder, or is under way). */
  dirty = false;
  private persisting = false;
  /** Conflicts of the last merge with an external change. */
  lastConflicts: MergeConflict[] = [];

  private constructor(path: string, readonly binding: CheckpointBinding, private readonly options: ReviewStoreOptions) {
    this.fs = options.fs ?? nodeStoreFs;
    this.storePath = path;
    this.currentStatus = { kind: 'new', message: '', path, checkpointHash: binding.headerHash };
  }

  /** Opens (or prepares to create) the store at `path` for the checkpoint identified by `binding`. Never throws for file content. */
  static async open(path: string, binding: CheckpointBinding, options: ReviewStoreOptions = {}): Promise<ReviewStore> {
    const store = new ReviewStore(path, binding, options);
    await store.load();
    return store;
  }

  /** Opens the store beside a checkpoint (see reviewPathFor). */
  static async openFor(checkpoint: Checkpoint, options: ReviewStoreOptions = {}): Promise<ReviewStore> {
    return ReviewStore.open(reviewPathFor(checkpoint), { headerHash: checkpoint.headerHash, name: checkpointDisplayName(checkpoint) }, options);
  }

  get path(): string { return this.storePath; }
  get status(): StoreStatus { return this.currentStatus; }
  /** True when changes can be written (status `new` or `ok`). */
  get writable(): boolean { return this.currentStatus.kind === 'new' || this.currentStatus.kind === 'ok'; }
  /** Findings in store order (created, id). */
  get findings(): Finding[] { return sortFindings(this.findingsById.values()); }
  get(id: string): Finding | undefined { return this.findingsById.get(id); }
  get canUndo(): boolean { return this.undoEntry !== null; }
  /** What undo() would revert, e.g. "update". */
  get undoAction(): string | null { return this.undoEntry?.action ?? null; }

  onDidChange(listener: (change: StoreChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  // ---- changes (each one is merged with the file on disk, then written atomically) ----

  add(input: FindingInput): Promise<Finding> {
    return this.change('add', () => {
      const f = createFinding(input, this.options);
      if (this.findingsById.has(f.id)) throw new TypeError(`a finding with id ${JSON.stringify(f.id)} exists`);
      this.findingsById.set(f.id, f);
      return { value: f, ids: [f.id] };
    });
  }

  update(id: string, patch: FindingPatch): Promise<Finding> {
    return this.change('update', () => {
      const f = applyPatch(this.require(id), patch, this.options);
      this.findingsById.set(id, f);
      return { value: f, ids: [id] };
    });
  }

  confirm(id: string, patch: FindingPatch = {}): Promise<Finding> {
    return this.update(id, { ...patch, state: 'confirmed' });
  }

  reject(id: string, patch: FindingPatch = {}): Promise<Finding> {
    return this.update(id, { ...patch, state: 'rejected' });
  }

  remove(id: string): Promise<Finding> {
    return this.change('remove', () => {
      const f = this.require(id);
      this.findingsById.delete(id);
      return { value: f, ids: [id] };
    });
  }

  /** Adds one `suggested` finding per component of the audit that has no finding yet (one undoable change). */
  addSuggestions(audit: AuditResult, labels?: ReviewLabels): Promise<Finding[]> {
    return this.change('suggest', () => {
      if (audit.checkpoint.headerHash !== this.binding.headerHash) {
        throw new ReviewStoreError('hash-mismatch', t('the audit is of another checkpoint than this review'), this.storePath);
      }
      const added = newSuggestions([...this.findingsById.values()], suggestFindings(audit, labels ? { ...this.options, labels } : this.options));
      for (const f of added) this.findingsById.set(f.id, f);
      return { value: added, ids: added.map((f) => f.id) };
    });
  }

  /** Reverts the last change made through this instance (add, update, remove, suggest or undo itself is not undoable). */
  undo(): Promise<boolean> {
    return this.serial(async () => {
      const entry = this.undoEntry;
      if (!entry) return false;
      this.assertWritable();
      for (const { id, finding } of entry.before) {
        if (finding) this.findingsById.set(id, finding);
        else this.findingsById.delete(id);
      }
      this.undoEntry = null;
      this.dirty = true;
      await this.persist();
      this.emit({ action: 'undo', ids: entry.before.map((b) => b.id), conflicts: this.lastConflicts });
      return true;
    });
  }

  /** Writes the in-memory state again (after a failed write). */
  save(): Promise<void> {
    return this.serial(async () => { this.assertWritable(); this.dirty = true; await this.persist(); });
  }

  /**
   * Saves the findings to another file ("save elsewhere" for read-only folders) and continues there. An existing
   * review at that path for the same checkpoint is merged; one for another checkpoint or unreadable is refused.
   */
  saveAs(path: string): Promise<void> {
    return this.serial(async () => {
      const previous = { path: this.storePath, base: this.base, disk: this.disk, status: this.currentStatus };
      this.storePath = path;
      this.base = [];
      this.disk = { exists: false, stat: null, hash: null };
      this.currentStatus = statusFor({ kind: 'missing' }, path, this.binding);
      try {
        this.dirty = true;
        await this.persist();
      } catch (e) {
        Object.assign(this, { storePath: previous.path, base: previous.base, disk: previous.disk, currentStatus: previous.status });
        throw e;
      }
      this.emit({ action: 'save-as', ids: [], conflicts: this.lastConflicts });
    });
  }

  /** Cheap check (stat) whether the file changed since it was last read or written. */
  async changedOnDisk(): Promise<boolean> {
    const st = await statOrNull(this.fs, this.storePath);
    if (!st) return this.disk.exists;
    return !this.disk.stat || st.mtimeMs !== this.disk.stat.mtimeMs || st.size !== this.disk.stat.size;
  }

  /**
   * Reads the file again and merges an external change (another editor, a `git pull`) into memory. Unsaved local
   * changes are kept; conflicts are reported. A file that became unreadable changes the status, never the file.
   */
  reload(): Promise<SyncResult> {
    return this.serial(async () => {
      const result = await this.sync();
      if (result.changed) this.emit({ action: 'reload', ids: [], conflicts: result.conflicts });
      return result;
    });
  }

  // ---- internals ----

  private require(id: string): Finding {
    const f = this.findingsById.get(id);
    if (!f) throw new ReviewStoreError('unknown-finding', t('no finding with id {0} in this review', JSON.stringify(id)), this.storePath);
    return f;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private change<T>(action: string, fn: () => { value: T; ids: string[] }): Promise<T> {
    return this.serial(async () => {
      this.assertWritable();
      // Merge an external change first so the undo entry is relative to what the user saw plus the change.
      await this.sync();
      this.assertWritable();
      const snapshot = new Map(this.findingsById);
      const { value, ids } = fn();
      this.undoEntry = { action, before: ids.map((id) => ({ id, finding: snapshot.get(id) ?? null })) };
      this.dirty = true;
      await this.persist();
      this.emit({ action, ids, conflicts: this.lastConflicts });
      return value;
    });
  }

  private emit(change: StoreChange): void {
    for (const l of this.listeners) {
      try { l(change); } catch { /* a listener's failure is not the store's */ }
    }
  }

  private assertWritable(): void {
    const s = this.currentStatus;
    if (s.kind === 'new' || s.kind === 'ok') return;
    throw new ReviewStoreError(s.kind, s.message, this.storePath);
  }

  private async load(): Promise<void> {
    const d = await readReviewFile(this.fs, this.storePath);
    this.currentStatus = statusFor(d, this.storePath, this.binding);
    if (d.kind === 'ok') {
      this.findingsById = new Map(d.doc.findings.map((f) => [f.id, f]));
      this.base = d.doc.findings;
    }
    this.disk = d.kind === 'missing' ? { exists: false, stat: null, hash: null } : { exists: true, stat: d.stat, hash: d.hash };
  }

  /** Reads the file; if it changed since last seen, merges it into memory. Returns the parsed file for persist(). */
  private async sync(): Promise<SyncResult & { parsed: ParsedDisk }> {
    const d = await readReviewFile(this.fs, this.storePath);
    const hash = d.kind === 'missing' ? null : d.hash;
    const changed = hash !== this.disk.hash || (d.kind === 'missing') === this.disk.exists;
    if (!changed) {
      if (d.kind !== 'missing') this.disk.stat = d.stat;
      return { changed: false, conflicts: [], parsed: d };
    }
    const status = statusFor(d, this.storePath, this.binding);
    if (status.kind === 'unreadable' || status.kind === 'newer-schema' || status.kind === 'hash-mismatch') {
      // Keep what we have in memory; refuse to write over the file.
      this.currentStatus = status;
      this.disk = { exists: true, stat: (d as { stat: StoreStat }).stat, hash };
      return { changed: true, conflicts: [], parsed: d };
    }
    const theirs = d.kind === 'ok' ? d.doc.findings : [];
    const merged = mergeFindings(this.base, [...this.findingsById.values()], theirs);
    this.findingsById = new Map(merged.findings.map((f) => [f.id, f]));
    this.base = theirs;
    this.disk = d.kind === 'missing' ? { exists: false, stat: null, hash: null } : { exists: true, stat: d.stat, hash: d.hash };
    this.currentStatus = status;
    this.lastConflicts = merged.conflicts;
    // Drop an undo entry that refers to findings changed by the other side.
    if (this.undoEntry && merged.conflicts.some((c) => this.undoEntry!.before.some((b) => b.id === c.id))) this.undoEntry = null;
    return { changed: true, conflicts: merged.conflicts, parsed: d };
  }

  /** Merge with disk, then write atomically: .bak of the previous bytes, temp + fsync + rename, folder fsync. */
  /** Changes a write failed to save (dirty, and no write under way): what the UI calls unsaved. */
  get unsaved(): boolean {
    return this.dirty && !this.persisting;
  }

  private async persist(): Promise<void> {
    this.persisting = true;
    try {
      await this.persistOnce();
    } finally {
      this.persisting = false;
    }
  }

  private async persistOnce(): Promise<void> {
    this.lastConflicts = [];
    const conflicts: MergeConflict[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const synced = await this.sync();
      conflicts.push(...synced.conflicts);
      this.assertWritable();
      const d = synced.parsed;
      const text = serialiseReview(this.binding, this.findingsById.values());
      const bytes = Buffer.from(text, 'utf8');
      if (d.kind === 'ok' && d.bytes.equals(bytes)) {
        this.afterWrite(d.stat, d.hash);
        this.lastConflicts = conflicts;
        return;
      }
      if (d.kind === 'missing' && this.findingsById.size === 0 && this.currentStatus.kind === 'new') {
        this.dirty = false;
        this.lastConflicts = conflicts;
        return;
      }
      if (d.kind === 'ok') await writeAtomic(this.fs, this.storePath, this.storePath + BACKUP_SUFFIX, d.bytes);
      const committed = await writeAtomic(this.fs, this.storePath, this.storePath, bytes, async () => {
        // Last look before the rename: a writer that came in since our read is merged in the next round.
        const st = await statOrNull(this.fs, this.storePath);
        const expected = d.kind === 'missing' ? null : d.stat;
        return (st === null && expected === null) || (st !== null && expected !== null && st.mtimeMs === expected.mtimeMs && st.size === expected.size);
      });
      if (!committed) continue;
      const st = await statOrNull(this.fs, this.storePath);
      this.afterWrite(st, sha(bytes));
      this.lastConflicts = conflicts;
      return;
    }
    throw new ReviewStoreError('io', t('{0} keeps changing on disk; the change is kept in memory, try again', basename(this.storePath)), this.storePath);
  }

  private afterWrite(stat: StoreStat | null, hash: string): void {
    this.base = [...this.findingsById.values()];
    this.disk = { exists: true, stat, hash };
    this.dirty = false;
    const file = basename(this.storePath);
    this.currentStatus = { kind: 'ok', message: findingsIn(this.findingsById.size, file), path: this.storePath, checkpointHash: this.binding.headerHash };
  }
}
