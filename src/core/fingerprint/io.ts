// Fingerprint files (.wpf): UTF-8 JSON (optionally gzip-compressed), float arrays as base64 of little-endian float32.
// The loader (parse.ts) treats the file as hostile; the writer refuses what the loader would reject (limits.ts).
import { open, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGunzip } from 'node:zlib';
import { isUnsafeFileError, readFileWithLimit } from '../format/safeRead';
import { t } from '../l10n';
import { FingerprintError } from './errors';
import { base64Length, checkModel, checkTensorHead, MAX_FINGERPRINT_BYTES, quoteName } from './limits';
import { isGzip, parseFingerprint } from './parse';
import { FORMAT_VERSION, probeRows, samplePlan, shapeRowsCols } from './plan';
import { GRAM_VALUES, hasGramSide } from './gram';
import type { Fingerprint } from './types';
import { checkTokenizerFingerprint } from '../sidecars/tokenizerCheck';

export { FingerprintError } from './errors';
export { MAX_FINGERPRINT_BYTES } from './limits';
export { parseFingerprint } from './parse';

export const FINGERPRINT_EXTENSION = '.wpf';

function f32ToBase64(a: Float32Array): string {
  const le = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.from(le).toString('base64');
}

/** The file's text in pieces (one per tensor), which joined are JSON.stringify of the document. */
function* serializedPieces(fp: Fingerprint): Generator<string> {
  const head = JSON.stringify({ format: fp.format, version: fp.version, model: fp.model, plan: fp.plan, ...(fp.version >= 3 ? { tokenizer: fp.tokenizer ?? null } : {}) });
  yield `${head.slice(0, -1)},"tensors":[`;
  let first = true;
  for (const x of fp.tensors) {
    yield (first ? '' : ',') + JSON.stringify({
      name: x.name, dtype: x.dtype, shape: x.shape, bytes: x.bytes, sha256: x.sha256,
      component: x.component, layer: x.layer, kind: x.kind, moments: x.moments,
      samples: f32ToBase64(x.samples), probe: x.probe ? f32ToBase64(x.probe) : null,
      ...(fp.version >= 2 ? { gramRows: x.gramRows ? f32ToBase64(x.gramRows) : null, gramCols: x.gramCols ? f32ToBase64(x.gramCols) : null } : {}),
    });
    first = false;
  }
  yield ']}';
}

export function serializeFingerprint(fp: Fingerprint): string {
  return [...serializedPieces(fp)].join('');
}

/**
 * Writes atomically (temp file + rename), a tensor at a time. Refuses (kind `refused`) what readFingerprint would
 * reject, a file over MAX_FINGERPRINT_BYTES included: then nothing is written.
 */
export async function writeFingerprint(path: string, fp: Fingerprint): Promise<void> {
  checkFingerprint(fp, path);
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(tmp, 'wx');
    try {
      let written = 0;
      for (const piece of serializedPieces(fp)) {
        const bytes = Buffer.from(piece, 'utf8');
        written += bytes.length;
        if (written > MAX_FINGERPRINT_BYTES) throw new FingerprintError(path, t('it would be larger than {0} bytes', MAX_FINGERPRINT_BYTES), 'refused');
        for (let at = 0; at < bytes.length;) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
      }
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof FingerprintError) throw e;
    throw new FingerprintError(path, t('cannot write the fingerprint ({0})', (e as NodeJS.ErrnoException).code ?? String(e)), 'io');
  }
}

export async function readFingerprint(path: string): Promise<Fingerprint> {
  let raw: Buffer;
  try {
    raw = await readFileWithLimit(path, MAX_FINGERPRINT_BYTES);
  } catch (e) {
    if (isUnsafeFileError(e)) throw new FingerprintError(path, e.message);
    throw new FingerprintError(path, t('cannot read the fingerprint ({0})', (e as NodeJS.ErrnoException).code ?? String(e)), 'io');
  }
  if (isGzip(raw)) {
    try {
      raw = await gunzipWithLimit(raw, MAX_FINGERPRINT_BYTES);
    } catch (e) {
      throw new FingerprintError(path, t('gzip data is corrupt or larger than {0} bytes ({1})', MAX_FINGERPRINT_BYTES, String((e as Error).message).slice(0, 120)));
    }
  }
  return parseFingerprint(raw, path);
}

/**
 * Inflates gzip `data` into one buffer of at most `maxBytes` bytes, sized from the gzip trailer when it tells the
 * truth (zlib's gunzipSync holds its output twice, as chunks and joined); fails as soon as the output passes the limit.
 */
function gunzipWithLimit(data: Buffer, maxBytes: number): Promise<Buffer> {
  const declared = data.length >= 18 ? data.readUInt32LE(data.length - 4) : 0;
  let out = Buffer.allocUnsafe(Math.min(maxBytes, declared) + 1);
  let used = 0;
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    gunzip.on('data', (chunk: Buffer) => {
      if (used + chunk.length > maxBytes) {
        gunzip.destroy(new RangeError(t('it inflates to more than {0} bytes', maxBytes)));
        return;
      }
      if (used + chunk.length > out.length) {
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(2 * out.length, used + chunk.length)));
        out.copy(bigger, 0, 0, used);
        out = bigger;
      }
      chunk.copy(out, used);
      used += chunk.length;
    });
    gunzip.on('error', reject);
    gunzip.on('end', () => resolve(out.subarray(0, used)));
    gunzip.end(data);
  });
}

/**
 * Throws a FingerprintError (kind `refused`, naming `file`) when the loader would reject `fp`: the loader's checks
 * of the same fields, and samples and probes of the lengths their shapes call for.
 */
export function checkFingerprint(fp: Fingerprint, file: string): void {
  const fail = (reason: string): never => { throw new FingerprintError(file, reason, 'refused'); };
  checkModel(fp.model, fail);
  if (fp.tokenizer) {
    if (fp.version < 3) fail(t('a tokenizer fingerprint needs format version 3 (this file is version {0})', fp.version));
    checkTokenizerFingerprint(JSON.parse(JSON.stringify(fp.tokenizer)), fail);
  }
  const names = new Set<string>();
  fp.tensors.forEach((tensor, i) => {
    const { name, shape } = checkTensorHead(tensor, i, names, fail);
    const at = quoteName(name);
    checkLength(tensor.samples.length, samplePlan(shape).count, at, 'samples', fail);
    if (tensor.probe) {
      const rows = probeRows(shape).length;
      if (rows === 0) fail(t('tensor {0}: has a probe, but format version {1} defines no probe rows for shape {2}', at, FORMAT_VERSION, JSON.stringify(shape)));
      checkLength(tensor.probe.length, rows * shapeRowsCols(shape).cols, at, 'probe', fail);
    }
    for (const [field, side] of [['gramRows', 'rows'], ['gramCols', 'cols']] as const) {
      const sketch = tensor[field];
      if (!sketch) continue;
      if (fp.version < 2 || !hasGramSide(shape, side)) fail(t('tensor {0}: has {1}, but format version {2} defines none for shape {3}', at, field, fp.version, JSON.stringify(shape)));
      checkLength(sketch.length, GRAM_VALUES, at, field, fail);
    }
  });
}

function checkLength(found: number, expected: number, at: string, field: 'samples' | 'probe' | 'gramRows' | 'gramCols', fail: (reason: string) => never): void {
  if (found !== expected) {
    fail(t('tensor {0}: {1} must hold exactly {2} float32 values (base64 of {3} bytes), found {4} base64 characters', at, field, expected, expected * 4, base64Length(found)));
  }
}
