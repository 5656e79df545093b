// The reference library: one or more folders of .wpf fingerprint files. Loading never throws for one bad file: it is
// listed in `problems` with its reason, and the rest of the library loads.
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { t } from '../l10n';
import { FINGERPRINT_EXTENSION, FingerprintError, readFingerprint, writeFingerprint } from './io';
import type { Fingerprint, FingerprintOrigin } from './types';
import type { Component } from '../naming/classify';

export interface LibraryEntry {
  id: string;
  path: string;
  fingerprint: Fingerprint;
}

export interface LibraryProblem {
  path: string;
  reason: string;
}

export interface LibraryComponentSummary {
  name: Component;
  tensors: number;
  parameters: number;
}

/** What a tree view lists for one reference model. */
export interface LibraryModelSummary {
  id: string;
  path: string;
  source: string;
  createdAt: string;
  tensors: number;
  parameters: number;
  components: LibraryComponentSummary[];
  headerHash: string;
  /** Where a remote fingerprint came from (URL, revision, commit, fetch date); absent for local ones. */
  origin?: FingerprintOrigin;
}

export class ReferenceLibrary {
  readonly entries: LibraryEntry[] = [];
  readonly problems: LibraryProblem[] = [];

  constructor(readonly folders: string[] = []) {}

  /** Loads every .wpf in the folders (not recursive). Later duplicates of an id are reported and skipped. */
  static async load(folders: string[]): Promise<ReferenceLibrary> {
    const lib = new ReferenceLibrary(folders.map((f) => resolve(f)));
    for (const folder of lib.folders) {
      let names: string[];
      try {
        names = (await readdir(folder)).filter((n) => n.endsWith(FINGERPRINT_EXTENSION)).sort();
      } catch (e) {
        lib.problems.push({ path: folder, reason: t('cannot list the folder ({0})', (e as NodeJS.ErrnoException).code ?? String(e)) });
        continue;
      }
      for (const name of names) {
        const path = join(folder, name);
        try {
          lib.addLoaded(await readFingerprint(path), path);
        } catch (e) {
          lib.problems.push({ path, reason: e instanceof FingerprintError ? e.reason : String((e as Error).message ?? e) });
        }
      }
    }
    return lib;
  }

  /** Adds an in-memory fingerprint (no file). Throws when the id is taken. */
  addLoaded(fp: Fingerprint, path = ''): LibraryEntry {
    const loaded = this.get(fp.model.id);
    if (loaded) {
      const id = JSON.stringify(fp.model.id);
      const reason = loaded.path
        ? t('duplicate reference id {0} (already loaded from {1})', id, loaded.path)
        : t('duplicate reference id {0} (already loaded from memory)', id);
      if (path) { this.problems.push({ path, reason }); return loaded; }
      throw new Error(reason);
    }
    const entry = { id: fp.model.id, path, fingerprint: fp };
    this.entries.push(entry);
    return entry;
  }

  get(id: string): LibraryEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** Writes the fingerprint as `<folder>/<id>.wpf` and adds it. */
  async add(fp: Fingerprint, folder = this.folders[0]): Promise<LibraryEntry> {
    if (!folder) throw new Error(t('the library has no folder to write to'));
    if (this.get(fp.model.id)) throw new Error(t('the library already holds a reference with id {0}', JSON.stringify(fp.model.id)));
    await mkdir(folder, { recursive: true });
    const path = join(folder, safeFileName(fp.model.id) + FINGERPRINT_EXTENSION);
    try {
      await stat(path);
      throw new Error(t('{0} already exists', path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await writeFingerprint(path, fp);
    return this.addLoaded(fp, path);
  }

  /** Removes a reference from the library and deletes its file. */
  async remove(id: string): Promise<boolean> {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0) return false;
    const [entry] = this.entries.splice(i, 1);
    if (entry.path) await unlink(entry.path).catch((e) => { if (e.code !== 'ENOENT') throw e; });
    return true;
  }

  summaries(): LibraryModelSummary[] {
    return this.entries.map(({ id, path, fingerprint: fp }) => {
      const by = new Map<Component, LibraryComponentSummary>();
      for (const tensor of fp.tensors) {
        const c = by.get(tensor.component) ?? { name: tensor.component, tensors: 0, parameters: 0 };
        c.tensors++;
        c.parameters += tensor.shape.reduce((a, b) => a * b, 1);
        by.set(tensor.component, c);
      }
      return {
        id, path, source: fp.model.source, createdAt: fp.model.createdAt, tensors: fp.tensors.length,
        parameters: fp.model.parameters, components: [...by.values()], headerHash: fp.model.headerHash,
        ...(fp.model.origin ? { origin: fp.model.origin } : {}),
      };
    });
  }
}

export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'model';
}
