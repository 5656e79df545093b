// Fingerprint files (.wpf): UTF-8 JSON (optionally gzip-compressed), float arrays as base64 of little-endian float32.
// The loader treats the file as hostile: every field is checked and a bad file is rejected with a clear error.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseDType, dtypeSize } from '../format/dtype';
import { t } from '../l10n';
import { COMPONENTS, MODULE_KINDS, type Component, type ModuleKind } from '../naming/classify';
import { sampleMoments } from './create';
import { FORMAT_VERSION, PROBE_MAX_COLS, PROBE_ROWS, SAMPLE_TARGET, WINDOW_COLS, probeRows, samplePlan, shapeRowsCols } from './plan';
import type { Fingerprint, FingerprintOrigin, TensorFingerprint } from './types';

export const FINGERPRINT_EXTENSION = '.wpf';
/** Largest fingerprint file accepted (bytes, after decompression). */
export const MAX_FINGERPRINT_BYTES = 1 << 30;
const MAX_TENSORS = 1_000_000;

export class FingerprintError extends Error {
  /** `invalid`: the file's content is wrong; `io`: it could not be read or written. */
  constructor(readonly file: string, readonly reason: string, readonly kind: 'invalid' | 'io' = 'invalid') {
    super(kind === 'io' ? `${file}: ${reason}` : t('{0}: not a valid Weightprint fingerprint: {1}', file, reason));
    this.name = 'FingerprintError';
  }
}

function f32ToBase64(a: Float32Array): string {
  const le = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.from(le).toString('base64');
}

export function serializeFingerprint(fp: Fingerprint): string {
  const doc = {
    format: fp.format,
    version: fp.version,
    model: fp.model,
    plan: fp.plan,
    tensors: fp.tensors.map((x) => ({
      name: x.name, dtype: x.dtype, shape: x.shape, bytes: x.bytes, sha256: x.sha256,
      component: x.component, layer: x.layer, kind: x.kind, moments: x.moments,
      samples: f32ToBase64(x.samples), probe: x.probe ? f32ToBase64(x.probe) : null,
    })),
  };
  return JSON.stringify(doc);
}

/** Writes atomically (temp file + rename). */
export async function writeFingerprint(path: string, fp: Fingerprint): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, serializeFingerprint(fp), 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new FingerprintError(path, t('cannot write the fingerprint ({0})', (e as NodeJS.ErrnoException).code ?? String(e)), 'io');
  }
}

