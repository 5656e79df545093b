// Component verdicts from per-tensor evidence (docs/matching.md §5). The relation sentences are data (audit --json,
// review evidence snapshots) in English; src/core/auditPhrases.ts translates them where they are displayed.
import { log10Fisher, median, toP } from './stats';
import type { ComponentEvidence, MethodParameters, TensorEvidence, Verdict } from './types';

export const WEAK_AGREEMENTS = 'many weak agreements, no tensor with a material effect'; // l10n-ignore: audit data

export const TASK_ONLY = 'only task-determined tensors agree (output biases, per-class vectors): the same task, not reused weights'; // l10n-ignore: audit data

export function componentVerdict(all: TensorEvidence[], parameters: number, method: MethodParameters):
  { verdict: Verdict; relation: string; evidence: ComponentEvidence } {
  const rows = all.filter((r) => !r.taskDetermined);
  const informative = rows.length;
  const matched = rows.filter((r) => r.matched);
  const exactRows = matched.filter((r) => r.exact);
  const dtypeRows = matched.filter((r) => r.dtypeExact);
  const lp = log10Fisher(rows.map((r) => r.log10P));
  const covered = matched.reduce((s, r) => s + r.parameters, 0);
  const evidence: ComponentEvidence = {
    matchedTensors: matched.length,
    informativeTensors: informative,
    medianR: matched.length ? median(matched.map((r) => r.r)) : null,
    pValue: toP(lp),
    log10PValue: lp,
    coveredParameterFraction: parameters ? covered / parameters : 0,
    exactTensors: exactRows.length,
    dtypeExactTensors: dtypeRows.length,
    // Pruned tensors are counted as pruned (below), not again as permuted.
    permutedTensors: matched.filter((r) => r.permuted && !isSubset(r)).length,
    hiddenPermutation: matched.some((r) => r.hiddenPermuted),
  };
  const need = Math.min(method.minMatchedTensors, Math.max(1, informative));
  const strong = lp < Math.log10(method.alphaComponent);
  // A coherent group: at least two material matches (matrices of >= 4,096 parameters, |r| >= 0.5, each past the tensor
  // threshold) whose own combined p is below alphaComponent squared. Two reused matrices are reused weights whatever
  // the rest of the component does (token embeddings + LM head copied, the blocks trained anew).
  const material = matched.filter((r) => r.parameters >= 4096 && r.suspectKind !== 'norm' && Math.abs(r.r) >= 0.5 && r.log10P < Math.log10(method.alphaTensor));
  const coherent = material.length >= 2 && log10Fisher(material.map((r) => r.log10P)) < 2 * Math.log10(method.alphaComponent);
  if (matched.length === 0) {
    // A combined p below the component threshold with no single material match is not "no evidence": many weak
    // agreements (weights under heavy noise) are agreements. Short of "derived": no tensor shows a material effect.
    if (strong) return { verdict: 'inconclusive', relation: WEAK_AGREEMENTS, evidence };
    if (all.some((r) => r.matched)) return { verdict: 'no-evidence', relation: TASK_ONLY, evidence };
    return { verdict: 'no-evidence', relation: 'no tensor matches', evidence }; // l10n-ignore: audit data
  }
  if ((matched.length >= need || coherent) && strong) {
    const allExact = informative > 0 && exactRows.length + dtypeRows.length === informative &&
      matched.every((r) => (r.exact || r.dtypeExact) && (r.relation === 'same' || r.relation === 'fused-part' || r.relation === 'split-block'));
    if (allExact) {
      return {
        verdict: 'identical',
        relation: dtypeRows.length ? `identical up to dtype conversion (${dtypeRows.length} of ${informative} tensors converted)` : 'identical copy', // l10n-ignore: audit data
        evidence,
      };
    }
    const tags: string[] = [];
    if (evidence.exactTensors) tags.push(`${evidence.exactTensors} exact`);
    if (evidence.permutedTensors) tags.push(`${evidence.permutedTensors} permuted`);
    if (evidence.hiddenPermutation) {
      tags.push(rows.some((r) => r.matched && r.hiddenPermuted && isSubset(r)) ? 'hidden dimension pruned' : 'hidden dimension permuted'); // l10n-ignore: audit data
    }
    if (rows.some((r) => r.matched && r.relation === 'row-extended')) tags.push('rows extended'); // l10n-ignore: audit data
    if (rows.some((r) => r.matched && (r.relation === 'fused-part' || r.relation === 'split-block'))) tags.push('fused/split layout'); // l10n-ignore: audit data
    if (rows.some((r) => r.matched && r.relation === 'transposed')) tags.push('transposed');
    if (rows.some((r) => r.matched && r.relation === 'row-truncated')) tags.push('rows truncated'); // l10n-ignore: audit data
    const rotated = rows.filter((r) => r.matched && r.relation === 'rotated').length;
    if (rotated) tags.push(`${rotated} with a rotated basis`); // l10n-ignore: audit data
    const pruned = rows.filter((r) => r.matched && isSubset(r)).length;
    if (pruned) tags.push(`${pruned} pruned to a subset`); // l10n-ignore: audit data
    // Token matrices in a rotated basis cannot be compared (match/gram.ts): their silence is not "no evidence".
    const part = rotated ? null : partialGroups(rows);
    if (part) {
      evidence.partial = part.reused;
      // l10n-ignore (next line): audit data
      return { verdict: 'derived', relation: `${sayList(part.reused)} reused; the ${sayList(part.missing)} ${part.missing.length > 1 || part.missing[0].endsWith('s') ? 'show' : 'shows'} no evidence`, evidence };
    }
    return { verdict: 'derived', relation: `derived${tags.length ? ` (${tags.join(', ')})` : ''}`, evidence };
  }
  // l10n-ignore (next line): audit data
  return { verdict: 'inconclusive', relation: `${matched.length} matching tensor(s), below the ${need} needed with combined p < ${method.alphaComponent}`, evidence };
}

