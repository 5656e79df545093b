// Review notes for an audited Hub checkpoint: the notes of a local audit, except that nothing is read from disk (no
// review store beside the checkpoint, no SHA-256 of whole files, which would mean downloading them) and the
// checkpoint is named by its hf:// URI pinned to the commit, so that the notes say exactly which snapshot was audited.
import type { IndexedReference } from '../match/referenceSet';
import type { LibraryEntry } from '../fingerprint/library';
import type { Fingerprint } from '../fingerprint/types';
import type { Checkpoint } from '../format/checkpoint';
import type { AuditResult } from '../match/types';
import type { ReviewReport, ReviewReportOptions } from '../review/export/index';
import { reviewNotes } from '../review/notes';

export interface RemoteNotesInput {
  /** The remote checkpoint (RemoteAuditResult.checkpoint): its path is hf://owner/repo@<commit>[/path]. */
  checkpoint: Checkpoint;
  audit: AuditResult;
  library?: (LibraryEntry | Fingerprint | IndexedReference)[];
  options?: ReviewReportOptions;
  generated?: string;
}

/** The report of an hf:// audit: suggested findings per component, source named by the hf:// URI with the commit. */
export async function remoteNotesReport(input: RemoteNotesInput): Promise<ReviewReport> {
  const { report } = await reviewNotes({ ...input, findings: [], hashFiles: false });
  const source = input.checkpoint.path;
  return { ...report, checkpoint: { ...report.checkpoint, name: source }, audit: report.audit && { ...report.audit, checkpoint: { ...report.audit.checkpoint, path: source } } };
}
