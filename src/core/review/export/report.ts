// The exporters' input: a plain object the CLI and the extension both build (buildReviewReport) or assemble.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import type { ArchitectureMatchRow } from '../../catalogue/summary';
import type { Checkpoint } from '../../format/checkpoint';
import { openRegularFile } from '../../format/safeRead';
import { TOOL_VERSION } from '../../fingerprint/create';
import type { Fingerprint } from '../../fingerprint/types';
import type { LibraryEntry } from '../../fingerprint/library';
import type { IndexedReference } from '../../match/referenceSet';
import type { AuditResult } from '../../match/types';
import type { TensorStats } from '../../stats/types';
import { sortFindingsForNotes } from '../order';
import type { ReviewLabels } from '../labels';
import { checkpointDisplayName } from '../paths';
import type { Finding } from '../types';

export interface ReportFile {
  /** Path relative to the checkpoint's folder. */
  name: string;
  size: number;
  /** Hex SHA-256 of the whole file, or null when not computed. */
  sha256: string | null;
}

export interface CheckpointSummary {
  /** File or index name (never an absolute path). */
  name: string;
  /** File format (safetensors, gguf, pytorch); absent in reports built before formats were told apart. */
  format?: Checkpoint['format'];
  kind: Checkpoint['kind'];
  headerHash: string;
  tensors: number;
  parameters: number;
  /** Bytes of tensor data. */
  bytes: number;
  files: ReportFile[];
}

/** A format's own name, the same in every language. */
export function formatName(format: Checkpoint['format'] | undefined): string {
  return format === 'gguf' ? 'GGUF' : format === 'pytorch' ? 'PyTorch' : 'safetensors';
}

export interface LibraryEntrySummary {
  id: string;
  /** Where the reference was fingerprinted from: a URL, or a path relative to the checkpoint's folder. */
  source: string;
  headerHash: string;
  createdAt: string;
  toolVersion: string;
  tensors: number;
  parameters: number;
}

export interface ReviewReportOptions {
  /** Rows of each match table in Markdown and HTML (the JSON and CSV exports hold every row). Default 60. */
  maxTableRows?: number;
  /** Labels (default LABELS, English). */
  labels?: ReviewLabels;
}

export interface ReviewReport {
  /** The one date in an export that is not stored in a finding; the caller passes it (ISO 8601). */
  generated: string;
  tool: { name: string; version: string };
  checkpoint: CheckpointSummary;
  /** The audit (paths already made portable by buildReviewReport), or null when there is none. */
  audit: AuditResult | null;
  findings: Finding[];
  stats?: TensorStats[] | null;
  library: LibraryEntrySummary[];
  /**
   * Architecture matches per component (layout and shapes, catalogue); absent when none. Architecture evidence only,
   * shown apart from the weight evidence.
   */
  architecture?: ArchitectureMatchRow[];
  options?: ReviewReportOptions;
}

export interface BuildReportInput {
  checkpoint: Checkpoint;
  audit?: AuditResult | null;
  findings: Finding[];
  stats?: TensorStats[] | null;
  /** Library entries or fingerprints; only those the audit used are kept. */
  library?: (LibraryEntry | Fingerprint | IndexedReference)[];
  generated: string;
  /** SHA-256 of every file (a full read of the checkpoint). Default false. */
  hashFiles?: boolean;
  toolVersion?: string;
  /** Architecture matches (architectureRows(matchArchitecture(checkpoint))); empty or absent leaves the section out. */
  architecture?: ArchitectureMatchRow[];
  options?: ReviewReportOptions;
  signal?: AbortSignal;
  /** Called while hashing, with bytes done and total. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** SHA-256 of a file with streaming reads. */
export async function sha256File(path: string, options: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<string> {
  const hash = createHash('sha256');
  // Opened like every input: a FIFO swapped in for a checkpoint file is refused, not waited on.
  const { handle } = await openRegularFile(path);
  const stream = handle.createReadStream({ highWaterMark: 4 << 20, signal: options.signal });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    options.onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}

/** An absolute path becomes relative to `base` (with forward slashes); URLs and relative paths are kept. */
export function portablePath(path: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || !isAbsolute(path)) return path;
  return relative(base, path).split(sep).join('/') || '.';
}

export async function buildReviewReport(input: BuildReportInput): Promise<ReviewReport> {
  const cp = input.checkpoint;
  const total = cp.fileBytes;
  let done = 0;
  const files: ReportFile[] = [];
  for (const f of cp.files) {
    const sha256 = input.hashFiles
      ? await sha256File(f.path, { signal: input.signal, onBytes: (n) => { done += n; input.onProgress?.(done, total); } })
      : null;
    files.push({ name: f.name, size: f.size, sha256 });
  }
  const name = checkpointDisplayName(cp);
  const audit = input.audit
    ? {
      ...input.audit,
      checkpoint: { ...input.audit.checkpoint, path: name },
      references: input.audit.references.map((r) => ({ ...r, source: portablePath(r.source, cp.folder) })),
    }
    : null;
  const used = audit ? new Set(audit.references.map((r) => r.id)) : null;
  const library = (input.library ?? [])
    .map((e): LibraryEntrySummary => {
      if ('tensorCount' in e) {
        return { id: e.id, source: portablePath(e.source, cp.folder), headerHash: e.headerHash, createdAt: e.createdAt, toolVersion: e.toolVersion, tensors: e.tensorCount, parameters: e.parameters };
      }
      const fp = 'fingerprint' in e ? e.fingerprint : e;
      return {
        id: fp.model.id, source: portablePath(fp.model.source, cp.folder), headerHash: fp.model.headerHash, createdAt: fp.model.createdAt,
        toolVersion: fp.model.tool.version, tensors: fp.tensors.length, parameters: fp.model.parameters,
      };
    })
    .filter((e) => !used || used.has(e.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    generated: input.generated,
    tool: { name: 'weightprint', version: input.toolVersion ?? TOOL_VERSION },
    checkpoint: { name, format: cp.format, kind: cp.kind, headerHash: cp.headerHash, tensors: cp.tensors.length, parameters: cp.parameters, bytes: cp.bytes, files },
    audit,
    findings: sortFindingsForNotes(input.findings),
    stats: input.stats ?? null,
    library,
    ...(input.architecture?.length ? { architecture: input.architecture } : {}),
    options: input.options,
  };
}
