// The review store (DESIGN §7): `<name>.review.json` beside the checkpoint, keyed by header hash, stable JSON,
// atomic writes with a `.bak` of the previous version, merge on external change, never overwriting what it
// cannot read. One instance per open checkpoint; all operations are serialised.
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Checkpoint } from '../format/checkpoint';
import { t } from '../l10n';
import type { AuditResult } from '../match/types';
import { stableStringify } from './canonical';
import { applyPatch, createFinding, findingProblems, newSuggestions, sortFindings, suggestFindings, type FindingContext } from './findings';
import { nodeStoreFs, type StoreFs, type StoreStat } from './fsLayer';
import { mergeFindings, type MergeConflict } from './merge';
import { checkpointDisplayName, reviewPathFor } from './paths';
import type { ReviewLabels } from './labels';
import type { Finding, FindingInput, FindingPatch, ReviewDocument } from './types';

export const REVIEW_SCHEMA_VERSION = 1;
export const REVIEW_FORMAT = 'weightprint-review';
/** `$id` of docs/review-store.schema.json. */
export const REVIEW_SCHEMA_ID = 'urn:weightprint:schema:review-store:1';
export const BACKUP_SUFFIX = '.bak';

/**
 * - `new`: no file yet (the first change creates it);
 * - `ok`: loaded and writable;
 * - `hash-mismatch`: the file belongs to another checkpoint (its findings are shown, writes are refused);
 * - `unreadable`: not JSON or not a review store (left untouched, writes refused);
 * - `newer-schema`: written by a newer Weightprint (left untouched, writes refused).
 */
export type StoreStatusKind = 'new' | 'ok' | 'hash-mismatch' | 'unreadable' | 'newer-schema';

export interface StoreStatus {
  kind: StoreStatusKind;
  /** A sentence the UI can show as is. */
  message: string;
  path: string;
  checkpointHash: string;
  /** hash-mismatch: the header hash recorded in the file. */
  storedHash?: string;
  /** hash-mismatch: the checkpoint name recorded in the file. */
  storedName?: string;
  /** newer-schema: the file's schemaVersion. */
  storedSchemaVersion?: number;
}

export type ReviewStoreErrorCode = 'read-only' | 'unreadable' | 'newer-schema' | 'hash-mismatch' | 'unknown-finding' | 'io';

export class ReviewStoreError extends Error {
  constructor(readonly code: ReviewStoreErrorCode, message: string, readonly path: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'ReviewStoreError';
  }
}

export interface CheckpointBinding {
  headerHash: string;
  /** Display name recorded in the file. */
  name: string;
}

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

type ParsedDisk =
  | { kind: 'missing' }
  | { kind: 'ok'; bytes: Buffer; stat: StoreStat; hash: string; doc: ReviewDocument }
  | { kind: 'bad'; bytes: Buffer; stat: StoreStat; hash: string; status: 'unreadable' | 'newer-schema'; message: string; schemaVersion?: number };

const READ_ONLY_CODES = new Set(['EACCES', 'EROFS', 'EPERM']);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Parses and checks a review document; throws a message on any problem. Exported for tools and tests. */
export function parseReviewDocument(text: string): ReviewDocument {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(t('not a JSON object'));
  if (doc.format !== REVIEW_FORMAT) throw new Error(t('"format" is not {0}', JSON.stringify(REVIEW_FORMAT)));
  if (!Number.isSafeInteger(doc.schemaVersion) || (doc.schemaVersion as number) < 1) throw new Error(t('"schemaVersion" must be a positive integer'));
  const cp = doc.checkpoint as Record<string, unknown> | undefined;
  if (!cp || typeof cp.headerHash !== 'string' || typeof cp.name !== 'string') throw new Error(t('"checkpoint" must hold "headerHash" and "name"'));
  if (!Array.isArray(doc.findings)) throw new Error(t('"findings" must be a list'));
  const ids = new Set<string>();
  (doc.findings as unknown[]).forEach((f, i) => {
    const p = findingProblems(f);
    if (p.length) throw new Error(t('finding {0}: {1}', i, p.join('; ')));
    const id = (f as Finding).id;
    if (ids.has(id)) throw new Error(t('finding {0}: duplicate id {1}', i, JSON.stringify(id)));
    ids.add(id);
  });
  return doc as unknown as ReviewDocument;
}

/** The exact bytes of a review file. */
export function serialiseReview(binding: CheckpointBinding, findings: Iterable<Finding>): string {
  const doc: ReviewDocument = {
    format: REVIEW_FORMAT,
    schemaVersion: REVIEW_SCHEMA_VERSION,
    checkpoint: { headerHash: binding.headerHash, name: binding.name },
    findings: sortFindings(findings),
  };
  return stableStringify(doc);
}

