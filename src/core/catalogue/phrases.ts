// What an architecture match says (its summary and the signature rules that held) as data with its numbers, said in a
// language only when shown: the editor says it through t() when the match is made (FamilyMatch.summary / rules), the
// review notes through their label table, in the notes language (ReviewLabels.architecture).
import { t, type Translate } from '../l10n';

/** The dims describeDims names, in this order (the catalogue's other dims are not shown). */
export const SHOWN_DIMS = ['hidden', 'intermediate', 'moeIntermediate', 'heads', 'kvHeads', 'headDim', 'vocab', 'experts', 'patch', 'positions', 'melBins'] as const;
export type ShownDim = (typeof SHOWN_DIMS)[number];

export interface DimSize { dim: ShownDim; value: number }

export type ArchitectureRule =
  /** Every required tensor name of the layout is under the root. */
  | { kind: 'layout'; layout: string; required: number; prefix: string; layers: number }
  /** Every matched tensor has the shapes of these variants. */
  | { kind: 'shapes'; tensors: number; variants: string[]; dims: DimSize[] }
  /** The layer count equals the variants' (`extra` multi-token-prediction layers beyond it, 0 when equal). */
  | { kind: 'layerCount'; layers: number; expected: number; extra: number }
  /** Per-layer shapes equal these variants', the layer count differs. */
  | { kind: 'depth'; variants: string[]; dims: DimSize[]; layers: number; expected: number }
  /** No variant of the family has these sizes. */
  | { kind: 'noVariant'; family: string; closest: string; differ: number; tensors: number }
  /** config.json names this family (`agrees`) or names another one. */
  | { kind: 'config'; agrees: boolean; key: string; value: string | null };

export type ArchitectureSummary =
  | { kind: 'exact'; variants: string[]; family: string }
  | { kind: 'shapes'; variants: string[]; layers: number }
  | { kind: 'layout'; family: string };

/** The sizes of a variant, e.g. "hidden 3584, intermediate 18944, heads 28". */
export function dimsText(dims: readonly DimSize[], tr: Translate = t): string {
  return dims.map(({ dim, value }) => {
    switch (dim) {
      case 'hidden': return tr('hidden {0}', value);
      case 'intermediate': return tr('intermediate {0}', value);
      case 'moeIntermediate': return tr('moe intermediate {0}', value);
      case 'heads': return tr('heads {0}', value);
      case 'kvHeads': return tr('kv heads {0}', value);
      case 'headDim': return tr('head dim {0}', value);
      case 'vocab': return tr('vocab {0}', value);
      case 'experts': return tr('experts {0}', value);
      case 'patch': return tr('patch {0}', value);
      case 'positions': return tr('positions {0}', value);
      case 'melBins': return tr('mel bins {0}', value);
    }
  }).join(', ');
}

const names = (variants: readonly string[]) => variants.join(' / ');
const quoted = (v: string | null) => JSON.stringify(v);

/** A rule that held, in the translator's language. */
export function architectureRuleText(r: ArchitectureRule, tr: Translate = t): string {
  switch (r.kind) {
    case 'layout':
      return tr('layout "{0}": all {1} required tensor names present under "{2}" ({3} layers)', r.layout, r.required, r.prefix, r.layers);
    case 'shapes':
      return tr('every one of {0} matched tensors has the shape of {1} ({2})', r.tensors, names(r.variants), dimsText(r.dims, tr));
    case 'layerCount':
      return r.extra > 0
        ? tr('layer count {0} = {1} + {2} multi-token-prediction layer', r.layers, r.expected, r.extra)
        : tr('layer count {0} = {1}', r.layers, r.expected);
    case 'depth':
      return tr('per-layer shapes equal {0} ({1}), but {2} layers instead of {3}', names(r.variants), dimsText(r.dims, tr), r.layers, r.expected);
    case 'noVariant':
      return tr('sizes match no known {0} variant (closest: {1}, {2} of {3} shapes differ)', r.family, r.closest, r.differ, r.tensors);
    case 'config':
      return r.agrees ? `config.json ${r.key} = ${quoted(r.value)}` : tr("config.json {0} = {1}, not one of this family's", r.key, quoted(r.value));
  }
}

/** The one-line summary of a match, in the translator's language. */
export function architectureSummaryText(s: ArchitectureSummary, tr: Translate = t): string {
  switch (s.kind) {
    case 'exact': return tr('same shapes and layout as {0} ({1})', names(s.variants), s.family);
    case 'shapes': return tr('same per-layer shapes and layout as {0}, different depth ({1} layers)', names(s.variants), s.layers);
    case 'layout': return tr('same tensor layout as {0}, other sizes', s.family);
  }
}
