// The webview's one line to the host (src/shared/protocol.ts): typed requests, each in a `request` envelope with an
// id and settled by the `reply` with that id (or by a timeout), and pushes (checkpoint, load error, job states,
// findings, view requests) handed to whoever listens. One id counter, one window listener for the whole page.
import type { ErrorInfo, HostToWebview, Method, Params, Push, Result, TensorDetail, TensorPage, TensorQuery, TensorStats, TreeNode, WebviewToHost } from '../src/shared/protocol';
import type { VsCodeApi } from './state';
import { t } from '../src/core/l10n';

export type { Push };

export class HostRequestError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/** How long a request waits for its reply before it fails (the host answers every request it reads). */
export const REQUEST_TIMEOUT_MS = 60_000;

type Pending = { resolve: (result: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };

export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(m: Push) => void>();

  constructor(private readonly api: VsCodeApi, onPush?: (m: Push) => void) {
    if (onPush) this.listeners.add(onPush);
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  /** A notification: no reply. */
  post(message: Exclude<WebviewToHost, { type: 'request' }>): void {
    this.api.postMessage(message);
  }

  /** Listens to the host's pushes; returns the way to stop. */
  onPush(listener: (m: Push) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  request<M extends Method>(method: M, params: Params<M>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HostRequestError({ message: t('the host did not answer {0} within {1} s', method, Math.round(timeoutMs / 1000)), code: 'timeout' }));
      }, timeoutMs);
      this.pending.set(id, { resolve: (r) => resolve(r as Result<M>), reject, timer });
      this.api.postMessage({ type: 'request', id, method, params } as WebviewToHost);
    });
  }

  queryTensors(query: TensorQuery): Promise<TensorPage> {
    return this.request('queryTensors', { query });
  }

  treeChildren(path: string): Promise<TreeNode[]> {
    return this.request('getTreeChildren', { path });
  }

  tensorDetail(id: number): Promise<TensorDetail> {
    return this.request('getTensorDetail', { id });
  }

  /** Full statistics of one tensor; null when they are not known (yet). */
  tensorStats(id: number): Promise<TensorStats | null> {
    return this.request('getTensorStats', { id });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const m = data as HostToWebview;
    if (typeof m.type !== 'string') return;
    if (m.type !== 'reply') {
      for (const l of [...this.listeners]) l(m);
      return;
    }
    const waiting = this.pending.get(m.id);
    if (!waiting) return;
    this.pending.delete(m.id);
    clearTimeout(waiting.timer);
    if (m.ok) waiting.resolve(m.result);
    else waiting.reject(new HostRequestError(m.error ?? { message: t('request failed') }));
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
