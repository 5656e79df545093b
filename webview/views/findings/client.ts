// The Findings pane's line to the host: it asks, the host changes the review store and pushes `findings` back.
// Listens on its own for `findings`, `findingResult` and `openFindingForm` (the HostClient ignores them), so the
// pane keeps working whatever else the page does.
import type { FindingDraft, FindingState, HostToWebview, WebviewToHost } from '../../../src/shared/protocol';

export type FindingsPush = Extract<HostToWebview, { type: 'findings' }>;
export type FormRequest = Extract<HostToWebview, { type: 'openFindingForm' }>;
type Result = Extract<HostToWebview, { type: 'findingResult' }>;

export interface FindingsOutcome {
  ok: boolean;
  findingId?: string;
  /** Why it failed, or (ok with a message) why it is kept in memory only (read-only folder). */
  message?: string;
}

export class FindingsClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: FindingsOutcome) => void>();
  private readonly onMessage = (e: MessageEvent) => this.receive(e.data);

  constructor(private readonly post: (m: WebviewToHost) => void, private readonly on: { findings(m: FindingsPush): void; openForm(m: FormRequest): void }) {
    window.addEventListener('message', this.onMessage);
  }

  refresh(): void {
    this.post({ type: 'getFindings' });
  }

  add(draft: FindingDraft): Promise<FindingsOutcome> {
    return this.request((requestId) => ({ type: 'addFinding', requestId, draft }));
  }

  update(id: string, draft: FindingDraft): Promise<FindingsOutcome> {
    return this.request((requestId) => ({ type: 'updateFinding', requestId, id, draft }));
  }

  setState(id: string, state: FindingState): Promise<FindingsOutcome> {
    return this.request((requestId) => ({ type: 'setFindingState', requestId, id, state }));
  }

  remove(id: string): Promise<FindingsOutcome> {
    return this.request((requestId) => ({ type: 'deleteFinding', requestId, id }));
  }

  undo(): Promise<FindingsOutcome> {
    return this.request((requestId) => ({ type: 'undoFindingChange', requestId }));
  }

  saveAs(): Promise<FindingsOutcome> {
    return this.request((requestId) => ({ type: 'saveReviewAs', requestId }));
  }

  dispose(): void {
    window.removeEventListener('message', this.onMessage);
    for (const resolve of this.pending.values()) resolve({ ok: false, message: 'the pane was closed' }); // l10n-ignore: never shown (the pane is gone)
    this.pending.clear();
  }

  private request(make: (requestId: number) => WebviewToHost): Promise<FindingsOutcome> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.post(make(requestId));
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const m = data as HostToWebview;
    if (m.type === 'findings') this.on.findings(m);
    else if (m.type === 'openFindingForm') this.on.openForm(m);
    else if (m.type === 'findingResult') {
      const r = m as Result;
      const resolve = this.pending.get(r.requestId);
      if (!resolve) return;
      this.pending.delete(r.requestId);
      resolve({ ok: r.ok, findingId: r.findingId, message: r.error?.message });
    }
  }
}
