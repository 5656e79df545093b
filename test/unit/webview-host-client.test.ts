// The webview's one client of the host (webview/host.ts), run under node with a stand-in window: every request is
// settled — by its reply, by an error reply, or by the timeout when the host never answers — and a late or foreign
// reply settles nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostClient, HostRequestError } from '../../webview/host';
import type { Push } from '../../src/shared/protocol';
import type { VsCodeApi } from '../../webview/state';

function fakeWebview() {
  const target = new EventTarget();
  (globalThis as { window?: unknown }).window = target;
  const posted: { type: string; id?: number; method?: string }[] = [];
  const deliver = (data: unknown) => target.dispatchEvent(Object.assign(new Event('message'), { data }));
  const api: VsCodeApi = { postMessage: (m) => { posted.push(m as { type: string }); }, getState: () => undefined, setState: <T>(s: T) => s };
  return { api, posted, deliver };
}

test('a request is settled by its reply, an error reply, or the timeout; other replies settle nothing', async () => {
  const { api, posted, deliver } = fakeWebview();
  const pushes: Push[] = [];
  const client = new HostClient(api, (m) => pushes.push(m));

  const answered = client.request('getTensorStats', { id: 1 });
  const failed = client.request('getTensorDetail', { id: 2 });
  const unanswered = client.request('getTreeChildren', { path: '' }, 50);
  assert.deepEqual(posted.map((m) => [m.type, m.id, m.method]), [['request', 1, 'getTensorStats'], ['request', 2, 'getTensorDetail'], ['request', 3, 'getTreeChildren']]);

  deliver({ type: 'reply', id: 99, method: 'getTensorStats', ok: true, result: 'not mine' });
  deliver({ type: 'reply', id: 1, method: 'getTensorStats', ok: true, result: null });
  deliver({ type: 'reply', id: 2, method: 'getTensorDetail', ok: false, error: { message: 'no tensor 2', code: 'bad-request' } });
  deliver('not an object');
  deliver({ type: 'statsState', state: 'idle', tensorsWithStats: 0 });

  assert.equal(await answered, null);
  await assert.rejects(failed, (e: unknown) => e instanceof HostRequestError && e.info.code === 'bad-request' && e.message === 'no tensor 2');
  await assert.rejects(unanswered, (e: unknown) => e instanceof HostRequestError && e.info.code === 'timeout' && /getTreeChildren/.test(e.message));
  // A reply that comes after the timeout is dropped (no second settlement, no error).
  deliver({ type: 'reply', id: 3, method: 'getTreeChildren', ok: true, result: [] });
  assert.deepEqual(pushes, [{ type: 'statsState', state: 'idle', tensorsWithStats: 0 }]);
});
