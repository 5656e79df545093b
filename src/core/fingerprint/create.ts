// Making a fingerprint from a local checkpoint with sampled reads: cost grows with the tensor count, not the bytes.
import { basename } from 'node:path';
import { Checkpoint, openCheckpoint } from '../format/checkpoint';
import { CheckpointReader, type ByteSourceFactory } from '../format/tensorData';
import { classifyAll } from '../naming/classify';
import { t } from '../l10n';
import { PROBE_MAX_COLS, PROBE_ROWS, SAMPLE_TARGET, WINDOW_COLS, planIndices, probeRows, samplePlan, shapeRowsCols } from './plan';
import { gatherElements, hashTensor, mapLimit } from './sampler';
import { realView } from '../format/rowOrder';
import { FingerprintError } from './errors';
import { GRAM_KINDS, GRAM_MAX_LENGTH, GRAM_SIZE, GRAM_VALUES, hasGramSide, readGram } from './gram';
import { base64Length, checkModel, checkTensorHead, MAX_FINGERPRINT_BYTES, MAX_MODEL_ID } from './limits';
import type { Fingerprint, FingerprintModel, FingerprintOrigin, SampleMoments, TensorFingerprint } from './types';
import { readTokenizerFiles } from '../sidecars/tokenizerFiles';
import { localSidecars, type SidecarSource } from '../sidecars/source';
import { tokenizerFingerprint, type TokenizerFingerprint } from '../sidecars/tokenizerPrint';
import { tokenizerFromGguf } from '../sidecars/ggufTokenizer';
import type { EmbeddedTokenizer } from '../format/gguf/tokenizer';

declare const __VERSION__: string | undefined;
export const TOOL_VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.1.0';

export interface FingerprintOptions {
  id?: string;
  source?: string;
  /** Hash tensors whose raw size is at most this many bytes (default 4 MiB; 0 = never, Infinity = always). */
  hashMaxBytes?: number;
  /** Concurrent tensor reads (default 8). */
  concurrency?: number;
  /** Called after each tensor. */
  onProgress?: (done: number, total: number) => void;
  /** Stops early when aborted (rejects with an AbortError). */
  signal?: AbortSignal;
  /** Where the files' bytes come from (default: the local files); remote fingerprints read over HTTP through this. */
  openSource?: ByteSourceFactory;
  /** model.createdAt (default: now, ISO 8601). */
  createdAt?: string;
  /** model.origin: where a downloaded-by-range fingerprint came from (URL, revision, commit, fetch date). */
  origin?: FingerprintOrigin;
  /**
   * Column Gram sketches of the matrices that write the residual stream (o, down), which let their rotation be found
   * (default false). A column sketch reads GRAM_SIZE values from every row, in practice the whole matrix: about a
   * third of a dense model's bytes, against O(tensors) reads for everything else; over HTTP a whole-tensor download.
   */
  gramColumns?: boolean;
  /**
   * Row Gram sketches (default true): 32 full rows per matrix that reads the residual stream. Remote fingerprints
   * leave them out: over HTTP they multiply the bytes fetched (10 GB bench model: 3.3 MB without, 22.8 MB with).
   */
  gramRows?: boolean;
  /**
   * The tokenizer's fingerprint, or where its files come from. Default: read from the checkpoint's folder when its
   * bytes are local (none for remote ones unless given); null stores none.
   */
  tokenizer?: TokenizerFingerprint | SidecarSource | null;
  /** Told one line per tokenizer file that could not be read (the fingerprint is made without it). */
  onSidecarProblem?: (line: string) => void;
}

export const DEFAULT_HASH_MAX_BYTES = 4 << 20;

export function sampleMoments(values: Float32Array): SampleMoments {
  let n = 0; let nonFinite = 0; let sum = 0;
  let min = Infinity; let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) { nonFinite++; continue; }
    n++; sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? sum / n : 0;
  let ss = 0;
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    ss += (v - mean) * (v - mean);
    if (seen.size < 64) seen.add(v);
  }
  return {
    n, nonFinite, mean, std: n ? Math.sqrt(ss / n) : 0, min: n ? min : 0, max: n ? max : 0,
    absmax: n ? Math.max(Math.abs(min), Math.abs(max)) : 0, distinct: seen.size,
  };
}

