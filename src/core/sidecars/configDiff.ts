// The architecture facts of two config.json summaries side by side, per component. Context only, never evidence:
// every model of a family shares its layout (the catalogue's "layout only" rule), so identical rows say "same
// architecture", not "same weights".
import type { ConfigSummary, SubConfigSummary } from '../format/config';
import type { Component } from '../naming/components';

export const CONFIG_FACTS = ['modelType', 'hiddenSize', 'layers', 'heads', 'kvHeads', 'headDim', 'intermediateSize', 'vocabSize', 'ropeTheta', 'normEps', 'experts', 'expertsPerToken', 'patchSize'] as const;
export type ConfigFact = (typeof CONFIG_FACTS)[number];

export interface ConfigRow {
  component: Component;
  fact: ConfigFact;
  suspect: string | number | null;
  reference: string | number | null;
  /** Both sides state the fact and it is the same. */
  same: boolean;
}

export interface ConfigComparison {
  reference: string;
  rows: ConfigRow[];
  /** Rows stated on both sides, and how many of them are the same. */
  compared: number;
  identical: number;
}

type Facts = Partial<Record<ConfigFact, string | number>>;

/** The facts of each component a summary describes: the language model from `text_config` or the top level. */
export function componentFacts(c: ConfigSummary): Partial<Record<Component, Facts>> {
  const pick = (s: SubConfigSummary | ConfigSummary, extra: boolean): Facts => {
    const out: Facts = {};
    for (const f of CONFIG_FACTS) {
      const v = (s as Record<string, unknown>)[f];
      if ((typeof v === 'string' && v) || (typeof v === 'number' && Number.isFinite(v))) out[f] = v as string | number;
    }
    if (extra) for (const f of ['ropeTheta', 'normEps', 'expertsPerToken'] as const) if (c[f] !== undefined && out[f] === undefined) out[f] = c[f];
    return out;
  };
  const out: Partial<Record<Component, Facts>> = {};
  const language = c.text ? { ...pick(c, false), ...pick(c.text, true) } : pick(c, true);
  // A top level that only wraps sub-configurations (a multimodal model's own model_type) still names the model type.
  if (Object.keys(language).length) out.language = language;
  if (c.vision) out.vision = pick(c.vision, false);
  if (c.audio) out.audio = pick(c.audio, false);
  return out;
}

export function compareConfigs(suspect: ConfigSummary, reference: ConfigSummary, referenceId: string): ConfigComparison {
  const a = componentFacts(suspect);
  const b = componentFacts(reference);
  const rows: ConfigRow[] = [];
  for (const component of ['language', 'vision', 'audio'] as const) {
    const fa = a[component];
    const fb = b[component];
    if (!fa && !fb) continue;
    for (const fact of CONFIG_FACTS) {
      const s = fa?.[fact] ?? null;
      const r = fb?.[fact] ?? null;
      if (s === null && r === null) continue;
      rows.push({ component, fact, suspect: s, reference: r, same: s !== null && r !== null && s === r });
    }
  }
  const compared = rows.filter((r) => r.suspect !== null && r.reference !== null).length;
  return { reference: referenceId, rows, compared, identical: rows.filter((r) => r.same).length };
}
