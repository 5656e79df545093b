// Architecture matching: which public families have the same tensor layout and shapes as a checkpoint's components.
// This is ARCHITECTURE evidence only ("same shapes and layout as family X"): open architectures are reused freely;
// whether the WEIGHTS were reused is decided by fingerprints (src/core/match), never here.
import type { Checkpoint } from '../format/checkpoint';
import type { ConfigSummary } from '../format/config';
import { compileTemplate, loadCatalogue, type Catalogue, type CompiledTemplate, type ComponentKind, type Family, type Variant } from './catalogue';
import { evaluate } from './expr';
import { architectureRuleText, architectureSummaryText, SHOWN_DIMS, type ArchitectureRule, type ArchitectureSummary, type DimSize } from './phrases';

export interface NamedShape { name: string; shape: readonly number[] }

/**
 * - exact: the layout and every shape and the layer count equal a known variant's;
 * - shapes: the layout and every per-layer shape equal a variant's, the layer count differs (pruned, extended, truncated);
 * - layout: the tensor names follow the family's layout, the sizes are not those of any known variant.
 */
export type ArchitectureConfidence = 'exact' | 'shapes' | 'layout';

export interface FamilyMatch {
  family: string;
  familyName: string;
  component: ComponentKind;
  /** Name prefix of the component's root, e.g. "model.", "visual.", "model.language_model.". */
  prefix: string;
  confidence: ArchitectureConfidence;
  /** Variants with exactly these shapes (several when models share them, e.g. Qwen2-7B and Qwen2.5-7B). */
  variants: Array<{ id: string; name: string; repos: string[] }>;
  /** Layer indices seen under the prefix. */
  layers: number;
  /** Tensors of the checkpoint that the layout's templates matched. */
  tensorsMatched: number;
  /** Which signature rules held, in words of the display language (the editor). */
  rules: string[];
  /** What config.json says about this family: names it, names another family, or nothing. */
  config: 'agrees' | 'disagrees' | 'absent';
  /** One line in the display language: "same shapes and layout as Qwen2.5-7B (Qwen2 / Qwen2.5)". */
  summary: string;
  /** The summary and the rules as data, for saying them in another language (the review notes). */
  facts: ArchitectureFacts;
}

export interface ArchitectureFacts {
  summary: ArchitectureSummary;
  rules: ArchitectureRule[];
}

export interface ComponentArchitecture {
  component: ComponentKind;
  prefix: string;
  /** Best first: confidence, then config agreement, then tensors matched. */
  matches: FamilyMatch[];
}

export interface ArchitectureReport {
  /** Architecture evidence only: says nothing about where the weights came from. */
  kind: 'architecture';
  components: ComponentArchitecture[];
  /** Families that config.json names (model_type, vision_config.model_type ...), whatever the tensors say. */
  configFamilies: string[];
}

interface CompiledFamily {
  family: Family;
  templates: CompiledTemplate[];
  absent: CompiledTemplate[];
}

interface CompiledCatalogue {
  families: CompiledFamily[];
  /**
   * Templates by the name segments their literal suffix ends with: "last" or "penultimate.last" (when the suffix
   * holds that segment whole). A tensor name looks up its own last one and two segments, so a 100,000-tensor header
   * tests a handful of templates per name instead of every family's (0.7 s → a few ms).
   */
  bySuffix: Map<string, Array<{ family: number; template: number }>>;
}

const compiledCache = new WeakMap<Catalogue, CompiledCatalogue>();

function suffixKey(tpl: CompiledTemplate): string {
  const parts = tpl.suffix.split('.');
  const last = parts[parts.length - 1];
  // A suffix inside one segment ("{L}_weight", or none after the last brace) can end any name.
  if (parts.length === 1 && tpl.suffix !== tpl.name) return ANY;
  // The segment before the last is whole when a dot precedes it, or when the suffix is the whole template name
  // (the regex starts the name at a segment boundary).
  const whole = parts.length >= 3 || (parts.length === 2 && tpl.suffix === tpl.name);
  return whole ? `${parts[parts.length - 2]}.${last}` : last;
}

