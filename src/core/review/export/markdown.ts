// Markdown review notes: deterministic for the same report.
import { fmtInt, fmtP, fmtPct, fmtR, fmtR4, fmtValue } from './numbers';
import { flagsOf, labelsOf, maxRows, methodRows, phrase, relationText, familiesSentence, shownReferences, shownRows, targetText, verdictText, word } from './common';
import { mdBlock, mdCode, mdText } from './escape';
import { formatName, type ReviewReport } from './report';
import { architectureMarkdown } from './architecture';
import { sidecarsMarkdown } from './sidecars';
import type { EvidenceSnapshot, Finding } from '../types';
import type { ReviewLabels } from '../labels';
import { sortFindingsForNotes } from '../order';

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function header(cells: string[], align: ('l' | 'r')[] = []): string[] {
  return [row(cells), row(cells.map((_, i) => (align[i] === 'r' ? '---:' : '---')))];
}

/** A number of a review file's evidence snapshot, as inert text. */
const num = (v: unknown) => mdText(fmtValue(v));

function evidenceLines(e: EvidenceSnapshot, L: ReviewLabels): string[] {
  const ev = e.evidence;
  const m = e.method;
  const out = [
    `- ${L.evidenceFrom}: ${L.auditVerdict} **${mdText(word(L.verdicts, e.auditVerdict))}**` +
      `${e.reference ? `, ${mdCode(e.reference, false)}` : ''}` +
      `${e.component ? ` (${mdText(word(L.components, e.component))})` : ''}; ${mdText(phrase(e.relation, L))}`,
    `- ${L.matchedInformative}: ${num(ev.matchedTensors)} / ${num(ev.informativeTensors)}; ${L.coveredParameters}: ${fmtPct(ev.coveredParameterFraction)}; ` +
      `${L.medianR}: ${fmtR(ev.medianR)}; ${L.combinedP}: ${fmtP(ev.log10PValue)}`,
    `- ${L.method}: p < ${num(m.alphaTensor)}, |r| ≥ ${num(m.minEffectR)}, ≥ ${num(m.minMatchedTensors)} / p < ${num(m.alphaComponent)}; ` +
      `${L.referencesChecked}: ${refsText(e.referencesChecked, L)}; ${L.toolVersion} ${mdText(e.toolVersion)}`,
  ];
  if (e.tensors.length) {
    out.push('', ...header([L.suspectTensor, L.referenceTensor, L.relation, L.r, L.p, L.matched], ['l', 'l', 'l', 'r', 'r', 'l']));
    for (const t of e.tensors) {
      out.push(row([mdCode(t.suspect), mdCode(t.reference), mdText(relationText(t, L)), fmtR4(t.r), fmtP(t.log10P), t.matched ? (t.exact ? L.flagNames.exact : '✓') : '']));
    }
  }
  return out;
}

function findingSection(f: Finding, n: number, L: ReviewLabels): string[] {
  const out = [`### ${n}. ${mdText(targetText(f, L))}: ${mdText(verdictText(f, L))} (${mdText(word(L.states, f.state))})`, ''];
  out.push(`- ${L.confidence}: ${mdText(word(L.confidences, f.confidence))}; ${L.reviewer}: ${mdText(f.reviewer)}; ${L.created}: ${mdText(f.created)}; ${L.updated}: ${mdText(f.updated)}; ${L.findingId} ${mdCode(f.id, false)}`);
  if (f.target.kind === 'tensors') out.push(`- ${L.target}: ${f.target.tensors.map((t) => mdCode(t, false)).join(', ')}`);
  out.push('');
  if (f.rationale.trim()) out.push(`**${L.rationale}**`, '', mdBlock(f.rationale), '');
  if (f.evidence) out.push(...evidenceLines(f.evidence, L), '');
  else out.push(`_${L.noEvidence}_`, '');
  return out;
}

