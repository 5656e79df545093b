// References counted by family (config.json's model_type), largest first: how a result checked against hundreds of
// references names them (CLI, Provenance view, review notes) instead of listing every id.

/** [family or null when unknown, count], largest count first, then by name. */
export function familyCounts(refs: readonly { family?: string | null }[]): [string | null, number][] {
  const counts = new Map<string | null, number>();
  for (const r of refs) counts.set(r.family ?? null, (counts.get(r.family ?? null) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || ((a[0] ?? '~') < (b[0] ?? '~') ? -1 : 1));
}

/** Up to this many references are named one by one; more are counted by family. */
export const NAMED_REFERENCES = 8;