export async function readFingerprint(path: string): Promise<Fingerprint> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    throw new FingerprintError(path, t('cannot read the fingerprint ({0})', (e as NodeJS.ErrnoException).code ?? String(e)), 'io');
  }
  return parseFingerprint(raw, path);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseFingerprint(raw: Uint8Array | string, file = '<fingerprint>'): Fingerprint {
  const fail = (reason: string): never => { throw new FingerprintError(file, reason); };
  let text: string;
  if (typeof raw === 'string') {
    text = raw;
  } else {
    let bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: MAX_FINGERPRINT_BYTES });
      } catch (e) {
        fail(t('gzip data is corrupt or larger than {0} bytes ({1})', MAX_FINGERPRINT_BYTES, (e as Error).message));
      }
    }
    if (bytes.length > MAX_FINGERPRINT_BYTES) fail(t('file is larger than {0} bytes', MAX_FINGERPRINT_BYTES));
    text = bytes.toString('utf8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(t('not JSON ({0})', String((e as Error).message).slice(0, 120)));
  }
  if (!isObj(doc)) return fail(t('top level is not a JSON object'));
  if (doc.format !== 'weightprint-fingerprint') fail(t('"format" must be "weightprint-fingerprint", found {0}', short(doc.format)));
  if (doc.version !== FORMAT_VERSION) {
    fail(t('format version {0} is not supported (this Weightprint reads version {1})', short(doc.version), FORMAT_VERSION));
  }
  const plan = doc.plan;
  if (!isObj(plan) || plan.sampleTarget !== SAMPLE_TARGET || plan.windowCols !== WINDOW_COLS || plan.probeRows !== PROBE_ROWS || plan.probeMaxCols !== PROBE_MAX_COLS) {
    fail(t('"plan" constants differ from version {0}\'s (sampleTarget {1}, windowCols {2}, probeRows {3}, probeMaxCols {4})', FORMAT_VERSION, SAMPLE_TARGET, WINDOW_COLS, PROBE_ROWS, PROBE_MAX_COLS));
  }
  const m = doc.model;
  if (!isObj(m)) return fail(t('"model" is missing or not an object'));
  const str = (v: unknown, field: string, max = 4096, allowEmpty = false): string => {
    if (typeof v !== 'string' || (!allowEmpty && v.length === 0) || v.length > max) fail(t('{0} must be a string of 1..{1} characters', field, max));
    return v as string;
  };
  /** A count; `invalid` says what is wrong with a bad value (given as found). */
  const countOr = (v: unknown, invalid: (found: string) => string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(invalid(short(v)));
    return v as number;
  };
  const count = (v: unknown, field: string): number => countOr(v, (found) => t('{0} must be a non-negative safe integer, found {1}', field, found));
  const tool = isObj(m.tool) ? m.tool : fail(t('model.tool must be an object'));
  const model = {
    id: str(m.id, 'model.id', 200),
    source: str(m.source, 'model.source', 4096, true),
    headerHash: str(m.headerHash, 'model.headerHash', 128, true),
    config: isObj(m.config) ? (m.config as unknown as Fingerprint['model']['config']) : null,
    createdAt: str(m.createdAt, 'model.createdAt', 64, true),
    tool: { name: str(tool.name, 'model.tool.name', 100), version: str(tool.version, 'model.tool.version', 100) },
    tensors: count(m.tensors, 'model.tensors'),
    parameters: count(m.parameters, 'model.parameters'),
    bytes: count(m.bytes, 'model.bytes'),
    ...(m.origin === undefined || m.origin === null ? {} : { origin: parseOrigin(m.origin, fail) }),
  };
  if (!Array.isArray(doc.tensors)) return fail(t('"tensors" must be an array'));
  if (doc.tensors.length > MAX_TENSORS) fail(t('more than {0} tensors', MAX_TENSORS));
  const names = new Set<string>();
  const tensors: TensorFingerprint[] = doc.tensors.map((item: unknown, i: number): TensorFingerprint => {
    const where = `tensors[${i}]`;
    if (!isObj(item)) return fail(t('{0} is not an object', where));
    const name = str(item.name, `${where}.name`, 4096);
    const at = JSON.stringify(name.slice(0, 200));
    if (names.has(name)) fail(t('tensor {0} appears twice', at));
    names.add(name);
    const dtype = typeof item.dtype === 'string' ? parseDType(item.dtype) : undefined;
    if (!dtype) return fail(t('tensor {0}: unknown dtype {1}', at, short(item.dtype)));
    if (!Array.isArray(item.shape) || item.shape.length > 16) return fail(t('tensor {0}: shape must be an array of at most 16 dimensions', at));
    let elements = 1;
    const shape = item.shape.map((d: unknown) => {
      const v = countOr(d, (found) => t('tensor {0}: shape entry must be a non-negative safe integer, found {1}', at, found));
      elements *= v;
      return v;
    });
    if (!Number.isSafeInteger(elements)) fail(t('tensor {0}: shape {1} has too many elements', at, JSON.stringify(shape)));
    const bytes = countOr(item.bytes, (found) => t('tensor {0}: bytes must be a non-negative safe integer, found {1}', at, found));
    if (bytes !== elements * dtypeSize(dtype)) fail(t('tensor {0}: bytes {1} != {2} elements x {3} bytes ({4})', at, bytes, elements, dtypeSize(dtype), dtype));
    const sha256 = item.sha256 === null || item.sha256 === undefined ? null : item.sha256;
    if (sha256 !== null && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) fail(t('tensor {0}: sha256 must be null or 64 lowercase hex digits', at));
    const component: Component = (COMPONENTS as readonly unknown[]).includes(item.component) ? (item.component as Component) : 'other';
    const kind: ModuleKind = (MODULE_KINDS as readonly unknown[]).includes(item.kind) ? (item.kind as ModuleKind) : 'unknown';
    const layer = typeof item.layer === 'number' && Number.isSafeInteger(item.layer) && item.layer >= 0 ? item.layer : null;
    const plan = samplePlan(shape);
    const samples = decodeF32(item.samples, plan.count, at, 'samples', fail);
    let probe: Float32Array | null = null;
    if (item.probe !== null && item.probe !== undefined) {
      const pr = probeRows(shape);
      if (pr.length === 0) fail(t('tensor {0}: has a probe, but format version {1} defines no probe rows for shape {2}', at, FORMAT_VERSION, JSON.stringify(shape)));
      probe = decodeF32(item.probe, pr.length * shapeRowsCols(shape).cols, at, 'probe', fail);
    }
    // Moments are recomputed from the samples: a file's stored moments are never trusted.
    return { name, dtype, shape, bytes, sha256: sha256 as string | null, component, layer, kind, moments: sampleMoments(samples), samples, probe };
  });
  return { format: 'weightprint-fingerprint', version: 1, model, plan: { sampleTarget: SAMPLE_TARGET, windowCols: WINDOW_COLS, probeRows: PROBE_ROWS, probeMaxCols: PROBE_MAX_COLS }, tensors };
}

function parseOrigin(v: unknown, fail: (reason: string) => never): FingerprintOrigin {
  if (!isObj(v)) return fail(t('model.origin must be an object'));
  const s = (x: unknown, field: string, max: number, nullable = false): string | null => {
    if (nullable && x === null) return null;
    if (typeof x !== 'string' || x.length > max) return fail(t('model.origin.{0} must be a string of at most {1} characters', field, max));
    return x;
  };
  if (v.type !== 'huggingface') fail(t('model.origin.type {0} is not supported', short(v.type)));
  if (!Array.isArray(v.files) || v.files.length > 100_000) fail(t('model.origin.files must be an array of file names'));
  return {
    type: 'huggingface',
    endpoint: s(v.endpoint, 'endpoint', 2048) as string,
    repo: s(v.repo, 'repo', 400) as string,
    revision: s(v.revision, 'revision', 400) as string,
    commit: s(v.commit, 'commit', 200, true),
    path: s(v.path, 'path', 4096) as string,
    files: (v.files as unknown[]).map((f, i) => s(f, `files[${i}]`, 4096) as string),
    fetchedAt: s(v.fetchedAt, 'fetchedAt', 64) as string,
  };
}

/** Decodes the base64 float32 array `field` ('samples' or 'probe', a JSON key) of the tensor named `at`. */
function decodeF32(v: unknown, expected: number, at: string, field: 'samples' | 'probe', fail: (reason: string) => never): Float32Array {
  if (typeof v !== 'string') return fail(t('tensor {0}: {1} must be a base64 string', at, field));
  if (v.length !== 4 * Math.ceil((expected * 4) / 3) || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
    return fail(t('tensor {0}: {1} must hold exactly {2} float32 values (base64 of {3} bytes), found {4} base64 characters', at, field, expected, expected * 4, v.length));
  }
  const buf = Buffer.from(v, 'base64');
  if (buf.length !== expected * 4) return fail(t('tensor {0}: {1} decodes to {2} bytes, expected {3}', at, field, buf.length, expected * 4));
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function short(v: unknown): string {
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
