// The review notes' "Architecture match" section: layout and shapes per component from the catalogue. Always
// labelled as architecture, not weight evidence (an open architecture may be reused; weights may not).
import type { ArchitectureMatchRow } from '../../catalogue/summary';
import type { ReviewLabels } from '../labels';
import { html, mdCode, mdText } from './escape';
import type { ReviewReport } from './report';

export interface ArchitectureLabels {
  title: string;
  note: string;
  component: string;
  prefix: string;
  family: string;
  confidence: string;
  match: string;
  rules: string;
  repos: string;
  confidences: Record<ArchitectureMatchRow['confidence'], string>;
}

export const ARCHITECTURE_LABELS_EN: ArchitectureLabels = {
  title: 'Architecture match (layout only — not evidence of weight reuse)',
  note: 'Same tensor names and shapes as a known public family. Open architectures are reused legitimately; whether weights were reused is decided only by the fingerprint evidence above.',
  component: 'Component',
  prefix: 'Root',
  family: 'Family',
  confidence: 'Match',
  match: 'Summary',
  rules: 'Signature rules that held',
  repos: 'Public checkpoints to compare',
  confidences: { exact: 'exact sizes', shapes: 'same per-layer shapes', layout: 'layout only' },
};

function labels(L: ReviewLabels): ArchitectureLabels {
  return L.architecture ?? ARCHITECTURE_LABELS_EN;
}

/** Rows to show: absent or empty means the section is left out. */
function rowsOf(report: ReviewReport): ArchitectureMatchRow[] {
  return report.architecture ?? [];
}

export function architectureMarkdown(report: ReviewReport, L: ReviewLabels): string[] {
  const rows = rowsOf(report);
  if (!rows.length) return [];
  const A = labels(L);
  const out = [`## ${A.title}`, '', `_${mdText(A.note)}_`, '',
    `| ${[A.component, A.prefix, A.family, A.confidence, A.match, A.rules, A.repos].join(' | ')} |`, '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    out.push(`| ${[mdText(L.components[r.component] ?? r.component), mdCode(r.prefix || '(root)'), mdText(r.familyName), mdText(A.confidences[r.confidence]),
      mdText(r.summary), mdText(r.rules.join('; ')), r.repos.map((x) => mdCode(x)).join(', ') || '–'].join(' | ')} |`);
  }
  out.push('');
  return out;
}

export function architectureHtml(report: ReviewReport, L: ReviewLabels): string[] {
  const rows = rowsOf(report);
  if (!rows.length) return [];
  const A = labels(L);
  const code = (s: string) => `<code>${html(s)}</code>`;
  const head = [A.component, A.prefix, A.family, A.confidence, A.match, A.rules, A.repos].map((h) => `<th>${html(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${[html(L.components[r.component] ?? r.component), code(r.prefix || '(root)'), html(r.familyName), html(A.confidences[r.confidence]),
    html(r.summary), html(r.rules.join('; ')), r.repos.map(code).join(', ') || '–'].map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return [`<section class="architecture" aria-labelledby="architecture-title"><h2 id="architecture-title">${html(A.title)}</h2>`,
    `<p class="muted">${html(A.note)}</p>`, `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></section>`];
}
