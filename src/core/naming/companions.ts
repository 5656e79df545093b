// Scale companions of quantised weights: an FP8 checkpoint stores beside `<module>.weight` its block or per-row
// scales as `<module>.weight_scale_inv` (DeepSeek-V3), `<module>.weight_scale` (compressed-tensors) or
// `<module>.scale_inv`. They are not modules of their own: per-layer views attach them to their weight.

const SUFFIXES: readonly [string, string][] = [['_scale_inv', ''], ['_scale', ''], ['.scale_inv', '.weight']];

/** The weight a tensor scales (a name in `names`), or null when it is no scale companion. */
export function scaleCompanionOf(name: string, names: ReadonlySet<string>): string | null {
  for (const [suffix, weight] of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const w = name.slice(0, name.length - suffix.length) + weight;
    if (w !== name && /weight$/.test(w) && names.has(w)) return w;
  }
  return null;
}

/** Companion name → its weight's name, for every scale companion among `names`. */
export function scaleCompanions(names: Iterable<string>): Map<string, string> {
  const all = new Set(names);
  const out = new Map<string, string>();
  for (const n of all) {
    const w = scaleCompanionOf(n, all);
    if (w !== null) out.set(n, w);
  }
  return out;
}
