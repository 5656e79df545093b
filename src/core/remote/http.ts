// A small HTTP client for Range reads, on node:http/https only (no dependency): keep-alive pools, a bound on parallel
// requests, redirects followed by hand (the token is sent only to the endpoint's own host, never to a CDN it redirects
// to, as huggingface_hub does), retries with exponential backoff and jitter on 429/5xx and dropped connections
// (Retry-After respected), a partially received range resumed from where it stopped, and a refusal to download
// whole files from a server that ignores Range.
import * as http from 'node:http';
import * as https from 'node:https';
import { t } from '../l10n';
import { RemoteError, abortError, displayUrl } from './errors';
import { DEFAULT_RETRY, HttpStatusError, RETRY_STATUS, Retryable, Semaphore, TRANSIENT_CODES, parseRetryAfter, type RetryPolicy } from './retry';
import { ProxySettings, TunnelAgent, proxyAuthorization, proxyFor } from './proxy';

export interface HttpClientOptions extends ProxySettings {
  /** Bearer token; sent only to requests whose host is `tokenHost`'s. Never logged or put in errors. */
  token?: string | null;
  /** URL whose origin may receive the token (the endpoint). */
  tokenOrigin?: string;
  /** Requests in flight at once (default 6). */
  parallel?: number;
  /** Socket idle timeout, ms (default 30,000). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Extra trusted CA certificates (PEM), e.g. for a mirror with a private CA. NODE_EXTRA_CA_CERTS works too. */
  ca?: string | Buffer | Array<string | Buffer>;
  userAgent?: string;
  signal?: AbortSignal;
}

export interface TransferStats {
  /** Body bytes received (all responses, including partial ones). */
  bytes: number;
  /** HTTP requests sent (each redirect hop counts). */
  requests: number;
  /** Attempts repeated after a failure. */
  retries: number;
}

export interface SmallResponse {
  status: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
  url: string;
  commit: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;


export class HttpClient {
  readonly stats: TransferStats = { bytes: 0, requests: 0, retries: 0 };
  /** Called whenever stats change. */
  onStats?: (stats: TransferStats) => void;
  private readonly sem: Semaphore;
  private readonly retry: RetryPolicy;
  private readonly agents = new Map<string, http.Agent>();
  /** Final URL of a redirected resource, so later ranges skip the redirect hop. */
  private readonly located = new Map<string, string>();
  private readonly tokenHost: string | null;
  private readonly token: string | null;
  /** Total sizes from Content-Range, per resource URL. */
  private readonly sizes = new Map<string, number>();
  /** First X-Repo-Commit seen. */
  commit: string | null = null;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.sem = new Semaphore(Math.max(1, options.parallel ?? 6));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.token = options.token ? options.token : null;
    this.tokenHost = options.tokenOrigin ? new URL(options.tokenOrigin).host.toLowerCase() : null;
  }

