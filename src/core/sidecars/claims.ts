// Declared provenance: what a checkpoint folder's own files say about where its weights come from (config.json's
// `_name_or_path`, an adapter's `base_model_name_or_path`, the model card's `base_model` and `license`, the
// safetensors `__metadata__`). Claims are context beside the weight evidence, never evidence: every value is an
// untrusted string, read under size limits, and a broken sidecar is a problem line, never a failure of the audit.
import { parseDocument } from 'yaml';
import { t } from '../l10n';
import { MAX_CONFIG_BYTES, MAX_CONFIG_VALUES } from '../format/config';
import { parseJsonBytes } from '../format/jsonScan';
import { localSidecars, sidecarProblem, type SidecarSource } from './source';

export type ClaimKind = 'base-model' | 'name-or-path' | 'model-type' | 'architecture' | 'license' | 'copyright';

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
 * Reads the claims of the sidecars in `folder` (a local folder, or a source such as a Hub repository's; absent files
 * are simply absent; null: none) and of the header's metadata.
 */
export async function readDeclaredClaims(folder: string | SidecarSource | null, metadata?: Record<string, string> | null): Promise<DeclaredClaims> {
  const out: DeclaredClaims = { claims: [], problems: [] };
  if (folder !== null) await readFolderClaims(typeof folder === 'string' ? localSidecars(folder) : folder, out);
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (/base[_ ]?model/i.test(k)) add(out, '__metadata__', k, 'base-model', v);
      else if (/^license$/i.test(k)) add(out, '__metadata__', k, 'license', v);
    }
  }
  return out;
}

async function readFolderClaims(folder: SidecarSource, out: DeclaredClaims): Promise<void> {
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
  for (const name of LICENCE_FILES) {
    const text = await readStart(folder, name, MAX_FRONT_MATTER, out.problems);
    if (text !== null) licenceClaims(out, name, text);
  }
}

/** Licence and notice files whose heading and copyright lines are claims (a licence header names whose terms apply). */
const LICENCE_FILES = ['LICENSE', 'LICENSE.txt', 'LICENSE.md', 'NOTICE'];
const MAX_COPYRIGHT_LINES = 4;

function licenceClaims(out: DeclaredClaims, name: string, text: string): void {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^[#\s*=-]+/, '').trim()).filter(Boolean);
  const copyright = (l: string) => /\bcopyright\b|©/i.test(l);
  if (lines.length && !copyright(lines[0])) add(out, name, 'first line', 'license', lines[0]); // l10n-ignore: a field id, as 'base_model'
  add(out, name, 'copyright', 'copyright', lines.filter(copyright).slice(0, MAX_COPYRIGHT_LINES));
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
/** A JSON sidecar read like config.json beside a checkpoint (bounded bytes and values). */
async function readJson(folder: SidecarSource, name: string, problems: string[]): Promise<Json | null> {
  let value: unknown;
  try {
    const bytes = await folder.read(name, MAX_SIDECAR_BYTES);
    if (!bytes) return null;
    value = parseJsonBytes(bytes, { maxValues: MAX_CONFIG_VALUES });
  } catch (e) {
    problems.push(sidecarProblem(name, e, MAX_SIDECAR_BYTES));
    return null;
  }
  if (!isRecord(value)) { problems.push(t('{0}: not a JSON object', name)); return null; }
  return value;
}

/** The first `bytes` bytes of a file as text (a model card of any size: only its start is read). */
async function readStart(folder: SidecarSource, name: string, bytes: number, problems: string[]): Promise<string | null> {
  try {
    const buf = await folder.readStart(name, bytes);
    if (!buf) return null;
    const text = buf.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    problems.push(sidecarProblem(name, e, bytes));
    return null;
  }
}

/** The YAML front matter of a model card (between a first line `---` and the next `---`), parsed as data only. */
async function readFrontMatter(folder: SidecarSource, name: string, problems: string[]): Promise<Json | null> {
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
