// The review notes' "Architecture match" section: layout and shapes per component from the catalogue. Always
// labelled as architecture, not weight evidence (an open architecture may be reused; weights may not).
import type { ArchitectureMatchRow } from '../../catalogue/summary';
import type { ArchitectureLabels, ReviewLabels } from '../labels';
import { word } from './common';
import { html, mdCode, mdText } from './escape';
import type { ReviewReport } from './report';

/** Rows to show: absent or empty means the section is left out. */
function rowsOf(report: ReviewReport): ArchitectureMatchRow[] {
  return report.architecture ?? [];
}

/** Summary and rules in the notes language from the row's facts (the row's own text is in the display language). */
function said(r: ArchitectureMatchRow, A: ArchitectureLabels): { summary: string; rules: string } {
  if (!r.facts) return { summary: r.summary, rules: r.rules.join('; ') };
  return { summary: A.summaryText(r.facts.summary), rules: r.facts.rules.map(A.ruleText).join('; ') };
}

const headers = (A: ArchitectureLabels) => [A.component, A.prefix, A.family, A.confidence, A.match, A.rules, A.repos];

export function architectureMarkdown(report: ReviewReport, L: ReviewLabels): string[] {
  const rows = rowsOf(report);
  if (!rows.length) return [];
  const A = L.architecture;
  const out = [`## ${A.title}`, '', `_${mdText(A.note)}_`, '',
    `| ${headers(A).join(' | ')} |`, '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const { summary, rules } = said(r, A);
    out.push(`| ${[mdText(word(L.components, r.component)), r.prefix ? mdCode(r.prefix) : mdText(A.root), mdText(r.familyName),
      mdText(word(A.confidences, r.confidence)), mdText(summary), mdText(rules), r.repos.map((x) => mdCode(x)).join(', ') || '–'].join(' | ')} |`);
  }
  out.push('');
  return out;
}

export function architectureHtml(report: ReviewReport, L: ReviewLabels): string[] {
  const rows = rowsOf(report);
  if (!rows.length) return [];
  const A = L.architecture;
  const code = (s: string) => `<code>${html(s)}</code>`;
  const head = headers(A).map((h) => `<th>${html(h)}</th>`).join('');
  const body = rows.map((r) => {
    const { summary, rules } = said(r, A);
    return `<tr>${[html(word(L.components, r.component)), r.prefix ? code(r.prefix) : html(A.root), html(r.familyName), html(word(A.confidences, r.confidence)),
      html(summary), html(rules), r.repos.map(code).join(', ') || '–'].map((c) => `<td>${c}</td>`).join('')}</tr>`;
  }).join('\n');
  return [`<section class="architecture" aria-labelledby="architecture-title"><h2 id="architecture-title">${html(A.title)}</h2>`, // l10n-ignore
    `<p class="muted">${html(A.note)}</p>`, `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></section>`];
}
