// Public API of matching (for the CLI and the editor's Provenance view).
export { auditCheckpoint, auditSuspect, compareCheckpoints, sharedAcrossUnrelated, type AuditOptions } from './audit';
export { DEFAULT_BUDGET, DEFAULT_METHOD, compareWithReference, informativeness, prepareSuspect, type LocalSuspect, type SearchBudget, type TensorComparison } from './engine';
export type * from './types';
