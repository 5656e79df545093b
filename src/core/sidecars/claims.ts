// Declared provenance: what a checkpoint folder's own files say about where its weights come from (config.json's
// `_name_or_path`, an adapter's `base_model_name_or_path`, the model card's `base_model` and `license`, the
// safetensors `__metadata__`). Claims are context beside the weight evidence, never evidence: every value is an
// untrusted string, read under size limits, and a broken sidecar is a problem line, never a failure of the audit.
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { t } from '../l10n';
import { MAX_CONFIG_BYTES, MAX_CONFIG_VALUES } from '../format/config';
import { JsonSyntaxError } from '../format/jsonScan';
import { isUnsafeFileError, openRegularFile, readJsonFileWithLimit, type OpenedFile } from '../format/safeRead';

export type ClaimKind = 'base-model' | 'name-or-path' | 'model-type' | 'architecture' | 'license';

export interface DeclaredClaim {
  /** The file's name inside the folder, or `__metadata__` for the safetensors header. */
  file: string;
  /** The field as written (`base_model`, `vision_config.model_type`, …). */
  field: string;
  kind: ClaimKind;
  value: string;
}

export interface DeclaredClaims {
  claims: DeclaredClaim[];
  /** One line per sidecar that could not be read ("config.json: not valid JSON …"). */
  problems: string[];
}

/** JSON sidecars larger than config.json's limit are not read (they are kilobytes); of a model card only the start. */
export const MAX_SIDECAR_BYTES = MAX_CONFIG_BYTES;
const MAX_FRONT_MATTER = 64 * 1024;
const MAX_VALUE = 300;
const MAX_PER_FIELD = 16;

/**
 * Reads the claims of the sidecars in `folder` (absent files are simply absent; null: no local folder, as for a
 * remote checkpoint) and of the header's metadata.
 */
export async function readDeclaredClaims(folder: string | null, metadata?: Record<string, string> | null): Promise<DeclaredClaims> {
  const out: DeclaredClaims = { claims: [], problems: [] };
  if (folder !== null) await readFolderClaims(folder, out);
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (/base[_ ]?model/i.test(k)) add(out, '__metadata__', k, 'base-model', v);
      else if (/^license$/i.test(k)) add(out, '__metadata__', k, 'license', v);
    }
  }
  return out;
}

async function readFolderClaims(folder: string, out: DeclaredClaims): Promise<void> {
  const config = await readJson(folder, 'config.json', out.problems);
  if (config) {
    add(out, 'config.json', '_name_or_path', 'name-or-path', config._name_or_path);
    add(out, 'config.json', 'model_type', 'model-type', config.model_type);
    add(out, 'config.json', 'architectures', 'architecture', config.architectures);
    for (const sub of ['text_config', 'vision_config', 'audio_config']) {
      const v = own(config, sub);
      if (isRecord(v)) add(out, 'config.json', `${sub}.model_type`, 'model-type', v.model_type);
    }
  }
  const adapter = await readJson(folder, 'adapter_config.json', out.problems);
  if (adapter) add(out, 'adapter_config.json', 'base_model_name_or_path', 'base-model', adapter.base_model_name_or_path);
  const card = await readFrontMatter(folder, 'README.md', out.problems);
  if (card) {
    add(out, 'README.md', 'base_model', 'base-model', card.base_model);
    add(out, 'README.md', 'license', 'license', card.license);
  }
}

function add(out: DeclaredClaims, file: string, field: string, kind: ClaimKind, value: unknown): void {
  const values = Array.isArray(value) ? value.slice(0, MAX_PER_FIELD) : [value];
  for (const v of values) {
    if (typeof v !== 'string' || !v.trim()) continue;
    const text = v.trim();
    out.claims.push({ file, field, kind, value: text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text });
  }
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** The problem line for a sidecar that could not be read; null when it is absent (absent sidecars are simply absent). */
function problemOf(name: string, e: unknown): string | null {
  if (isUnsafeFileError(e)) {
    return e.problem === 'too-large' ? t('{0}: over the {1}-byte limit for a sidecar; not read', name, e.limit ?? MAX_SIDECAR_BYTES) : t('{0}: not a regular file', name);
  }
  if (e instanceof JsonSyntaxError) return e.kind === 'syntax' ? t('{0}: not valid JSON (at byte {1})', name, e.offset) : t('{0}: over the JSON limits ({1})', name, e.message);
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return null;
  return t('{0}: cannot be read ({1})', name, code ?? String(e));
}

/** A JSON sidecar read like config.json beside a checkpoint (safeRead: regular files only, bounded bytes and values). */
async function readJson(folder: string, name: string, problems: string[]): Promise<Json | null> {
  let value: unknown;
  try {
    value = await readJsonFileWithLimit(join(folder, name), MAX_SIDECAR_BYTES, { maxValues: MAX_CONFIG_VALUES });
  } catch (e) {
    const problem = problemOf(name, e);
    if (problem) problems.push(problem);
    return null;
  }
  if (!isRecord(value)) { problems.push(t('{0}: not a JSON object', name)); return null; }
  return value;
}

/** The first `bytes` bytes of a regular file (a model card of any size: only its start is read). */
async function readStart(folder: string, name: string, bytes: number, problems: string[]): Promise<string | null> {
  let opened: OpenedFile;
  try {
    opened = await openRegularFile(join(folder, name));
  } catch (e) {
    const problem = problemOf(name, e);
    if (problem) problems.push(problem);
    return null;
  }
  try {
    const buf = Buffer.alloc(Math.min(opened.size, bytes));
    const { bytesRead } = await opened.handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    problems.push(problemOf(name, e) ?? t('{0}: cannot be read ({1})', name, String(e)));
    return null;
  } finally {
    await opened.handle.close();
  }
}

/** The YAML front matter of a model card (between a first line `---` and the next `---`), parsed as data only. */
async function readFrontMatter(folder: string, name: string, problems: string[]): Promise<Json | null> {
  // Only the start of the card is read: the front matter must open it.
  const text = await readStart(folder, name, MAX_FRONT_MATTER + 8, problems);
  if (text === null) return null;
  const m = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/.exec(text);
  if (!m) {
    if (/^---\r?\n/.test(text)) problems.push(t('{0}: the front matter is not closed within {1} bytes', name, MAX_FRONT_MATTER));
    return null;
  }
  // The core schema (no custom tags, no functions); aliases are bounded against expansion bombs.
  const doc = parseDocument(m[1], { schema: 'core', uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    problems.push(t('{0}: the front matter is not valid YAML ({1})', name, oneLine(doc.errors[0].message)));
    return null;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    problems.push(t('{0}: the front matter cannot be read ({1})', name, oneLine((e as Error).message)));
    return null;
  }
  if (!isRecord(value)) { problems.push(t('{0}: the front matter is not a mapping', name)); return null; }
  return value;
}

const oneLine = (s: string) => s.split('\n')[0].slice(0, 160);