/** Tensors that get a column probe: 2-D embedding/head tensors, or else the 2-D tensor with the most rows. */
export function probeTensorIndices(shapes: number[][], kinds: string[]): Set<number> {
  const out = new Set<number>();
  shapes.forEach((s, i) => {
    if ((kinds[i] === 'embedding' || kinds[i] === 'head') && s.length === 2 && probeRows(s).length) out.add(i);
  });
  if (out.size === 0) {
    let best = -1;
    shapes.forEach((s, i) => {
      if (s.length === 2 && probeRows(s).length && s[0] > s[1] && (best < 0 || s[0] > shapes[best][0])) best = i;
    });
    if (best >= 0) out.add(best);
  }
  return out;
}

/** Kinds that write into the residual stream: a rotation of it turns their rows, so their column sketch carries it. */
const WRITES_RESIDUAL = new Set(['attn-o', 'mlp-down']);

/**
 * Which Gram sketch a tensor of this role gets: the side on which a rotated residual stream leaves the Gram unchanged
 * (rows of the matrices that read it, columns of those that write it). Token-indexed matrices get none (gram.ts).
 */
export function gramSides(shape: readonly number[], kind: string, columns: boolean, rows: boolean): { rows: boolean; cols: boolean } {
  const hidden = GRAM_KINDS.has(kind as never);
  const writes = WRITES_RESIDUAL.has(kind);
  return {
    rows: hidden && !writes && rows && hasGramSide(shape, 'rows'),
    cols: hidden && writes && columns && hasGramSide(shape, 'cols'),
  };
}

/**
 * Refuses, before any tensor is read, a checkpoint whose fingerprint the loader would reject: the model fields and
 * every tensor's name and shape go through the loader's own checks, and the file's size is estimated from the plan.
 */
function checkFingerprintable(checkpoint: Checkpoint, model: FingerprintModel, probes: Set<number>, sides: { rows: boolean; cols: boolean }[]): void {
  const fail = (reason: string): never => { throw new FingerprintError(checkpoint.path, reason, 'refused'); };
  checkModel(model, fail);
  const names = new Set<string>();
  let bytes = 0;
  checkpoint.tensors.forEach((tensor, i) => {
    checkTensorHead({ ...tensor, bytes: tensor.end - tensor.begin, sha256: null }, i, names, fail);
    bytes += tensor.name.length + base64Length(samplePlan(tensor.shape).count);
    if (probes.has(i)) bytes += base64Length(probeRows(tensor.shape).length * shapeRowsCols(tensor.shape).cols);
    bytes += (Number(sides[i].rows) + Number(sides[i].cols)) * base64Length(GRAM_VALUES);
  });
  if (bytes > MAX_FINGERPRINT_BYTES) fail(t('it would be larger than {0} bytes', MAX_FINGERPRINT_BYTES));
}

