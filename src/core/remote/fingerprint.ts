// Fingerprinting a Hub checkpoint over HTTP Range: the same fingerprinter as for local files, reading through
// coalesced remote ranges, so the result equals the local fingerprint of the same files (docs/remote.md).
import { fingerprintCheckpoint, tokenizerOf, type FingerprintOptions } from '../fingerprint/create';
import { remoteSidecars } from './sidecars';
import { t } from '../l10n';
import type { Fingerprint, FingerprintOrigin } from '../fingerprint/types';
import { RangeFetcher, recordingSource, type CoalesceOptions, type WantedRead } from './fetcher';
import { abortError } from './errors';
import { formatHfUri, type HubRef } from './hub';
import { openRemoteCheckpoint, type RemoteCheckpoint, type RemoteOpenOptions } from './checkpoint';

/**
 * Remote fingerprints hash only tensors up to 64 KiB by default (local: 4 MiB): hashing means fetching the whole
 * tensor. Pass hashMaxBytes to change it; with equal options the result equals the local fingerprint.
 */
export const REMOTE_DEFAULT_HASH_MAX_BYTES = 64 << 10;

export type RemotePhase = 'index' | 'planning' | 'fetching' | 'done';

export interface RemoteProgress {
  phase: RemotePhase;
  /** Body bytes received so far (all requests). */
  bytesFetched: number;
  /** Bytes the plan will fetch (known from 'fetching' on). */
  bytesPlanned: number;
  requests: number;
  retries: number;
  tensorsDone: number;
  tensorsTotal: number;
  /** Size of the checkpoint's files. */
  modelBytes: number;
}

export interface RemoteFingerprintOptions extends RemoteOpenOptions, CoalesceOptions {
  id?: string;
  hashMaxBytes?: number;
  /** model.createdAt (default now). */
  createdAt?: string;
  /** Memory bound for fetched-but-unused ranges (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Progress, at most every `progressIntervalMs` (default 100) and at each phase change. */
  /** Told one line per tokenizer file of the repository that could not be read (the fingerprint is made without it). */
  onSidecarProblem?: (line: string) => void;
  onProgress?: (p: RemoteProgress) => void;
  progressIntervalMs?: number;
}

export interface RemoteSummary {
  source: string;
  endpoint: string;
  repo: string;
  revision: string;
  commit: string | null;
  files: number;
  tensors: number;
  /** Bytes of the checkpoint's files on the server. */
  modelBytes: number;
  bytesFetched: number;
  /** Bytes of the coalesced ranges (tensor samples and hashes), excluding headers, index and config. */
  bytesPlanned: number;
  /** Bytes the fingerprinter needed before coalescing. */
  bytesWanted: number;
  requests: number;
  retries: number;
  seconds: number;
}

export interface RemoteFingerprintResult {
  fingerprint: Fingerprint;
  summary: RemoteSummary;
}

