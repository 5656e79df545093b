// What a fingerprint file may hold (docs/fingerprint-format.md, "Limits"), and the checks of its descriptive fields.
// The loader runs them on what it reads and the writer on what it is about to write, so that Weightprint never
// writes a fingerprint it would then refuse to load.
import { byteLength, dtypeSize, parseAnyDType, type DType } from '../format/dtype';
import { MAX_DIMS } from '../format/header';
import { checkConfigSummary } from '../format/config';
import { Opaque } from '../format/jsonCursor';
import { t } from '../l10n';
import type { FingerprintModel, FingerprintOrigin } from './types';

/** Largest fingerprint file accepted (bytes; after decompression for a gzip file, and before it too). */
export const MAX_FINGERPRINT_BYTES = 48 * 1024 * 1024;
/**
 * Most tensors in one fingerprint. Below the checkpoint limit: a loaded tensor costs ~750 bytes besides its samples,
 * and the fingerprint of a checkpoint of more than ~2,200 full-size tensors is over MAX_FINGERPRINT_BYTES anyway; only
 * tiny tensors come this many.
 */
export const MAX_FINGERPRINT_TENSORS = 50_000;
/** Longest tensor name (characters). */
export const MAX_TENSOR_NAME = 4096;
/** Longest model id (characters). */
export const MAX_MODEL_ID = 200;
/** Most files listed in model.origin.files. */
export const MAX_ORIGIN_FILES = 100_000;

export type Fail = (reason: string) => never;
type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as found, for a message: at most 60 characters. */
export function short(v: unknown): string {
  let s: string;
  if (v instanceof Opaque) s = v.text;
  else if (Array.isArray(v)) s = '[…]';
  else if (isObj(v)) s = '{…}';
  else if (typeof v === 'string') s = JSON.stringify(v.length > 60 ? v.slice(0, 60) : v);
  else s = String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function str(v: unknown, field: string, max: number, fail: Fail, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0) || v.length > max) fail(t('{0} must be a string of 1..{1} characters', field, max));
  return v as string;
}

function count(v: unknown, field: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(t('{0} must be a non-negative safe integer, found {1}', field, short(v)));
  return v as number;
}

/** The `model` object, checked field by field. */
export function checkModel(m: unknown, fail: Fail): FingerprintModel {
  if (!isObj(m)) return fail(t('"model" is missing or not an object'));
  const tool = isObj(m.tool) ? m.tool : fail(t('model.tool must be an object'));
  return {
    id: str(m.id, 'model.id', MAX_MODEL_ID, fail),
    source: str(m.source, 'model.source', 4096, fail, true),
    headerHash: str(m.headerHash, 'model.headerHash', 128, fail, true),
    config: checkConfigSummary(m.config),
    createdAt: str(m.createdAt, 'model.createdAt', 64, fail, true),
    tool: { name: str(tool.name, 'model.tool.name', 100, fail), version: str(tool.version, 'model.tool.version', 100, fail) },
    tensors: count(m.tensors, 'model.tensors', fail),
    parameters: count(m.parameters, 'model.parameters', fail),
    bytes: count(m.bytes, 'model.bytes', fail),
    ...(m.origin === undefined || m.origin === null ? {} : { origin: checkOrigin(m.origin, fail) }),
  };
}

function checkOrigin(v: unknown, fail: Fail): FingerprintOrigin {
  if (!isObj(v)) return fail(t('model.origin must be an object'));
  const s = (x: unknown, field: string, max: number, nullable = false): string | null => {
    if (nullable && x === null) return null;
    if (typeof x !== 'string' || x.length > max) return fail(t('model.origin.{0} must be a string of at most {1} characters', field, max));
    return x;
  };
  if (v.type !== 'huggingface') fail(t('model.origin.type {0} is not supported', short(v.type)));
  if (!Array.isArray(v.files) || v.files.length > MAX_ORIGIN_FILES) fail(t('model.origin.files must be an array of file names'));
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

/** The fields of a tensor entry that describe it (the sampled values are checked against its shape apart). */
export interface TensorHead {
  name: unknown;
  dtype: unknown;
  shape: unknown;
  bytes: unknown;
  sha256: unknown;
}

export interface CheckedHead {
  name: string;
  dtype: DType;
  shape: number[];
  bytes: number;
  sha256: string | null;
}

/** A tensor's name for messages: quoted, at most 200 characters. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 200 ? name.slice(0, 200) + '…' : name);
}

/** Checks tensor entry `index` (`names` holds the names seen before it, and gets this one). */
export function checkTensorHead(item: TensorHead, index: number, names: Set<string>, fail: Fail): CheckedHead {
  if (index >= MAX_FINGERPRINT_TENSORS) fail(t('more than {0} tensors', MAX_FINGERPRINT_TENSORS));
  if (typeof item.name !== 'string' || item.name.length === 0 || item.name.length > MAX_TENSOR_NAME) str(item.name, `tensors[${index}].name`, MAX_TENSOR_NAME, fail);
  const name = item.name as string;
  if (names.has(name)) fail(t('tensor {0} appears twice', quoteName(name)));
  names.add(name);
  const dtype = typeof item.dtype === 'string' ? parseAnyDType(item.dtype) : undefined;
  if (!dtype) return fail(t('tensor {0}: unknown dtype {1}', quoteName(name), short(item.dtype)));
  if (!Array.isArray(item.shape) || item.shape.length > MAX_DIMS) return fail(t('tensor {0}: shape must be an array of at most {1} dimensions', quoteName(name), MAX_DIMS));
  let elements = 1;
  const shape: number[] = [];
  for (const d of item.shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) fail(t('tensor {0}: shape entry must be a non-negative safe integer, found {1}', quoteName(name), short(d)));
    elements *= d as number;
    shape.push(d as number);
  }
  if (!Number.isSafeInteger(elements)) fail(t('tensor {0}: shape {1} has too many elements', quoteName(name), JSON.stringify(shape)));
  const bytes = item.bytes;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return fail(t('tensor {0}: bytes must be a non-negative safe integer, found {1}', quoteName(name), short(bytes)));
  if (bytes !== byteLength(dtype, elements)) fail(t('tensor {0}: bytes {1} != {2} elements x {3} bytes ({4})', quoteName(name), bytes, elements, dtypeSize(dtype), dtype));
  const sha256 = item.sha256 === null || item.sha256 === undefined ? null : item.sha256;
  if (sha256 !== null && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) fail(t('tensor {0}: sha256 must be null or 64 lowercase hex digits', quoteName(name)));
  return { name, dtype, shape, bytes, sha256: sha256 as string | null };
}

/** Characters of base64 for `values` float32 values. */
export function base64Length(values: number): number {
  return 4 * Math.ceil((values * 4) / 3);
}
