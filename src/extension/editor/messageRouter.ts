// Routes one webview's messages to the checkpoint session and posts the typed answers back.
// Messages from the webview are checked for shape before use; a failing request becomes a `requestError`,
// never an exception in the host. vscode-free: the panel passes its postMessage in. Job messages (statistics,
// audit) go to the document's DocumentJobs. The document's events (jobs, review) come back here: the router alone
// turns them into webview messages and holds the requests that come before its webview is ready.
import type { ComponentName, HostToWebview, Push, WebviewToHost } from '../../shared/protocol';
import { isRequest, type DocumentEvent, type DocumentEvents } from '../documentEvents';
import { t } from '../../core/l10n';
import type { DocumentJobs } from '../jobs/documentJobs';
import { answerRequest, COMPONENT_SET, isInt, isObj, requestId, type RequestContext } from './requests';
import type { DocumentReview } from '../review/documentReview';
import { CheckpointSession, LoadResult, toErrorInfo } from './checkpointSession';

export interface RenderReport {
  view: 'checkpoint' | 'error';
  tensors: number;
  files: number;
  components: ComponentName[];
}

/** What happened in one panel: recorded for the integration tests' state command. */
export interface RouterObserver {
  sent?(message: HostToWebview): void;
  rendered?(report: RenderReport): void;
}

/** What the router needs besides the session: the document's jobs and the library view. */
export interface RouterServices {
  jobs?: DocumentJobs;
  /** The document's events (default: the jobs' or the review's). */
  events?: DocumentEvents;
  /** Reveals the Reference Library view. */
  manageLibrary?(): void | PromiseLike<unknown>;
  /** Runs "Add Hugging Face Model to Library…" for a public repo (an architecture match's suggestion). */
  addHubModel?(repo: string): void | PromiseLike<unknown>;
  /** The document's review (findings): every change the Findings pane asks for is made here. */
  review?: DocumentReview;
  /** "Save Review As…" (a save dialog); resolves with whether it was saved. */
  saveReviewAs?(): PromiseLike<boolean>;
}

/** Narrows an untyped webview notification (not a request: requests.ts reads those) to the protocol, or undefined. */
export function parseWebviewMessage(m: unknown): Exclude<WebviewToHost, { type: 'request' }> | undefined {
  if (!isObj(m) || typeof m.type !== 'string') return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'rendered': {
      const { view, tensors, files, components } = m;
      if ((view !== 'checkpoint' && view !== 'error') || !isInt(tensors) || !isInt(files)) return undefined;
      if (!Array.isArray(components) || !components.every((c) => typeof c === 'string' && COMPONENT_SET.has(c))) return undefined;
      return { type: 'rendered', view, tensors, files, components: components as ComponentName[] };
    }
    case 'runStats':
      return { type: 'runStats' };
    case 'runAudit':
      return { type: 'runAudit' };
    case 'manageLibrary':
      return { type: 'manageLibrary' };
    case 'addHubModel':
      return typeof m.repo === 'string' && /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/.test(m.repo) ? { type: 'addHubModel', repo: m.repo } : undefined;
    case 'cancelJob':
      return m.job === 'stats' || m.job === 'audit' ? { type: 'cancelJob', job: m.job } : undefined;
    case 'getFindings':
      return { type: 'getFindings' };
    default:
      return undefined;
  }
}

/** The webview message of a document event. */
export function eventMessage(e: DocumentEvent): Push {
  switch (e.kind) {
    case 'stats': return { type: 'statsState', ...e.status };
    case 'layers': return { type: 'statsLayers', layers: e.layers };
    case 'audit': return { type: 'auditState', ...e.status };
    case 'findings': return { type: 'findings', ...e.state };
    case 'showView': return { type: 'showView', ...e.request };
    case 'openFindingForm': return { type: 'openFindingForm', ...(e.target ? { target: e.target } : {}) };
  }
}

