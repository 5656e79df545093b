// What each open checkpoint panel was sent and what its webview reported after painting. Read by the
// test-only command `weightprint.test.panels`; a few numbers per panel, dropped when the panel closes.
import type { ErrorInfo, HostToWebview, JobState, ViewName } from '../../shared/protocol';
import type { RenderReport, RouterObserver } from './messageRouter';

export interface PanelState {
  id: number;
  viewType: string;
  uri: string;
  /** Last answer to `ready`. */
  sent?: 'init' | 'loadError';
  init?: { tensors: number; files: string[]; components: string[]; parameters: number; architecture?: string[] };
  error?: ErrorInfo;
  rendered?: RenderReport;
  /** When (Date.now() of the host) the webview last reported a paint: the editor benchmark's end point. */
  renderedAt?: number;
  /** Answers sent per message type (tensorPage, treeChildren, tensorDetail, requestError …). */
  answers: Record<string, number>;
  /** Last statistics state sent, with how many rows had statistics then. */
  stats?: { state: JobState; tensorsWithStats: number; error?: string; layers?: number };
  /** Last audit state sent, with the verdicts of its result. */
  audit?: { state: JobState; libraryModels: number; error?: string; components?: { name: string; verdict: string; reference: string | null }[] };
  /** Views the host asked the webview to show, in order. */
  views: ViewName[];
  /** Number of HTML renders and the last render's CSP and resource roots (security checks). */
  renders: number;
  csp?: string;
  localResourceRoots: string[];
  disposed: boolean;
}

export class PanelRegistry {
  private nextId = 1;
  private readonly panels = new Map<number, PanelState>();

  add(viewType: string, uri: string): PanelState {
    const state: PanelState = { id: this.nextId++, viewType, uri, answers: {}, renders: 0, localResourceRoots: [], views: [], disposed: false };
    this.panels.set(state.id, state);
    return state;
  }

  remove(state: PanelState): void {
    state.disposed = true;
    this.panels.delete(state.id);
  }

  observer(state: PanelState): RouterObserver {
    return {
      sent(message: HostToWebview) {
        // Replies are counted by their method ("reply:getTensorDetail"), failed ones as "reply-error".
        const key = message.type !== 'reply' ? message.type : message.ok ? `reply:${message.method}` : 'reply-error';
        state.answers[key] = (state.answers[key] ?? 0) + 1;
        if (message.type === 'init') {
          const s = message.summary;
          state.sent = 'init';
          state.init = {
            tensors: s.tensors, files: s.files.map((f) => f.name), components: s.components.map((c) => c.name), parameters: s.parameters,
            architecture: s.architecture?.map((a) => `${a.component}:${a.prefix}:${a.family}:${a.confidence}`),
          };
          state.error = undefined;
        } else if (message.type === 'architecture' && state.init) {
          state.init.architecture = message.architecture.map((a) => `${a.component}:${a.prefix}:${a.family}:${a.confidence}`);
        } else if (message.type === 'statsState') {
          state.stats = { ...state.stats, state: message.state, tensorsWithStats: message.tensorsWithStats, error: message.error?.message };
          if (message.state === 'running') delete state.stats.layers;
        } else if (message.type === 'statsLayers') {
          state.stats = { ...(state.stats ?? { state: 'done', tensorsWithStats: 0 }), layers: message.layers.length };
        } else if (message.type === 'auditState') {
          state.audit = {
            state: message.state, libraryModels: message.libraryModels, error: message.error?.message,
            components: message.result?.components.map((c) => ({ name: c.name, verdict: c.verdict, reference: c.reference })),
          };
        } else if (message.type === 'showView') {
          state.views.push(message.view);
        } else if (message.type === 'loadError') {
          state.sent = 'loadError';
          state.error = message.error;
          state.init = undefined;
        }
      },
      rendered(report: RenderReport) {
        state.rendered = report;
        state.renderedAt = Date.now();
      },
    };
  }

  snapshot(): PanelState[] {
    return [...this.panels.values()].map((p) => JSON.parse(JSON.stringify(p)) as PanelState);
  }
}