  /** The resource's total size, known after a Range answer that gave it. */
  sizeOf(resource: string): number | undefined {
    return this.sizes.get(resource);
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agentFor(url: URL): { agent: http.Agent; proxy: URL | null } {
    const proxy = proxyFor(url, this.options);
    const key = `${url.protocol}|${proxy?.href ?? ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const common = { keepAlive: true, maxSockets: Math.max(1, this.options.parallel ?? 6) };
      if (url.protocol === 'https:') {
        agent = proxy ? new TunnelAgent(proxy, { ...common, ca: this.options.ca }) : new https.Agent({ ...common, ca: this.options.ca });
      } else {
        agent = new http.Agent(common);
      }
      this.agents.set(key, agent);
    }
    return { agent, proxy: url.protocol === 'http:' ? proxy : null };
  }

  private mayGetToken(url: URL): boolean {
    return this.token !== null && this.tokenHost !== null && url.host.toLowerCase() === this.tokenHost;
  }

  /** One request (no redirect handling). */
  private requestOnce(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new RemoteError('bad-response', t('cannot follow a link to a {0} URL', url.protocol)));
        return;
      }
      const { agent, proxy } = this.agentFor(url);
      const lib = url.protocol === 'https:' ? https : http;
      const h: Record<string, string> = { ...headers, host: url.host };
      let req: http.ClientRequest;
      if (proxy) {
        const auth = proxyAuthorization(proxy);
        if (auth) h['proxy-authorization'] = auth;
        req = http.request({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80), path: url.href, method: 'GET', headers: h, agent });
      } else {
        req = lib.request(url, { method: 'GET', headers: h, agent });
      }
      this.stats.requests++;
      const onAbort = (): void => { req.destroy(abortError()); };
      if (signal) {
        if (signal.aborted) { req.destroy(abortError()); } else signal.addEventListener('abort', onAbort, { once: true });
      }
      req.setTimeout(this.options.timeoutMs ?? 30_000, () => req.destroy(Object.assign(new Error(t('timed out')), { code: 'ETIMEDOUT' })));
      req.once('response', (res) => {
        res.once('close', () => signal?.removeEventListener('abort', onAbort));
        resolve(res);
      });
      req.once('error', (e) => { signal?.removeEventListener('abort', onAbort); reject(e); });
      req.end();
    });
  }

  /** Follows redirects; returns the final response and its URL. */
  private async send(start: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<{ res: http.IncomingMessage; url: URL }> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const h: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'weightprint', 'accept-encoding': 'identity', ...headers };
      if (this.mayGetToken(url)) h.authorization = `Bearer ${this.token}`; // l10n-ignore: an HTTP header value
      const res = await this.requestOnce(url, h, signal);
      const commit = res.headers['x-repo-commit'];
      if (typeof commit === 'string' && /^[0-9a-f]{40}$/.test(commit) && !this.commit) this.commit = commit;
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        res.resume();
        if (hop >= MAX_REDIRECTS) throw new RemoteError('bad-response', t('too many redirects from {0}', displayUrl(start)), status);
        url = new URL(res.headers.location, url);
        continue;
      }
      return { res, url };
    }
  }

  private backoff(attempt: number, hint?: number): number {
    if (hint !== undefined) return Math.min(hint, this.retry.maxRetryAfterMs);
    const d = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    return Math.round(d * (0.5 + Math.random()));
  }

  private async sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
      const onAbort = (): void => { clearTimeout(timer); reject(abortError()); };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private signal(extra?: AbortSignal): AbortSignal | undefined {
    const a = this.options.signal;
    if (a && extra) return AbortSignal.any([a, extra]);
    return a ?? extra;
  }

  /** Classifies a transport error: retryable (dropped connection, timeout) or final. */
  private transportError(e: unknown, url: URL): Error {
    if (e instanceof RemoteError || e instanceof Retryable) return e;
    const err = e as NodeJS.ErrnoException;
    if ((err?.name === 'AbortError')) return abortError();
    const code = err?.code ?? '';
    if (TRANSIENT_CODES.has(code) || /socket hang up|aborted|premature|closed/i.test(String(err?.message))) {
      return new Retryable(t('connection to {0} failed ({1})', url.host, code || err?.message));
    }
    return new RemoteError('network', t('cannot reach {0} ({1})', url.host, code || err?.message || String(e)));
  }

  /**
   * Runs `attempt` with the retry policy. `attempt` returns true when it made progress (the failure count restarts),
   * and throws Retryable for failures worth repeating. `resource`: the URL read, as shown in the final error.
   */
  private async withRetries<T>(resource: string, signal: AbortSignal | undefined, attempt: () => Promise<{ done: true; value: T } | { done: false; progressed: boolean }>): Promise<T> {
    let failures = 0;
    for (;;) {
      if (signal?.aborted) throw abortError();
      let delay: number | undefined;
      let retryMessage = '';
      await this.sem.acquire();
      try {
        const r = await attempt();
        if (r.done) return r.value;
        if (r.progressed) failures = 0;
        continue;
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        if (signal?.aborted) throw abortError();
        retryMessage = e.message;
        delay = e.delayMs;
      } finally {
        this.sem.release();
      }
      if (failures >= this.retry.retries) {
        throw new RemoteError('network', t('reading {0}: gave up after {1} attempts ({2})', resource, failures + 1, retryMessage));
      }
      this.stats.retries++;
      this.onStats?.(this.stats);
      await this.sleep(this.backoff(failures, delay), signal);
      failures++;
    }
  }

  /**
   * Bytes [start, start + length) of `resource` through Range requests. A dropped body is resumed from the last byte
   * received. A 200 answer to a Range request is aborted at once: the server ignores Range.
   */
  async getRange(resource: string, start: number, length: number, extraSignal?: AbortSignal): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    if (length === 0) return out;
    const signal = this.signal(extraSignal);
    let got = 0;
    const origin = new URL(resource);
    return this.withRetries(displayUrl(origin), signal, async () => {
      const cached = this.located.get(resource);
      const target = cached ? new URL(cached) : origin;
      const first = start + got;
      const last = start + length - 1;
      let res: http.IncomingMessage;
      let finalUrl: URL;
      try {
        ({ res, url: finalUrl } = await this.send(target, { range: `bytes=${first}-${last}` }, signal));
      } catch (e) {
        throw this.transportError(e, target);
      }
      const status = res.statusCode ?? 0;
      if (status === 206) {
        const cr = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? '').trim());
        if (!cr || Number(cr[1]) !== first || Number(cr[2]) > last) {
          res.destroy();
          throw new RemoteError('range-invalid', cr
            ? t('{0}: the server answered bytes {1}-{2} to a request for bytes {3}-{4}', displayUrl(origin), cr[1], cr[2], first, last)
            : t('{0}: the server answered bytes (no Content-Range) to a request for bytes {1}-{2}', displayUrl(origin), first, last), status);
        }
        if (finalUrl.href !== origin.href) this.located.set(resource, finalUrl.href);
        if (cr[3] !== '*') this.sizes.set(resource, Number(cr[3]));
        const want = Number(cr[2]) - first + 1;
        let n = 0;
        try {
          for await (const chunk of res as AsyncIterable<Buffer>) {
            const take = Math.min(chunk.length, want - n);
            chunk.copy(out, got + n, 0, take);
            n += take;
            this.stats.bytes += chunk.length;
            this.onStats?.(this.stats);
          }
        } catch (e) {
          got += n;
          const err = this.transportError(e, finalUrl);
          if (err instanceof Retryable && n > 0) return { done: false, progressed: true } as const;
          throw err;
        }
        got += n;
        if (got >= length) return { done: true, value: out } as const;
        if (n > 0) return { done: false, progressed: true } as const;
        throw new Retryable(t('empty body for bytes {0}-{1}', first, last));
      }
      if (status === 200) {
        res.destroy();
        throw new RemoteError('range-ignored', t('{0}: server ignores Range requests; refusing to download whole files (it answered a Range request with HTTP 200 and the whole file)', displayUrl(finalUrl)), status, displayUrl(finalUrl));
      }
      if (cached && (status === 403 || status === 404 || status === 410)) {
        // A signed CDN URL that expired: resolve again through the endpoint.
        res.resume();
        this.located.delete(resource);
        return { done: false, progressed: true } as const;
      }
      throw await this.statusError(res, finalUrl);
    });
  }

  /** A small GET (JSON files); 404 gives null when `allowMissing`. */
  async getSmall(resource: string, maxBytes: number, allowMissing = false): Promise<SmallResponse | null> {
    const signal = this.signal();
    const url = new URL(resource);
    return this.withRetries(displayUrl(url), signal, async () => {
      let res: http.IncomingMessage;
      let finalUrl: URL;
      try {
        ({ res, url: finalUrl } = await this.send(url, {}, signal));
      } catch (e) {
        throw this.transportError(e, url);
      }
      const status = res.statusCode ?? 0;
      if (status === 200) {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          throw new RemoteError('too-large', t('{0} is {1} bytes, over the {2}-byte limit', displayUrl(finalUrl), declared, maxBytes), status);
        }
        const chunks: Buffer[] = [];
        let n = 0;
        try {
          for await (const chunk of res as AsyncIterable<Buffer>) {
            n += chunk.length;
            this.stats.bytes += chunk.length;
            this.onStats?.(this.stats);
            if (n > maxBytes) {
              res.destroy();
              throw new RemoteError('too-large', t('{0} is over the {1}-byte limit', displayUrl(finalUrl), maxBytes), status);
            }
            chunks.push(chunk);
          }
        } catch (e) {
          throw this.transportError(e, finalUrl);
        }
        return { done: true, value: { status, body: Buffer.concat(chunks), headers: res.headers, url: finalUrl.href, commit: this.commit } } as const;
      }
      if (status === 404 && allowMissing) {
        const err = await this.statusError(res, finalUrl);
        if (err instanceof RemoteError && err.code === 'file-not-found') return { done: true, value: null } as const;
        throw err;
      }
      throw await this.statusError(res, finalUrl);
    });
  }

  /** Turns a non-success status into a RemoteError (or Retryable for 429/5xx). Reads at most 4 KiB of the body. */
  private async statusError(res: http.IncomingMessage, url: URL): Promise<Error> {
    const status = res.statusCode ?? 0;
    const h = res.headers;
    if (RETRY_STATUS.has(status)) {
      res.resume();
      return new Retryable(t('HTTP {0} from {1}', status, url.host), parseRetryAfter(h['retry-after']), status);
    }
    let body = '';
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        this.stats.bytes += chunk.length;
        if (body.length < 4096) body += chunk.toString('utf8');
        if (body.length >= 4096) { res.destroy(); break; }
      }
    } catch {
      // The body is only used to explain the error.
    }
    const errorCode = String(h['x-error-code'] ?? '');
    const serverMessage = String(h['x-error-message'] ?? '').slice(0, 300);
    return new HttpStatusError(status, errorCode, serverMessage, url, body.slice(0, 300));
  }
}
