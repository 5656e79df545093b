// A mock extension host for the webview tests: answers the webview's messages with the real TensorTable and
// treeChildren from src/core/inventory/query.ts, exactly as the extension host does.
import type { HostToWebview, TensorPage, TensorQuery } from '../../src/shared/protocol';
import { TensorTable, treeChildren } from '../../src/core/inventory/query';
import type { Fixture } from './fixtures';

export class MockHost {
  readonly received: unknown[] = [];
  private readonly table: TensorTable | undefined;

  constructor(readonly fixture: Fixture) {
    this.table = fixture.kind === 'checkpoint' ? new TensorTable(fixture.rows) : undefined;
  }

  /** One webview message in, the replies out (the harness posts them to the page). */
  async handle(raw: unknown): Promise<HostToWebview[]> {
    this.received.push(raw);
    const m = raw as { type?: string; requestId?: number; query?: TensorQuery; path?: string; id?: number };
    const f = this.fixture;
    const requestId = m.requestId ?? -1;
    try {
      switch (m.type) {
        case 'ready':
          return [f.kind === 'checkpoint' ? { type: 'init', summary: f.summary } : { type: 'loadError', error: f.error }];
        case 'queryTensors':
          return [{ type: 'tensorPage', requestId, page: this.query(m.query!) }];
        case 'getTreeChildren':
          if (f.kind !== 'checkpoint') throw new Error('no checkpoint');
          return [{ type: 'treeChildren', requestId, path: m.path!, children: treeChildren(f.rows, m.path!) }];
        case 'getTensorDetail':
          if (f.kind !== 'checkpoint') throw new Error('no checkpoint');
          return [{ type: 'tensorDetail', requestId, detail: await f.detail(m.id!) }];
        default:
          return [];
      }
    } catch (e) {
      return [{ type: 'requestError', requestId, error: { message: (e as Error).message } }];
    }
  }

  query(q: TensorQuery): TensorPage {
    if (!this.table) throw new Error('no checkpoint');
    return this.table.query(q);
  }
}
