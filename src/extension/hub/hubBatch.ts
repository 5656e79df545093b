// "Add Hugging Face Model to Library…" with several models: the core's resumable add loop (two models in flight)
// under one cancellable progress notification, writing into the library's default folder. Models the library
// already holds (same repo, revision and path, in any of its folders) are skipped; an id held by another model is
// refused for that model; the reviewer gets one closing message (hubBatchText.ts).
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import {
  addModelsToLibrary, fingerprintRemote, formatHfUri, formatSummary, RemoteError, sameHubModel,
  type HubRef, type LibraryAddOutcome, type LibraryAddTarget, type LibraryLookup, type RemoteProgress,
} from '../../core/remote';
import type { ReferenceLibrary } from '../../core/fingerprint';
import type { JobRegistry } from '../jobs/jobRegistry';
import { notificationProgress } from '../jobs/progressUi';
import type { LibraryService } from '../library/referenceLibrary';
import { batchProgress, batchSummary } from './hubBatchText';

/** Models fingerprinted at once by the extension (each with its own parallel range requests). */
const MODELS_IN_FLIGHT = 2;

/** What scripts and tests get back from `weightprint.addHubModel {models: [...]}`. */
export interface HubBatchResult {
  added: { id: string; uri: string; file: string; tensors: number; bytesFetched: number; commit: string | null }[];
  skipped: { id: string; uri: string; file: string }[];
  failed: { uri: string; reason: string }[];
  notDone: number;
  cancelled: boolean;
}

export interface HubBatchContext {
  library: LibraryService;
  jobs: JobRegistry;
  log: vscode.LogOutputChannel;
  /** From SecretStorage, else undefined (then HF_TOKEN applies). */
  token: string | undefined;
  endpoint: string | undefined;
  proxy: string | undefined;
  /** Command offered when a model failed for want of access. */
  setTokenCommand: string;
}

/** The loaded library as the add loop sees it: a model of the same origin anywhere, and who holds an id. */
function lookupOf(library: ReferenceLibrary): LibraryLookup {
  return {
    sameModel: (ref) => library.entries.find((e) => sameHubModel(e.fingerprint.model.origin, ref))?.path,
    byId: (id) => {
      const e = library.get(id);
      return e && { path: e.path, source: e.fingerprint.model.source, origin: e.fingerprint.model.origin };
    },
  };
}

const ACCESS_CODES = new Set(['unauthorized', 'gated', 'forbidden', 'repo-not-found']);

function logOutcome(log: vscode.LogOutputChannel, o: LibraryAddOutcome): void {
  if (o.kind === 'added') log.info(`added ${o.target.id} from ${o.target.uri}: ${formatSummary(o.summary)}`);
  else if (o.kind === 'skipped') log.info(`skipped ${o.target.uri}: already in the library (${o.path})`);
  else log.warn(`failed ${o.target.uri}: ${o.reason}`);
}

export async function addHubModels(refs: HubRef[], ctx: HubBatchContext): Promise<HubBatchResult> {
  const library = await ctx.library.current();
  const controller = new AbortController();
  const label = refs.length === 1 ? formatHfUri(refs[0]) : t('{0} Hub models', refs.length);
  const job = ctx.jobs.add('library', t('remote fingerprints of {0}', label), () => controller.abort());
  const running = new Map<LibraryAddTarget, RemoteProgress | undefined>();
  let done = 0;
  ctx.log.info(`adding ${refs.map(formatHfUri).join(', ')} to the reference library`);
  let report;
  try {
    report = await notificationProgress.run(t('Weightprint: adding {0} to the reference library over HTTP Range', label), controller, (progress) => {
      const show = (): void => {
        const { message, fraction } = batchProgress(done, refs.length, running);
        progress(message, fraction);
        job.update(fraction);
      };
      return addModelsToLibrary(refs, {
        folder: ctx.library.defaultFolder, parallel: MODELS_IN_FLIGHT, signal: controller.signal, library: lookupOf(library),
        fingerprint: (ref, o) => fingerprintRemote(ref, { ...o, token: ctx.token, endpoint: ctx.endpoint, proxy: ctx.proxy, progressIntervalMs: 250 }),
        onStart: (target) => { running.set(target, undefined); show(); },
        onProgress: (target, p) => { running.set(target, p); show(); },
        onResult: (o) => {
          running.delete(o.target);
          done++;
          logOutcome(ctx.log, o);
          show();
        },
      });
    });
  } finally {
    job.end();
  }
  if (report.added) await ctx.library.reload();

  const { message, severity } = batchSummary(report);
  const offerToken = report.outcomes.some((o) => o.kind === 'failed' && o.error instanceof RemoteError && ACCESS_CODES.has(o.error.code));
  const setToken = t('Set Hugging Face Token');
  const actions = offerToken ? [setToken] : [];
  const shown = severity === 'info' ? vscode.window.showInformationMessage(message, ...actions)
    : severity === 'warning' ? vscode.window.showWarningMessage(message, ...actions) : vscode.window.showErrorMessage(message, ...actions);
  void Promise.resolve(shown).then((pick) => { if (pick === setToken) void vscode.commands.executeCommand(ctx.setTokenCommand); });

  const result: HubBatchResult = { added: [], skipped: [], failed: [], notDone: report.notDone, cancelled: report.cancelled };
  for (const o of report.outcomes) {
    const { id, uri, file } = o.target;
    if (o.kind === 'added') result.added.push({ id, uri, file, tensors: o.summary.tensors, bytesFetched: o.summary.bytesFetched, commit: o.summary.commit });
    else if (o.kind === 'skipped') result.skipped.push({ id, uri, file: o.path });
    else result.failed.push({ uri, reason: o.reason });
  }
  return result;
}
