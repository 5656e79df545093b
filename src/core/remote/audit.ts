// Auditing a Hub checkpoint over HTTP Range (docs/remote.md, "Auditing a Hub model"): the headers as for a remote
// fingerprint, then the same audit as for local files, reading the suspect's bytes on demand through remoteSource.ts.
// Same verdicts and evidence as the local audit of the same files; the summary says how many bytes that took.
import { auditCheckpoint, type AuditOptions } from '../match/audit';
import { remoteSidecars } from './sidecars';
import type { AuditResult } from '../match/types';
import type { ReferenceSet } from '../match/referenceSet';
import type { Fingerprint } from '../fingerprint/types';
import type { Checkpoint } from '../format/checkpoint';
import { openRemoteCheckpoint, type RemoteOpenOptions } from './checkpoint';
import type { RemoteSummary } from './fingerprint';
import type { HubRef } from './hub';
import { RemoteRangeCache, type RemoteCacheStats, type RemoteSourceOptions } from './remoteSource';

export interface RemoteAuditProgress {
  /** 'headers' while the index and headers are read, then 'matching'. */
  phase: 'headers' | 'matching';
  bytesFetched: number;
  requests: number;
  retries: number;
  /** Size of the checkpoint's files (0 until the headers are read). */
  modelBytes: number;
  /** The audit's own progress line ("matching against …"), when it gave one. */
  message?: string;
}

export interface RemoteAuditOptions extends RemoteOpenOptions, Omit<RemoteSourceOptions, 'signal'>, Omit<AuditOptions, 'readerOptions' | 'onProgress' | 'signal'> {
  /** Progress at most every `progressIntervalMs` (default 100) and at each phase change. */
  onProgress?: (p: RemoteAuditProgress) => void;
  progressIntervalMs?: number;
}

/** What the remote audit cost: the `remote` object of `audit --json` for an hf:// suspect, and how the cache served the reads. */
export interface RemoteAuditSummary extends Pick<RemoteSummary, 'source' | 'endpoint' | 'repo' | 'revision' | 'commit' | 'files' | 'modelBytes'
  | 'bytesFetched' | 'requests' | 'retries' | 'seconds'> {
  cache: RemoteCacheStats;
}

export interface RemoteAuditResult {
  result: AuditResult;
  summary: RemoteAuditSummary;
  /** The suspect's Checkpoint (header only; its paths are hf:// URIs), for the review notes. */
  checkpoint: Checkpoint;
}

/** Opens `target` on the Hub (or a mirror) and audits it against `references`, reading only what the audit needs. */
export async function auditRemote(target: string | HubRef, references: Fingerprint[] | ReferenceSet, options: RemoteAuditOptions = {}): Promise<RemoteAuditResult> {
  const t0 = Date.now();
  const interval = options.progressIntervalMs ?? 100;
  let last = 0;
  let phase: RemoteAuditProgress['phase'] = 'headers';
  let modelBytes = 0;
  let message: string | undefined;
  let stats = { bytes: 0, requests: 0, retries: 0 };
  const emit = (force = false): void => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - last < interval) return;
    last = now;
    options.onProgress({ phase, bytesFetched: stats.bytes, requests: stats.requests, retries: stats.retries, modelBytes, ...(message ? { message } : {}) });
  };
  emit(true);
  const remote = await openRemoteCheckpoint(target, options);
  stats = remote.stats;
  const cache = new RemoteRangeCache(remote.client, remote.files.map((f) => f.url), {
    gapBytes: options.gapBytes, maxRequestBytes: options.maxRequestBytes, cacheBytes: options.cacheBytes,
    readParallelism: options.readParallelism, signal: options.signal,
  });
  try {
    const { checkpoint } = remote;
    modelBytes = checkpoint.fileBytes;
    phase = 'matching';
    remote.client.onStats = () => emit();
    emit(true);
    const result = await auditCheckpoint(checkpoint, references, {
      method: options.method, budget: options.budget, signal: options.signal, cascade: options.cascade, maxCompared: options.maxCompared,
      onProgress: (m) => { message = m; emit(true); },
      readerOptions: { openSource: async (file, i) => cache.source(i, file.size) },
      sidecars: remoteSidecars(remote),
    });
    emit(true);
    const s = remote.stats;
    return {
      result, checkpoint,
      summary: {
        source: checkpoint.path, endpoint: remote.endpoint, repo: remote.ref.repo, revision: remote.ref.revision, commit: remote.commit,
        files: remote.files.length, modelBytes, bytesFetched: s.bytes, requests: s.requests, retries: s.retries,
        seconds: (Date.now() - t0) / 1000, cache: { ...cache.stats },
      },
    };
  } finally {
    cache.close();
    remote.close();
  }
}
