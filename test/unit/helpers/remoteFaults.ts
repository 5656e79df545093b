// A small Node HTTP server with the faults a Hub client meets, on 127.0.0.1 (and reachable as "localhost", the
// "other host" of a redirect). Routes /{owner}/{repo}/resolve/{rev}/{file}; the owner picks the behaviour:
//   ok        Range answers + X-Repo-Commit        redirect  302 to http://localhost:PORT/cdn/... (signed-URL style)
//   throttle  429 (Retry-After: 0), then 503, then the answer, per range
//   drop      the first answer of a range (6 ranges) stops half-way and the connection is cut
//   norange   ignores Range: 200 with the whole file          private   401 unless "Bearer <token>"
//   gated     403 GatedRepo                                     missing   404 RepoNotFound
//   norev     404 RevisionNotFound for any revision but main; other files 404 EntryNotFound
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export const FAULT_COMMIT = 'fedcba9876543210fedcba9876543210fedcba98';

export interface LoggedRequest {
  host: string;
  path: string;
  range: string | undefined;
  auth: string | undefined;
  status: number;
}

export interface FaultServer {
  port: number;
  endpoint: string;
  log: LoggedRequest[];
  /** Bytes written for 200 answers to Range requests ('norange'). */
  wholeFileBytesSent: number;
  /** Answers cut half-way so far ('drop'; at most 6). */
  drops: number;
  stop(): Promise<void>;
}

export interface FaultOptions {
  /** The safetensors file served as model.safetensors. */
  file: Buffer;
  token: string;
  /** Serve HTTPS with this key/cert instead of HTTP. */
  tls?: { key: string; cert: string };
}

export async function startFaultServer(opts: FaultOptions): Promise<FaultServer> {
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const state: FaultServer = { port: 0, endpoint: '', log: [], wholeFileBytesSent: 0, drops: 0, stop: async () => undefined };
  const { file } = opts;

  function serveRange(req: http.IncomingMessage, res: http.ServerResponse, extra: Record<string, string> = {}): number {
    const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (!m) {
      res.writeHead(200, { 'content-length': file.length, ...extra });
      res.end(file);
      return 200;
    }
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), file.length - 1) : file.length - 1;
    if (start >= file.length) {
      res.writeHead(416, { 'content-range': `bytes */${file.length}` });
      res.end();
      return 416;
    }
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${file.length}`, 'content-length': end - start + 1, 'accept-ranges': 'bytes', ...extra });
    res.end(file.subarray(start, end + 1));
    return 206;
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const range = req.headers.range;
    const entry: LoggedRequest = { host: String(req.headers.host ?? ''), path: url.pathname, range, auth: req.headers.authorization, status: 0 };
    state.log.push(entry);
    const finish = (status: number, headers: Record<string, string> = {}, body = ''): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(body);
    };
    if (url.pathname.startsWith('/cdn/')) {
      if (url.searchParams.get('sig') !== 'ok') { finish(403, {}, 'bad signature'); return; }
      entry.status = serveRange(req, res);
      return;
    }
    const m = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) { finish(404, {}, 'no route'); return; }
    const [, owner, , rev, filePath] = m;
    const commit = { 'x-repo-commit': FAULT_COMMIT };
    if (owner === 'missing') { finish(404, { 'x-error-code': 'RepoNotFound', 'x-error-message': 'Repository not found' }); return; }
    if (owner === 'gated') { finish(403, { 'x-error-code': 'GatedRepo', 'x-error-message': 'Access to model gated/x is restricted. You must have access to it and be authenticated to access it.' }); return; }
    if (owner === 'private' && req.headers.authorization !== `Bearer ${opts.token}`) { finish(401, { 'x-error-message': 'Invalid credentials in Authorization header' }); return; }
    if (owner === 'norev' && rev !== 'main' && rev !== FAULT_COMMIT) { finish(404, { 'x-error-code': 'RevisionNotFound', 'x-error-message': 'Invalid rev id' }); return; }
    if (!filePath.endsWith('model.safetensors')) { finish(404, { 'x-error-code': 'EntryNotFound', 'x-error-message': 'Entry not found', ...commit }); return; }
    if (owner === 'redirect') {
      finish(302, { location: `${opts.tls ? 'https' : 'http'}://localhost:${state.port}/cdn/${filePath}?sig=ok`, ...commit });
      return;
    }
    if (owner === 'throttle' && range) {
      const n = seen.get(range) ?? 0;
      seen.set(range, n + 1);
      if (n === 0) { finish(429, { 'retry-after': '0' }, 'slow down'); return; }
      if (n === 1) { finish(503, {}, 'busy'); return; }
    }
    if (owner === 'drop' && range) {
      const mm = /^bytes=(\d+)-(\d+)$/.exec(range);
      const key = mm ? mm[1] : range;
      if (mm && !seen.has(key) && Number(mm[2]) - Number(mm[1]) > 64 && state.drops < 6) {
        state.drops++;
        seen.set(key, 1);
        const start = Number(mm[1]);
        const end = Number(mm[2]);
        const half = Math.floor((end - start + 1) / 2);
        entry.status = 206;
        res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${file.length}`, 'content-length': end - start + 1, ...commit });
        res.write(file.subarray(start, start + half), () => setTimeout(() => req.socket.destroy(), 10));
        return;
      }
    }
    if (owner === 'norange') {
      entry.status = 200;
      res.writeHead(200, { 'content-length': file.length * 8, ...commit });
      let sent = 0;
      const pump = (): void => {
        while (sent < file.length * 8) {
          const chunk = file.subarray(0, Math.min(65536, file.length));
          sent += chunk.length;
          state.wholeFileBytesSent += chunk.length;
          if (!res.write(chunk)) { res.once('drain', pump); return; }
        }
        res.end();
      };
      res.once('close', () => res.removeAllListeners('drain'));
      pump();
      return;
    }
    entry.status = serveRange(req, res, commit);
  };

  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  server.on('connection', (s: Socket) => { s.setNoDelay(true); sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.endpoint = `${opts.tls ? 'https' : 'http'}://${opts.tls ? 'localhost' : '127.0.0.1'}:${state.port}`;
  state.stop = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return state;
}

/** An http:// forward proxy: absolute-URI requests are relayed, CONNECT opens a tunnel. Records what it saw. */
export async function startProxy(): Promise<{ url: string; absolute: string[]; tunnels: string[]; stop(): Promise<void> }> {
  const absolute: string[] = [];
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    absolute.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const up = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = String(req.url).split(':');
    const up = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s: Socket) => { s.setNoDelay(true); sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, absolute, tunnels,
    stop: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
