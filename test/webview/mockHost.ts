// A mock extension host for the webview tests: answers the webview's requests through the host's own handler table
// (src/extension/editor/requests.ts) over a session made from the fixture (the real TensorTable and treeChildren of
// src/core/inventory/query.ts), and plays the statistics and audit jobs from precomputed real results (streamed in
// steps, cancellable).
import type { HostToWebview, TensorPage, TensorQuery, TensorRow } from '../../src/shared/protocol';
import { TensorTable, treeChildren } from '../../src/core/inventory/query';
import { answerRequest, requestId, type RequestContext } from '../../src/extension/editor/requests';
import type { Fixture } from './fixtures';
import { statsSummary, type JobsData } from './jobsFixture';

export interface MockOptions {
  jobs?: JobsData;
  /** Start with every tensor's statistics known (as from the cache) and/or the audit done. */
  statsDone?: boolean;
  auditDone?: boolean;
  /** Delay between streamed statistics steps, ms. */
  stepMs?: number;
}

export class MockHost {
  readonly received: unknown[] = [];
  readonly rows: TensorRow[];
  readonly table: TensorTable | undefined;
  /** Set by the runner: posts a message to the page outside a reply. */
  pushTo: ((m: HostToWebview) => Promise<void>) | undefined;
  private statsRun = 0;
  private auditDone: boolean;

  constructor(readonly fixture: Fixture, readonly options: MockOptions = {}) {
    this.rows = fixture.kind === 'checkpoint' ? fixture.rows.map((r) => ({ ...r })) : [];
    this.table = fixture.kind === 'checkpoint' ? new TensorTable(this.rows) : undefined;
    this.auditDone = !!options.auditDone;
    if (options.statsDone) this.attachStats(this.rows.length);
  }

  get withStats(): number {
    return this.rows.filter((r) => r.stats).length;
  }

  /** One webview message in, the replies out (the harness posts them to the page). */
  async handle(raw: unknown): Promise<HostToWebview[]> {
    this.received.push(raw);
    const id = requestId(raw);
    if (id !== undefined) return [await answerRequest(this.context(), raw as Record<string, unknown> & { id: number })];
    const m = raw as { type?: string; job?: string };
    const f = this.fixture;
    switch (m.type) {
      case 'ready':
        if (f.kind !== 'checkpoint') return [{ type: 'loadError', error: f.error }];
        return [{ type: 'init', summary: f.summary }, ...this.jobStates()];
      case 'runStats':
        void this.playStats();
        return [];
      case 'runAudit':
        void this.playAudit();
        return [];
      case 'cancelJob':
        if (m.job === 'stats') this.statsRun++;
        return [];
      default:
        return [];
    }
  }

  /** The fixture as the host's requests see a session; no review store in these tests. */
  private context(): RequestContext {
    const f = this.fixture;
    const jobs = this.options.jobs;
    return {
      session: async () => {
        if (f.kind !== 'checkpoint') throw new Error('no checkpoint');
        return {
          query: (q) => this.query(q),
          treeChildren: (path) => treeChildren(this.rows, path),
          detail: async (id) => {
            const d = await f.detail(id);
            return { ...d, row: this.rows[id] ?? d.row };
          },
        };
      },
      tensorStats: (id) => (this.rows[id]?.stats ? jobs?.stats[id] ?? null : null),
      review: () => { throw new Error('no review store in the webview tests'); },
    };
  }

  query(q: TensorQuery): TensorPage {
    if (!this.table) throw new Error('no checkpoint');
    return this.table.query(q);
  }

  private jobStates(): HostToWebview[] {
    const jobs = this.options.jobs;
    if (!jobs) return [];
    const out: HostToWebview[] = [{ type: 'statsState', state: 'idle', tensorsWithStats: this.withStats }];
    if (this.options.statsDone) out.push({ type: 'statsLayers', layers: jobs.layers });
    out.push(this.auditDone && jobs.audit
      ? { type: 'auditState', state: 'done', result: jobs.audit, libraryModels: jobs.libraryModels }
      : { type: 'auditState', state: 'idle', libraryModels: jobs.libraryModels });
    return out;
  }

  private attachStats(n: number): void {
    const stats = this.options.jobs?.stats ?? [];
    for (let i = 0; i < n && i < this.rows.length; i++) {
      const s = stats[i];
      if (s) this.rows[i].stats = statsSummary(s);
    }
    this.table?.invalidate();
  }

  private async send(m: HostToWebview): Promise<void> {
    await this.pushTo?.(m);
  }

  /** Statistics arrive in eight steps (progress in bytes and tensors), then the per-layer series. */
  private async playStats(): Promise<void> {
    const jobs = this.options.jobs;
    if (!jobs) return;
    const run = ++this.statsRun;
    const total = this.rows.length;
    const bytesTotal = this.rows.reduce((a, r) => a + r.bytes, 0);
    const steps = 8;
    for (let k = 0; k <= steps; k++) {
      if (run !== this.statsRun) {
        await this.send({ type: 'statsState', state: 'cancelled', tensorsWithStats: this.withStats });
        return;
      }
      const done = Math.round((total * k) / steps);
      this.attachStats(done);
      const bytesDone = this.rows.slice(0, done).reduce((a, r) => a + r.bytes, 0);
      await this.send({
        type: 'statsState', state: 'running', tensorsWithStats: done,
        progress: { bytesDone, bytesTotal, tensorsDone: done, tensorsTotal: total, tensorsCached: 0 },
      });
      await new Promise((r) => setTimeout(r, this.options.stepMs ?? 120));
    }
    await this.send({ type: 'statsState', state: 'done', tensorsWithStats: this.withStats });
    await this.send({ type: 'statsLayers', layers: jobs.layers });
  }

  private async playAudit(): Promise<void> {
    const jobs = this.options.jobs;
    if (!jobs) return;
    const lib = jobs.libraryModels;
    await this.send({ type: 'auditState', state: 'running', progress: { message: 'fingerprinting the suspect', fraction: null }, libraryModels: lib });
    await new Promise((r) => setTimeout(r, 150));
    await this.send({ type: 'auditState', state: 'running', progress: { message: 'matching vision', fraction: 0.6 }, libraryModels: lib });
    await new Promise((r) => setTimeout(r, 150));
    this.auditDone = true;
    await this.send(jobs.audit
      ? { type: 'auditState', state: 'done', result: jobs.audit, libraryModels: lib }
      : { type: 'auditState', state: 'error', error: { message: 'no references' }, libraryModels: lib });
  }
}
