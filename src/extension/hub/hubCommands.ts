// "Add Hugging Face Model to Library…" (remote fingerprint over HTTP Range, docs/remote.md) and the Hub token
// commands. The network is used only when the reviewer runs the add command. The token lives in SecretStorage (or
// HF_TOKEN): it is never written to settings, logs, the output channel, messages or fingerprints.
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import { isAbortError } from '../../core/abort';
import { fingerprintRemote, formatBytes, formatSummary, hubRef, RemoteError, type HubRef, type RemoteProgress } from '../../core/remote';
import type { JobRegistry } from '../jobs/jobRegistry';
import type { LibraryService } from '../library/referenceLibrary';
import { notificationProgress } from '../jobs/progressUi';
import { toErrorInfo } from '../editor/checkpointSession';
import { addHubModels, type HubBatchResult } from './hubBatch';
import { parseModelInput, validateModelInput } from './hubBatchText';

export const HUB_COMMANDS = {
  add: 'weightprint.addHubModel',
  setToken: 'weightprint.setHubToken',
  clearToken: 'weightprint.clearHubToken',
} as const;

/** SecretStorage key of the Hub access token. */
export const HUB_TOKEN_SECRET = 'weightprint.hub.token';

/** `owner/name` as the Hub spells repo ids (letters, digits, `-`, `_`, `.`; no `..`; at most 96 characters each). */
export function validateRepoId(value: string): string | undefined {
  const v = value.trim();
  if (!v) return t('Enter a repo id: owner/name, e.g. Qwen/Qwen2.5-0.5B');
  if (!/^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/.test(v) || v.includes('..')) {
    return t('A repo id is owner/name (letters, digits, "-", "_", "."), e.g. Qwen/Qwen2.5-0.5B');
  }
  return undefined;
}

