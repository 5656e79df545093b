// Fingerprint files (.wpf): UTF-8 JSON (optionally gzip-compressed), float arrays as base64 of little-endian float32.
// The loader treats the file as hostile: every field is checked and a bad file is rejected with a clear error.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseDType, dtypeSize } from '../format/dtype';
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
    super(kind === 'io' ? `${file}: ${reason}` : `${file}: not a valid Weightprint fingerprint: ${reason}`);
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
    tensors: fp.tensors.map((t) => ({
      name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.bytes, sha256: t.sha256,
      component: t.component, layer: t.layer, kind: t.kind, moments: t.moments,
      samples: f32ToBase64(t.samples), probe: t.probe ? f32ToBase64(t.probe) : null,
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
    throw new FingerprintError(path, `cannot write the fingerprint (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'io');
  }
}

export async function readFingerprint(path: string): Promise<Fingerprint> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    throw new FingerprintError(path, `cannot read the fingerprint (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'io');
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
        fail(`gzip data is corrupt or larger than ${MAX_FINGERPRINT_BYTES} bytes (${(e as Error).message})`);
      }
    }
    if (bytes.length > MAX_FINGERPRINT_BYTES) fail(`file is larger than ${MAX_FINGERPRINT_BYTES} bytes`);
    text = bytes.toString('utf8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${String((e as Error).message).slice(0, 120)})`);
  }
  if (!isObj(doc)) return fail('top level is not a JSON object');
  if (doc.format !== 'weightprint-fingerprint') fail(`"format" must be "weightprint-fingerprint", found ${short(doc.format)}`);
  if (doc.version !== FORMAT_VERSION) {
    fail(`format version ${short(doc.version)} is not supported (this Weightprint reads version ${FORMAT_VERSION})`);
  }
  const plan = doc.plan;
  if (!isObj(plan) || plan.sampleTarget !== SAMPLE_TARGET || plan.windowCols !== WINDOW_COLS || plan.probeRows !== PROBE_ROWS || plan.probeMaxCols !== PROBE_MAX_COLS) {
    fail(`"plan" constants differ from version ${FORMAT_VERSION}'s (sampleTarget ${SAMPLE_TARGET}, windowCols ${WINDOW_COLS}, probeRows ${PROBE_ROWS}, probeMaxCols ${PROBE_MAX_COLS})`);
  }
  const m = doc.model;
  if (!isObj(m)) return fail('"model" is missing or not an object');
  const str = (v: unknown, field: string, max = 4096, allowEmpty = false): string => {
    if (typeof v !== 'string' || (!allowEmpty && v.length === 0) || v.length > max) fail(`${field} must be a string of 1..${max} characters`);
    return v as string;
  };
  const count = (v: unknown, field: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${field} must be a non-negative safe integer, found ${short(v)}`);
    return v as number;
  };
  const tool = isObj(m.tool) ? m.tool : fail('model.tool must be an object');
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
  if (!Array.isArray(doc.tensors)) return fail('"tensors" must be an array');
  if (doc.tensors.length > MAX_TENSORS) fail(`more than ${MAX_TENSORS} tensors`);
  const names = new Set<string>();
  const tensors: TensorFingerprint[] = doc.tensors.map((t: unknown, i: number): TensorFingerprint => {
    const where = `tensors[${i}]`;
    if (!isObj(t)) return fail(`${where} is not an object`);
    const name = str(t.name, `${where}.name`, 4096);
    const at = `tensor ${JSON.stringify(name.slice(0, 200))}`;
    if (names.has(name)) fail(`${at} appears twice`);
    names.add(name);
    const dtype = typeof t.dtype === 'string' ? parseDType(t.dtype) : undefined;
    if (!dtype) return fail(`${at}: unknown dtype ${short(t.dtype)}`);
    if (!Array.isArray(t.shape) || t.shape.length > 16) return fail(`${at}: shape must be an array of at most 16 dimensions`);
    let elements = 1;
    const shape = t.shape.map((d: unknown) => {
      const v = count(d, `${at}: shape entry`);
      elements *= v;
      return v;
    });
    if (!Number.isSafeInteger(elements)) fail(`${at}: shape ${JSON.stringify(shape)} has too many elements`);
    const bytes = count(t.bytes, `${at}: bytes`);
    if (bytes !== elements * dtypeSize(dtype)) fail(`${at}: bytes ${bytes} != ${elements} elements x ${dtypeSize(dtype)} bytes (${dtype})`);
    const sha256 = t.sha256 === null || t.sha256 === undefined ? null : t.sha256;
    if (sha256 !== null && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) fail(`${at}: sha256 must be null or 64 lowercase hex digits`);
    const component: Component = (COMPONENTS as readonly unknown[]).includes(t.component) ? (t.component as Component) : 'other';
    const kind: ModuleKind = (MODULE_KINDS as readonly unknown[]).includes(t.kind) ? (t.kind as ModuleKind) : 'unknown';
    const layer = typeof t.layer === 'number' && Number.isSafeInteger(t.layer) && t.layer >= 0 ? t.layer : null;
    const plan = samplePlan(shape);
    const samples = decodeF32(t.samples, plan.count, `${at}: samples`, fail);
    let probe: Float32Array | null = null;
    if (t.probe !== null && t.probe !== undefined) {
      const pr = probeRows(shape);
      if (pr.length === 0) fail(`${at}: has a probe, but version ${FORMAT_VERSION} gives shape ${JSON.stringify(shape)} none`);
      probe = decodeF32(t.probe, pr.length * shapeRowsCols(shape).cols, `${at}: probe`, fail);
    }
    // Moments are recomputed from the samples: a file's stored moments are never trusted.
    return { name, dtype, shape, bytes, sha256: sha256 as string | null, component, layer, kind, moments: sampleMoments(samples), samples, probe };
  });
  return { format: 'weightprint-fingerprint', version: 1, model, plan: { sampleTarget: SAMPLE_TARGET, windowCols: WINDOW_COLS, probeRows: PROBE_ROWS, probeMaxCols: PROBE_MAX_COLS }, tensors };
}

function parseOrigin(v: unknown, fail: (reason: string) => never): FingerprintOrigin {
  if (!isObj(v)) return fail('model.origin must be an object');
  const s = (x: unknown, field: string, max: number, nullable = false): string | null => {
    if (nullable && x === null) return null;
    if (typeof x !== 'string' || x.length > max) return fail(`model.origin.${field} must be a string of at most ${max} characters`);
    return x;
  };
  if (v.type !== 'huggingface') fail(`model.origin.type ${short(v.type)} is not supported`);
  if (!Array.isArray(v.files) || v.files.length > 100_000) fail('model.origin.files must be an array of file names');
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

function decodeF32(v: unknown, expected: number, field: string, fail: (reason: string) => never): Float32Array {
  if (typeof v !== 'string') return fail(`${field} must be a base64 string`);
  if (v.length !== 4 * Math.ceil((expected * 4) / 3) || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
    return fail(`${field} must hold exactly ${expected} float32 values (base64 of ${expected * 4} bytes), found ${v.length} base64 characters`);
  }
  const buf = Buffer.from(v, 'base64');
  if (buf.length !== expected * 4) return fail(`${field} decodes to ${buf.length} bytes, expected ${expected * 4}`);
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function short(v: unknown): string {
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