let tempCounter = 0;

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
  /** Findings changed in memory that are not on disk (a write failed, e.g. read-only folder). */
  dirty = false;
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
      this.currentStatus = { kind: 'new', message: '', path, checkpointHash: this.binding.headerHash };
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
    const st = await this.statOrNull();
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

  private async statOrNull(): Promise<StoreStat | null> {
    try {
      return await this.fs.stat(this.storePath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.ioError(e, 'read');
    }
  }

  private async readDisk(): Promise<ParsedDisk> {
    let bytes: Buffer;
    let stat: StoreStat;
    try {
      stat = await this.fs.stat(this.storePath);
      bytes = await this.fs.readFile(this.storePath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      throw this.ioError(e, 'read');
    }
    const hash = sha(bytes);
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      return { kind: 'bad', bytes, stat, hash, status: 'unreadable', message: t('not valid JSON ({0})', (e as Error).message) };
    }
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && version > REVIEW_SCHEMA_VERSION) {
      return { kind: 'bad', bytes, stat, hash, status: 'newer-schema', message: `schemaVersion ${version}`, schemaVersion: version };
    }
    try {
      return { kind: 'ok', bytes, stat, hash, doc: parseReviewDocument(bytes.toString('utf8')) };
    } catch (e) {
      return { kind: 'bad', bytes, stat, hash, status: 'unreadable', message: (e as Error).message };
    }
  }

  private statusFor(d: ParsedDisk): StoreStatus {
    const base = { path: this.storePath, checkpointHash: this.binding.headerHash };
    const file = basename(this.storePath);
    if (d.kind === 'missing') return { ...base, kind: 'new', message: t('No review yet; the first finding creates {0}.', file) };
    if (d.kind === 'bad') {
      return d.status === 'newer-schema'
        ? { ...base, kind: 'newer-schema', storedSchemaVersion: d.schemaVersion, message: t('{0} was written by a newer Weightprint (schema {1}; this version reads {2}). It is left untouched; update Weightprint or save elsewhere.', file, d.schemaVersion ?? '?', REVIEW_SCHEMA_VERSION) }
        : { ...base, kind: 'unreadable', message: t('{0} cannot be read as a review ({1}). It is left untouched; fix it or save elsewhere.', file, d.message) };
    }
    if (d.doc.checkpoint.headerHash !== this.binding.headerHash) {
      return {
        ...base, kind: 'hash-mismatch', storedHash: d.doc.checkpoint.headerHash, storedName: d.doc.checkpoint.name,
        message: t('{0} was written for another checkpoint ({1}, header hash {2}…; this checkpoint\'s is {3}…). Its findings are shown read-only; save elsewhere to review this checkpoint.',
          file, d.doc.checkpoint.name, d.doc.checkpoint.headerHash.slice(0, 12), this.binding.headerHash.slice(0, 12)),
      };
    }
    return { ...base, kind: 'ok', message: t('{0} finding(s) in {1}.', d.doc.findings.length, file) };
  }

  private async load(): Promise<void> {
    const d = await this.readDisk();
    this.currentStatus = this.statusFor(d);
    if (d.kind === 'ok') {
      this.findingsById = new Map(d.doc.findings.map((f) => [f.id, f]));
      this.base = d.doc.findings;
    }
    this.disk = d.kind === 'missing' ? { exists: false, stat: null, hash: null } : { exists: true, stat: d.stat, hash: d.hash };
  }

  /** Reads the file; if it changed since last seen, merges it into memory. Returns the parsed file for persist(). */
  private async sync(): Promise<SyncResult & { parsed: ParsedDisk }> {
    const d = await this.readDisk();
    const hash = d.kind === 'missing' ? null : d.hash;
    const changed = hash !== this.disk.hash || (d.kind === 'missing') === this.disk.exists;
    if (!changed) {
      if (d.kind !== 'missing') this.disk.stat = d.stat;
      return { changed: false, conflicts: [], parsed: d };
    }
    const status = this.statusFor(d);
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
  private async persist(): Promise<void> {
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
      if (d.kind === 'ok') await this.writeAtomic(this.storePath + BACKUP_SUFFIX, d.bytes);
      const committed = await this.writeAtomic(this.storePath, bytes, async () => {
        // Last look before the rename: a writer that came in since our read is merged in the next round.
        const st = await this.statOrNull();
        const expected = d.kind === 'missing' ? null : d.stat;
        return (st === null && expected === null) || (st !== null && expected !== null && st.mtimeMs === expected.mtimeMs && st.size === expected.size);
      });
      if (!committed) continue;
      const st = await this.statOrNull();
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
    this.currentStatus = { kind: 'ok', message: t('{0} finding(s) in {1}.', this.findingsById.size, file), path: this.storePath, checkpointHash: this.binding.headerHash };
  }

  /** temp file in the same folder → write → fsync → close → (check) → rename → fsync folder. Returns false when check() vetoes. */
  private async writeAtomic(target: string, bytes: Buffer, check?: () => Promise<boolean>): Promise<boolean> {
    const dir = dirname(target);
    const temp = join(dir, `.${basename(target)}.${process.pid}-${++tempCounter}.tmp`);
    let created = false;
    try {
      const h = await this.fs.create(temp);
      created = true;
      try {
        await h.write(bytes);
        await h.sync();
      } finally {
        await h.close();
      }
      if (check && !(await check())) {
        await this.fs.unlink(temp).catch(() => undefined);
        return false;
      }
      await this.fs.rename(temp, target);
      created = false;
      await this.fs.syncDir(dir);
      return true;
    } catch (e) {
      if (created) await this.fs.unlink(temp).catch(() => undefined);
      throw this.ioError(e, 'write');
    }
  }

  private ioError(e: unknown, op: 'read' | 'write'): ReviewStoreError {
    if (e instanceof ReviewStoreError) return e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (op === 'write' && READ_ONLY_CODES.has(code)) {
      return new ReviewStoreError('read-only', t('cannot write in {0} ({1}): the folder is read-only. Save the review elsewhere.', dirname(this.storePath), code), this.storePath, e);
    }
    const why = code || String((e as Error)?.message ?? e);
    return new ReviewStoreError('io', op === 'read' ? t('cannot read {0} ({1})', this.storePath, why) : t('cannot write {0} ({1})', this.storePath, why), this.storePath, e);
  }
}
