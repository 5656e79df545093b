// What the HTTP client retries and how long it waits (http.ts): the retry policy, the statuses and socket errors
// worth another attempt, Retry-After, the final status error, and the bound on requests in flight.
import { t } from '../l10n';
import { RemoteError, displayUrl } from './errors';

export interface RetryPolicy {
  /** Attempts after the first that made no progress (default 6). */
  retries: number;
  /** First backoff delay in ms (default 500); doubled each attempt, times a random factor in [0.5, 1.5). */
  baseDelayMs: number;
  /** Largest backoff delay and largest Retry-After honoured, ms (default 30,000 and 120,000). */
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Thrown inside the retry loop: worth another attempt after `delayMs` (undefined: backoff). */
export class Retryable extends Error {
  constructor(message: string, readonly delayMs?: number, readonly status?: number) { super(message); }
}

export const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
export const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** At most `limit` holders at once; the others wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) { this.active++; return; }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next(); else this.active--;
  }
}

/** A final (non-retryable) HTTP status; hub.ts turns it into a RemoteError naming repo, revision or file. */
export class HttpStatusError extends RemoteError {
  constructor(status: number, readonly errorCode: string, readonly serverMessage: string, url: URL, readonly bodyStart: string) {
    super(status === 404 && errorCode !== 'RepoNotFound' && errorCode !== 'RevisionNotFound' ? 'file-not-found' : 'http',
      serverMessage ? t('HTTP {0} from {1} ({2})', status, displayUrl(url), serverMessage) : t('HTTP {0} from {1}', status, displayUrl(url)), status, displayUrl(url));
  }
}

export function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const when = Date.parse(s);
  return Number.isFinite(when) ? Math.max(0, when - Date.now()) : undefined;
}
