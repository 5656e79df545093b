// The review notes' section on the evidence beside the weights (declared claims, tokenizer lineage, configuration
// side by side): context, labelled as such, never a verdict. Every string from the files is escaped for its format.
import type { Component } from '../../naming/components';
import { CONFIG_FACT_KEY, claimCheckLine, configComparisonHead, tokenizerFiguresLine, tokenizerReasonWord, tokenizerRelationWord, tokenizerSummaryLine } from '../../sidecars/phrases';
import type { ClaimCheck, SidecarEvidence } from '../../sidecars/types';
import type { ReviewLabels } from '../labels';
import { word } from './common';
import { csvNumber, csvText, html, mdCode, mdText } from './escape';
import type { ReviewReport } from './report';

/** References whose tokenizer and configuration the notes show (the rest are in the JSON export). */
const SHOWN = 8;
const FLAGGED: ReadonlySet<ClaimCheck['kind']> = new Set(['other-reference', 'declared-not-found', 'undeclared-reuse']);

function sidecarsOf(report: ReviewReport): SidecarEvidence | null {
  return report.audit?.sidecars ?? null;
}

const componentName = (L: ReviewLabels) => (c: Component): string => word(L.components, c);
const value = (v: string | number | null): string => (v === null ? '–' : String(v));

/** The lines of each part as plain text, shared by Markdown and HTML. */
function parts(s: SidecarEvidence, L: ReviewLabels) {
  const S = L.sidecars;
  const tr = S.translate;
  return {
    checks: s.claims.checks.map((k) => ({ flagged: FLAGGED.has(k.kind), text: claimCheckLine(k, componentName(L), tr) })),
    problems: [...s.claims.problems, ...s.tokenizer.problems].map((p) => `${S.notRead}: ${p}`),
    tokenizer: s.tokenizer.suspect ? tokenizerSummaryLine(s.tokenizer.suspect, tr) : null,
    comparisons: s.tokenizer.comparisons.slice(0, SHOWN).map((c) => ({
      reference: c.reference,
      relation: tokenizerRelationWord(c.relation, tr) + (c.reasons.length ? ` (${c.reasons.map((r) => tokenizerReasonWord(r, tr)).join(', ')})` : ''),
      figures: tokenizerFiguresLine(c, tr),
      flagged: c.relation !== 'no-evidence',
    })),
    configs: s.config.comparisons.slice(0, SHOWN).map((c) => ({ head: configComparisonHead(c, tr), c })),
  };
}

export function sidecarsMarkdown(report: ReviewReport, L: ReviewLabels): string[] {
  const s = sidecarsOf(report);
  if (!s) return [];
  const S = L.sidecars;
  const p = parts(s, L);
  const out = [`## ${S.title}`, '', `_${mdText(S.note)}_`, '', `### ${S.claims}`, ''];
  if (s.claims.declared.length) {
    out.push(`| ${S.file} | ${S.field} | ${S.value} |`, '| --- | --- | --- |');
    for (const c of s.claims.declared) out.push(`| ${mdCode(c.file)} | ${mdCode(c.field)} | ${mdText(c.value)} |`);
    out.push('');
  } else out.push(mdText(S.noClaims), '');
  for (const c of p.checks) out.push(`- ${c.flagged ? `**${mdText(S.flagged)}:** ` : ''}${mdText(c.text)}`);
  for (const line of p.problems) out.push(`- ${mdText(line)}`);
  out.push('', `### ${S.tokenizer}`, '', p.tokenizer ? mdText(p.tokenizer) : mdText(S.noTokenizer), '');
  if (p.comparisons.length) {
    out.push(`| ${S.reference} | ${S.relation} | ${S.figures} |`, '| --- | --- | --- |');
    for (const c of p.comparisons) out.push(`| ${mdCode(c.reference)} | ${c.flagged ? `**${mdText(c.relation)}**` : mdText(c.relation)} | ${mdText(c.figures)} |`);
    out.push('');
  }
  if (p.configs.length) {
    out.push(`### ${S.configuration}`, '', `_${mdText(S.configurationNote)}_`, '');
    for (const { head, c } of p.configs) {
      out.push(mdText(head), '', `| ${L.component} | ${S.key} | ${S.suspect} | ${S.reference} | ${S.same} |`, '| --- | --- | ---: | ---: | --- |');
      for (const r of c.rows) out.push(`| ${mdText(word(L.components, r.component))} | ${mdCode(CONFIG_FACT_KEY[r.fact])} | ${mdText(value(r.suspect))} | ${mdText(value(r.reference))} | ${r.same ? '✓' : ''} |`);
      out.push('');
    }
  }
  return out;
}