/** "fetched 3.2 MB of 10.7 GB (0.03 %), 1234 requests, 2.10 s, commit 0123456789ab": a list of facts, each translated. */
export function formatSummary(s: Pick<RemoteSummary, 'bytesFetched' | 'modelBytes' | 'requests' | 'retries' | 'seconds' | 'commit'>): string {
  const pct = s.modelBytes ? (100 * s.bytesFetched) / s.modelBytes : 0;
  const facts = [
    t('fetched {0} of {1} ({2} %)', formatBytes(s.bytesFetched), formatBytes(s.modelBytes), pct < 0.01 ? pct.toExponential(1) : pct.toFixed(2)),
    t('{0} requests', s.requests),
  ];
  if (s.retries) facts.push(t('{0} retries', s.retries));
  facts.push(t('{0} s', s.seconds.toFixed(2)));
  if (s.commit) facts.push(t('commit {0}', s.commit.slice(0, 12)));
  return facts.join(', ');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** The reference id a remote fingerprint gets unless one is given: `owner/repo`, or `owner/repo/subfolder`. */
export function defaultRemoteId(ref: HubRef): string {
  return ref.path && !/\.(json|safetensors)$/.test(ref.path) ? `${ref.repo}/${ref.path}` : ref.repo;
}

export async function fingerprintRemote(target: string | HubRef, options: RemoteFingerprintOptions = {}): Promise<RemoteFingerprintResult> {
  const t0 = Date.now();
  const signal = options.signal;
  let phase: RemotePhase = 'index';
  let tensorsDone = 0;
  let tensorsTotal = 0;
  let modelBytes = 0;
  let bytesPlanned = 0;
  let last = 0;
  let stats: RemoteCheckpoint['stats'] = { bytes: 0, requests: 0, retries: 0 };
  const interval = options.progressIntervalMs ?? 100;
  const emit = (force = false): void => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - last < interval) return;
    last = now;
    const s = stats;
    options.onProgress({ phase, bytesFetched: s.bytes, bytesPlanned, requests: s.requests, retries: s.retries, tensorsDone, tensorsTotal, modelBytes });
  };
  emit(true);
  const remote = await openRemoteCheckpoint(target, options);
  stats = remote.stats;
  try {
    const { checkpoint, files } = remote;
    remote.client.onStats = () => emit();
    tensorsTotal = checkpoint.tensors.length;
    modelBytes = checkpoint.fileBytes;
    const fetchedAt = new Date().toISOString();
    // The tokenizer files of the same snapshot, read once (a few megabytes at most) before the weights.
    const tokenizer = await tokenizerOf(remoteSidecars(remote), options.onSidecarProblem);
    const origin: FingerprintOrigin = {
      type: 'huggingface', endpoint: remote.endpoint, repo: remote.ref.repo, revision: remote.ref.revision, commit: remote.commit, path: remote.ref.path,
      files: [...remote.metaFiles, ...(tokenizer?.files ?? []).map((f) => (remote.folder ? `${remote.folder}/${f}` : f)), ...files.map((f) => f.repoPath)], fetchedAt,
    };
    const base: FingerprintOptions = {
      id: options.id ?? defaultRemoteId(remote.ref),
      source: checkpoint.path,
      hashMaxBytes: options.hashMaxBytes ?? REMOTE_DEFAULT_HASH_MAX_BYTES,
      createdAt: options.createdAt,
      origin,
      gramColumns: false,
      gramRows: false,
      tokenizer,
    };

    // 1. Planning: the fingerprinter runs on zeros and records every read it makes.
    phase = 'planning';
    emit(true);
    const reads: WantedRead[] = [];
    await fingerprintCheckpoint(checkpoint, {
      ...base, concurrency: 1, signal,
      openSource: async (file, i) => recordingSource(i, file.size, file.path, reads),
    });
    if (signal?.aborted) throw abortError();

    // 2. Fetching, overlapped with the real pass that consumes the ranges in the planned order.
    const fetcher = new RangeFetcher(remote.client, files.map((f) => f.url), reads, {
      gapBytes: options.gapBytes, maxBytes: options.maxBytes, parallel: options.parallel, maxBufferedBytes: options.maxBufferedBytes, signal,
    });
    bytesPlanned = fetcher.stats.plannedBytes;
    phase = 'fetching';
    emit(true);
    fetcher.start();
    const fingerprint = await fingerprintCheckpoint(checkpoint, {
      ...base, signal,
      openSource: async (file, i) => fetcher.source(i, file.size),
      onProgress: (done) => { tensorsDone = done; emit(); },
    });
    phase = 'done';
    emit(true);
    const s = remote.stats;
    return {
      fingerprint,
      summary: {
        source: checkpoint.path, endpoint: remote.endpoint, repo: remote.ref.repo, revision: remote.ref.revision, commit: remote.commit,
        files: files.length, tensors: tensorsTotal, modelBytes, bytesFetched: s.bytes, bytesPlanned, bytesWanted: fetcher.stats.wantedBytes,
        requests: s.requests, retries: s.retries, seconds: (Date.now() - t0) / 1000,
      },
    };
  } finally {
    remote.close();
  }
}

export { formatHfUri };
