// Request/response over postMessage: each request carries an id, the host answers with the same id.
// Messages without a request id are pushes (checkpoint, load error, job states, per-layer series, showView).
import type {
  ErrorInfo, HostToWebview, TensorDetail, TensorPage, TensorQuery, TensorStats, TreeNode, WebviewToHost,
} from '../src/shared/protocol';
import type { VsCodeApi } from './state';
import { t } from '../src/core/l10n';

export class HostRequestError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

type Reply = Extract<HostToWebview, { requestId: number }>;
export type Push = Exclude<HostToWebview, { requestId: number }>;

type Pending = { resolve: (m: Reply) => void; reject: (e: Error) => void };

const REPLY_TYPES = new Set<string>(['tensorPage', 'treeChildren', 'tensorDetail', 'tensorStats', 'requestError']);
const PUSH_TYPES = new Set<string>(['init', 'loadError', 'statsState', 'statsLayers', 'auditState', 'showView']);

export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly api: VsCodeApi, private readonly onPush: (m: Push) => void) {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  queryTensors(query: TensorQuery): Promise<TensorPage> {
    return this.request((requestId) => ({ type: 'queryTensors', requestId, query }))
      .then((m) => (m.type === 'tensorPage' ? m.page : Promise.reject(new Error(t('unexpected reply')))));
  }

  treeChildren(path: string): Promise<TreeNode[]> {
    return this.request((requestId) => ({ type: 'getTreeChildren', requestId, path }))
      .then((m) => (m.type === 'treeChildren' ? m.children : Promise.reject(new Error(t('unexpected reply')))));
  }

  tensorDetail(id: number): Promise<TensorDetail> {
    return this.request((requestId) => ({ type: 'getTensorDetail', requestId, id }))
      .then((m) => (m.type === 'tensorDetail' ? m.detail : Promise.reject(new Error(t('unexpected reply')))));
  }

  /** Full statistics of one tensor; null when they are not known (yet). */
  tensorStats(id: number): Promise<TensorStats | null> {
    return this.request((requestId) => ({ type: 'getTensorStats', requestId, id }))
      .then((m) => (m.type === 'tensorStats' ? m.stats : Promise.reject(new Error(t('unexpected reply')))));
  }

  private request(make: (requestId: number) => WebviewToHost): Promise<Reply> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post(make(requestId));
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const type = (data as { type?: unknown }).type;
    if (typeof type !== 'string') return;
    if (PUSH_TYPES.has(type)) {
      this.onPush(data as Push);
      return;
    }
    if (!REPLY_TYPES.has(type)) return;
    const m = data as Reply;
    const waiting = this.pending.get(m.requestId);
    if (!waiting) return;
    this.pending.delete(m.requestId);
    if (m.type === 'requestError') waiting.reject(new HostRequestError(m.error ?? { message: t('request failed') }));
    else waiting.resolve(m);
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