export function exportMarkdown(report: ReviewReport): string {
  const L = labelsOf(report);
  const cp = report.checkpoint;
  const audit = report.audit;
  const md: string[] = [`# ${L.title}`, ''];
  md.push(`- ${L.checkpoint}: ${mdCode(cp.name, false)} (${formatName(cp.format)}, ${word(L.checkpointKinds, cp.kind)})`);
  md.push(`- ${L.headerHash}: ${mdCode(cp.headerHash, false)}`);
  md.push(`- ${L.tensors}: ${fmtInt(cp.tensors)}; ${L.parameters}: ${fmtInt(cp.parameters)}`);
  md.push(`- ${L.generated}: ${mdText(report.generated)}`);
  md.push(`- ${L.tool}: ${mdText(report.tool.name)} ${mdText(report.tool.version)}`, '');

  if (audit) {
    md.push(`## ${L.summary}`, '');
    md.push(...header([L.component, L.verdict, L.reference, L.matchedInformative, L.coveredParameters, L.medianR, L.combinedP, L.relation], ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'l']));
    for (const c of audit.components) {
      md.push(row([mdText(word(L.components, c.name)), `**${mdText(word(L.verdicts, c.verdict))}**`, c.reference ? mdCode(c.reference) : '–',
        `${c.evidence.matchedTensors} / ${c.evidence.informativeTensors}`, fmtPct(c.evidence.coveredParameterFraction), fmtR(c.evidence.medianR),
        fmtP(c.evidence.log10PValue), mdText(phrase(c.relation, L))]));
    }
    md.push('');
  }

  md.push(`## ${L.findings}`, '');
  if (report.findings.length === 0) md.push(L.noFindings, '');
  sortFindingsForNotes(report.findings).forEach((f, i) => md.push(...findingSection(f, i + 1, L)));

  if (audit) {
    md.push(`## ${L.componentEvidence}`, '');
    for (const c of audit.components) {
      for (const cmp of c.comparisons) {
        md.push(`### ${mdText(word(L.components, c.name))} · ${mdCode(cmp.reference, false)}: ${mdText(word(L.verdicts, cmp.verdict))}`, '');
        md.push(`${mdText(phrase(cmp.relation, L))}. ${L.matchedInformative}: ${cmp.evidence.matchedTensors} / ${cmp.evidence.informativeTensors}; ` +
          `${L.medianR}: ${fmtR(cmp.evidence.medianR)}; ${L.combinedP}: ${fmtP(cmp.evidence.log10PValue)}.`, '');
        const { rows, more } = shownRows(cmp.table, maxRows(report));
        if (rows.length) {
          md.push(...header([L.suspectTensor, L.referenceTensor, L.relation, L.r, L.z, L.p, L.matched, L.flags], ['l', 'l', 'l', 'r', 'r', 'r', 'l', 'l']));
          for (const r of rows) {
            md.push(row([mdCode(r.suspect), mdCode(r.reference), mdText(relationText(r, L)), fmtR4(r.r), r.z.toFixed(1), fmtP(r.log10P), r.matched ? '✓' : '', mdText(flagsOf(r, L))]));
          }
          if (more > 0) md.push('', `_${mdText(L.moreRows(more))}_`);
          md.push('');
        }
        md.push(`_${L.weakContext}: ${L.stdCurveR} = ${cmp.context.stdCurveR === null ? L.na : cmp.context.stdCurveR.toFixed(3)}. ${mdText(phrase(cmp.context.note, L))}_`, '');
      }
    }

    const m = audit.method;
    md.push(`## ${L.method}`, '', L.methodText(m), '', `${L.nullModel}: ${mdText(m.nullModel)}`, '');
    md.push(...header([L.parameter, L.value], ['l', 'r']));
    for (const [k, v] of methodRows(m)) md.push(row([`\`${k}\``, v]));
    md.push('');
  }

  md.push(...architectureMarkdown(report, L));
  md.push(...sidecarsMarkdown(report, L));

  md.push(`## ${L.library}`, '');
  const families = familiesSentence(report.audit, L);
  if (families) md.push(mdText(families), '');
  if (report.library.length === 0) md.push(L.noLibrary, '');
  else {
    md.push(...header([L.libraryId, L.source, L.tensors, L.parameters, L.headerHash, L.libraryCreated], ['l', 'l', 'r', 'r', 'l', 'l']));
    for (const e of report.library) {
      md.push(row([mdCode(e.id), mdCode(e.source), fmtInt(e.tensors), fmtInt(e.parameters), mdCode(e.headerHash.slice(0, 16)), mdText(e.createdAt)]));
    }
    md.push('');
  }

  md.push(`## ${L.files}`, '');
  md.push(...header([L.file, L.size, L.sha256], ['l', 'r', 'l']));
  for (const f of cp.files) md.push(row([mdCode(f.name), fmtInt(f.size), f.sha256 ? mdCode(f.sha256) : `_${L.notComputed}_`]));
  md.push(row([`**${L.total}**`, fmtInt(cp.files.reduce((s, f) => s + f.size, 0)), '']), '');

  if (audit && audit.notes.length) {
    md.push(`## ${L.notes}`, '');
    for (const n of audit.notes) md.push(`- ${mdText(phrase(n, L))}`);
    md.push('');
  }
  return md.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}

function refsText(ids: readonly string[], L: ReviewLabels): string {
  const { ids: shown, more } = shownReferences(ids, L);
  return [...shown.map((r) => mdCode(r, false)), ...(more ? [mdText(more)] : [])].join(', ') || L.none;
}
