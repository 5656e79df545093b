// JSON export: the review store document, the audit result and the report context, with a `$schema` reference.
import { stableStringify } from '../canonical';
import { stableNumber } from './escape';
import { REVIEW_FORMAT, REVIEW_SCHEMA_ID, REVIEW_SCHEMA_VERSION } from '../store';
import type { ReviewDocument } from '../types';
import type { ReviewReport } from './report';
import type { ReviewLabels } from '../labels';
import { sortFindingsForNotes } from '../order';
import { labelsOf } from './common';

export const REVIEW_EXPORT_SCHEMA_REF = `${REVIEW_SCHEMA_ID}#/$defs/reviewExport`;

/** The plain object written by exportJson (stable key order is applied when serialising). */
export function reviewExportObject(report: ReviewReport): Record<string, unknown> {
  const review: ReviewDocument = {
    format: REVIEW_FORMAT,
    schemaVersion: REVIEW_SCHEMA_VERSION,
    checkpoint: { headerHash: report.checkpoint.headerHash, name: report.checkpoint.name },
    findings: sortFindingsForNotes(report.findings),
  };
  let audit: Record<string, unknown> | null = null;
  if (report.audit) {
    // `seconds` is a measurement of this run: left out so two exports of the same inputs are identical.
    const { seconds: _seconds, ...rest } = report.audit;
    void _seconds;
    audit = rest;
  }
  return {
    $schema: REVIEW_EXPORT_SCHEMA_REF,
    format: 'weightprint-review-export',
    exportVersion: 1,
    generated: report.generated,
    tool: report.tool,
    checkpoint: report.checkpoint,
    review,
    audit,
    library: report.library,
    // Histograms are left out (see `weightprint stats --json`); every other statistic is kept.
    stats: report.stats ? report.stats.map(({ histogram: _h, symlogHistogram: _s, ...s }) => { void _h; void _s; return roundNumbers(s); }) : null,
    // Notes in another language than English carry display labels for the (English, stable) keys and values.
    ...(labelsOf(report).lang !== 'en' ? { labels: jsonLabels(labelsOf(report)) } : {}),
  };
}

/** Display labels of the export's keys and enumerated values; the keys themselves never change with the language. */
export function jsonLabels(L: ReviewLabels): Record<string, unknown> {
  return {
    lang: L.lang,
    title: L.title,
    fields: {
      generated: L.generated, tool: L.tool, checkpoint: L.checkpoint, headerHash: L.headerHash, tensors: L.tensors, parameters: L.parameters,
      files: L.files, size: L.size, sha256: L.sha256, findings: L.findings, target: L.target, verdict: L.verdict, confidence: L.confidence,
      state: L.state, reviewer: L.reviewer, created: L.created, updated: L.updated, rationale: L.rationale, evidence: L.evidence,
      components: L.component, reference: L.reference, relation: L.relation, matchedTensors: L.matched, medianR: L.medianR,
      coveredParameterFraction: L.coveredParameters, log10PValue: L.combinedP, method: L.method, library: L.library, source: L.source,
      createdAt: L.libraryCreated, notes: L.notes,
    },
    verdicts: L.verdicts,
    findingVerdicts: L.findingVerdicts,
    confidences: L.confidences,
    states: L.states,
    componentNames: L.components,
  };
}

export function exportJson(report: ReviewReport): string {
  return stableStringify(reviewExportObject(report));
}

/** Statistics rounded like the CSV's (see stableNumber), so the JSON export is byte-stable too. */
function roundNumbers<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && Number.isFinite(v) ? stableNumber(v) : v])) as T;
}
