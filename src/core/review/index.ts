// Public API of the review core (vscode-free): findings, the review store, exporters and labels.
export * from './types';
export { LABELS, LABELS_EN, type NoEvidenceBasis, type ReviewLabels } from './labels';
export { LABELS_KO } from './labels.ko';
export { GLOSSARY, term, type GlossaryId, type GlossaryTerm } from './glossary';
export { isNotesLanguage, labelsFor, NOTES_LANGUAGES, notesLanguageFor, type NotesLanguage } from './language';
export { stableStringify } from './canonical';
export {
  applyPatch, createFinding, defaultReviewer, evidenceFor, findingVerdictFor, newSuggestions, noEvidenceBasis, normaliseTarget, suggestFindings,
  type FindingContext,
} from './findings';
export { compareFindings, compareFindingsForNotes, compareStrings, sortFindings, sortFindingsForNotes } from './order';
export { AUDIT_VERDICTS, findingProblems } from './validate';
export { mergeFindings, type ConflictKind, type MergeConflict, type MergeResult } from './merge';
export { checkpointDisplayName, reviewPathFor, REVIEW_SUFFIX } from './paths';
export { nodeStoreFs, type StoreFileHandle, type StoreFs, type StoreStat } from './fsLayer';
export {
  parseReviewDocument, REVIEW_FORMAT, REVIEW_SCHEMA_ID, REVIEW_SCHEMA_VERSION, serialiseReview, type CheckpointBinding,
} from './document';
export { BACKUP_SUFFIX } from './reviewFile';
export { ReviewStoreError, type ReviewStoreErrorCode, type StoreStatus, type StoreStatusKind } from './storeStatus';
export { ReviewStore, type ReviewStoreOptions, type StoreChange, type SyncResult } from './store';
export * from './export/index';
export {
  generatedDate, notesOutputCheck, reviewNotes, writeReviewNotes, type NotesOutput, type ReviewNotesInput, type ReviewNotesResult,
} from './notes';
