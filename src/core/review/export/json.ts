// JSON export: the review store document, the audit result and the report context, with a `$schema` reference.
import { stableStringify } from '../canonical';
import { stableNumber } from './escape';
import { REVIEW_FORMAT, REVIEW_SCHEMA_ID, REVIEW_SCHEMA_VERSION } from '../store';
import type { ReviewDocument } from '../types';
import type { ReviewReport } from './report';

export const REVIEW_EXPORT_SCHEMA_REF = `${REVIEW_SCHEMA_ID}#/$defs/reviewExport`;

/** The plain object written by exportJson (stable key order is applied when serialising). */
export function reviewExportObject(report: ReviewReport): Record<string, unknown> {
  const review: ReviewDocument = {
    format: REVIEW_FORMAT,
    schemaVersion: REVIEW_SCHEMA_VERSION,
    checkpoint: { headerHash: report.checkpoint.headerHash, name: report.checkpoint.name },
    findings: report.findings,
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
  };
}

export function exportJson(report: ReviewReport): string {
  return stableStringify(reviewExportObject(report));
}

/** Statistics rounded like the CSV's (see stableNumber), so the JSON export is byte-stable too. */
function roundNumbers<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' && Number.isFinite(v) ? stableNumber(v) : v;
  return out as T;
}
