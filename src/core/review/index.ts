// Public API of the review core (vscode-free): findings, the review store, exporters and labels.
export * from './types';
export { LABELS, LABELS_EN, type ReviewLabels } from './labels';
export { LABELS_KO } from './labels.ko';
export { GLOSSARY, term, type GlossaryId, type GlossaryTerm } from './glossary';
export { isNotesLanguage, labelsFor, NOTES_LANGUAGES, notesLanguageFor, type NotesLanguage } from './language';
export { stableStringify } from './canonical';
export {
  applyPatch, compareFindings, createFinding, defaultReviewer, evidenceFor, findingProblems, findingVerdictFor, newSuggestions, normaliseTarget,
  sortFindings, suggestFindings, type FindingContext,
} from './findings';
export { mergeFindings, type ConflictKind, type MergeConflict, type MergeResult } from './merge';
export { checkpointDisplayName, reviewPathFor, REVIEW_SUFFIX } from './paths';
export { nodeStoreFs, type StoreFileHandle, type StoreFs, type StoreStat } from './fsLayer';
export {
  BACKUP_SUFFIX, parseReviewDocument, REVIEW_FORMAT, REVIEW_SCHEMA_ID, REVIEW_SCHEMA_VERSION, ReviewStore, ReviewStoreError, serialiseReview,
  type CheckpointBinding, type ReviewStoreErrorCode, type ReviewStoreOptions, type StoreChange, type StoreStatus, type StoreStatusKind, type SyncResult,
} from './store';
export * from './export/index';
export { generatedDate, reviewNotes, writeReviewNotes, type ReviewNotesInput, type ReviewNotesResult } from './notes';
