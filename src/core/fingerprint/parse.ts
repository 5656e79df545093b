// Loading a fingerprint file (.wpf): hostile input. The bytes are checked as JSON first (syntax, depth), then walked
// tensor by tensor: the base64 samples are decoded straight from the file's bytes, so a file costs about its own size
// plus its decoded floats, never a JSON.parse tree of it (a 64 MB file took 400 MB that way).
import { gunzipSync } from 'node:zlib';
import { MAX_DIMS } from '../format/header';
import { JsonCursor, Opaque, type Scalar } from '../format/jsonCursor';
import { JsonSyntaxError, parseJsonBytes, scanJson } from '../format/jsonScan';
import { t } from '../l10n';
import { COMPONENTS, MODULE_KINDS, type Component, type ModuleKind } from '../naming/classify';
import { sampleMoments } from './create';
import { FingerprintError } from './errors';
import { base64Length, checkModel, checkTensorHead, MAX_FINGERPRINT_BYTES, MAX_ORIGIN_FILES, MAX_TENSOR_NAME, quoteName, short, type Fail } from './limits';
import { PROBE_MAX_COLS, PROBE_ROWS, READABLE_VERSIONS, SAMPLE_TARGET, WINDOW_COLS, probeRows, samplePlan, shapeRowsCols } from './plan';
import { GRAM_MAX_LENGTH, GRAM_SIZE, GRAM_VALUES, hasGramSide } from './gram';
import type { Fingerprint, TensorFingerprint } from './types';
import { checkTokenizerFingerprint, MAX_TOKENIZER_PRINT_VALUES } from '../sidecars/tokenizerCheck';

/** A string field kept as its place in the file (samples, probe): decoded when checked, never held as text. */
class Base64Range {
  constructor(readonly start: number, readonly end: number, readonly escaped: boolean) {}
}

type Field = Scalar | Scalar[] | Base64Range | undefined;

const describe = (v: Scalar): string => (v instanceof Opaque ? v.text : short(v));

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes of a .wpf file, inflated when gzip-compressed, within MAX_FINGERPRINT_BYTES. */
function fileBytes(raw: Uint8Array | string, fail: Fail): Buffer {
  let bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_FINGERPRINT_BYTES });
    } catch (e) {
      fail(t('gzip data is corrupt or larger than {0} bytes ({1})', MAX_FINGERPRINT_BYTES, String((e as Error).message).slice(0, 120)));
    }
  }
  if (bytes.length > MAX_FINGERPRINT_BYTES) fail(t('file is larger than {0} bytes', MAX_FINGERPRINT_BYTES));
  return bytes;
}

