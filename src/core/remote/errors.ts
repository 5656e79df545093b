// Errors of remote reading. Messages name the repo, revision or file and say what to do; they never hold a token,
// and URLs in them are shown without query strings (signed CDN URLs carry signatures).
import { t } from '../l10n';

export type RemoteErrorCode =
  | 'bad-uri' | 'unauthorized' | 'gated' | 'forbidden' | 'repo-not-found' | 'revision-not-found' | 'file-not-found'
  | 'no-checkpoint' | 'range-ignored' | 'range-invalid' | 'http' | 'network' | 'too-large' | 'aborted' | 'proxy'
  | 'bad-response';

export class RemoteError extends Error {
  constructor(readonly code: RemoteErrorCode, message: string, readonly status?: number, readonly url?: string) {
    super(message);
    this.name = code === 'aborted' ? 'AbortError' : 'RemoteError';
  }
}

/** A URL as shown to people: no credentials, no query string, no fragment. */
export function displayUrl(url: URL | string): string {
  try {
    const u = new URL(String(url));
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return t('<invalid URL>');
  }
}

export function abortError(): RemoteError {
  return new RemoteError('aborted', t('remote fingerprint cancelled'));
}
