// The Findings pane's line to the host, over the page's one HostClient: it asks, the host changes the review store
// and pushes `findings` back; `openFindingForm` pushes open the form.
import type { FindingChange, FindingDraft, FindingState, Method, Params, Push } from '../../../src/shared/protocol';
import type { HostClient } from '../../host';

export type FindingsPush = Extract<Push, { type: 'findings' }>;
export type FormRequest = Extract<Push, { type: 'openFindingForm' }>;

export interface FindingsOutcome {
  ok: boolean;
  findingId?: string;
  /** Why it failed, or (ok with a message) why it is kept in memory only (read-only folder). */
  message?: string;
}

type ChangeMethod = 'addFinding' | 'updateFinding' | 'setFindingState' | 'deleteFinding' | 'undoFindingChange' | 'saveReviewAs';

export class FindingsClient {
  private readonly stop: () => void;
  private closed = false;

  constructor(private readonly host: HostClient, on: { findings(m: FindingsPush): void; openForm(m: FormRequest): void }) {
    this.stop = host.onPush((m) => {
      if (m.type === 'findings') on.findings(m);
      else if (m.type === 'openFindingForm') on.openForm(m);
    });
  }

  refresh(): void {
    this.host.post({ type: 'getFindings' });
  }

  add(draft: FindingDraft): Promise<FindingsOutcome> {
    return this.change('addFinding', { draft });
  }

  update(id: string, draft: FindingDraft): Promise<FindingsOutcome> {
    return this.change('updateFinding', { id, draft });
  }

  setState(id: string, state: FindingState): Promise<FindingsOutcome> {
    return this.change('setFindingState', { id, state });
  }

  remove(id: string): Promise<FindingsOutcome> {
    return this.change('deleteFinding', { id });
  }

  undo(): Promise<FindingsOutcome> {
    return this.change('undoFindingChange', {});
  }

  saveAs(): Promise<FindingsOutcome> {
    return this.change('saveReviewAs', {});
  }

  dispose(): void {
    this.closed = true;
    this.stop();
  }

  private async change<M extends ChangeMethod & Method>(method: M, params: Params<M>): Promise<FindingsOutcome> {
    try {
      const r = (await this.host.request(method, params)) as FindingChange;
      return { ok: true, findingId: r.findingId, message: r.kept };
    } catch (e) {
      // l10n-ignore (next line): never shown (the pane is gone)
      if (this.closed) return { ok: false, message: 'the pane was closed' };
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }
}