export class MessageRouter {
  private disposed = false;
  /**
   * Whether the webview said `ready` and was brought up to date. Until then state events are dropped (the snapshot
   * sent on `ready` covers them) and requests are held, the latest of each kind. A hidden panel's webview is
   * destroyed (no retainContextWhenHidden): `webviewGone()` starts holding again until it says `ready` anew.
   */
  private webviewReady = false;
  private readonly held = new Map<DocumentEvent['kind'], DocumentEvent>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly load: Promise<LoadResult>,
    private readonly post: (message: HostToWebview) => PromiseLike<boolean> | void,
    private readonly observer: RouterObserver = {},
    private readonly log: (line: string) => void = () => undefined,
    private readonly services: RouterServices = {},
  ) {
    const events = services.events ?? services.jobs?.events ?? services.review?.events;
    this.unsubscribe = events?.subscribe((e) => {
      if (this.webviewReady) this.send(eventMessage(e));
      else if (isRequest(e)) this.held.set(e.kind, e);
    }) ?? (() => undefined);
  }

  /** The panel was hidden and its webview destroyed: hold requests until the new one is ready. */
  webviewGone(): void {
    this.webviewReady = false;
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.held.clear();
  }

  /** Handles one raw message; resolves when its answer has been posted. Never rejects. */
  async handle(raw: unknown): Promise<void> {
    const id = requestId(raw);
    if (id !== undefined) {
      this.send(await answerRequest(this.requestContext(), raw as Record<string, unknown> & { id: number }, this.log));
      return;
    }
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log(`ignored a malformed webview message: ${safePreview(raw)}`);
      return;
    }
    try {
      await this.dispatch(message);
    } catch (e) {
      const error = toErrorInfo(e);
      this.log(`webview request ${message.type} failed: ${error.message}`);
      if (message.type === 'runStats') this.send({ type: 'statsState', state: 'error', error, tensorsWithStats: 0 });
      else if (message.type === 'runAudit') this.send({ type: 'auditState', state: 'error', error, libraryModels: 0 });
    }
  }

  /** What the webview's requests read and change (requests.ts). */
  private requestContext(): RequestContext {
    return {
      session: () => this.session(),
      tensorStats: (id) => this.requireJobs().tensorStats(id),
      review: () => {
        if (!this.services.review) throw new Error(t('findings are not available in this panel'));
        return this.services.review;
      },
      auditOutcome: () => this.services.jobs?.auditOutcome,
      saveReviewAs: this.services.saveReviewAs,
    };
  }

  private async dispatch(message: Exclude<WebviewToHost, { type: 'request' }>): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.webviewReady = false;
        const result = await this.load;
        if (!result.ok) {
          this.send({ type: 'loadError', error: result.error });
          return;
        }
        const { jobs, review } = this.services;
        // Cached statistics are applied before the first page is answered, so the table shows them at once.
        await Promise.all([jobs?.ready, review?.ready]);
        // From here on everything is sent in one synchronous run: no event can fall between snapshot and live.
        this.send({ type: 'init', summary: result.session.summary });
        for (const e of jobs?.state() ?? []) this.send(eventMessage(e));
        if (review) this.send(eventMessage({ kind: 'findings', state: review.state() }));
        for (const e of this.held.values()) this.send(eventMessage(e));
        this.held.clear();
        this.webviewReady = true;
        return;
      }
      case 'getFindings':
        if (this.services.review) {
          await this.services.review.ready;
          this.send(eventMessage({ kind: 'findings', state: this.services.review.state() }));
        }
        return;
      case 'rendered':
        this.observer.rendered?.({ view: message.view, tensors: message.tensors, files: message.files, components: message.components });
        // The architecture match after the first paint (the Overview draws it in).
        if (message.view === 'checkpoint') {
          const result = await this.load;
          if (result.ok && !result.session.hasArchitecture) setTimeout(() => this.sendArchitecture(result.session), 0);
        }
        return;
      case 'runStats':
        await this.session();
        void this.requireJobs().runStats();
        return;
      case 'runAudit':
        await this.session();
        void this.requireJobs().runAudit();
        return;
      case 'cancelJob':
        this.services.jobs?.cancel(message.job);
        return;
      case 'manageLibrary':
        if (!this.services.manageLibrary) throw new Error(t('the reference library is not available'));
        await this.services.manageLibrary();
        return;
      case 'addHubModel':
        if (!this.services.addHubModel) throw new Error(t('adding Hub models is not available'));
        await this.services.addHubModel(message.repo);
        return;
    }
  }

  /** The architecture matches (the session matches once for all its panels). */
  private sendArchitecture(session: CheckpointSession): void {
    if (this.disposed || !this.webviewReady) return;
    const summary = session.matchArchitecture();
    this.send({ type: 'architecture', architecture: summary.architecture ?? [], warnings: summary.warnings });
  }

  private async session() {
    const result = await this.load;
    if (!result.ok) throw new Error(t('the checkpoint could not be opened: {0}', result.error.message));
    return result.session;
  }

  private requireJobs(): DocumentJobs {
    if (!this.services.jobs) throw new Error(t('statistics and audits are not available for this panel'));
    return this.services.jobs;
  }

  private send(message: HostToWebview): void {
    if (this.disposed) return;
    this.observer.sent?.(message);
    const r = this.post(message);
    if (r && typeof (r as PromiseLike<boolean>).then === 'function') {
      (r as PromiseLike<boolean>).then(undefined, (e: unknown) => this.log(`postMessage failed: ${String(e)}`));
    }
  }
}

function safePreview(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v).slice(0, 200);
  }
}
