// Opening a checkpoint on a Hub-layout server: the index (plain GET) or the single file, each shard's header by two
// Range requests (8 bytes, then exactly the header), config.json; then the same assembly as for local files.
import { assembleCheckpoint, type Checkpoint, type LoadedHeader } from '../format/checkpoint';
import { MAX_CONFIG_BYTES, parseConfig, type ConfigSummary } from '../format/config';
import { CheckpointError } from '../format/errors';
import { headerLimits, parseHeaderJson, parseHeaderLength, type HeaderOptions } from '../format/header';
import { NeedMoreBytes, parseGgufHeader, tooLarge, type GgufHeader } from '../format/gguf/header';
import { completeGgufHeader, GGUF_FIRST_READ } from '../format/gguf/open';
import { MAX_INDEX_BYTES, parseShardIndex, type ShardIndex } from '../format/shardIndex';
import { t } from '../l10n';
import { RemoteError } from './errors';
import { HttpClient, type HttpClientOptions, type TransferStats } from './http';
import { explainHttpError, formatHfUri, hubRef, parseHfUri, resolveEndpoint, resolveUrl, type HubRef } from './hub';

export interface RemoteOpenOptions extends Omit<HttpClientOptions, 'tokenOrigin' | 'token'>, HeaderOptions {
  /** Server base URL (default: HF_ENDPOINT, else https://huggingface.co). */
  endpoint?: string;
  /** Access token; default HF_TOKEN (then HUGGING_FACE_HUB_TOKEN). null: send none. */
  token?: string | null;
  /** Environment to read HF_ENDPOINT/HF_TOKEN/proxies from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface RemoteFile {
  /** Path inside the repo. */
  repoPath: string;
  /** Resolve URL (pinned to the commit when the server gave one). */
  url: string;
  size: number;
}

export interface RemoteCheckpoint {
  checkpoint: Checkpoint;
  ref: HubRef;
  endpoint: string;
  /** Commit hash the revision resolved to (X-Repo-Commit), or null when the server did not say. */
  commit: string | null;
  /** Shards in Checkpoint.files order. */
  files: RemoteFile[];
  /** Index / config files read (repo paths). */
  metaFiles: string[];
  /** The checkpoint's folder inside the repo ('' for the root): where its sidecar files are. */
  folder: string;
  client: HttpClient;
  stats: TransferStats;
  close(): void;
}

/** A GGUF header over HTTP: Range reads from byte 0 that grow ×4 until the header is whole or over the limit. */
async function readRemoteGguf(
  read: (from: number, length: number) => Promise<Buffer>, size: number, shown: string, name: string, options: HeaderOptions,
): Promise<{ header: GgufHeader; raw: Buffer }> {
  const most = Math.min(size, headerLimits(options).maxHeaderBytes);
  for (let length = Math.min(most, GGUF_FIRST_READ); ; length = Math.min(most, length * 4)) {
    const bytes = await read(0, length);
    try {
      const header = completeGgufHeader(parseGgufHeader(bytes, size, shown, 0, options), name);
      return { header, raw: bytes.subarray(0, header.headerLength) };
    } catch (e) {
      if (!(e instanceof NeedMoreBytes)) throw e;
      if (length >= most) throw tooLarge(length, headerLimits(options).maxHeaderBytes, shown);
    }
  }
}

const INDEX_NAME = 'model.safetensors.index.json';
const SINGLE_NAME = 'model.safetensors';

/** The token to use: explicit option (null = none), else HF_TOKEN, else HUGGING_FACE_HUB_TOKEN. */
export function resolveToken(option: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  if (option === null) return null;
  const token = (option ?? env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN ?? '').trim();
  return token || null;
}

function join(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '';
}

export async function openRemoteCheckpoint(target: string | HubRef, options: RemoteOpenOptions = {}): Promise<RemoteCheckpoint> {
  const ref = typeof target === 'string' ? parseHfUri(target) : hubRef(target.repo, target.revision, target.path);
  const env = options.env ?? process.env;
  const endpoint = resolveEndpoint(options.endpoint, env);
  const token = resolveToken(options.token, env);
  const client = new HttpClient({ ...options, env, token, tokenOrigin: endpoint });
  try {
    return await openWith(client, ref, endpoint, token !== null, options);
  } catch (e) {
    client.close();
    throw e;
  }
}