export async function fingerprintCheckpoint(checkpoint: Checkpoint, options: FingerprintOptions = {}): Promise<Fingerprint> {
  const hashMax = options.hashMaxBytes ?? DEFAULT_HASH_MAX_BYTES;
  const roles = classifyAll(checkpoint.tensors.map((x) => x.name));
  const probes = probeTensorIndices(checkpoint.tensors.map((x) => x.shape), roles.map((r) => r.kind));
  const model: FingerprintModel = {
    id: options.id ?? defaultId(checkpoint),
    source: options.source ?? checkpoint.path,
    headerHash: checkpoint.headerHash,
    config: checkpoint.config ?? null,
    createdAt: options.createdAt ?? new Date().toISOString(),
    tool: { name: 'weightprint', version: TOOL_VERSION },
    tensors: checkpoint.tensors.length,
    parameters: checkpoint.parameters,
    bytes: checkpoint.bytes,
    ...(options.origin ? { origin: options.origin } : {}),
  };
  const sides = checkpoint.tensors.map((x, i) => gramSides(x.shape, roles[i].kind, options.gramColumns ?? false, options.gramRows ?? true));
  checkFingerprintable(checkpoint, model, probes, sides);
  const given = options.tokenizer;
  const tokenizer = given === null || (given === undefined && options.openSource) ? null
    : given === undefined || 'read' in given ? await tokenizerOf(given ?? localSidecars(checkpoint.folder), options.onSidecarProblem, checkpoint.embeddedTokenizer) : given;
  const reader = new CheckpointReader(checkpoint, { openSource: options.openSource });
  let done = 0;
  try {
    const tensors = await mapLimit(checkpoint.tensors.map(realView), options.concurrency ?? 8, async (tensor, i): Promise<TensorFingerprint> => {
      if (options.signal?.aborted) throw Object.assign(new Error(t('fingerprint cancelled')), { name: 'AbortError' });
      const plan = samplePlan(tensor.shape);
      const samples = await gatherElements(reader, tensor, planIndices(plan));
      let probe: Float32Array | null = null;
      if (probes.has(i)) {
        const rows = probeRows(tensor.shape);
        const { cols } = shapeRowsCols(tensor.shape);
        const idx = new Float64Array(rows.length * cols);
        for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols; c++) idx[r * cols + c] = rows[r] * cols + c;
        probe = await gatherElements(reader, tensor, idx);
      }
      const gramRows = sides[i].rows ? await readGram(reader, tensor, 'rows') : null;
      const gramCols = sides[i].cols ? await readGram(reader, tensor, 'cols') : null;
      const bytes = tensor.end - tensor.begin;
      const sha256 = bytes <= hashMax ? await hashTensor(reader, tensor) : null;
      options.onProgress?.(++done, checkpoint.tensors.length);
      return {
        name: tensor.name, dtype: tensor.dtype, shape: [...tensor.shape], bytes, sha256,
        component: roles[i].component, layer: roles[i].layer, kind: roles[i].kind,
        moments: sampleMoments(samples), samples, probe, gramRows, gramCols,
      };
    });
    return {
      format: 'weightprint-fingerprint',
      version: 3,
      model,
      plan: { sampleTarget: SAMPLE_TARGET, windowCols: WINDOW_COLS, probeRows: PROBE_ROWS, probeMaxCols: PROBE_MAX_COLS, gramSize: GRAM_SIZE, gramMaxLength: GRAM_MAX_LENGTH },
      tokenizer,
      tensors,
    };
  } finally {
    await reader.close();
  }
}

export async function fingerprintPath(path: string, options: FingerprintOptions = {}): Promise<Fingerprint> {
  return fingerprintCheckpoint(await openCheckpoint(path), options);
}

/** The tokenizer fingerprint of the files beside a checkpoint, or null; unreadable files are told, not thrown. */
export async function tokenizerOf(folder: SidecarSource, onProblem?: (line: string) => void, embedded?: EmbeddedTokenizer): Promise<TokenizerFingerprint | null> {
  const read = await readTokenizerFiles(folder);
  for (const line of read.problems) onProblem?.(line);
  const vocabulary = read.vocabulary ?? (embedded ? tokenizerFromGguf(embedded) : null);
  return vocabulary ? tokenizerFingerprint(vocabulary) : null;
}

/** The file or folder name, shortened to the longest id a fingerprint holds. */
function defaultId(checkpoint: Checkpoint): string {
  const name = checkpoint.kind === 'file' ? basename(checkpoint.files[0]?.path ?? checkpoint.path) : basename(checkpoint.folder);
  return (name.replace(/\.(safetensors|gguf|bin|pt|pth)(\.index\.json)?$/, '').replace(/\.json$/, '') || 'model').slice(0, MAX_MODEL_ID);
}
