// Routes one webview's messages to the checkpoint session and posts the typed answers back.
// Messages from the webview are checked for shape before use; a failing request becomes a `requestError`,
// never an exception in the host. vscode-free: the panel passes its postMessage in. Job messages (statistics,
// audit) go to the document's DocumentJobs, whose state changes come back to every panel of the document.
import type { ComponentName, HostToWebview, ViewName, WebviewToHost } from '../../shared/protocol';
import { t } from '../../core/l10n';
import type { DocumentJobs } from '../jobs/documentJobs';
import { answerRequest, COMPONENT_SET, isInt, isObj, requestId, type RequestContext } from './requests';
import type { DocumentReview } from '../review/documentReview';
import { LoadResult, toErrorInfo } from './checkpointSession';

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

export class MessageRouter {
  private disposed = false;
  /** Set once the webview was sent `init`: job broadcasts before that are covered by the snapshot sent then. */
  private initialized = false;
  /** A view asked for before the webview was ready, shown right after `init`. */
  private pendingView?: ViewName;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeReview: () => void;
  /** The last form or reveal request that came before the webview was ready. */
  private pendingReview: HostToWebview[] = [];

  constructor(
    private readonly load: Promise<LoadResult>,
    private readonly post: (message: HostToWebview) => PromiseLike<boolean> | void,
    private readonly observer: RouterObserver = {},
    private readonly log: (line: string) => void = () => undefined,
    private readonly services: RouterServices = {},
  ) {
    this.unsubscribe = services.jobs?.subscribe((m) => {
      if (this.initialized) this.send(m);
      else if (m.type === 'showView') this.pendingView = m.view;
    }) ?? (() => undefined);
    this.unsubscribeReview = services.review?.subscribe((m) => {
      if (this.initialized) this.send(m);
      else if (m.type !== 'findings') this.pendingReview = [m];
    }) ?? (() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.unsubscribeReview();
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
        const result = await this.load;
        if (!result.ok) {
          this.initialized = false;
          this.send({ type: 'loadError', error: result.error });
          return;
        }
        const jobs = this.services.jobs;
        // Cached statistics are applied before the first page is answered, so the table shows them at once.
        if (jobs) await jobs.ready;
        this.send({ type: 'init', summary: result.session.summary });
        this.initialized = true;
        if (jobs) {
          for (const m of jobs.snapshot()) this.send(m);
          const view: ViewName | undefined = jobs.takeRequestedView() ?? this.pendingView;
          this.pendingView = undefined;
          if (view) this.send({ type: 'showView', view });
        }
        if (this.services.review) {
          await this.services.review.ready;
          this.send(this.services.review.message());
          for (const m of this.pendingReview) this.send(m);
          this.pendingReview = [];
        }
        return;
      }
      case 'getFindings':
        if (this.services.review) {
          await this.services.review.ready;
          this.send(this.services.review.message());
        }
        return;
      case 'rendered':
        this.observer.rendered?.({ view: message.view, tensors: message.tensors, files: message.files, components: message.components });
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
