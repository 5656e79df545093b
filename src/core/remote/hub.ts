// Hugging Face Hub addressing: hf://owner/repo[@revision][/path] and the `/{repo}/resolve/{revision}/{file}` layout
// served by huggingface.co and by mirrors (HF_ENDPOINT). Errors are explained in the Hub's terms.
import { HttpStatusError } from './http';
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
    throw new RemoteError('bad-uri', `${JSON.stringify(repo.slice(0, 200))} is not a Hugging Face repo id (owner/name)`);
  }
  const rev = revision.trim() || 'main';
  if (rev.length > 256 || /[\s\0]/.test(rev) || rev.split('/').some((s) => s === '..' || s === '.')) {
    throw new RemoteError('bad-uri', `${JSON.stringify(rev.slice(0, 100))} is not a valid revision`);
  }
  const segs = path.trim().split('/').filter((s) => s !== '');
  if (segs.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) {
    throw new RemoteError('bad-uri', `path ${JSON.stringify(path.slice(0, 200))} must stay inside the repo`);
  }
  return { repo: parts.join('/'), revision: rev, path: segs.join('/') };
}

/** Parses hf://owner/repo[@revision][/subfolder-or-file]. A revision with slashes is written %2F-encoded, or as refs/pr/N. */
export function parseHfUri(uri: string): HubRef {
  const m = /^hf:\/\/(.+)$/i.exec(uri.trim());
  if (!m) throw new RemoteError('bad-uri', `${JSON.stringify(uri.slice(0, 200))} is not an hf:// URI (hf://owner/repo[@revision][/subfolder])`);
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
    try { revision = decodeURIComponent(revRaw); } catch { throw new RemoteError('bad-uri', 'revision is not valid percent-encoding'); }
    if (!revision) throw new RemoteError('bad-uri', 'empty revision after "@"');
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
  try { url = new URL(raw); } catch { throw new RemoteError('bad-uri', `endpoint ${JSON.stringify(raw.slice(0, 200))} is not a URL`); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RemoteError('bad-uri', `endpoint must be http(s), not ${url.protocol}`);
  if (url.username || url.password) throw new RemoteError('bad-uri', 'endpoint must not hold credentials (use the token setting)');
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
  const server = e.serverMessage ? ` Server says: ${e.serverMessage}` : '';
  if (status === 401) {
    return new RemoteError('unauthorized', ctx.hasToken
      ? `${where}: HTTP 401, the token was refused (expired or mistyped?). Check HF_TOKEN or the token set with "Weightprint: Set Hugging Face Token".${server}`
      : `${where}: HTTP 401, the repository is private or gated, or does not exist. For a gated model, accept its licence on ${page} and set HF_TOKEN (or "Weightprint: Set Hugging Face Token") to a token with read access.${server}`, status, e.url);
  }
  if (status === 403) {
    const gated = e.errorCode === 'GatedRepo' || /gated|access to model|restricted/i.test(`${e.serverMessage} ${e.bodyStart}`);
    return new RemoteError(gated ? 'gated' : 'forbidden', gated || ctx.hasToken
      ? `${where}: HTTP 403, access to this gated repository is not granted to this token. Accept the licence / request access on ${page}, wait for approval, then retry with HF_TOKEN (or "Weightprint: Set Hugging Face Token").${server}`
      : `${where}: HTTP 403, access denied. If the model is gated, accept its licence on ${page} and set HF_TOKEN (or "Weightprint: Set Hugging Face Token").${server}`, status, e.url);
  }
  if (status === 404) {
    if (e.errorCode === 'RepoNotFound') return new RemoteError('repo-not-found', `repository ${ctx.repo} not found on ${ctx.endpoint} (a private repo also needs HF_TOKEN).${server}`, status, e.url);
    if (e.errorCode === 'RevisionNotFound') return new RemoteError('revision-not-found', `revision ${JSON.stringify(ctx.revision)} not found in ${ctx.repo}.${server}`, status, e.url);
    if (e.errorCode === 'EntryNotFound') return new RemoteError('file-not-found', `file ${ctx.file} not found in ${where}.${server}`, status, e.url);
    return new RemoteError('file-not-found', `not found: ${ctx.file} in ${where} on ${ctx.endpoint} (the repo, the revision or the file does not exist; the server did not say which).${server}`, status, e.url);
  }
  if (status === 416) return new RemoteError('range-invalid', `${ctx.file} in ${where}: HTTP 416, the file is shorter than its header says`, status, e.url);
  return new RemoteError('http', `${ctx.file} in ${where}: ${e.message}`, status, e.url);
}
