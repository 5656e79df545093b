// A checkpoint: one .safetensors file, a sharded set behind an index, or a folder holding either.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import { CheckpointError, checkpointFileError, quoteCapped } from './errors';
import { t } from '../l10n';
import { DType } from './dtype';
import { HeaderOptions, headerLimits, hiddenBytesText, parseHeaderJson, parseHeaderLength, SafetensorsHeader, TensorInfo } from './header';
import { RangeReader } from './rangeReader';
import { ConfigSummary, MAX_CONFIG_BYTES, parseConfig } from './config';
import { readShardIndex } from './shardIndex';
import { readFileWithLimit } from './safeRead';
import { ggufFolderNames, ggufSplitNames, readGgufHeader } from './gguf/open';
import type { GgufHeader } from './gguf/header';
import type { EmbeddedTokenizer } from './gguf/tokenizer';
import { isTorchFileName, readTorchCheckpoint } from './pytorch/torchFile';

export interface CheckpointFile {
  path: string;
  /** File name relative to the checkpoint's folder. */
  name: string;
  size: number;
  headerLength: number;
  dataStart: number;
  tensorCount: number;
  metadata: Record<string, string>;
}

/** A tensor of a checkpoint; fileIndex points into Checkpoint.files. */
export type TensorEntry = TensorInfo;

export interface DTypeBreakdown {
  tensors: number;
  parameters: number;
  bytes: number;
}

/** The file format of a checkpoint's files. */
export type CheckpointFormat = 'safetensors' | 'gguf' | 'pytorch';

export interface Checkpoint {
  /** What was opened, resolved to an absolute path. */
  path: string;
  folder: string;
  format: CheckpointFormat;
  kind: 'file' | 'sharded' | 'folder-of-files';
  indexPath?: string;
  files: CheckpointFile[];
  /** Tensors sorted by name. */
  tensors: TensorEntry[];
  parameters: number;
  /** Bytes of tensor data. */
  bytes: number;
  /** Bytes of all files. */
  fileBytes: number;
  dtypes: Partial<Record<DType, DTypeBreakdown>>;
  /** __metadata__ of the first file (shards usually repeat it). */
  metadata: Record<string, string>;
  indexMetadata?: Record<string, unknown>;
  config?: ConfigSummary;
  /** A tokenizer stored in the checkpoint's own header (GGUF's tokenizer.ggml.*), used when no tokenizer files lie beside it. */
  embeddedTokenizer?: EmbeddedTokenizer;
  /** SHA-256 over every file's header bytes, in file order: the checkpoint's identity for caches and reviews. */
  headerHash: string;
  warnings: string[];
}

export type OpenOptions = HeaderOptions;

/** Reads the header of one safetensors file. */
export async function readSafetensorsHeader(path: string, options: HeaderOptions = {}, fileIndex = 0): Promise<{ header: SafetensorsHeader; raw: Buffer }> {
  const reader = await RangeReader.open(path);
  try {
    const prefix = await reader.readDirect(0, Math.min(8, reader.size));
    const length = parseHeaderLength(prefix, reader.size, path, options);
    const raw = await reader.readDirect(8, length);
    return { header: parseHeaderJson(raw, reader.size, path, fileIndex, options), raw };
  } finally {
    await reader.close();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    throw new CheckpointError('not-found', t('no such file or folder ({0})', String((e as NodeJS.ErrnoException).code ?? e)), { file: path });
  }
}

interface Resolved {
  format: CheckpointFormat;
  kind: Checkpoint['kind'];
  folder: string;
  indexPath?: string;
  shardNames: string[];
}

