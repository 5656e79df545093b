// Review notes for a checkpoint in one call (the CLI's `audit --notes` and the extension's export command).
import { architectureRows, matchArchitecture, type ArchitectureMatchRow } from '../catalogue';
import { checkpointInputs, type Checkpoint } from '../format/checkpoint';
import { checkOutputPath, writeOutputFile, type OutputCheck } from '../outputPath';
import type { LibraryEntry } from '../fingerprint/library';
import type { IndexedReference } from '../match/referenceSet';
import type { Fingerprint } from '../fingerprint/types';
import type { AuditResult } from '../match/types';
import type { TensorStats } from '../stats/types';
import { newSuggestions, suggestFindings, type FindingContext } from './findings';
import { buildReviewReport, exportReview, formatForPath, type ExportFormat, type ReviewReport, type ReviewReportOptions } from './export/index';
import { reviewPathFor } from './paths';
import { ReviewStore, type StoreStatus } from './store';
import type { Finding } from './types';

export interface ReviewNotesInput {
  checkpoint: Checkpoint;
  audit: AuditResult;
  library?: (LibraryEntry | Fingerprint | IndexedReference)[];
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

export interface NotesOutput {
  /** Writing over a review store is meant (--force). */
  force?: boolean;
  /** More files the command read (e.g. library files that failed to load). */
  inputs?: readonly string[];
}

/** What review notes must not be written over: the checkpoint's files, the library's files and the review store. */
export function notesOutputCheck(input: Pick<ReviewNotesInput, 'checkpoint' | 'library'>, output: NotesOutput = {}): OutputCheck {
  const library = (input.library ?? []).flatMap((e) => ('path' in e && e.path ? [e.path] : []));
  return {
    inputs: [...checkpointInputs(input.checkpoint), ...library, ...(output.inputs ?? [])],
    reviewStores: [reviewPathFor(input.checkpoint)],
    allowReviewStore: output.force,
  };
}

/**
 * Writes review notes in the format given by the file's extension, atomically, after checking the path (see
 * notesOutputCheck; an OutputError says why not). Throws a TypeError for an unknown extension.
 */
export async function writeReviewNotes(path: string, input: ReviewNotesInput, format: ExportFormat | null = formatForPath(path),
  output: NotesOutput = {}): Promise<ReviewNotesResult> {
  if (!format) throw new TypeError(`cannot tell the notes format from ${JSON.stringify(path)}: use .md, .html, .json or .csv`);
  await checkOutputPath(path, notesOutputCheck(input, output));
  const result = await reviewNotes(input);
  await writeOutputFile(path, exportReview(result.report, format));
  return result;
}
