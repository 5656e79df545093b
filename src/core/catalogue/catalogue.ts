// The architecture catalogue (catalogue/architectures.json): loading and validation. The file is data, documented in
// docs/catalogue.md; a reviewer can extend it or point WEIGHTPRINT_CATALOGUE at their own copy.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { JsonSyntaxError, parseJsonBytes } from '../format/jsonScan';
import { isUnsafeFileError, readFileWithLimitSync } from '../format/safeRead';
import { t } from '../l10n';
import { ownValue } from '../lookup';
import { COMPONENTS, type Component } from '../naming/components';
import { evaluate, parseExpr, type Expr } from './expr';

export interface TensorTemplate {
  /** Name suffix; {L} is a layer index, {E} an expert index. Any prefix (ending in ".") is allowed: it is the component's root. */
  name: string;
  /** Each dimension: an integer or an expression over the variant's dims (e.g. "heads*headDim"). */
  shape: Array<string | number>;
  /** Not every checkpoint of the family has it (tied heads, dense-only layers, optional norms). */
  optional?: boolean;
}

export interface Layout {
  description: string;
  tensors: TensorTemplate[];
  /** Name suffixes that must NOT be present under the same root (they belong to another layout). */
  absent: string[];
}

export interface Variant {
  id: string;
  name: string;
  /** Public Hugging Face repos with these exact shapes ("add to library"). */
  repos: string[];
  /** hidden, intermediate, layers, heads, kvHeads, headDim, vocab ...; `nextnLayers` extra layer indices allowed. */
  dims: Record<string, number>;
}

/** A component a family describes: any but "other". */
export type ComponentKind = Exclude<Component, 'other'>;

export interface Family {
  id: string;
  name: string;
  component: ComponentKind;
  layout: string;
  /** config.json keys (dotted paths) and the values that name this family. */
  config: Record<string, string[]>;
  variants: Variant[];
  notes?: string;
}

export interface Catalogue {
  format: 'weightprint-architectures';
  version: 1;
  about?: string;
  layouts: Record<string, Layout>;
  families: Family[];
}

/** A template with its shape compiled. */
export interface CompiledTemplate extends TensorTemplate {
  dims: Array<Expr | number>;
  regex: RegExp;
  /** Literal text after the last placeholder: a cheap pre-filter. */
  suffix: string;
}

export class CatalogueError extends Error {
  constructor(readonly file: string, reason: string) {
    super(t('{0}: not a valid architecture catalogue: {1}', file, reason));
    this.name = 'CatalogueError';
  }
}

const COMPONENT_KINDS: readonly string[] = COMPONENTS.filter((c) => c !== 'other');

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Suffix template → regex with the root prefix as group 1, then {L} and {E} as named groups. */
export function compileTemplate(tpl: TensorTemplate): CompiledTemplate {
  const body = escape(tpl.name).replace('\\{L\\}', '(?<L>\\d+)').replace('\\{E\\}', '(?<E>\\d+)');
  const lastBrace = tpl.name.lastIndexOf('}');
  return {
    ...tpl,
    dims: tpl.shape.map((d) => (typeof d === 'number' ? d : parseExpr(d))),
    regex: new RegExp(`^((?:[^.]+\\.)*?)${body}$`),
    suffix: lastBrace >= 0 ? tpl.name.slice(lastBrace + 1) : tpl.name,
  };
}