async function resolveLayout(path: string): Promise<Resolved> {
  if (await isDirectory(path)) {
    const names = (await readdir(path)).sort();
    const index = names.find((n) => n === 'model.safetensors.index.json') ?? names.find((n) => n.endsWith('.safetensors.index.json'));
    if (index) return { format: 'safetensors', kind: 'sharded', folder: path, indexPath: join(path, index), shardNames: [] };
    const files = names.filter((n) => n.endsWith('.safetensors'));
    if (files.length === 0 && names.some((n) => n.endsWith('.gguf'))) {
      const gguf = ggufFolderNames(path, names);
      return { format: 'gguf', kind: gguf.length === 1 ? 'file' : 'sharded', folder: path, shardNames: gguf };
    }
    if (files.length === 0) {
      // PyTorch: its shard index, else its .bin / .pt / .pth files (a folder of safetensors never gets here).
      const torchIndex = names.find((n) => n === 'pytorch_model.bin.index.json') ?? names.find((n) => n.endsWith('.bin.index.json'));
      if (torchIndex) return { format: 'pytorch', kind: 'sharded', folder: path, indexPath: join(path, torchIndex), shardNames: [] };
      const torch = names.filter(isTorchFileName);
      if (torch.length) return { format: 'pytorch', kind: torch.length === 1 ? 'file' : 'folder-of-files', folder: path, shardNames: torch };
    }
    if (files.length === 0) throw new CheckpointError('empty', t('folder holds no checkpoint file (.safetensors, .gguf, .bin, .pt, .pth) and no index'), { file: path });
    return { format: 'safetensors', kind: files.length === 1 ? 'file' : 'folder-of-files', folder: path, shardNames: files };
  }
  if (path.endsWith('.json')) return { format: path.endsWith('.bin.index.json') ? 'pytorch' : 'safetensors', kind: 'sharded', folder: dirname(path), indexPath: path, shardNames: [] };
  const folder = dirname(path);
  if (await startsWithGguf(path)) {
    const names = ggufSplitNames(basename(path), basename(path) === path ? [] : await readdir(folder).catch(() => []));
    return { format: 'gguf', kind: names.length === 1 ? 'file' : 'sharded', folder, shardNames: names };
  }
  return { format: isTorchFileName(path) ? 'pytorch' : 'safetensors', kind: 'file', folder, shardNames: [basename(path)] };
}

/**
 * One file's header in its format. PyTorch files list storage bytes no tensor uses (the rest of a storage, optimizer
 * state saved beside the weights) as warnings, never refusals: unlike safetensors, the format allows them.
 */
function readHeaderOf(format: CheckpointFormat, path: string, options: HeaderOptions, fileIndex: number): Promise<{ header: SafetensorsHeader; raw: Uint8Array }> {
  if (format === 'gguf') return readGgufHeader(path, options, fileIndex);
  if (format === 'pytorch') return readTorchCheckpoint(path, { ...options, hiddenBytes: 'warn' }, fileIndex);
  return readSafetensorsHeader(path, options, fileIndex);
}

/** Whether a file begins with GGUF's magic number (whatever its name; a .gguf name alone is not trusted). */
async function startsWithGguf(path: string): Promise<boolean> {
  let reader: RangeReader | undefined;
  try {
    reader = await RangeReader.open(path);
    return reader.size >= 4 && (await reader.readDirect(0, 4)).toString('latin1') === 'GGUF';
  } catch {
    // Opening again below gives the error its proper words.
    return false;
  } finally {
    await reader?.close();
  }
}

export async function openCheckpoint(inputPath: string, options: OpenOptions = {}): Promise<Checkpoint> {
  const path = resolve(inputPath);
  const layout = await resolveLayout(path);
  const warnings: string[] = [];
  let weightMap: Map<string, string> | undefined;
  let indexMetadata: Record<string, unknown> | undefined;
  let shardNames = layout.shardNames;
  const limits = headerLimits(options);
  if (layout.indexPath) {
    const index = await readShardIndex(layout.indexPath, limits.maxTensors);
    weightMap = index.weightMap;
    indexMetadata = index.metadata;
    shardNames = index.shards;
  }

  // The limits hold for all the files together: each file may use what the ones before it left.
  const headers: LoadedHeader[] = [];
  const used = { maxHeaderBytes: 0, maxTensors: 0, maxMetadataEntries: 0 };
  // Hashed as read, so that the header bytes need not stay in memory.
  const hash = createHash('sha256');
  for (const name of shardNames) {
    const filePath = join(layout.folder, name);
    let result;
    try {
      const left = { hiddenBytes: limits.hiddenBytes, maxHeaderBytes: limits.maxHeaderBytes - used.maxHeaderBytes, maxTensors: limits.maxTensors - used.maxTensors, maxMetadataEntries: limits.maxMetadataEntries - used.maxMetadataEntries };
      result = await readHeaderOf(layout.format, filePath, left, headers.length);
    } catch (e) {
      if (e instanceof CheckpointError && e.code === 'not-found' && layout.indexPath) {
        throw new CheckpointError('missing-shard', t('shard {0} listed in the index does not exist', quoteCapped(name)), { file: layout.indexPath });
      }
      if (e instanceof CheckpointError && headers.length > 0 && isLimitCode(e.code)) throw overTotal(e.code, limits, filePath);
      throw e;
    }
    used.maxHeaderBytes += result.raw.length;
    used.maxTensors += result.header.tensors.length;
    used.maxMetadataEntries += Object.keys(result.header.metadata).length;
    hashHeader(hash, name, result.raw);
    headers.push({ name, path: filePath, header: result.header });
  }
  const checkpoint = assembleCheckpoint({
    path, folder: layout.folder, format: layout.format, kind: layout.kind, indexPath: layout.indexPath, headers, headerHash: hash.digest('hex'), weightMap, indexMetadata, warnings, limits,
  });
  // A GGUF file carries its configuration; a config.json beside it (rare) is taken first, as for other formats.
  const gguf = layout.format === 'gguf' ? (headers[0]?.header as GgufHeader | undefined) : undefined;
  checkpoint.config = await readConfig(layout.folder, warnings) ?? gguf?.config;
  if (gguf?.tokenizer) checkpoint.embeddedTokenizer = gguf.tokenizer;
  return checkpoint;
}

