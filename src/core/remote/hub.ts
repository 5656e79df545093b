// Hugging Face Hub addressing: hf://owner/repo[@revision][/path] and the `/{repo}/resolve/{revision}/{file}` layout
// served by huggingface.co and by mirrors (HF_ENDPOINT). Errors are explained in the Hub's terms.
import { t } from '../l10n';
import { HttpStatusError } from './retry';
import { RemoteError } from './errors';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubRef {
  /** owner/name (or a bare legacy name). */
  repo: string;
  /** Branch, tag or commit hash (default "main"). */
  revision: string;
  /** Subfolder, or a .safetensors / .safetensors.index.json file inside the repo; '' for the root. */
  path: string;
}

const REPO_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** Checks and normalises a repo id, revision and path given separately (the extension's input box). */
export function hubRef(repo: string, revision = 'main', path = ''): HubRef {
  const parts = repo.trim().replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => REPO_PART.test(p)) || parts.some((p) => p.includes('..'))) {
    throw new RemoteError('bad-uri', t('{0} is not a Hugging Face repo id (owner/name)', JSON.stringify(repo.slice(0, 200))));
  }
  const rev = revision.trim() || 'main';
  if (rev.length > 256 || /[\s\0]/.test(rev) || rev.split('/').some((s) => s === '..' || s === '.')) {
    throw new RemoteError('bad-uri', t('{0} is not a valid revision', JSON.stringify(rev.slice(0, 100))));
  }
  const segs = path.trim().split('/').filter((s) => s !== '');
  if (segs.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) {
    throw new RemoteError('bad-uri', t('path {0} must stay inside the repo', JSON.stringify(path.slice(0, 200))));
  }
  return { repo: parts.join('/'), revision: rev, path: segs.join('/') };
}

/** Parses hf://owner/repo[@revision][/subfolder-or-file]. A revision with slashes is written %2F-encoded, or as refs/pr/N. */
export function parseHfUri(uri: string): HubRef {
  const m = /^hf:\/\/(.+)$/i.exec(uri.trim());
  if (!m) throw new RemoteError('bad-uri', t('{0} is not an hf:// URI (hf://owner/repo[@revision][/subfolder])', JSON.stringify(uri.slice(0, 200))));
  let rest = m[1];
  let revision = 'main';
  const at = rest.indexOf('@');
  let repoPart: string;
  if (at >= 0) {
    repoPart = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const pr = /^(refs\/(?:pr|convert)\/[^/]+)(?:\/(.*))?$/.exec(rest);
    let revRaw: string;
    if (pr) { revRaw = pr[1]; rest = pr[2] ?? ''; } else {
      const slash = rest.indexOf('/');
      revRaw = slash >= 0 ? rest.slice(0, slash) : rest;
      rest = slash >= 0 ? rest.slice(slash + 1) : '';
    }
    try { revision = decodeURIComponent(revRaw); } catch { throw new RemoteError('bad-uri', t('revision is not valid percent-encoding')); }
    if (!revision) throw new RemoteError('bad-uri', t('empty revision after "@"'));
    return hubRef(repoPart, revision, rest);
  }
  const segs = rest.split('/');
  repoPart = segs.slice(0, 2).join('/');
  return hubRef(repoPart, revision, segs.slice(2).join('/'));
}

export function formatHfUri(ref: HubRef): string {
  const rev = ref.revision.startsWith('refs/') ? ref.revision : encodeURIComponent(ref.revision);
  return `hf://${ref.repo}${ref.revision === 'main' ? '' : `@${rev}`}${ref.path ? `/${ref.path}` : ''}`;
}

/** The endpoint to use: option, else HF_ENDPOINT, else https://huggingface.co; without a trailing slash. */
export function resolveEndpoint(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = (option ?? env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).trim() || DEFAULT_ENDPOINT;
  let url: URL;
  try { url = new URL(raw); } catch { throw new RemoteError('bad-uri', t('endpoint {0} is not a URL', JSON.stringify(raw.slice(0, 200)))); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RemoteError('bad-uri', t('endpoint must be http(s), not {0}', url.protocol));
  if (url.username || url.password) throw new RemoteError('bad-uri', t('endpoint must not hold credentials (use the token setting)'));
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `{endpoint}/{repo}/resolve/{revision}/{file}`; each path segment percent-encoded. */
export function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const enc = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${enc(repo)}/resolve/${encodeURIComponent(revision)}/${enc(file)}`;
}

/** Explains a final HTTP error in terms of repo, revision and file, with what to do for 401/403. */
export function explainHttpError(e: unknown, ctx: { endpoint: string; repo: string; revision: string; file: string; hasToken: boolean }): unknown {
  if (!(e instanceof HttpStatusError)) return e;
  const where = `${ctx.repo}@${ctx.revision}`;
  const page = `${ctx.endpoint}/${ctx.repo}`;
  const status = e.status ?? 0;
  // The server's own words, a sentence of their own after the explanation.
  const server = e.serverMessage ? ` ${t('Server says: {0}', e.serverMessage)}` : '';
  if (status === 401) {
    return new RemoteError('unauthorized', ctx.hasToken
      ? t('{0}: HTTP 401, the token was refused (expired or mistyped?). Check HF_TOKEN or the token set with "Weightprint: Set Hugging Face Token".', where) + server
      : t('{0}: HTTP 401, the repository is private or gated, or does not exist. For a gated model, accept its licence on {1} and set HF_TOKEN (or "Weightprint: Set Hugging Face Token") to a token with read access.', where, page) + server,
    status, e.url);
  }
  if (status === 403) {
    const gated = e.errorCode === 'GatedRepo' || /gated|access to model|restricted/i.test(`${e.serverMessage} ${e.bodyStart}`);
    return new RemoteError(gated ? 'gated' : 'forbidden', gated || ctx.hasToken
      ? t('{0}: HTTP 403, access to this gated repository is not granted to this token. Accept the licence / request access on {1}, wait for approval, then retry with HF_TOKEN (or "Weightprint: Set Hugging Face Token").', where, page) + server
      : t('{0}: HTTP 403, access denied. If the model is gated, accept its licence on {1} and set HF_TOKEN (or "Weightprint: Set Hugging Face Token").', where, page) + server,
    status, e.url);
  }
  if (status === 404) {
    if (e.errorCode === 'RepoNotFound') {
      return new RemoteError('repo-not-found', t('repository {0} not found on {1} (a private repo also needs HF_TOKEN).', ctx.repo, ctx.endpoint) + server, status, e.url);
    }
    if (e.errorCode === 'RevisionNotFound') {
      return new RemoteError('revision-not-found', t('revision {0} not found in {1}.', JSON.stringify(ctx.revision), ctx.repo) + server, status, e.url);
    }
    if (e.errorCode === 'EntryNotFound') return new RemoteError('file-not-found', t('file {0} not found in {1}.', ctx.file, where) + server, status, e.url);
    return new RemoteError('file-not-found',
      t('not found: {0} in {1} on {2} (the repo, the revision or the file does not exist; the server did not say which).', ctx.file, where, ctx.endpoint) + server,
      status, e.url);
  }
  if (status === 416) return new RemoteError('range-invalid', t('{0} in {1}: HTTP 416, the file is shorter than its header says', ctx.file, where), status, e.url);
  return new RemoteError('http', t('{0} in {1}: {2}', ctx.file, where, e.message), status, e.url);
}