export function parseFingerprint(raw: Uint8Array | string, file = '<fingerprint>'): Fingerprint {
  const fail: Fail = (reason) => { throw new FingerprintError(file, reason); };
  const bytes = fileBytes(raw, fail);
  const problem = scanJson(bytes);
  if (problem) fail(problem.kind === 'syntax' ? t('not JSON ({0})', t('byte {0}: {1}', problem.offset, problem.reason)) : t('over a limit ({0})', t('byte {0}: {1}', problem.offset, problem.reason)));
  const cursor = new JsonCursor(bytes);
  if (cursor.peek() !== 0x7b) return fail(t('top level is not a JSON object'));
  // The place of each top-level value (the last of a repeated key, as in JSON.parse).
  const fields = new Map<string, { start: number; end: number }>();
  cursor.members((key) => { fields.set(key, cursor.valueRange()); });
  const scalarOf = (key: string): Scalar | undefined => {
    const at = fields.get(key);
    if (!at) return undefined;
    cursor.i = at.start;
    return cursor.scalar(64);
  };
  /** A small top-level value, parsed on its own within `maxValues`. */
  const parsed = (key: string, maxValues: number): unknown => {
    const at = fields.get(key);
    if (!at) return undefined;
    try {
      return parseJsonBytes(bytes.subarray(at.start, at.end), { maxValues });
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      return fail(t('"{0}" is over its limits ({1})', key, e.reason));
    }
  };

  const format = scalarOf('format');
  if (format !== 'weightprint-fingerprint') fail(t('"format" must be "weightprint-fingerprint", found {0}', format === undefined ? 'undefined' : describe(format)));
  const version = scalarOf('version');
  if (version !== 1 && version !== 2 && version !== 3) {
    fail(t('format version {0} is not supported (this Weightprint reads versions {1})', version === undefined ? 'undefined' : describe(version), READABLE_VERSIONS.join(', ')));
  }
  const plan = parsed('plan', 64) as Record<string, unknown> | undefined;
  const gramPlanOk = (p: Record<string, unknown>): boolean => (version === 1 ? p.gramSize === undefined : p.gramSize === GRAM_SIZE && p.gramMaxLength === GRAM_MAX_LENGTH);
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan) || plan.sampleTarget !== SAMPLE_TARGET || plan.windowCols !== WINDOW_COLS
    || plan.probeRows !== PROBE_ROWS || plan.probeMaxCols !== PROBE_MAX_COLS || !gramPlanOk(plan)) {
    if (version === 1) fail(t('"plan" constants differ from version {0}\'s (sampleTarget {1}, windowCols {2}, probeRows {3}, probeMaxCols {4})', 1, SAMPLE_TARGET, WINDOW_COLS, PROBE_ROWS, PROBE_MAX_COLS));
    fail(t('"plan" constants differ from version {0}\'s (sampleTarget {1}, windowCols {2}, probeRows {3}, probeMaxCols {4}, gramSize {5}, gramMaxLength {6})', version, SAMPLE_TARGET, WINDOW_COLS, PROBE_ROWS, PROBE_MAX_COLS, GRAM_SIZE, GRAM_MAX_LENGTH));
  }
  const model = checkModel(parsed('model', MAX_ORIGIN_FILES + 10_000), fail);
  // Version 3's tokenizer; in older versions an unknown field, ignored.
  const rawTokenizer = version === 3 ? parsed('tokenizer', MAX_TOKENIZER_PRINT_VALUES) : undefined;
  const tokenizer = rawTokenizer === undefined || rawTokenizer === null ? null : checkTokenizerFingerprint(rawTokenizer, fail);
  const at = fields.get('tensors');
  if (at) cursor.i = at.start;
  if (!at || cursor.peek() !== 0x5b) return fail(t('"tensors" must be an array'));
  const names = new Set<string>();
  const tensors: TensorFingerprint[] = [];
  cursor.items((i) => { tensors.push(readTensor(cursor, bytes, i, names, version, fail)); });
  const constants = { sampleTarget: SAMPLE_TARGET, windowCols: WINDOW_COLS, probeRows: PROBE_ROWS, probeMaxCols: PROBE_MAX_COLS };
  return version === 1
    ? { format: 'weightprint-fingerprint', version, model, plan: constants, tensors }
    : { format: 'weightprint-fingerprint', version, model, plan: { ...constants, gramSize: GRAM_SIZE, gramMaxLength: GRAM_MAX_LENGTH }, ...(version === 3 ? { tokenizer } : {}), tensors };
}