export function sidecarsHtml(report: ReviewReport, L: ReviewLabels): string[] {
  const s = sidecarsOf(report);
  if (!s) return [];
  const S = L.sidecars;
  const p = parts(s, L);
  const code = (x: string) => `<code>${html(x)}</code>`;
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
  // l10n-ignore (next line): markup
  const out = [`<section class="sidecars" aria-labelledby="sidecars-title"><h2 id="sidecars-title">${html(S.title)}</h2>`, `<p class="muted">${html(S.note)}</p>`,
    `<h3>${html(S.claims)}</h3>`];
  out.push(s.claims.declared.length ? table([S.file, S.field, S.value], s.claims.declared.map((c) => [code(c.file), code(c.field), html(c.value)])) : `<p>${html(S.noClaims)}</p>`);
  const items = [...p.checks.map((c) => (c.flagged ? `<li><strong>${html(S.flagged)}:</strong> ${html(c.text)}</li>` : `<li>${html(c.text)}</li>`)),
    ...p.problems.map((x) => `<li>${html(x)}</li>`)];
  if (items.length) out.push(`<ul>${items.join('')}</ul>`);
  out.push(`<h3>${html(S.tokenizer)}</h3>`, `<p>${html(p.tokenizer ?? S.noTokenizer)}</p>`);
  if (p.comparisons.length) {
    out.push(table([S.reference, S.relation, S.figures], p.comparisons.map((c) => [code(c.reference), c.flagged ? `<strong>${html(c.relation)}</strong>` : html(c.relation), html(c.figures)])));
  }
  if (p.configs.length) {
    out.push(`<h3>${html(S.configuration)}</h3>`, `<p class="muted">${html(S.configurationNote)}</p>`);
    for (const { head, c } of p.configs) {
      out.push(`<p>${html(head)}</p>`, table([L.component, S.key, S.suspect, S.reference, S.same],
        c.rows.map((r) => [html(word(L.components, r.component)), code(CONFIG_FACT_KEY[r.fact]), html(value(r.suspect)), html(value(r.reference)), r.same ? '✓' : ''])));
    }
  }
  out.push('</section>');
  return out;
}

/** CSV records of the section: one per claim, claim check, tokenizer comparison and configuration row. */
export function sidecarsCsv(report: ReviewReport): Record<string, string>[] {
  const s = sidecarsOf(report);
  if (!s) return [];
  const out: Record<string, string>[] = [];
  for (const c of s.claims.declared) out.push({ record: 'claim', file: csvText(c.file), field: csvText(c.field), kind: csvText(c.kind), value: csvText(c.value) });
  for (const k of s.claims.checks) {
    out.push({ record: 'claim-check', relation: csvText(k.kind), component: csvText(k.component ?? ''), reference: csvText(k.reference ?? ''),
      file: csvText(k.claim?.file ?? ''), field: csvText(k.claim?.field ?? ''), value: csvText(k.claim?.value ?? '') });
  }
  for (const c of s.tokenizer.comparisons) {
    out.push({ record: 'tokenizer', reference: csvText(c.reference), relation: csvText(c.relation), kind: csvText(c.reasons.join(' ')), jaccard: csvNumber(c.jaccard),
      shared_tokens: csvNumber(c.sharedTokens), same_id_tokens: csvNumber(c.sameIdTokens), same_id_expected: csvNumber(c.sameIdExpected),
      merge_prefix: csvNumber(c.mergePrefix), r: csvNumber(c.mergeRankCorrelation ?? c.scoreCorrelation), exact: c.exact ? 'true' : 'false' });
  }
  for (const c of s.config.comparisons) {
    for (const r of c.rows) {
      out.push({ record: 'config', component: csvText(r.component), reference: csvText(c.reference), field: csvText(CONFIG_FACT_KEY[r.fact]),
        value: csvText(value(r.suspect)), reference_value: csvText(value(r.reference)), matched: r.same ? 'true' : 'false' });
    }
  }
  return out;
}