/** `weightprint.hub.endpoint`: empty means HF_ENDPOINT, else https://huggingface.co (resolved by the core). */
export function endpointSetting(): string | undefined {
  const v = vscode.workspace.getConfiguration('weightprint').get<unknown>('hub.endpoint');
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** VS Code's `http.proxy` when set; otherwise undefined, so the core reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
export function proxySetting(): string | undefined {
  const v = vscode.workspace.getConfiguration('http').get<unknown>('proxy');
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export interface HubAddArgs {
  repo?: string;
  revision?: string;
  subfolder?: string;
  id?: string;
  endpoint?: string;
}

export interface HubAddResult {
  id: string;
  file: string;
  tensors: number;
  bytesFetched: number;
  modelBytes: number;
  commit: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function progressText(p: RemoteProgress): { message: string; fraction: number | null } {
  const fetched = t('{0} fetched', formatBytes(p.bytesFetched));
  switch (p.phase) {
    case 'index': return { message: t('reading headers… {0}', fetched), fraction: null };
    case 'planning': return { message: t('planning reads of {0} tensors (model {1})… {2}', p.tensorsTotal, formatBytes(p.modelBytes), fetched), fraction: null };
    case 'fetching':
    case 'done': {
      const planned = p.bytesPlanned ? t('{0} fetched of {1} planned', formatBytes(p.bytesFetched), formatBytes(p.bytesPlanned)) : fetched;
      return {
        message: t('{0} (model {1}) · {2}/{3} tensors', planned, formatBytes(p.modelBytes), p.tensorsDone, p.tensorsTotal),
        fraction: p.tensorsTotal ? p.tensorsDone / p.tensorsTotal : null,
      };
    }
  }
}

/** The message shown for a failed add (or audit); `setToken` is offered for access errors. */
export function hubErrorMessage(e: unknown, ref: HubRef, audit = false): { message: string; offerToken: boolean } {
  const where = `${ref.repo}@${ref.revision}${ref.path ? `/${ref.path}` : ''}`;
  if (e instanceof RemoteError) {
    switch (e.code) {
      case 'unauthorized':
      case 'gated':
      case 'forbidden':
        return {
          message: t('Weightprint: no access to {0}: {1}. If the model is gated, accept the licence on the model page and set the token (Weightprint: Set Hugging Face Token, or HF_TOKEN).', where, e.message),
          offerToken: true,
        };
      case 'repo-not-found':
        return { message: t('Weightprint: repo {0} not found ({1}). Check the repo id; a private repo also needs a token.', ref.repo, e.message), offerToken: true };
      case 'revision-not-found':
        return { message: t('Weightprint: revision {0} not found in {1} ({2}).', ref.revision, ref.repo, e.message), offerToken: false };
      case 'file-not-found':
      case 'no-checkpoint':
        return { message: t('Weightprint: no safetensors checkpoint at {0} ({1}). Check the subfolder.', where, e.message), offerToken: false };
      case 'range-ignored':
        if (audit) return { message: t('Weightprint: the server ignores HTTP Range requests, so {0} cannot be audited without downloading whole files; nothing was downloaded ({1}).', where, e.message), offerToken: false };
        return { message: t('Weightprint: the server ignores HTTP Range requests, so {0} cannot be fingerprinted without downloading whole files; nothing was downloaded ({1}).', where, e.message), offerToken: false };
      case 'proxy':
        return { message: t('Weightprint: proxy error while reading {0}: {1}. Check the http.proxy setting or HTTPS_PROXY.', where, e.message), offerToken: false };
      default:
        break;
    }
  }
  const reason = e instanceof RemoteError ? e.message : toErrorInfo(e).message;
  return { message: audit ? t('Weightprint: cannot audit {0}: {1}', where, reason) : t('Weightprint: cannot fingerprint {0}: {1}', where, reason), offerToken: false };
}

/** Logs and shows a failed add's (or audit's) message; access errors offer "Set Hugging Face Token". */
export function showHubError(e: unknown, ref: HubRef, log: vscode.LogOutputChannel, audit = false): void {
  const { message, offerToken } = hubErrorMessage(e, ref, audit);
  log.warn(message);
  if (offerToken) {
    const setToken = t('Set Hugging Face Token');
    void Promise.resolve(vscode.window.showErrorMessage(message, setToken)).then((pick) => {
      if (pick === setToken) void vscode.commands.executeCommand(HUB_COMMANDS.setToken);
    });
  } else {
    void vscode.window.showErrorMessage(message);
  }
}

export class HubCommands {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly library: LibraryService,
    private readonly jobs: JobRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(HUB_COMMANDS.add, (arg?: unknown) => this.add(arg)),
      vscode.commands.registerCommand(HUB_COMMANDS.setToken, (arg?: unknown) => this.setToken(arg)),
      vscode.commands.registerCommand(HUB_COMMANDS.clearToken, () => this.clearToken()),
    ];
  }

  /** `weightprint.setHubToken [{token}]` — stores the token in SecretStorage (never in settings). */
  async setToken(arg?: unknown): Promise<boolean> {
    let token = isObj(arg) ? str(arg.token) : undefined;
    if (token === undefined) {
      token = await vscode.window.showInputBox({
        title: t('Set Hugging Face Token'),
        prompt: t('Access token for gated or private repos (https://huggingface.co/settings/tokens; read access is enough). Stored in VS Code\'s secret storage.'),
        password: true, ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() ? t('Enter a token') : /\s/.test(v.trim()) ? t('A token has no spaces') : undefined),
      });
    }
    if (!token?.trim()) return false;
    await this.secrets.store(HUB_TOKEN_SECRET, token.trim());
    this.log.info('Hugging Face token stored in secret storage'); // l10n-ignore: log line
    if (!isObj(arg)) void vscode.window.showInformationMessage(t('Weightprint: Hugging Face token stored in VS Code\'s secret storage.'));
    return true;
  }

  /** `weightprint.clearHubToken` — deletes the stored token (HF_TOKEN, if set, still applies). */
  async clearToken(): Promise<void> {
    await this.secrets.delete(HUB_TOKEN_SECRET);
    this.log.info('Hugging Face token removed from secret storage'); // l10n-ignore: log line
    void vscode.window.showInformationMessage(process.env.HF_TOKEN
      ? t('Weightprint: Hugging Face token removed from secret storage (HF_TOKEN is still set in the environment).')
      : t('Weightprint: Hugging Face token removed from secret storage.'));
  }

  /**
   * `weightprint.addHubModel [args]` — without args, asks for one or more models (repo ids or hf:// URIs separated
   * by spaces, commas or new lines) and adds them together (hubBatch.ts). Scripts pass `{models, endpoint}` for the
   * same (a HubBatchResult back), or `{repo, revision, subfolder, id, endpoint}` / a repo id string for one model
   * under a chosen id (a HubAddResult back).
   */
  async add(arg?: unknown): Promise<HubAddResult | HubBatchResult | undefined> {
    if (isObj(arg) && arg.models !== undefined) {
      const models = Array.isArray(arg.models) ? arg.models.filter((m): m is string => typeof m === 'string').join('\n') : str(arg.models) ?? '';
      return this.addMany(models, str(arg.endpoint));
    }
    const a: HubAddArgs = typeof arg === 'string' ? { repo: arg } : isObj(arg)
      ? { repo: str(arg.repo), revision: str(arg.revision), subfolder: str(arg.subfolder), id: str(arg.id), endpoint: str(arg.endpoint) }
      : {};
    const repo = a.repo?.trim();
    if (!repo) {
      const text = await vscode.window.showInputBox({
        title: t('Add Hugging Face Model to Library'),
        prompt: t('Hub models: repo ids or hf:// URIs (owner/name[@revision][/subfolder]), separated by spaces, commas or new lines. Only the headers and a few kilobytes per tensor are fetched.'),
        // l10n-ignore: model names, the same in every language
        placeHolder: 'Qwen/Qwen2.5-0.5B, hf://google/siglip-so400m-patch14-384', ignoreFocusOut: true, validateInput: validateModelInput,
      });
      return text?.trim() ? this.addMany(text, a.endpoint) : undefined;
    }
    const invalid = validateRepoId(repo);
    if (invalid) {
      void vscode.window.showErrorMessage(t('Weightprint: {0} is not a repo id. {1}', JSON.stringify(repo.slice(0, 200)), invalid));
      return undefined;
    }
    const { revision, subfolder } = a;
    let ref: HubRef;
    try {
      ref = hubRef(repo, revision?.trim() || 'main', subfolder ?? '');
    } catch (e) {
      void vscode.window.showErrorMessage(t('Weightprint: {0}', toErrorInfo(e).message));
      return undefined;
    }
    const library = await this.library.current();
    if (a.id && library.get(a.id.trim())) {
      void vscode.window.showErrorMessage(t('Weightprint: the reference library already holds a model with id {0}.', JSON.stringify(a.id.trim())));
      return undefined;
    }
    const token = (await this.secrets.get(HUB_TOKEN_SECRET)) || undefined;
    const label = `${ref.repo}@${ref.revision}${ref.path ? `/${ref.path}` : ''}`;
    const controller = new AbortController();
    const job = this.jobs.add('library', t('remote fingerprint of {0}', label), () => controller.abort());
    this.log.info(`remote fingerprint of ${label} started`); // l10n-ignore: log line
    try {
      const { fingerprint, summary } = await notificationProgress.run(t('Weightprint: fingerprinting {0} over HTTP Range', label), controller, (report) =>
        fingerprintRemote(ref, {
          token, endpoint: a.endpoint?.trim() || endpointSetting(), proxy: proxySetting(), signal: controller.signal,
          ...(a.id?.trim() ? { id: a.id.trim() } : {}),
          progressIntervalMs: 250,
          onProgress: (p) => {
            const { message, fraction } = progressText(p);
            report(message, fraction);
            job.update(fraction);
          },
        }));
      if (library.get(fingerprint.model.id)) {
        void vscode.window.showErrorMessage(t('Weightprint: the reference library already holds a model with id {0}; run the command with another id or remove the old one first.', JSON.stringify(fingerprint.model.id)));
        return undefined;
      }
      const file = await this.library.add(fingerprint);
      const line = formatSummary(summary);
      this.log.info(`remote fingerprint of ${label}: ${line}`);
      void vscode.window.showInformationMessage(t('Weightprint: added {0} ({1} tensors) to the reference library: {2}.', fingerprint.model.id, summary.tensors, line));
      return { id: fingerprint.model.id, file, tensors: summary.tensors, bytesFetched: summary.bytesFetched, modelBytes: summary.modelBytes, commit: summary.commit };
    } catch (e) {
      if (isAbortError(e) || controller.signal.aborted) {
        void vscode.window.showInformationMessage(t('Weightprint: fingerprinting {0} cancelled.', label));
        return undefined;
      }
      showHubError(e, ref, this.log);
      return undefined;
    } finally {
      job.end();
    }
  }

  /** Several models at once: checked (the first bad one named), then added under one progress notification. */
  private async addMany(text: string, endpoint: string | undefined): Promise<HubBatchResult | undefined> {
    const parsed = parseModelInput(text);
    if ('error' in parsed) {
      void vscode.window.showErrorMessage(t('Weightprint: {0}', parsed.error));
      return undefined;
    }
    return addHubModels(parsed.refs, {
      library: this.library, jobs: this.jobs, log: this.log, token: (await this.secrets.get(HUB_TOKEN_SECRET)) || undefined,
      endpoint: endpoint?.trim() || endpointSetting(), proxy: proxySetting(), setTokenCommand: HUB_COMMANDS.setToken,
    });
  }
}