async function openWith(client: HttpClient, ref: HubRef, endpoint: string, hasToken: boolean, options: RemoteOpenOptions): Promise<RemoteCheckpoint> {
  // Until the server names the commit, files are addressed by the revision asked for; after, by the commit, so that
  // every file comes from the same snapshot even if the branch moves meanwhile.
  const rev = (): string => client.commit ?? ref.revision;
  const urlOf = (repoPath: string): string => resolveUrl(endpoint, ref.repo, rev(), repoPath);
  const hfPath = (repoPath: string): string => formatHfUri({ ...ref, path: repoPath });
  const explain = <T>(repoPath: string, p: Promise<T>): Promise<T> =>
    p.catch((e) => { throw explainHttpError(e, { endpoint, repo: ref.repo, revision: ref.revision, file: repoPath, hasToken }); });

  let folder = ref.path;
  let indexPath: string | undefined;
  let shardNames: string[];
  let index: ShardIndex | undefined;
  const metaFiles: string[] = [];
  const gguf = /\.gguf$/.test(ref.path);
  if (/\.safetensors$/.test(ref.path) || gguf) {
    folder = dirOf(ref.path);
    shardNames = [ref.path.slice(folder ? folder.length + 1 : 0)];
  } else {
    const wanted = /\.json$/.test(ref.path) ? ref.path : join(ref.path, INDEX_NAME);
    if (/\.json$/.test(ref.path)) folder = dirOf(ref.path);
    const res = await explain(wanted, client.getSmall(urlOf(wanted), MAX_INDEX_BYTES, wanted !== ref.path));
    if (res) {
      indexPath = wanted;
      metaFiles.push(wanted);
      index = parseShardIndex(res.body, hfPath(wanted), options.maxTensors);
      shardNames = index.shards;
    } else {
      shardNames = [SINGLE_NAME];
    }
  }

  const files: RemoteFile[] = [];
  const headers: LoadedHeader[] = [];
  await Promise.all(shardNames.map(async (name, fileIndex) => {
    const repoPath = join(folder, name);
    const url = urlOf(repoPath);
    const shown = hfPath(repoPath);
    let prefix: Buffer;
    try {
      prefix = await explain(repoPath, client.getRange(url, 0, 8));
    } catch (e) {
      if (e instanceof RemoteError && e.code === 'file-not-found' && !indexPath && name === SINGLE_NAME && !/\.safetensors$/.test(ref.path)) {
        const example = `hf://${ref.repo}@${ref.revision}/<path>`;
        const message = folder
          ? t('{0}: neither {1} nor {2} was found in {3}/ ({4}). Name the file or subfolder: {5}', formatHfUri(ref), INDEX_NAME, SINGLE_NAME, folder, e.message, example)
          : t('{0}: neither {1} nor {2} was found ({3}). Name the file or subfolder: {4}', formatHfUri(ref), INDEX_NAME, SINGLE_NAME, e.message, example);
        throw new RemoteError('no-checkpoint', message, e.status, e.url);
      }
      if (e instanceof RemoteError && e.code === 'file-not-found' && indexPath) {
        throw new CheckpointError('missing-shard', t('shard {0} listed in the index does not exist ({1})', JSON.stringify(name), e.message), { file: hfPath(indexPath) });
      }
      throw e;
    }
    const size = client.sizeOf(url);
    if (size === undefined) throw new RemoteError('bad-response', t('{0}: the server did not give the file size (Content-Range total)', shown));
    files[fileIndex] = { repoPath, url, size };
    if (gguf) {
      const { header, raw } = await readRemoteGguf((from, n) => explain(repoPath, client.getRange(url, from, n)), size, shown, name, options);
      headers[fileIndex] = { name, path: shown, header, raw };
      return;
    }
    const length = parseHeaderLength(prefix, size, shown, options);
    const raw = await explain(repoPath, client.getRange(url, 8, length));
    const header = parseHeaderJson(raw, size, shown, fileIndex, options);
    headers[fileIndex] = { name, path: shown, header, raw };
  }));

  const warnings: string[] = [];
  const configPath = join(folder, 'config.json');
  let config: ConfigSummary | undefined;
  const cfg = await explain(configPath, client.getSmall(urlOf(configPath), MAX_CONFIG_BYTES, true));
  if (cfg) {
    metaFiles.push(configPath);
    config = parseConfig(cfg.body, warnings);
  }
  const pinned = { ...ref, revision: rev(), path: folder };
  const checkpoint = assembleCheckpoint({
    path: formatHfUri({ ...ref, revision: rev() }),
    folder: formatHfUri(pinned),
    format: gguf ? 'gguf' : 'safetensors',
    kind: indexPath ? 'sharded' : 'file',
    indexPath: indexPath ? hfPath(indexPath) : undefined,
    headers, weightMap: index?.weightMap, indexMetadata: index?.metadata, warnings, limits: options,
  });
  const ggufHeader = gguf ? (headers[0]?.header as GgufHeader | undefined) : undefined;
  checkpoint.config = config ?? ggufHeader?.config;
  if (ggufHeader?.tokenizer) checkpoint.embeddedTokenizer = ggufHeader.tokenizer;
  return {
    checkpoint, ref, endpoint, commit: client.commit, files, metaFiles, folder, client, stats: client.stats,
    close: () => client.close(),
  };
}
