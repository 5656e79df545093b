// Three-way merge of finding sets by id: the base is what this store last read from (or wrote to) disk.
import { stableStringify } from './canonical';
import { sortFindings } from './order';
import type { Finding } from './types';

export type ConflictKind =
  /** Both sides changed the finding (or added the same id differently): the newer `updated` was kept. */
  | 'both-modified'
  /** This side deleted a finding the other side changed: the deletion was honoured; `lost` is their version. */
  | 'deleted-here-modified-there'
  /** The other side deleted a finding this side changed: the deletion was honoured; `lost` is our version. */
  | 'modified-here-deleted-there';

export interface MergeConflict {
  id: string;
  kind: ConflictKind;
  /** The version kept (null when deleted). */
  kept: Finding | null;
  /** The version that was not kept (for the UI to offer restoring it). */
  lost: Finding | null;
}

export interface MergeResult {
  findings: Finding[];
  conflicts: MergeConflict[];
}

const same = (a: Finding | undefined, b: Finding | undefined) =>
  a === b || (a !== undefined && b !== undefined && stableStringify(a) === stableStringify(b));

/** Newer `updated` wins; equal times fall back to a deterministic order of the serialised findings (ours first). */
function newest(ours: Finding, theirs: Finding): [Finding, Finding] {
  if (ours.updated !== theirs.updated) return ours.updated > theirs.updated ? [ours, theirs] : [theirs, ours];
  return stableStringify(ours) >= stableStringify(theirs) ? [ours, theirs] : [theirs, ours];
}

export function mergeFindings(base: readonly Finding[], ours: readonly Finding[], theirs: readonly Finding[]): MergeResult {
  const B = new Map(base.map((f) => [f.id, f]));
  const O = new Map(ours.map((f) => [f.id, f]));
  const T = new Map(theirs.map((f) => [f.id, f]));
  const ids = [...new Set([...B.keys(), ...O.keys(), ...T.keys()])].sort();
  const out: Finding[] = [];
  const conflicts: MergeConflict[] = [];
  for (const id of ids) {
    const b = B.get(id);
    const o = O.get(id);
    const t = T.get(id);
    if (same(o, t)) { if (o) out.push(o); continue; }
    if (!b) {
      if (o && !t) out.push(o);
      else if (t && !o) out.push(t);
      else if (o && t) {
        const [kept, lost] = newest(o, t);
        out.push(kept);
        conflicts.push({ id, kind: 'both-modified', kept, lost });
      }
      continue;
    }
    if (!o && !t) continue;
    if (!o) {
      if (!same(t, b)) conflicts.push({ id, kind: 'deleted-here-modified-there', kept: null, lost: t! });
      continue;
    }
    if (!t) {
      if (!same(o, b)) conflicts.push({ id, kind: 'modified-here-deleted-there', kept: null, lost: o });
      continue;
    }
    if (same(o, b)) { out.push(t); continue; }
    if (same(t, b)) { out.push(o); continue; }
    const [kept, lost] = newest(o, t);
    out.push(kept);
    conflicts.push({ id, kind: 'both-modified', kept, lost });
  }
  return { findings: sortFindings(out), conflicts };
}