function compile(catalogue: Catalogue): CompiledCatalogue {
  let c = compiledCache.get(catalogue);
  if (!c) {
    const families = catalogue.families.map((family) => {
      const layout = catalogue.layouts[family.layout];
      return {
        family,
        templates: layout.tensors.map(compileTemplate),
        absent: layout.absent.map((name) => compileTemplate({ name, shape: [] })),
      };
    });
    const bySuffix = new Map<string, Array<{ family: number; template: number }>>();
    families.forEach((cf, family) => cf.templates.forEach((tpl, template) => {
      const key = suffixKey(tpl);
      let list = bySuffix.get(key);
      if (!list) bySuffix.set(key, (list = []));
      list.push({ family, template });
    }));
    c = { families, bySuffix };
    compiledCache.set(catalogue, c);
  }
  return c;
}

const ANY = '';

/** The templates whose suffix may end `name`, in family then template order. */
function candidates(compiled: CompiledCatalogue, name: string): Array<{ family: number; template: number }> {
  const lastDot = name.lastIndexOf('.');
  const lists = [
    compiled.bySuffix.get(name.slice(lastDot + 1)),
    lastDot > 0 ? compiled.bySuffix.get(name.slice(name.lastIndexOf('.', lastDot - 1) + 1)) : undefined,
    compiled.bySuffix.get(ANY),
  ].filter((l) => l !== undefined);
  if (lists.length <= 1) return lists[0] ?? [];
  return lists.flat().sort((a, b) => a.family - b.family || a.template - b.template);
}

/** Flattens config.json (or a ConfigSummary) into dotted keys → string values. */
export function configKeys(config: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof config !== 'object' || config === null) return out;
  const o = config as Record<string, unknown>;
  const put = (k: string, v: unknown): void => {
    if (typeof v === 'string') out.set(k, [...(out.get(k) ?? []), v]);
    else if (Array.isArray(v)) for (const x of v) put(k, x);
  };
  if ('modelType' in o || 'architectures' in o && !('model_type' in o)) {
    const s = o as unknown as ConfigSummary;
    put('model_type', s.modelType);
    put('architectures', s.architectures);
    put('text_config.model_type', s.text?.modelType);
    put('vision_config.model_type', s.vision?.modelType);
    put('audio_config.model_type', s.audio?.modelType);
    return out;
  }
  put('model_type', o.model_type);
  put('architectures', o.architectures);
  for (const sub of ['text_config', 'vision_config', 'audio_config', 'llm_config']) {
    const v = o[sub];
    if (typeof v === 'object' && v !== null) put(`${sub}.model_type`, (v as Record<string, unknown>).model_type);
  }
  return out;
}

function configVerdict(family: Family, keys: Map<string, string[]>): { verdict: FamilyMatch['config']; rule?: ArchitectureRule } {
  let relevant = false;
  for (const [key, values] of Object.entries(family.config)) {
    const have = keys.get(key);
    if (!have) continue;
    if (have.some((v) => values.includes(v))) return { verdict: 'agrees', rule: { kind: 'config', agrees: true, key, value: have.find((v) => values.includes(v)) ?? null } };
    relevant = true;
  }
  // A config that names a model type for this component kind but not this family.
  const sameKindKey = family.component === 'language' ? ['model_type', 'text_config.model_type'] : family.component === 'vision' ? ['vision_config.model_type'] : ['audio_config.model_type'];
  if (relevant || sameKindKey.some((k) => keys.has(k) && Object.keys(family.config).includes(k))) {
    const k = sameKindKey.find((x) => keys.has(x)) ?? 'model_type';
    return { verdict: 'disagrees', rule: { kind: 'config', agrees: false, key: k, value: keys.get(k)?.[0] ?? null } };
  }
  return { verdict: 'absent' };
}

interface Hit { template: number; name: string; shape: readonly number[]; layer: number | null }

const RANK: Record<ArchitectureConfidence, number> = { exact: 0, shapes: 1, layout: 2 };

