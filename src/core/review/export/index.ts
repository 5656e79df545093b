// Review exporters: Markdown, self-contained HTML, JSON and CSV from one ReviewReport.
import { extname } from 'node:path';
import { exportCsv } from './csv';
import { exportHtml } from './html';
import { exportJson } from './json';
import { exportMarkdown } from './markdown';
import type { ReviewReport } from './report';

export type ExportFormat = 'md' | 'html' | 'json' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['md', 'html', 'json', 'csv'];

/** The format for an output file name (.md/.markdown, .html/.htm, .json, .csv), or null. */
export function formatForPath(path: string): ExportFormat | null {
  switch (extname(path).toLowerCase()) {
    case '.md': case '.markdown': return 'md';
    case '.html': case '.htm': return 'html';
    case '.json': return 'json';
    case '.csv': return 'csv';
    default: return null;
  }
}

export function exportReview(report: ReviewReport, format: ExportFormat): string {
  switch (format) {
    case 'md': return exportMarkdown(report);
    case 'html': return exportHtml(report);
    case 'json': return exportJson(report);
    case 'csv': return exportCsv(report);
  }
}

export { exportCsv, exportHtml, exportJson, exportMarkdown };
export { CSV_COLUMNS } from './csv';
export { HTML_CSP } from './html';
export { REVIEW_EXPORT_SCHEMA_REF, reviewExportObject } from './json';
export { buildReviewReport, portablePath, sha256File } from './report';
export type { BuildReportInput, CheckpointSummary, LibraryEntrySummary, ReportFile, ReviewReport, ReviewReportOptions } from './report';
export { csvText, html as escapeHtml, mdCode, mdText, visible } from './escape';
