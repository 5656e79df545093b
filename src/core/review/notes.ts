// Review notes for a checkpoint in one call (the CLI's `audit --notes` and the extension's export command).
import { writeFile } from 'node:fs/promises';
import { architectureRows, matchArchitecture, type ArchitectureMatchRow } from '../catalogue';
import type { Checkpoint } from '../format/checkpoint';
import type { LibraryEntry } from '../fingerprint/library';
import type { Fingerprint } from '../fingerprint/types';
import type { AuditResult } from '../match/types';
import type { TensorStats } from '../stats/types';
import { newSuggestions, suggestFindings, type FindingContext } from './findings';
import { buildReviewReport, exportReview, formatForPath, type ExportFormat, type ReviewReport, type ReviewReportOptions } from './export/index';
import { ReviewStore, type StoreStatus } from './store';
import type { Finding } from './types';

export interface ReviewNotesInput {
  checkpoint: Checkpoint;
  audit: AuditResult;
  library?: (LibraryEntry | Fingerprint)[];
  stats?: TensorStats[] | null;
  /** ISO date written as the export's `generated` date. Default: SOURCE_DATE_EPOCH when set, else now. */
  generated?: string;
  /** SHA-256 of every checkpoint file (a full read). Default true. */
  hashFiles?: boolean;
  /** Findings to use instead of reading the review store beside the checkpoint. */
  findings?: Finding[];
  findingContext?: FindingContext;
  options?: ReviewReportOptions;
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Architecture matches for the "Architecture match" section; default: computed from the checkpoint's header. */
  architecture?: ArchitectureMatchRow[];
}

/** Architecture matches of a checkpoint (header only); [] when the catalogue cannot be read. */
export function architectureFor(checkpoint: Checkpoint): ArchitectureMatchRow[] {
  try {
    return architectureRows(matchArchitecture(checkpoint));
  } catch {
    return []; // a broken WEIGHTPRINT_CATALOGUE leaves the section out; the notes stay usable
  }
}

export interface ReviewNotesResult {
  report: ReviewReport;
  /** Status of the review store beside the checkpoint (null when `findings` were passed). */
  storeStatus: StoreStatus | null;
  /** Findings from the store, and suggestions added for components without a finding. */
  storedFindings: number;
  suggestedFindings: number;
}

/** The date for `generated`: SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
export function generatedDate(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  return new Date(env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? epoch * 1000 : Date.now()).toISOString();
}

/**
 * Builds the report: the findings of the review store beside the checkpoint (when it exists and belongs to this
 * checkpoint) plus one suggested finding per component that has none. The store is only read, never written.
 */
export async function reviewNotes(input: ReviewNotesInput): Promise<ReviewNotesResult> {
  let stored: Finding[] = input.findings ?? [];
  let storeStatus: StoreStatus | null = null;
  if (!input.findings) {
    const store = await ReviewStore.openFor(input.checkpoint, input.findingContext);
    storeStatus = store.status;
    if (store.status.kind === 'ok') stored = store.findings;
  }
  const suggestions = newSuggestions(stored, suggestFindings(input.audit, { ...input.findingContext, labels: input.options?.labels }));
  const report = await buildReviewReport({
    checkpoint: input.checkpoint, audit: input.audit, findings: [...stored, ...suggestions], stats: input.stats, library: input.library,
    generated: input.generated ?? generatedDate(), hashFiles: input.hashFiles ?? true, options: input.options, signal: input.signal,
    onProgress: input.onProgress, toolVersion: input.findingContext?.toolVersion,
    architecture: input.architecture ?? architectureFor(input.checkpoint),
  });
  return { report, storeStatus, storedFindings: stored.length, suggestedFindings: suggestions.length };
}

/** Writes review notes in the format given by the file's extension; throws a TypeError for an unknown extension. */
export async function writeReviewNotes(path: string, input: ReviewNotesInput, format: ExportFormat | null = formatForPath(path)): Promise<ReviewNotesResult> {
  if (!format) throw new TypeError(`cannot tell the notes format from ${JSON.stringify(path)}: use .md, .html, .json or .csv`);
  const result = await reviewNotes(input);
  await writeFile(path, exportReview(result.report, format), 'utf8');
  return result;
}
