import { writeFile } from 'node:fs/promises';
import { ReferenceLibrary } from '../../core/fingerprint/library';
import { auditCheckpoint, compareCheckpoints } from '../../core/match/audit';
import type { AuditResult } from '../../core/match/types';
import { option, parseArgs, UsageError } from '../args';
import { safeText, table } from '../format';
import type { CliIO } from '../main';

/** The DESIGN §6 `audit --json` object, plus extra fields. */
export function auditJson(result: AuditResult): unknown {
  return {
    checkpoint: result.checkpoint,
    components: result.components.map((c) => ({
      name: c.name, tensors: c.tensors, parameters: c.parameters, verdict: c.verdict, reference: c.reference, relation: c.relation,
      evidence: c.evidence,
      comparisons: c.comparisons.map((r) => ({ reference: r.reference, verdict: r.verdict, relation: r.relation, evidence: r.evidence, heatmap: r.heatmap, table: r.table, context: r.context })),
    })),
    references: result.references,
    method: result.method,
    notes: result.notes,
    seconds: result.seconds,
  };
}

const fmtP = (lp: number) => (lp < -300 ? '<1e-300' : (10 ** lp).toExponential(1));

export function auditText(result: AuditResult): string {
  const lines = [`${safeText(result.checkpoint.path)}: ${result.checkpoint.tensors} tensors, ${result.checkpoint.parameters} parameters; ` +
    `references: ${result.references.map((r) => safeText(r.id)).join(', ') || 'none'}`, ''];
  lines.push(table([
    ['component', 'tensors', 'verdict', 'reference', 'matched/informative', 'covered', 'median r', 'combined p', 'relation'],
    ...result.components.map((c) => [c.name, String(c.tensors), c.verdict, safeText(c.reference ?? '-'),
      `${c.evidence.matchedTensors}/${c.evidence.informativeTensors}`, `${(100 * c.evidence.coveredParameterFraction).toFixed(0)}%`,
      c.evidence.medianR === null ? '-' : c.evidence.medianR.toFixed(3), fmtP(c.evidence.log10PValue), safeText(c.relation)]),
  ], [1, 4, 5, 6]));
  for (const n of result.notes) lines.push(`note: ${safeText(n)}`);
  lines.push(`(${result.seconds.toFixed(2)} s)`);
  return lines.join('\n') + '\n';
}

export function auditMarkdown(result: AuditResult): string {
  const md: string[] = [`# Weightprint provenance audit`, '', `Checkpoint: \`${result.checkpoint.path}\` (${result.checkpoint.tensors} tensors, ${result.checkpoint.parameters} parameters, header hash \`${result.checkpoint.headerHash.slice(0, 16)}\`)`, '',
    `References: ${result.references.map((r) => `\`${r.id}\``).join(', ') || 'none'}`, '', '| component | verdict | reference | matched / informative | covered params | median r | combined p |', '|---|---|---|---|---|---|---|'];
  for (const c of result.components) {
    md.push(`| ${c.name} | **${c.verdict}** | ${c.reference ?? '-'} | ${c.evidence.matchedTensors} / ${c.evidence.informativeTensors} | ${(100 * c.evidence.coveredParameterFraction).toFixed(1)}% | ${c.evidence.medianR === null ? '-' : c.evidence.medianR.toFixed(3)} | ${fmtP(c.evidence.log10PValue)} |`);
  }
  for (const c of result.components) {
    const top = c.comparisons[0];
    if (!top) continue;
    md.push('', `## ${c.name}: ${c.verdict}${c.reference ? ` (${c.reference})` : ''}`, '', c.relation, '');
    const rows = top.table.filter((r) => r.matched).slice(0, 40);
    if (rows.length) {
      md.push('| suspect tensor | reference tensor | relation | r | z | p | flags |', '|---|---|---|---|---|---|---|');
      for (const r of rows) {
        const flags = [r.exact && 'exact', r.hashConfirmed && 'sha256', r.dtypeExact && 'dtype', r.permuted && 'permuted', r.hiddenPermuted && 'hidden-perm'].filter(Boolean).join(', ');
        md.push(`| \`${r.suspect}\` | \`${r.reference}\` | ${r.relation}${r.block !== null ? ` ${r.block}` : ''} | ${r.r.toFixed(4)} | ${r.z.toFixed(1)} | ${fmtP(r.log10P)} | ${flags} |`);
      }
    }
    md.push('', `_Context (weak evidence): std-curve r = ${top.context.stdCurveR === null ? 'n/a' : top.context.stdCurveR.toFixed(3)}; ${top.context.note}_`);
  }
  const m = result.method;
  md.push('', '## Method', '', `Tensor match: p < ${m.alphaTensor} (${m.nullModel}) and |r| >= ${m.minEffectR}; component: >= ${m.minMatchedTensors} matched tensors and Fisher-combined p < ${m.alphaComponent}. Fingerprint format v${m.formatVersion}, ~${m.sampleTarget} samples per tensor.`);
  for (const n of result.notes) md.push('', `- ${n}`);
  return md.join('\n') + '\n';
}

export async function auditCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: ['library', 'notes'] });
  if (args.positionals.length !== 1) throw new UsageError('audit takes exactly one <checkpoint>');
  const folders = args.options.get('library') ?? [];
  const library = await ReferenceLibrary.load(folders);
  for (const p of library.problems) io.err(`weightprint: skipped ${safeText(p.path)}: ${safeText(p.reason)}\n`);
  const result = await auditCheckpoint(args.positionals[0], library.entries.map((e) => e.fingerprint));
  const notes = option(args, 'notes');
  if (notes) await writeFile(notes, auditMarkdown(result), 'utf8');
  io.out(args.flags.has('json') ? JSON.stringify(auditJson(result)) + '\n' : auditText(result));
  return 0;
}

export async function compareCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: [] });
  if (args.positionals.length !== 2) throw new UsageError('compare takes exactly two checkpoints <a> <b>');
  const result = await compareCheckpoints(args.positionals[0], args.positionals[1]);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(auditJson(result)) + '\n');
    return 0;
  }
  const lines = [auditText(result)];
  for (const c of result.components) {
    const top = c.comparisons[0];
    if (!top || top.table.length === 0) continue;
    lines.push(`${c.name}:`);
    lines.push(table([
      ['b tensor', 'a tensor', 'relation', 'r', 'z', 'p', 'flags'],
      ...top.table.map((r) => [safeText(r.suspect), safeText(r.reference), r.relation + (r.block !== null ? ` ${r.block}` : ''), r.r.toFixed(4), r.z.toFixed(1), fmtP(r.log10P),
        [r.matched ? 'match' : '', r.exact ? 'exact' : '', r.dtypeExact ? 'dtype' : '', r.permuted ? 'permuted' : ''].filter(Boolean).join(',')]),
    ], [3, 4]).split('\n').map((l) => '  ' + l).join('\n'));
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}
