// Adding many Hub models to a library folder, a few at a time, resumably: `weightprint library add` and the
// extension's "Add Hugging Face Model to Library…" with several models. vscode-free; the fingerprint function is
// injected (fingerprintRemote with the caller's token, endpoint, proxy and hash limit), so tests can fake it.
//
// Each model becomes `<folder>/<safeFileName(id)>.wpf`, written atomically and never over an existing file. A model
// already there (the file of its id holds a fingerprint of the same repo, revision and path) is skipped, so a run cut
// short by Ctrl-C or a failure is finished by running it again. A file of that name holding anything else is an id
// clash: that model fails, the others go on.
import { lstat, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAbortError } from '../abort';
import { t } from '../l10n';
import { FingerprintError, FINGERPRINT_EXTENSION, readFingerprint } from '../fingerprint/io';
import { safeFileName } from '../fingerprint/library';
import type { Fingerprint, FingerprintOrigin } from '../fingerprint/types';
import { FingerprintExistsError, writeNewFingerprint } from '../fingerprint/writeNew';
import { defaultRemoteId, type RemoteFingerprintResult, type RemoteProgress, type RemoteSummary } from './fingerprint';
import { formatHfUri, type HubRef } from './hub';
import { uniqueRefs } from './modelList';

/** Models in flight at once unless told otherwise; each model's own range requests run in parallel as well. */
export const DEFAULT_MODELS_IN_FLIGHT = 2;
export const MAX_MODELS_IN_FLIGHT = 16;

export interface LibraryAddTarget {
  ref: HubRef;
  /** The model as an hf:// URI (what a reviewer would write). */
  uri: string;
  /** Its reference id: `owner/repo`, or `owner/repo/subfolder`. */
  id: string;
  /** `<folder>/<safeFileName(id)>.wpf`. */
  file: string;
}

export type LibraryAddOutcome =
  | { kind: 'added'; target: LibraryAddTarget; fingerprint: Fingerprint; summary: RemoteSummary }
  /** `path`: the fingerprint of the same model already in the library. */
  | { kind: 'skipped'; target: LibraryAddTarget; path: string }
  /** `reason`: one line (the error's message); `bytesFetched` before the failure. */
  | { kind: 'failed'; target: LibraryAddTarget; reason: string; error: unknown; bytesFetched: number };

export interface LibraryAddReport {
  /** Finished models in the order they were listed (a model listed twice counts once). */
  outcomes: LibraryAddOutcome[];
  added: number;
  skipped: number;
  failed: number;
  /** Models not finished because the run was cancelled. */
  notDone: number;
  cancelled: boolean;
  /** Bytes received for every model, the failed and cancelled ones included. */
  bytesFetched: number;
}

/** A reference a library holds, as far as the add loop needs to know it. */
export interface HeldReference {
  path: string;
  source: string;
  origin?: FingerprintOrigin;
}

/** What the caller's library holds beyond the folder's files (the extension's loaded library: every folder). */
export interface LibraryLookup {
  /** A reference of the same model (repo, revision and path), under any id; its path. */
  sameModel(ref: HubRef): string | undefined;
  /** The reference held under `id`, if any (read from the file `path`). */
  byId(id: string): HeldReference | undefined;
}

/** fingerprintRemote with the caller's settings; it must use the `id` given. */
export type RemoteFingerprinter = (ref: HubRef, options: { id: string; signal: AbortSignal; onProgress: (p: RemoteProgress) => void }) => Promise<RemoteFingerprintResult>;

export interface LibraryAddOptions {
  /** Where new fingerprints are written (created when missing). */
  folder: string;
  fingerprint: RemoteFingerprinter;
  /** Models in flight at once, 1–16 (default 2). */
  parallel?: number;
  /** Cancels: models in flight are abandoned (nothing written for them), no further model starts. */
  signal?: AbortSignal;
  library?: LibraryLookup;
  onStart?(target: LibraryAddTarget): void;
  onProgress?(target: LibraryAddTarget, progress: RemoteProgress): void;
  onResult?(outcome: LibraryAddOutcome): void;
}

/** Whether `origin` is a fingerprint of the Hub model `ref` (same repo, revision asked for, and path). */
export function sameHubModel(origin: FingerprintOrigin | undefined, ref: HubRef): boolean {
  return origin?.type === 'huggingface' && origin.repo === ref.repo && origin.revision === ref.revision && (origin.path ?? '') === ref.path;
}

export function libraryAddTarget(ref: HubRef, folder: string): LibraryAddTarget {
  const id = defaultRemoteId(ref);
  return { ref, uri: formatHfUri(ref), id, file: join(folder, safeFileName(id) + FINGERPRINT_EXTENSION) };
}

function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split(/\r?\n/)[0];
}

