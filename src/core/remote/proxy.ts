// Proxies: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment, or an explicit proxy URL (the extension passes
// VS Code's `http.proxy`). http:// proxies only: plain-HTTP targets are requested with an absolute URI, HTTPS targets
// through a CONNECT tunnel (TLS to the target inside it, so the proxy never sees the token).
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { t } from '../l10n';
import { RemoteError } from './errors';

export interface ProxySettings {
  /** A proxy URL, null for none, undefined to read HTTPS_PROXY/HTTP_PROXY/NO_PROXY from `env`. */
  proxy?: string | null;
  /** Hosts never proxied (NO_PROXY syntax); default from env when `proxy` is undefined. */
  noProxy?: string;
  env?: NodeJS.ProcessEnv;
}

function envGet(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v && v.trim() ? v.trim() : undefined;
}

/** NO_PROXY matching as curl does: `*`, exact host, or a domain suffix (`.example.com` or `example.com`), optional :port. */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !entry.startsWith('[') && entry.split(':').length === 2) { entry = m[1]; entryPort = m[2]; }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort && entryPort !== port) continue;
    if (host === entry.replace(/^\./, '') || (entry.startsWith('.') ? host.endsWith(entry) : host.endsWith('.' + entry))) return true;
  }
  return false;
}

/** The proxy to use for `target`, or null. */
export function proxyFor(target: URL, settings: ProxySettings): URL | null {
  let raw: string | undefined;
  let noProxy = settings.noProxy;
  if (settings.proxy === null) return null;
  if (settings.proxy !== undefined) {
    raw = settings.proxy.trim() || undefined;
  } else {
    const env = settings.env ?? process.env;
    raw = target.protocol === 'https:' ? envGet(env, 'HTTPS_PROXY') ?? envGet(env, 'ALL_PROXY') : envGet(env, 'HTTP_PROXY') ?? envGet(env, 'ALL_PROXY');
    noProxy ??= envGet(env, 'NO_PROXY');
  }
  if (!raw || bypassesProxy(target, noProxy)) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new RemoteError('proxy', t('the proxy setting is not a valid URL'));
  }
  if (url.protocol !== 'http:') {
    throw new RemoteError('proxy', t('proxy scheme {0} is not supported (use an http:// proxy; HTTPS targets are tunnelled with CONNECT)', url.protocol));
  }
  return url;
}

export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64'); // l10n-ignore: an HTTP header value
}

type ConnectCallback = (err: Error | null, socket?: Duplex) => void;

/** An https.Agent whose sockets are TLS inside a CONNECT tunnel through an http:// proxy; keep-alive pooling works as usual. */
export class TunnelAgent extends https.Agent {
  constructor(private readonly proxy: URL, options: https.AgentOptions) {
    super(options);
  }

  // Node calls createConnection(options, callback) and accepts the socket through the callback.
  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number; servername?: string }, callback: ConnectCallback): undefined {
    const host = options.host ?? 'localhost';
    const port = options.port ?? 443;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { host: authority };
    const auth = proxyAuthorization(this.proxy);
    if (auth) headers['proxy-authorization'] = auth;
    const req = http.request({
      host: this.proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(this.proxy.port || 80), method: 'CONNECT', path: authority, headers, agent: false,
    });
    let done = false;
    const finish = (err: Error | null, socket?: Duplex): void => { if (!done) { done = true; callback(err, socket); } };
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(new RemoteError('proxy', t('the proxy refused the tunnel to {0} (HTTP {1})', authority, res.statusCode ?? 0), res.statusCode));
        return;
      }
      const secure = tls.connect({ ...options, socket, servername: options.servername ?? (isIp(host) ? undefined : host) });
      secure.once('secureConnect', () => finish(null, secure));
      secure.once('error', (e) => finish(e));
    });
    req.once('error', (e) => finish(new RemoteError('proxy', t('cannot reach the proxy {0} ({1})', this.proxy.host, (e as NodeJS.ErrnoException).code ?? e.message))));
    req.end();
    return undefined;
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