function readTensor(cursor: JsonCursor, bytes: Buffer, i: number, names: Set<string>, version: 1 | 2 | 3, fail: Fail): TensorFingerprint {
  if (cursor.peek() !== 0x7b) {
    cursor.skip();
    return fail(t('{0} is not an object', `tensors[${i}]`));
  }
  // A fixed set of fields (a literal, not a dictionary): this runs once per tensor.
  const item: Record<'name' | 'dtype' | 'shape' | 'bytes' | 'sha256' | 'component' | 'layer' | 'kind' | 'samples' | 'probe' | 'gramRows' | 'gramCols', Field> = {
    name: undefined, dtype: undefined, shape: undefined, bytes: undefined, sha256: undefined, component: undefined, layer: undefined, kind: undefined, samples: undefined, probe: undefined,
    gramRows: undefined, gramCols: undefined,
  };
  cursor.members((key) => {
    switch (key) {
      case 'name': item.name = cursor.peek() === 0x22 ? cursor.string(4 * MAX_TENSOR_NAME) : cursor.scalar(64); break;
      case 'shape': item.shape = cursor.scalarArray(MAX_DIMS); break;
      case 'dtype': case 'bytes': case 'sha256': case 'component': case 'layer': case 'kind': item[key] = cursor.scalar(64); break;
      case 'samples': case 'probe': case 'gramRows': case 'gramCols':
        // Sketches are not version-1 fields: there they are ignored, as any unknown field.
        if (version === 1 && (key === 'gramRows' || key === 'gramCols')) cursor.skip();
        else if (cursor.peek() === 0x22) {
          const r = cursor.stringRange();
          item[key] = new Base64Range(r.start, r.end, r.escaped);
        } else item[key] = cursor.scalar(64);
        break;
      default: cursor.skip(); // moments (recomputed, never trusted) and anything unknown
    }
  });
  const { name, dtype, shape, bytes: byteLength, sha256 } = checkTensorHead(item, i, names, fail);
  const at = quoteName(name);
  const component: Component = (COMPONENTS as readonly unknown[]).includes(item.component) ? (item.component as Component) : 'other';
  const kind: ModuleKind = (MODULE_KINDS as readonly unknown[]).includes(item.kind) ? (item.kind as ModuleKind) : 'unknown';
  const layer = typeof item.layer === 'number' && Number.isSafeInteger(item.layer) && item.layer >= 0 ? item.layer : null;
  const samples = decodeF32(cursor, bytes, item.samples, samplePlan(shape).count, at, 'samples', fail);
  let probe: Float32Array | null = null;
  if (item.probe !== null && item.probe !== undefined) {
    const pr = probeRows(shape);
    if (pr.length === 0) fail(t('tensor {0}: has a probe, but format version {1} defines no probe rows for shape {2}', at, version, JSON.stringify(shape)));
    probe = decodeF32(cursor, bytes, item.probe, pr.length * shapeRowsCols(shape).cols, at, 'probe', fail);
  }
  const sketch = (field: 'gramRows' | 'gramCols', side: 'rows' | 'cols'): Float32Array | null => {
    const v = item[field];
    if (v === null || v === undefined) return null;
    if (!hasGramSide(shape, side)) fail(t('tensor {0}: has {1}, but format version {2} defines none for shape {3}', at, field, version, JSON.stringify(shape)));
    return decodeF32(cursor, bytes, v, GRAM_VALUES, at, field, fail);
  };
  const gramRows = sketch('gramRows', 'rows');
  const gramCols = sketch('gramCols', 'cols');
  // Moments are recomputed from the samples: a file's stored moments are never trusted.
  return { name, dtype, shape, bytes: byteLength, sha256, component, layer, kind, moments: sampleMoments(samples), samples, probe, gramRows, gramCols };
}

/** Decodes the base64 float32 array `field` ('samples', 'probe', 'gramRows' or 'gramCols', a JSON key) of the tensor named `at`. */
function decodeF32(cursor: JsonCursor, bytes: Buffer, v: Field, expected: number, at: string, field: 'samples' | 'probe' | 'gramRows' | 'gramCols', fail: Fail): Float32Array {
  if (!(v instanceof Base64Range)) return fail(t('tensor {0}: {1} must be a base64 string', at, field));
  const text = v.escaped ? (JSON.parse(bytes.toString('utf8', v.start - 1, v.end + 1)) as string) : cursor.latin1(v.start, v.end);
  if (text.length !== base64Length(expected) || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    return fail(t('tensor {0}: {1} must hold exactly {2} float32 values (base64 of {3} bytes), found {4} base64 characters', at, field, expected, expected * 4, text.length));
  }
  const buf = Buffer.from(text, 'base64');
  if (buf.length !== expected * 4) return fail(t('tensor {0}: {1} decodes to {2} bytes, expected {3}', at, field, buf.length, expected * 4));
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
