// Self-contained HTML review notes: the Markdown content plus inline SVG charts; no script, no external resource.
import { aggregateLayers } from '../../stats/layers';
import type { ReferenceComparison } from '../../match/types';
import type { ReviewLabels } from '../labels';
import { sortFindingsForNotes } from '../order';
import type { EvidenceSnapshot, Finding } from '../types';
import { flagsOf, labelsOf, maxRows, methodRows, phrase, relationText, familiesSentence, shownReferences, shownRows, targetText, verdictText, word } from './common';
import { html } from './escape';
import { markdownHtml } from './markdownHtml';
import { fmtInt, fmtP, fmtPct, fmtR, fmtR4, fmtValue } from './numbers';
import { formatName, type ReviewReport } from './report';
import { architectureHtml } from './architecture';
import { sidecarsHtml } from './sidecars';
import { heatmapSvg, lineChartSvg, type LineSeries } from './svg';

export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"; // l10n-ignore

// l10n-ignore (a style sheet, no prose)
const CSS = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;line-height:1.45;color:#1b1b1b;background:#fff}
body{margin:0}main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 .5em}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #ccc;padding-bottom:.2em}h3{font-size:1.05em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.92em}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;word-break:break-all}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0 0 1em}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.finding{border:1px solid #ccc;border-left:4px solid #888;padding:8px 12px;margin:0 0 12px;break-inside:avoid}
.finding.confirmed{border-left-color:#2a7d2a}.finding.rejected{border-left-color:#b02a2a;opacity:.8}.finding.suggested{border-left-color:#c08a00}
.rationale{background:#fafafa;border-left:3px solid #ddd;padding:4px 8px;margin:6px 0;overflow-wrap:anywhere}.rationale p,.rationale ul{margin:.3em 0}.rationale ul{padding-left:1.4em}
.verdict{font-weight:700}.muted{color:#555}.weak{color:#555;font-style:italic}
figure{margin:.5em 0 1em;break-inside:avoid}figcaption{font-size:.9em;color:#444}
svg text{font-family:system-ui,sans-serif;font-size:10px}svg .axis{font-size:11px}svg .cell{font-size:9px}svg .ax{stroke:#333}svg .grid{stroke:#ddd}
@media print{:root{font-size:11px}main{max-width:none;padding:0}h2{break-after:avoid}table,figure,.finding{break-inside:avoid}a{color:inherit}}
`.trim();

const td = (s: string, numeric = false) => `<td${numeric ? ' class="n"' : ''}>${s}</td>`;
const th = (s: string) => `<th>${html(s)}</th>`;
const code = (s: string) => `<code>${html(s)}</code>`;

function table(head: string[], rows: string[][], numericCols: number[] = []): string {
  return `<table><thead><tr>${head.map(th).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => td(c, numericCols.includes(i))).join('')}</tr>`).join('\n')}</tbody></table>`;
}

/** A number of a review file's evidence snapshot, as inert text. */
const num = (v: unknown) => html(fmtValue(v));

function evidenceHtml(e: EvidenceSnapshot, L: ReviewLabels): string {
  const ev = e.evidence;
  const m = e.method;
  const parts = [
    `<p>${html(L.evidenceFrom)}: ${html(L.auditVerdict)} <span class="verdict">${html(word(L.verdicts, e.auditVerdict))}</span>` + // l10n-ignore
      `${e.reference ? `, ${code(e.reference)}` : ''}${e.component ? ` (${html(word(L.components, e.component))})` : ''}; ${html(phrase(e.relation, L))}<br>` +
      `${html(L.matchedInformative)}: ${num(ev.matchedTensors)} / ${num(ev.informativeTensors)}; ${html(L.coveredParameters)}: ${html(fmtPct(ev.coveredParameterFraction))}; ` +
      `${html(L.medianR)}: ${html(fmtR(ev.medianR))}; ${html(L.combinedP)}: ${html(fmtP(ev.log10PValue))}<br>` +
      `${html(L.method)}: p &lt; ${num(m.alphaTensor)}, |r| ≥ ${num(m.minEffectR)}, ≥ ${num(m.minMatchedTensors)} / p &lt; ${num(m.alphaComponent)}; ` +
      `${html(L.referencesChecked)}: ${refsHtml(e.referencesChecked, L)}; ${html(L.toolVersion)} ${html(e.toolVersion)}</p>`,
  ];
  if (e.tensors.length) {
    parts.push(table([L.suspectTensor, L.referenceTensor, L.relation, L.r, L.p, L.matched],
      e.tensors.map((t) => [code(t.suspect), code(t.reference), html(relationText(t, L)), html(fmtR4(t.r)), html(fmtP(t.log10P)), t.matched ? (t.exact ? html(L.flagNames.exact) : '✓') : '']), [3, 4]));
  }
  return parts.join('\n');
}

function findingHtml(f: Finding, n: number, L: ReviewLabels): string {
  const out = [`<section class="finding ${html(f.state)}" id="finding-${n}">`, // l10n-ignore
    // l10n-ignore
    `<h3>${n}. ${html(targetText(f, L))}: <span class="verdict">${html(verdictText(f, L))}</span> <span class="muted">(${html(word(L.states, f.state))})</span></h3>`,
    `<p class="muted">${html(L.confidence)}: ${html(word(L.confidences, f.confidence))}; ${html(L.reviewer)}: ${html(f.reviewer)}; ${html(L.created)}: ${html(f.created)}; ` +
      `${html(L.updated)}: ${html(f.updated)}; ${html(L.findingId)} ${code(f.id)}</p>`];
  if (f.target.kind === 'tensors') out.push(`<p>${html(L.target)}: ${f.target.tensors.map(code).join(', ')}</p>`);
  // l10n-ignore
  if (f.rationale.trim()) out.push(`<div class="rationale">${markdownHtml(f.rationale)}</div>`);
  out.push(f.evidence ? evidenceHtml(f.evidence, L) : `<p class="muted">${html(L.noEvidence)}</p>`);
  out.push('</section>');
  return out.join('\n');
}

function diagonalSeries(cmp: ReferenceComparison, L: ReviewLabels): LineSeries[] {
  const h = cmp.heatmap;
  const rowBest = h.r.map((row) => row.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null));
  const same = h.suspectLayers.map((s, i) => { const j = h.referenceLayers.indexOf(s); return j < 0 ? null : h.r[i][j]; });
  return [
    { label: `${L.referenceLayer} = ${L.suspectLayer}`, x: h.suspectLayers, y: same },
    { label: `${L.maxR} (${L.referenceLayer})`, x: h.suspectLayers, y: rowBest },
  ];
}

function comparisonHtml(report: ReviewReport, componentLabel: string, cmp: ReferenceComparison, L: ReviewLabels, charts: boolean): string {
  // l10n-ignore
  const out = [`<h3>${html(componentLabel)} · ${code(cmp.reference)}: <span class="verdict">${html(word(L.verdicts, cmp.verdict))}</span></h3>`,
    `<p>${html(phrase(cmp.relation, L))}. ${html(L.matchedInformative)}: ${cmp.evidence.matchedTensors} / ${cmp.evidence.informativeTensors}; ` +
      `${html(L.medianR)}: ${fmtR(cmp.evidence.medianR)}; ${html(L.combinedP)}: ${html(fmtP(cmp.evidence.log10PValue))}.</p>`];
  if (charts && cmp.heatmap.suspectLayers.length && cmp.heatmap.referenceLayers.length) {
    const title = L.heatmapCaption(componentLabel, cmp.reference);
    out.push(`<figure>${heatmapSvg(cmp.heatmap, { suspectLayer: L.suspectLayer, referenceLayer: L.referenceLayer, title })}<figcaption>${html(L.heatmap)}: ${html(title)}</figcaption></figure>`);
    const line = lineChartSvg(diagonalSeries(cmp, L), { title: L.perLayerMatch, xLabel: L.suspectLayer, yLabel: '|r|', zeroBased: true, yMax: 1 });
    if (line) out.push(`<figure>${line}<figcaption>${html(L.perLayerMatch)}: ${html(L.perLayerMatchCaption)}</figcaption></figure>`);
  }
  const { rows, more } = shownRows(cmp.table, maxRows(report));
  if (rows.length) {
    out.push(table([L.suspectTensor, L.referenceTensor, L.relation, L.r, L.z, L.p, L.matched, L.flags],
      rows.map((r) => [code(r.suspect), code(r.reference), html(relationText(r, L)), fmtR4(r.r), r.z.toFixed(1), html(fmtP(r.log10P)), r.matched ? '✓' : '', html(flagsOf(r, L))]), [3, 4, 5]));
    if (more > 0) out.push(`<p class="muted">${html(L.moreRows(more))}</p>`);
  }
  out.push(`<p class="weak">${html(L.weakContext)}: ${html(L.stdCurveR)} = ${cmp.context.stdCurveR === null ? html(L.na) : cmp.context.stdCurveR.toFixed(3)}. ${html(phrase(cmp.context.note, L))}</p>`);
  return out.join('\n');
}

function stdChartsHtml(report: ReviewReport, L: ReviewLabels): string {
  if (!report.stats || report.stats.length === 0) return '';
  const agg = aggregateLayers(report.stats);
  const out: string[] = [];
  for (const comp of agg.components) {
    const series = comp.series.filter((s) => s.layers.length >= 2).slice(0, 10).map((s) => ({ label: s.label, x: s.layers, y: s.std }));
    if (!series.length) continue;
    const caption = L.perLayerStdCaption(word(L.components, comp.component));
    const svg = lineChartSvg(series, { title: caption, xLabel: L.suspectLayer, yLabel: L.stdAxis });
    if (svg) out.push(`<figure>${svg}<figcaption>${html(caption)}</figcaption></figure>`);
  }
  return out.length ? `<h2>${html(L.perLayerStd)}</h2>\n${out.join('\n')}` : '';
}

export function exportHtml(report: ReviewReport): string {
  const L = labelsOf(report);
  const cp = report.checkpoint;
  const audit = report.audit;
  const body: string[] = [`<h1>${html(L.title)}</h1>`,
    // l10n-ignore
    `<dl class="meta"><dt>${html(L.checkpoint)}</dt><dd>${code(cp.name)} (${html(formatName(cp.format))}, ${html(word(L.checkpointKinds, cp.kind))})</dd>` +
    `<dt>${html(L.headerHash)}</dt><dd>${code(cp.headerHash)}</dd>` +
    `<dt>${html(L.tensors)}</dt><dd>${fmtInt(cp.tensors)}</dd><dt>${html(L.parameters)}</dt><dd>${fmtInt(cp.parameters)}</dd>` +
    `<dt>${html(L.generated)}</dt><dd>${html(report.generated)}</dd><dt>${html(L.tool)}</dt><dd>${html(report.tool.name)} ${html(report.tool.version)}</dd></dl>`];

  if (audit) {
    body.push(`<h2>${html(L.summary)}</h2>`, table(
      [L.component, L.verdict, L.reference, L.matchedInformative, L.coveredParameters, L.medianR, L.combinedP, L.relation],
      // l10n-ignore
      audit.components.map((c) => [html(word(L.components, c.name)), `<span class="verdict">${html(word(L.verdicts, c.verdict))}</span>`, c.reference ? code(c.reference) : '–',
        `${c.evidence.matchedTensors} / ${c.evidence.informativeTensors}`, fmtPct(c.evidence.coveredParameterFraction), fmtR(c.evidence.medianR),
        html(fmtP(c.evidence.log10PValue)), html(phrase(c.relation, L))]), [3, 4, 5, 6]));
  }

  body.push(`<h2>${html(L.findings)}</h2>`);
  if (report.findings.length === 0) body.push(`<p>${html(L.noFindings)}</p>`);
  sortFindingsForNotes(report.findings).forEach((f, i) => body.push(findingHtml(f, i + 1, L)));

  if (audit) {
    body.push(`<h2>${html(L.componentEvidence)}</h2>`);
    for (const c of audit.components) {
      c.comparisons.forEach((cmp, k) => body.push(comparisonHtml(report, word(L.components, c.name), cmp, L, k === 0)));
    }
  }
  const std = stdChartsHtml(report, L);
  if (std) body.push(std);

  if (audit) {
    const m = audit.method;
    body.push(`<h2>${html(L.method)}</h2>`, `<p>${html(L.methodText(m))}</p>`, `<p>${html(L.nullModel)}: ${html(m.nullModel)}</p>`,
      table([L.parameter, L.value], methodRows(m).map(([k, v]) => [code(k), html(v)]), [1]));
  }

  body.push(...architectureHtml(report, L));
  body.push(...sidecarsHtml(report, L));

  body.push(`<h2>${html(L.library)}</h2>`);
  const families = familiesSentence(report.audit, L);
  if (families) body.push(`<p>${html(families)}</p>`);
  if (report.library.length === 0) body.push(`<p>${html(L.noLibrary)}</p>`);
  else {
    body.push(table([L.libraryId, L.source, L.tensors, L.parameters, L.headerHash, L.libraryCreated],
      report.library.map((e) => [code(e.id), code(e.source), fmtInt(e.tensors), fmtInt(e.parameters), code(e.headerHash.slice(0, 16)), html(e.createdAt)]), [2, 3]));
  }

  body.push(`<h2>${html(L.files)}</h2>`, table([L.file, L.size, L.sha256], [
    // l10n-ignore
    ...cp.files.map((f) => [code(f.name), fmtInt(f.size), f.sha256 ? code(f.sha256) : `<span class="muted">${html(L.notComputed)}</span>`]),
    [`<strong>${html(L.total)}</strong>`, fmtInt(cp.files.reduce((s, f) => s + f.size, 0)), ''],
  ], [1]));

  if (audit && audit.notes.length) body.push(`<h2>${html(L.notes)}</h2>`, `<ul>${audit.notes.map((n) => `<li>${html(phrase(n, L))}</li>`).join('')}</ul>`);

  // Markup, not prose (the scan skips lines marked l10n-ignore).
  return [
    '<!DOCTYPE html>', // l10n-ignore
    `<html lang="${html(L.lang)}">`, // l10n-ignore
    '<head>',
    '<meta charset="utf-8">', // l10n-ignore
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`, // l10n-ignore
    '<meta name="viewport" content="width=device-width, initial-scale=1">', // l10n-ignore
    '<meta name="referrer" content="no-referrer">', // l10n-ignore
    `<title>${html(L.title)}: ${html(cp.name)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

function refsHtml(ids: readonly string[], L: ReviewLabels): string {
  const { ids: shown, more } = shownReferences(ids, L);
  return [...shown.map(code), ...(more ? [html(more)] : [])].join(', ') || html(L.none);
}
