// Public API of remote (HTTP Range) reading and fingerprinting. vscode-free: the extension's "Add Hugging Face Model
// to Library…" command calls fingerprintRemote with a token from SecretStorage, a proxy from `http.proxy`, a progress
// callback and a cancellation AbortSignal. See docs/remote.md.
export { defaultRemoteId, fingerprintRemote, formatSummary, formatBytes, REMOTE_DEFAULT_HASH_MAX_BYTES, type RemoteFingerprintOptions, type RemoteFingerprintResult, type RemoteProgress, type RemotePhase, type RemoteSummary } from './fingerprint';
export { openRemoteCheckpoint, resolveToken, type RemoteCheckpoint, type RemoteFile, type RemoteOpenOptions } from './checkpoint';
export { DEFAULT_ENDPOINT, formatHfUri, hubRef, parseHfUri, resolveEndpoint, resolveUrl, type HubRef } from './hub';
export { RemoteError, displayUrl, type RemoteErrorCode } from './errors';
export { HttpClient, type HttpClientOptions, type TransferStats } from './http';
export { DEFAULT_RETRY, type RetryPolicy } from './retry';
export { coalesce, DEFAULT_GAP_BYTES, DEFAULT_MAX_MERGED_BYTES, type CoalesceOptions } from './fetcher';
export { bypassesProxy, proxyFor, type ProxySettings } from './proxy';
export { MAX_MODEL_LIST_BYTES, MAX_MODEL_LIST_ENTRIES, ModelListError, parseModelEntry, parseModelList, readModelList, splitModelEntries, uniqueRefs } from './modelList';
export { addModelsToLibrary, DEFAULT_MODELS_IN_FLIGHT, libraryAddTarget, MAX_MODELS_IN_FLIGHT, sameHubModel, type HeldReference, type LibraryAddOptions, type LibraryAddOutcome, type LibraryAddReport, type LibraryAddTarget, type LibraryLookup, type RemoteFingerprinter } from './libraryAdd';
export { auditRemote, type RemoteAuditOptions, type RemoteAuditProgress, type RemoteAuditResult, type RemoteAuditSummary } from './audit';
export { RemoteRangeCache, DEFAULT_CACHE_BYTES, type RemoteCacheStats, type RemoteSourceOptions } from './remoteSource';
