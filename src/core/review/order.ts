// The orders of findings, node- and DOM-free so the webview's Findings pane (through src/shared/findingsView.ts) sorts
// exactly as the review notes do.
import { COMPONENTS } from '../naming/components';
import type { Finding } from './types';

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Store order (the review file): created time, then id. New findings go to the end, so diffs of the file read well. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareStrings(a.created, b.created) || compareStrings(a.id, b.id);
}

export function sortFindings(findings: Iterable<Finding>): Finding[] {
  return [...findings].sort(compareFindings);
}

/**
 * Where a finding's target sits in the notes: the whole model first, then each component in COMPONENTS order
 * (language, vision, audio, projector, other; its component and layer-range findings), then findings on tensor sets.
 */
export function targetRank(f: Finding): number {
  const t = f.target;
  if (t.kind === 'model') return 0;
  if (t.kind === 'tensors') return COMPONENTS.length + 1;
  const i = (COMPONENTS as readonly string[]).indexOf(t.component);
  return i < 0 ? COMPONENTS.length : 1 + i;
}

/**
 * The order findings are shown and exported in (Findings pane, Review Findings tree, every export): target rank, then
 * created time, then id. Suggestions of one audit share their creation millisecond and get random ids, so the
 * component decides their order, and two audits of the same checkpoint export the same notes.
 */
export function compareFindingsForNotes(a: Finding, b: Finding): number {
  return targetRank(a) - targetRank(b) || compareFindings(a, b);
}

export function sortFindingsForNotes(findings: Iterable<Finding>): Finding[] {
  return [...findings].sort(compareFindingsForNotes);
}