/** The local files openCheckpoint reads for a checkpoint: its files, its index and config.json (read when present). */
export function checkpointInputs(checkpoint: Pick<Checkpoint, 'files' | 'indexPath' | 'folder'>): string[] {
  return [...checkpoint.files.map((f) => f.path), ...(checkpoint.indexPath ? [checkpoint.indexPath] : []), join(checkpoint.folder, 'config.json')];
}

type LimitCode = 'header-too-large' | 'too-many-tensors' | 'too-much-metadata';

function isLimitCode(code: string): code is LimitCode {
  return code === 'header-too-large' || code === 'too-many-tensors' || code === 'too-much-metadata';
}

/** The error for a checkpoint whose files together are over one of the header limits. */
function overTotal(code: LimitCode, limits: Required<HeaderOptions>, file: string): CheckpointError {
  if (code === 'header-too-large') {
    return new CheckpointError(code, t('the headers of the checkpoint\'s files together exceed the limit of {0} bytes (setting weightprint.maxHeaderBytes)', limits.maxHeaderBytes), { file });
  }
  if (code === 'too-many-tensors') return new CheckpointError(code, t('the checkpoint\'s files together hold more than {0} tensors, the limit', limits.maxTensors), { file });
  return new CheckpointError(code, t('the checkpoint\'s files together hold more than {0} __metadata__ entries, the limit', limits.maxMetadataEntries), { file });
}

/** One parsed safetensors header and its raw JSON bytes, as read from disk or over HTTP. */
export interface LoadedHeader {
  /** File name relative to the checkpoint's folder (also what the index's weight_map names). */
  name: string;
  /** Path or URL of the file. */
  path: string;
  header: SafetensorsHeader;
  /** The header's JSON bytes (hashed into Checkpoint.headerHash), unless CheckpointParts.headerHash is given. */
  raw?: Uint8Array;
}

/** Adds one file to the hash behind Checkpoint.headerHash (files in order: name, NUL, header bytes). */
function hashHeader(hash: Hash, name: string, raw: Uint8Array): void {
  hash.update(name).update('\0').update(raw);
}

export interface CheckpointParts {
  path: string;
  folder: string;
  /** Default 'safetensors'. */
  format?: CheckpointFormat;
  kind: Checkpoint['kind'];
  indexPath?: string;
  /** In shard order (the order of the index's sorted shard names, or of the files). fileIndex must match. */
  headers: LoadedHeader[];
  /** Checkpoint.headerHash when already computed as the headers were read (else every header's `raw` is hashed). */
  headerHash?: string;
  weightMap?: Map<string, string>;
  indexMetadata?: Record<string, unknown>;
  config?: ConfigSummary;
  warnings?: string[];
  /** Limits on all the headers together (default: the defaults of HeaderOptions). */
  limits?: HeaderOptions;
}

/**
 * Builds a Checkpoint from headers that were already read: the checks against the index, name order, totals and the
 * header hash. openCheckpoint (local files) and the remote reader (src/core/remote) both end here, so both give the
 * same Checkpoint for the same bytes.
 */