/** Checks the structure; throws CatalogueError naming the first problem. */
export function validateCatalogue(raw: unknown, file = '<catalogue>'): Catalogue {
  const fail = (reason: string): never => { throw new CatalogueError(file, reason); };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(raw)) return fail(t('top level is not an object'));
  if (raw.format !== 'weightprint-architectures') fail(t('"format" must be "weightprint-architectures"'));
  if (raw.version !== 1) fail(t('version {0} is not supported (this Weightprint reads version 1)', String(JSON.stringify(raw.version))));
  if (!isObj(raw.layouts)) return fail(t('"layouts" must be an object'));
  for (const [id, l] of Object.entries(raw.layouts)) {
    if (!isObj(l) || !Array.isArray(l.tensors) || !Array.isArray(l.absent ?? [])) fail(t('layout {0}: needs "tensors" and "absent" arrays', id));
    const layout = l as unknown as Layout;
    layout.absent ??= [];
    for (const tpl of layout.tensors) {
      if (!isObj(tpl) || typeof tpl.name !== 'string' || !Array.isArray(tpl.shape)) fail(t('layout {0}: a tensor template needs "name" and "shape"', id));
      try { compileTemplate(tpl); } catch (e) { fail(t('layout {0}, {1}: {2}', id, tpl.name, (e as Error).message)); }
    }
  }
  if (!Array.isArray(raw.families)) return fail(t('"families" must be an array'));
  const ids = new Set<string>();
  for (const f of raw.families as unknown[]) {
    if (!isObj(f) || typeof f.id !== 'string' || typeof f.name !== 'string') return fail(t('a family needs "id" and "name"'));
    if (ids.has(f.id)) fail(t('family id {0} appears twice', f.id));
    ids.add(f.id);
    if (!COMPONENT_KINDS.includes(String(f.component))) fail(t('family {0}: component must be one of {1}', f.id, COMPONENT_KINDS.join(', ')));
    const layout = ownValue(raw.layouts as Record<string, Layout>, String(f.layout));
    if (!layout) return fail(t('family {0}: unknown layout {1}', f.id, String(JSON.stringify(f.layout))));
    if (!isObj(f.config)) fail(t('family {0}: "config" must map config.json keys to values', f.id));
    if (!Array.isArray(f.variants) || f.variants.length === 0) fail(t('family {0}: needs at least one variant', f.id));
    for (const v of f.variants as unknown[]) {
      if (!isObj(v) || typeof v.id !== 'string' || !Array.isArray(v.repos) || !isObj(v.dims)) fail(t('family {0}: a variant needs "id", "repos" and "dims"', f.id));
      const variant = v as unknown as Variant;
      if (typeof variant.dims.layers !== 'number') fail(t('variant {0}: dims.layers is required', variant.id));
      for (const tpl of layout.tensors) {
        if (tpl.optional) continue;
        const c = compileTemplate(tpl);
        if (c.dims.some((d) => evaluate(d, variant.dims) === undefined)) fail(t('variant {0}: a dimension of {1} ({2}) uses a dim it does not define', variant.id, tpl.name, JSON.stringify(tpl.shape)));
      }
    }
  }
  return raw as unknown as Catalogue;
}

/** catalogue/architectures.json next to the package (found upward from this module), or WEIGHTPRINT_CATALOGUE. */
export function defaultCataloguePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WEIGHTPRINT_CATALOGUE) return resolve(env.WEIGHTPRINT_CATALOGUE);
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'catalogue', 'architectures.json');
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(__dirname, '..', 'catalogue', 'architectures.json');
}

/** Largest catalogue file read (the shipped one is about 50 KB). */
export const MAX_CATALOGUE_BYTES = 4 * 1024 * 1024;

let cached: { path: string; catalogue: Catalogue } | undefined;

/** Loads and validates a catalogue file (default: the shipped one; cached). */
export function loadCatalogue(path = defaultCataloguePath()): Catalogue {
  if (cached?.path === path) return cached.catalogue;
  let raw: unknown;
  try {
    raw = parseJsonBytes(readFileWithLimitSync(path, MAX_CATALOGUE_BYTES), { maxValues: 500_000 });
  } catch (e) {
    const why = e instanceof JsonSyntaxError || isUnsafeFileError(e) ? e.message : (e as NodeJS.ErrnoException).code ?? String((e as Error).message).slice(0, 160);
    throw new CatalogueError(path, t('cannot read it as JSON ({0})', why));
  }
  const catalogue = validateCatalogue(raw, path);
  cached = { path, catalogue };
  return catalogue;
}