function isSubset(r: TensorEvidence): boolean {
  return r.relation === 'row-subset' || r.relation === 'column-subset';
}

/** Parts of a component that reuse is reported by (the English words are audit data, see auditPhrases.ts). */
// l10n-ignore (next line): audit data
export type PartGroup = 'token embeddings' | 'LM head' | 'transformer blocks' | 'other tensors';

function groupOf(r: TensorEvidence): PartGroup {
  // l10n-ignore (next line): audit data
  if (r.suspectKind === 'embedding') return 'token embeddings';
  // l10n-ignore (next line): audit data
  if (r.suspectKind === 'head') return 'LM head';
  // l10n-ignore (next line): audit data
  return r.suspectLayer !== null ? 'transformer blocks' : 'other tensors';
}

/** Reused and evidence-free groups when the match covers only part of the component, else null. */
export function partialGroups(rows: TensorEvidence[]): { reused: PartGroup[]; missing: PartGroup[] } | null {
  // l10n-ignore (next line): audit data
  const order: PartGroup[] = ['token embeddings', 'LM head', 'transformer blocks', 'other tensors'];
  const seen = new Set<PartGroup>();
  const hit = new Set<PartGroup>();
  for (const r of rows) {
    seen.add(groupOf(r));
    if (r.matched) hit.add(groupOf(r));
  }
  // "other tensors" (a final norm, loose vectors) is too small to call a part without evidence.
  // l10n-ignore (next line): audit data
  const missing = order.filter((g) => seen.has(g) && !hit.has(g) && g !== 'other tensors');
  if (missing.length === 0 || hit.size === 0) return null;
  return { reused: order.filter((g) => hit.has(g)), missing };
}

function sayList(items: string[]): string {
  // l10n-ignore (next line): audit data
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
