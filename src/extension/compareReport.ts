// The Markdown report of "Compare Two Checkpoints": per-component verdicts and the per-tensor relation table.
// vscode-free (unit-testable).
import type { AuditResult, TensorEvidence } from '../core/match';

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

function pValue(p: number, log10P: number): string {
  if (Number.isFinite(p) && p >= 1e-4) return p.toPrecision(2);
  return Number.isFinite(log10P) ? `1e${Math.round(log10P)}` : '0';
}

function flags(e: TensorEvidence): string {
  const f: string[] = [];
  if (e.matched) f.push('match');
  if (e.exact) f.push(e.hashConfirmed ? 'exact (hash)' : 'exact');
  if (e.dtypeExact) f.push('dtype-exact');
  if (e.permuted) f.push(e.permutationConfirmed ? 'permuted (confirmed)' : 'permuted');
  if (e.hiddenPermuted) f.push('hidden-permuted');
  return f.join(', ');
}

/** Markdown of a compare result: `a` was fingerprinted, `b` matched against it. */
export function compareMarkdown(result: AuditResult, a: string, b: string): string {
  const lines: string[] = [];
  lines.push(`# Weightprint comparison`, '');
  lines.push(`- **A** (reference): ${code(a)}`);
  lines.push(`- **B** (compared with A): ${code(b)} — ${result.checkpoint.tensors} tensors, ${result.checkpoint.parameters.toLocaleString('en-US')} parameters`);
  lines.push(`- ${result.seconds.toFixed(1)} s; method: centred Pearson r on aligned samples, calibrated against a shift null and best-of-K candidates (format v${result.method.formatVersion}, α per tensor ${result.method.alphaTensor}, α per component ${result.method.alphaComponent})`, '');
  lines.push('## Components of B', '');
  lines.push('| Component | Tensors | Parameters | Verdict | Relation | Matched / informative | Median r | Combined p |');
  lines.push('|---|---:|---:|---|---|---:|---:|---:|');
  for (const c of result.components) {
    const e = c.evidence;
    lines.push(`| ${c.name} | ${c.tensors} | ${c.parameters.toLocaleString('en-US')} | **${c.verdict}** | ${cell(c.relation)} | ${e.matchedTensors} / ${e.informativeTensors} | ${num(e.medianR, 3)} | ${pValue(e.pValue, e.log10PValue)} |`);
  }
  const rows = result.components.flatMap((c) => (c.comparisons[0]?.table ?? []).map((e) => ({ component: c.name, e })))
    .sort((x, y) => x.e.suspectIndex - y.e.suspectIndex);
  lines.push('', `## Per-tensor relations (${rows.length} of ${result.checkpoint.tensors} tensors of B)`, '');
  if (rows.length === 0) {
    lines.push('No tensor of B has an informative same-shaped counterpart in A.');
  } else {
    lines.push('| Tensor of B | Tensor of A | Relation | r | z | p | n | Flags |');
    lines.push('|---|---|---|---:|---:|---:|---:|---|');
    for (const { e } of rows) {
      const rel = e.block !== null ? `${e.relation} [${e.block}]` : e.relation;
      lines.push(`| ${cell(e.suspect)} | ${cell(e.reference)} | ${rel} | ${num(e.r, 4)} | ${num(e.z, 1)} | ${pValue(e.p, e.log10P)} | ${e.n} | ${flags(e)} |`);
    }
    lines.push('', 'Tensors of B not listed are uninformative (constant, buffers, too few samples) or have no candidate of a compatible shape in A.');
  }
  if (result.notes.length) {
    lines.push('', '## Notes', '');
    for (const n of result.notes) lines.push(`- ${n}`);
  }
  const context = result.components.map((c) => c.comparisons[0]?.context).find((x) => x);
  if (context) lines.push('', `> ${context.note}`);
  return lines.join('\n') + '\n';
}
