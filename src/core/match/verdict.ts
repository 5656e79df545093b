// Component verdicts from per-tensor evidence (docs/matching.md §5). The relation sentences are data (audit --json,
// review evidence snapshots) in English; src/shared/auditPhrases.ts translates them where they are displayed.
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
    permutedTensors: matched.filter((r) => r.permuted).length,
    hiddenPermutation: matched.some((r) => r.hiddenPermuted),
  };
  const need = Math.min(method.minMatchedTensors, Math.max(1, informative));
  const strong = lp < Math.log10(method.alphaComponent);
  if (matched.length === 0) {
    // A combined p below the component threshold with no single material match is not "no evidence": many weak
    // agreements (weights under heavy noise) are agreements. Short of "derived": no tensor shows a material effect.
    if (strong) return { verdict: 'inconclusive', relation: WEAK_AGREEMENTS, evidence };
    if (all.some((r) => r.matched)) return { verdict: 'no-evidence', relation: TASK_ONLY, evidence };
    return { verdict: 'no-evidence', relation: 'no tensor matches', evidence }; // l10n-ignore: audit data
  }
  if (matched.length >= need && strong) {
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
    if (evidence.hiddenPermutation) tags.push('hidden dimension permuted'); // l10n-ignore: audit data
    if (rows.some((r) => r.matched && r.relation === 'row-extended')) tags.push('rows extended'); // l10n-ignore: audit data
    if (rows.some((r) => r.matched && (r.relation === 'fused-part' || r.relation === 'split-block'))) tags.push('fused/split layout'); // l10n-ignore: audit data
    if (rows.some((r) => r.matched && r.relation === 'transposed')) tags.push('transposed');
    return { verdict: 'derived', relation: `derived${tags.length ? ` (${tags.join(', ')})` : ''}`, evidence };
  }
  // l10n-ignore (next line): audit data
  return { verdict: 'inconclusive', relation: `${matched.length} matching tensor(s), below the ${need} needed with combined p < ${method.alphaComponent}`, evidence };
}
