// Public API of fingerprints and the reference library.
export { fingerprintCheckpoint, fingerprintPath, sampleMoments, DEFAULT_HASH_MAX_BYTES, TOOL_VERSION, type FingerprintOptions } from './create';
export { FingerprintError, FINGERPRINT_EXTENSION, parseFingerprint, readFingerprint, serializeFingerprint, writeFingerprint } from './io';
export { ReferenceLibrary, type LibraryEntry, type LibraryModelSummary, type LibraryProblem } from './library';
export { libraryHygiene, issueText, originDescription, originUrl, type HygieneInput, type HygieneIssue, type HygieneReport } from './hygiene';
export { FORMAT_VERSION, samplePlan, probeRows, type SamplePlan } from './plan';
export type { Fingerprint, FingerprintModel, FingerprintOrigin, SampleMoments, TensorFingerprint } from './types';