/** Fingerprints and writes each model of `refs` not yet in the library; never throws for one model's failure. */
export async function addModelsToLibrary(refs: readonly HubRef[], options: LibraryAddOptions): Promise<LibraryAddReport> {
  const parallel = options.parallel ?? DEFAULT_MODELS_IN_FLIGHT;
  // l10n-ignore: a caller's programming error (the CLI and the extension check first)
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > MAX_MODELS_IN_FLIGHT) throw new RangeError(`parallel must be an integer from 1 to ${MAX_MODELS_IN_FLIGHT}`);
  const folder = resolve(options.folder);
  try {
    await mkdir(folder, { recursive: true });
  } catch (e) {
    throw new FingerprintError(folder, t('cannot create the library folder ({0})', (e as NodeJS.ErrnoException).code ?? String(e)), 'io');
  }
  const signal = options.signal ?? new AbortController().signal;
  const targets = uniqueRefs(refs).map((ref) => libraryAddTarget(ref, folder));
  const results: (LibraryAddOutcome | undefined)[] = new Array(targets.length);
  const bytes = new Array<number>(targets.length).fill(0);
  // Models of one id (hf://o/r and hf://o/r@v2) run one after the other, so the second sees the first's file.
  const idTurns = new Map<string, Promise<void>>();
  let next = 0;

  const existing = async (target: LibraryAddTarget): Promise<LibraryAddOutcome | undefined> => {
    const same = options.library?.sameModel(target.ref);
    if (same) return { kind: 'skipped', target, path: same };
    const held = options.library?.byId(target.id);
    if (held && resolve(held.path) !== target.file) {
      return {
        kind: 'failed', target, error: undefined, bytesFetched: 0,
        reason: t('the library already holds a reference with id {0} from {1} ({2}); it is not replaced', JSON.stringify(target.id), held.source, held.path),
      };
    }
    const present = await lstat(target.file).then(() => true, (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)));
    if (!present) return undefined;
    let fp: Fingerprint;
    try {
      fp = await readFingerprint(target.file);
    } catch (e) {
      const why = e instanceof FingerprintError ? e.reason : reasonOf(e);
      return { kind: 'failed', target, error: e, bytesFetched: 0, reason: t('{0} exists and is not a fingerprint Weightprint can read ({1}); it is not replaced', target.file, why) };
    }
    if (sameHubModel(fp.model.origin, target.ref)) return { kind: 'skipped', target, path: target.file };
    return {
      kind: 'failed', target, error: undefined, bytesFetched: 0,
      reason: t('id clash: {0} holds {1} from {2}, another model; it is not replaced', target.file, JSON.stringify(fp.model.id), fp.model.source),
    };
  };

  const addOne = async (i: number): Promise<LibraryAddOutcome | undefined> => {
    const target = targets[i];
    let found: LibraryAddOutcome | undefined;
    try {
      found = await existing(target);
    } catch (e) {
      found = { kind: 'failed', target, error: e, bytesFetched: 0, reason: t('cannot look at {0} ({1})', target.file, (e as NodeJS.ErrnoException).code ?? reasonOf(e)) };
    }
    if (found || signal.aborted) return found;
    options.onStart?.(target);
    const failed = (e: unknown, reason = reasonOf(e)): LibraryAddOutcome => ({ kind: 'failed', target, error: e, reason, bytesFetched: bytes[i] });
    let result: RemoteFingerprintResult;
    try {
      result = await options.fingerprint(target.ref, {
        id: target.id, signal, onProgress: (p) => { bytes[i] = p.bytesFetched; options.onProgress?.(target, p); },
      });
    } catch (e) {
      if (signal.aborted && isAbortError(e)) return undefined;
      return failed(e);
    }
    bytes[i] = result.summary.bytesFetched;
    const fp = result.fingerprint;
    if (fp.model.id !== target.id) return failed(undefined, t('the fingerprint came back with id {0}, not {1}', JSON.stringify(fp.model.id), JSON.stringify(target.id)));
    if (signal.aborted) return undefined;
    try {
      await writeNewFingerprint(target.file, fp);
    } catch (e) {
      // Written meanwhile by someone else (another run on the same folder): the same model is a skip, else a clash.
      if (e instanceof FingerprintExistsError) return (await existing(target).catch(() => undefined)) ?? failed(e);
      return failed(e);
    }
    return { kind: 'added', target, fingerprint: fp, summary: result.summary };
  };

  const worker = async (): Promise<void> => {
    while (next < targets.length && !signal.aborted) {
      const i = next++;
      const id = targets[i].id;
      const before = idTurns.get(id) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((r) => { done = r; });
      idTurns.set(id, before.then(() => mine));
      await before;
      try {
        const outcome = await addOne(i);
        if (outcome) {
          results[i] = outcome;
          options.onResult?.(outcome);
        }
      } finally {
        done();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, targets.length) }, worker));

  const outcomes = results.filter((o): o is LibraryAddOutcome => o !== undefined);
  const count = (kind: LibraryAddOutcome['kind']): number => outcomes.filter((o) => o.kind === kind).length;
  return {
    outcomes, added: count('added'), skipped: count('skipped'), failed: count('failed'),
    notDone: targets.length - outcomes.length, cancelled: signal.aborted && outcomes.length < targets.length,
    bytesFetched: bytes.reduce((a, b) => a + b, 0),
  };
}