/** Matches a checkpoint (or plain names and shapes) against the catalogue, per component root. */
export function matchArchitecture(input: Checkpoint | readonly NamedShape[], config?: unknown, catalogue: Catalogue = loadCatalogue()): ArchitectureReport {
  const tensors: readonly NamedShape[] = Array.isArray(input) ? input : (input as Checkpoint).tensors;
  const cfg = config ?? (Array.isArray(input) ? undefined : (input as Checkpoint).config);
  const keys = configKeys(cfg);
  const compiled = compile(catalogue);
  const families = compiled.families;
  const matches: FamilyMatch[] = [];
  // Hits per family and root prefix, in tensor then template order.
  const byFamily = families.map(() => new Map<string, Hit[]>());
  for (const t of tensors) {
    for (const { family, template } of candidates(compiled, t.name)) {
      const tpl = families[family].templates[template];
      if (!t.name.endsWith(tpl.suffix)) continue;
      const m = tpl.regex.exec(t.name);
      if (!m) continue;
      const prefix = m[1];
      const layer = m.groups?.L !== undefined ? Number(m.groups.L) : null;
      const byPrefix = byFamily[family];
      let list = byPrefix.get(prefix);
      if (!list) byPrefix.set(prefix, (list = []));
      list.push({ template, name: t.name, shape: t.shape, layer });
    }
  }
  for (const [f, cf] of families.entries()) {
    for (const [prefix, hits] of byFamily[f]) {
      const m = matchPrefix(cf, prefix, hits, tensors, keys);
      if (m) matches.push(m);
    }
  }
  // Group by component root; best first.
  const groups = new Map<string, ComponentArchitecture>();
  for (const m of matches) {
    const key = `${m.component}|${m.prefix}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { component: m.component, prefix: m.prefix, matches: [] }));
    g.matches.push(m);
  }
  const cfgRank = { agrees: 0, absent: 1, disagrees: 2 };
  for (const g of groups.values()) {
    g.matches.sort((a, b) => RANK[a.confidence] - RANK[b.confidence] || cfgRank[a.config] - cfgRank[b.config] || b.tensorsMatched - a.tensorsMatched || a.family.localeCompare(b.family));
  }
  const configFamilies = families.filter((cf) => configVerdict(cf.family, keys).verdict === 'agrees').map((cf) => cf.family.id);
  return { kind: 'architecture', components: [...groups.values()].sort((a, b) => a.component.localeCompare(b.component) || a.prefix.localeCompare(b.prefix)), configFamilies };
}

function matchPrefix(cf: CompiledFamily, prefix: string, hits: Hit[], tensors: readonly NamedShape[], keys: Map<string, string[]>): FamilyMatch | undefined {
  const { family, templates } = cf;
  const required = templates.map((t, i) => (t.optional ? -1 : i)).filter((i) => i >= 0);
  const present = new Set(hits.map((h) => h.template));
  const missing = required.filter((i) => !present.has(i));
  // The layout: every required template present (a layout that is only partly there is not this family).
  if (missing.length > 0) return undefined;
  const perLayer = templates.some((t) => t.name.includes('{L}'));
  const layerSet = new Set(hits.filter((h) => h.layer !== null).map((h) => h.layer as number));
  if (perLayer && layerSet.size === 0) return undefined;
  // Names that belong to another layout must be absent under this root.
  for (const a of cf.absent) {
    const clash = tensors.find((t) => t.name.startsWith(prefix) && t.name.endsWith(a.suffix) && a.regex.exec(t.name)?.[1] === prefix);
    if (clash) return undefined;
  }
  const layers = layerSet.size;
  const rules: ArchitectureRule[] = [{ kind: 'layout', layout: family.layout, required: required.length, prefix, layers }];

  // Shapes per variant.
  let best: { variant: Variant; shapeOk: boolean; layersOk: boolean; bad: number }[] = [];
  for (const variant of family.variants) {
    let bad = 0;
    for (const h of hits) {
      const tpl = templates[h.template];
      const want = tpl.dims.map((d) => (typeof d === 'number' ? d : evaluate(d, variant.dims)));
      if (want.length !== h.shape.length || want.some((w, k) => w !== h.shape[k])) bad++;
    }
    const extra = variant.dims.nextnLayers ?? 0;
    const layersOk = !perLayer || layers === variant.dims.layers || (extra > 0 && layers === variant.dims.layers + extra);
    best.push({ variant, shapeOk: bad === 0, layersOk, bad });
  }
  const exact = best.filter((b) => b.shapeOk && b.layersOk);
  const shapes = best.filter((b) => b.shapeOk && !b.layersOk);
  let confidence: ArchitectureConfidence;
  if (exact.length) {
    confidence = 'exact';
    best = exact;
    const dims = exact[0].variant.dims;
    rules.push({ kind: 'shapes', tensors: hits.length, variants: exact.map((b) => b.variant.name), dims: shownDims(exact[0].variant) });
    if (perLayer) rules.push({ kind: 'layerCount', layers, expected: dims.layers, extra: layers !== dims.layers ? dims.nextnLayers ?? 0 : 0 });
  } else if (shapes.length) {
    confidence = 'shapes';
    best = shapes;
    rules.push({ kind: 'depth', variants: shapes.map((b) => b.variant.name), dims: shownDims(shapes[0].variant), layers, expected: shapes[0].variant.dims.layers });
  } else {
    confidence = 'layout';
    const closest = [...best].sort((a, b) => a.bad - b.bad)[0];
    best = [];
    rules.push({ kind: 'noVariant', family: family.name, closest: closest.variant.name, differ: closest.bad, tensors: hits.length });
  }
  const cv = configVerdict(family, keys);
  if (cv.rule) rules.push(cv.rule);
  const variants = best.map((b) => ({ id: b.variant.id, name: b.variant.name, repos: [...b.variant.repos] }));
  const what = variants.length ? variants.map((v) => v.name) : [family.name];
  const summary: ArchitectureSummary = confidence === 'exact' ? { kind: 'exact', variants: what, family: family.name }
    : confidence === 'shapes' ? { kind: 'shapes', variants: what, layers }
      : { kind: 'layout', family: family.name };
  return {
    family: family.id, familyName: family.name, component: family.component, prefix, confidence, variants, layers, tensorsMatched: hits.length,
    rules: rules.map((r) => architectureRuleText(r)), config: cv.verdict, summary: architectureSummaryText(summary), facts: { summary, rules },
  };
}

/** The variant's sizes that the rules name (SHOWN_DIMS, in that order). */
function shownDims(v: Variant): DimSize[] {
  return SHOWN_DIMS.filter((dim) => v.dims[dim] !== undefined).map((dim) => ({ dim, value: v.dims[dim] }));
}

/** Is a match a claim that the component has this family's architecture (exact sizes, or same per-layer sizes)? */
export function isClaim(m: FamilyMatch): boolean {
  return m.confidence === 'exact' || m.confidence === 'shapes';
}

/** Public repos to offer for "add to library": those of the exact/shape matches, best first, without duplicates. */
export function suggestedRepos(report: ArchitectureReport): Array<{ repo: string; family: string; variant: string; component: ComponentKind }> {
  const out: Array<{ repo: string; family: string; variant: string; component: ComponentKind }> = [];
  const seen = new Set<string>();
  for (const c of report.components) {
    for (const m of c.matches) {
      if (!isClaim(m)) continue;
      for (const v of m.variants) for (const repo of v.repos) {
        if (seen.has(repo)) continue;
        seen.add(repo);
        out.push({ repo, family: m.family, variant: v.id, component: m.component });
      }
    }
  }
  return out;
}

/** Tensors (names and shapes) of a variant as the catalogue describes it, under `prefix`: for tests and docs. */
export function exampleTensors(catalogue: Catalogue, familyId: string, variantId: string, prefix: string, experts = 2): NamedShape[] {
  const family = catalogue.families.find((f) => f.id === familyId);
  const variant = family?.variants.find((v) => v.id === variantId);
  if (!family || !variant) throw new Error(`no variant ${familyId}/${variantId}`); // l10n-ignore: tests and docs only
  const out: NamedShape[] = [];
  const layers = variant.dims.layers + (variant.dims.nextnLayers ?? 0);
  for (const t of catalogue.layouts[family.layout].tensors) {
    const c = compileTemplate(t);
    const shape = c.dims.map((d) => (typeof d === 'number' ? d : evaluate(d, variant.dims)));
    if (shape.some((s) => s === undefined)) continue;
    const ls = t.name.includes('{L}') ? Array.from({ length: layers }, (_, i) => i) : [null];
    const es = t.name.includes('{E}') ? Array.from({ length: experts }, (_, i) => i) : [null];
    for (const l of ls) for (const e of es) {
      out.push({ name: prefix + t.name.replace('{L}', String(l)).replace('{E}', String(e)), shape: shape as number[] });
    }
  }
  return out;
}
