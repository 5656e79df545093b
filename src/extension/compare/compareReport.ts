// The Markdown report of "Compare Two Checkpoints": per-component verdicts and the per-tensor relation table.
// vscode-free (unit-testable).
import type { AuditResult, TensorEvidence } from '../../core/match';
import { COMPONENT_SHORT_LABEL } from '../../shared/findingsView';
import { formatInteger, localisedRecord, t } from '../../core/l10n';
import { auditPhrase } from '../../core/auditPhrases';
import { formatP } from '../../core/match/pValue';

/** Verdicts as the report has always written them (the ids) in English; translated in other languages. */
const VERDICT_WORD: Record<string, string> = localisedRecord({
  identical: 'identical', derived: 'derived', 'no-evidence': 'no-evidence', inconclusive: 'inconclusive',
});

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

function flags(e: TensorEvidence): string {
  const f: string[] = [];
  if (e.matched) f.push(t('match'));
  if (e.exact) f.push(e.hashConfirmed ? t('exact (hash)') : t('exact'));
  if (e.dtypeExact) f.push(t('dtype-exact'));
  if (e.permuted) f.push(e.permutationConfirmed ? t('permuted (confirmed)') : t('permuted'));
  if (e.hiddenPermuted) f.push(t('hidden-permuted'));
  return f.join(', ');
}

/** Markdown of a compare result: `a` was fingerprinted, `b` matched against it. */
export function compareMarkdown(result: AuditResult, a: string, b: string): string {
  const lines: string[] = [];
  lines.push(`# ${t('Weightprint comparison')}`, '');
  lines.push(`- ${t('**A** (reference): {0}', code(a))}`);
  lines.push(`- ${t('**B** (compared with A): {0} — {1} tensors, {2} parameters', code(b), formatInteger(result.checkpoint.tensors), formatInteger(result.checkpoint.parameters))}`);
  lines.push(`- ${t('{0} s; method: centred Pearson r on aligned samples, calibrated against a shift null and best-of-K candidates (format v{1}, α per tensor {2}, α per component {3})', result.seconds.toFixed(1), result.method.formatVersion, result.method.alphaTensor, result.method.alphaComponent)}`, '');
  lines.push(`## ${t('Components of B')}`, '');
  lines.push(`| ${[t('Component'), t('Tensors'), t('Parameters'), t('Verdict'), t('Relation'), t('Matched / informative'), t('Median r'), t('Combined p')].join(' | ')} |`);
  lines.push('|---|---:|---:|---|---|---:|---:|---:|');
  for (const c of result.components) {
    const e = c.evidence;
    lines.push(`| ${COMPONENT_SHORT_LABEL[c.name] ?? c.name} | ${c.tensors} | ${formatInteger(c.parameters)} | **${VERDICT_WORD[c.verdict] ?? c.verdict}** | ${cell(auditPhrase(c.relation, t))} | ${e.matchedTensors} / ${e.informativeTensors} | ${num(e.medianR, 3)} | ${formatP(e.pValue, e.log10PValue)} |`);
  }
  const rows = result.components.flatMap((c) => (c.comparisons[0]?.table ?? []).map((e) => ({ component: c.name, e })))
    .sort((x, y) => x.e.suspectIndex - y.e.suspectIndex);
  lines.push('', `## ${t('Per-tensor relations ({0} of {1} tensors of B)', rows.length, result.checkpoint.tensors)}`, '');
  if (rows.length === 0) {
    lines.push(t('No tensor of B has an informative same-shaped counterpart in A.'));
  } else {
    lines.push(`| ${[t('Tensor of B'), t('Tensor of A'), t('Relation'), 'r', 'z', 'p', 'n', t('Flags')].join(' | ')} |`);
    lines.push('|---|---|---|---:|---:|---:|---:|---|');
    for (const { e } of rows) {
      const rel = e.block !== null ? `${e.relation} [${e.block}]` : e.relation;
      lines.push(`| ${cell(e.suspect)} | ${cell(e.reference)} | ${rel} | ${num(e.r, 4)} | ${num(e.z, 1)} | ${formatP(e.p, e.log10P)} | ${e.n} | ${flags(e)} |`);
    }
    lines.push('', t('Tensors of B not listed are uninformative (constant, buffers, too few samples) or have no candidate of a compatible shape in A.'));
  }
  if (result.notes.length) {
    lines.push('', `## ${t('Notes')}`, '');
    for (const n of result.notes) lines.push(`- ${auditPhrase(n, t)}`);
  }
  const context = result.components.map((c) => c.comparisons[0]?.context).find((x) => x);
  if (context) lines.push('', `> ${auditPhrase(context.note, t)}`);
  return lines.join('\n') + '\n';
}
