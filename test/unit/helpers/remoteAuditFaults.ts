// A Hub-layout Node server for the remote audit's fault tests, on 127.0.0.1: /{owner}/{repo}/resolve/{rev}/model.safetensors
// serves one file; the index, config and other files are 404 EntryNotFound. Headers (the first 8 + N bytes) are always
// served well, so every fault hits the audit's own data reads; the owner picks the fault:
//   ok        Range answers + X-Repo-Commit
//   fail500   HTTP 500 to every data range
//   truncate  a data range's answer announces its length, sends nothing and the connection is cut
//   slow      data ranges are answered after 30 s (cleared by stop())
//   badrange  data ranges are answered with a Content-Range one byte later than asked
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const AUDIT_FAULT_COMMIT = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';

export interface AuditFaultServer {
  endpoint: string;
  /** Data ranges asked for per owner. */
  dataRequests: Map<string, number>;
  stop(): Promise<void>;
}

export async function startAuditFaultServer(file: Buffer): Promise<AuditFaultServer> {
  const headerEnd = 8 + Number(file.readBigUInt64LE(0));
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const dataRequests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const m = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const commit = { 'x-repo-commit': AUDIT_FAULT_COMMIT };
    if (!m || m[4] !== 'model.safetensors') {
      res.writeHead(404, { 'x-error-code': 'EntryNotFound', 'x-error-message': 'Entry not found', ...commit });
      res.end();
      return;
    }
    const owner = m[1];
    const r = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    if (!r) {
      res.writeHead(416, commit);
      res.end();
      return;
    }
    const start = Number(r[1]);
    const end = Math.min(Number(r[2]), file.length - 1);
    const answer = (shift = 0): void => {
      res.writeHead(206, { 'content-range': `bytes ${start + shift}-${end}/${file.length}`, 'content-length': end - start - shift + 1, ...commit });
      res.end(file.subarray(start + shift, end + 1));
    };
    if (start < headerEnd || owner === 'ok') { answer(); return; }
    dataRequests.set(owner, (dataRequests.get(owner) ?? 0) + 1);
    if (owner === 'fail500') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    } else if (owner === 'truncate') {
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${file.length}`, 'content-length': end - start + 1, ...commit });
      res.flushHeaders();
      setImmediate(() => req.socket.destroy());
    } else if (owner === 'slow') {
      const timer = setTimeout(() => { timers.delete(timer); answer(); }, 30_000);
      timers.add(timer);
    } else if (owner === 'badrange') {
      answer(end > start ? 1 : 0);
    } else {
      res.writeHead(404, { 'x-error-code': 'RepoNotFound', 'x-error-message': 'Repository not found' });
      res.end();
    }
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataRequests,
    stop: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