export function assembleCheckpoint(parts: CheckpointParts): Checkpoint {
  const warnings = parts.warnings ?? [];
  const files: CheckpointFile[] = [];
  const tensors: TensorEntry[] = [];
  const hash = createHash('sha256');
  const limits = headerLimits(parts.limits);
  let headerBytes = 0;
  let metadataEntries = 0;
  for (const { name, path: filePath, header, raw } of parts.headers) {
    headerBytes += header.headerLength;
    metadataEntries += Object.keys(header.metadata).length;
    if (headerBytes > limits.maxHeaderBytes) throw overTotal('header-too-large', limits, filePath);
    if (tensors.length + header.tensors.length > limits.maxTensors) throw overTotal('too-many-tensors', limits, filePath);
    if (metadataEntries > limits.maxMetadataEntries) throw overTotal('too-much-metadata', limits, filePath);
    if (parts.headerHash === undefined) {
      // l10n-ignore: a caller's programming error
      if (!raw) throw new Error('assembleCheckpoint: a header without its bytes and no headerHash');
      hashHeader(hash, name, raw);
    }
    files.push({
      path: filePath, name, size: header.fileSize, headerLength: header.headerLength, dataStart: header.dataStart,
      tensorCount: header.tensors.length, metadata: header.metadata,
    });
    for (const tensor of header.tensors) tensors.push(tensor);
    // Only with hiddenBytes 'warn' (the editor): shown, never silently accepted.
    if (header.hiddenBytes?.length) warnings.push(t('{0}: {1}', name, hiddenBytesText(header.hiddenBytes, header.tensors)));
  }

  checkAgainstIndex(tensors, files, parts.weightMap, parts.indexPath, warnings);
  if (!isSortedByName(tensors)) tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const dtypes: Partial<Record<DType, DTypeBreakdown>> = {};
  let parameters = 0;
  let bytes = 0;
  for (const tensor of tensors) {
    parameters += tensor.count;
    bytes += tensor.end - tensor.begin;
    const d = (dtypes[tensor.dtype] ??= { tensors: 0, parameters: 0, bytes: 0 });
    d.tensors++;
    d.parameters += tensor.count;
    d.bytes += tensor.end - tensor.begin;
  }
  if (files.some((f) => f.size > Number.MAX_SAFE_INTEGER / 2)) {
    warnings.push(t('a file is larger than 2^52 bytes; offsets are exact only below 2^53'));
  }

  return {
    path: parts.path, folder: parts.folder, format: parts.format ?? 'safetensors', kind: parts.kind, indexPath: parts.indexPath, files, tensors, parameters, bytes,
    fileBytes: files.reduce((s, f) => s + f.size, 0), dtypes, metadata: files[0]?.metadata ?? {}, indexMetadata: parts.indexMetadata,
    config: parts.config, headerHash: parts.headerHash ?? hash.digest('hex'), warnings,
  };
}

function isSortedByName(tensors: TensorEntry[]): boolean {
  for (let i = 1; i < tensors.length; i++) if (tensors[i - 1].name > tensors[i].name) return false;
  return true;
}

function checkAgainstIndex(
  tensors: TensorEntry[], files: CheckpointFile[], weightMap: Map<string, string> | undefined, indexPath: string | undefined, warnings: string[],
): void {
  // Within one file the header parser already refused duplicates.
  if (files.length < 2 && !weightMap) return;
  const seen = new Map<string, number>();
  for (const tensor of tensors) {
    const other = seen.get(tensor.name);
    if (other !== undefined) {
      throw new CheckpointError('duplicate-name', t('tensor is stored in both {0} and {1}', files[other].name, files[tensor.fileIndex].name), { file: files[tensor.fileIndex].path, tensor: tensor.name, byteOffset: tensor.begin });
    }
    seen.set(tensor.name, tensor.fileIndex);
  }
  if (!weightMap || !indexPath) return;
  for (const [name, shard] of weightMap) {
    const fileIndex = seen.get(name);
    if (fileIndex === undefined) {
      throw new CheckpointError('wrong-shard', t('index lists the tensor in {0}, but no shard holds it', quoteCapped(shard)), { file: indexPath, tensor: name });
    }
    if (files[fileIndex].name !== shard) {
      throw new CheckpointError('wrong-shard', t('index says {0}, but the tensor is in {1}', quoteCapped(shard), quoteCapped(files[fileIndex].name)), { file: indexPath, tensor: name });
    }
  }
  const unlisted = tensors.filter((tensor) => !weightMap.has(tensor.name));
  if (unlisted.length) {
    warnings.push(t('{0} tensor(s) are in a shard but not in the index\'s weight_map (first: {1})', unlisted.length, quoteCapped(unlisted[0].name)));
  }
}

/**
 * config.json beside the checkpoint: absent or unreadable JSON leaves the checkpoint without a summary (a warning for
 * bad JSON); a special file or one over MAX_CONFIG_BYTES is refused like any hostile input.
 */
async function readConfig(folder: string, warnings: string[]): Promise<ConfigSummary | undefined> {
  const path = join(folder, 'config.json');
  let bytes: Buffer;
  try {
    bytes = await readFileWithLimit(path, MAX_CONFIG_BYTES);
  } catch (e) {
    const error = checkpointFileError(e, path, t('file not found'));
    if (error.code === 'not-regular' || error.code === 'too-large') throw error;
    return undefined;
  }
  return parseConfig(bytes, warnings);
}
