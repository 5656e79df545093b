// `weightprint audit hf://owner/repo[@rev][/sub] --library <dir> …`: the audit of a Hub checkpoint over HTTP Range
// (docs/remote.md, "Auditing a Hub model"). Same output as the local audit, plus what was fetched: `remote` in --json
// and one line in the text. The token comes from HF_TOKEN only, never a flag.
import { loadLibraryIndex } from '../../core/library/libraryIndex';
import { auditRemote, formatBytes, formatSummary, RemoteError, type RemoteAuditProgress, type RemoteAuditSummary } from '../../core/remote';
import { remoteNotesReport } from '../../core/remote/notes';
import { exportReview } from '../../core/review/export/index';
import { checkOutputPath, writeOutputFile } from '../../core/outputPath';
import { labelsFor } from '../../core/review/language';
import { isAbortError } from '../../core/abort';
import { t } from '../../core/l10n';
import { option, parseArgs, UsageError } from '../args';
import { cancellableBySigint } from '../interrupt';
import { safeText } from '../format';
import type { CliIO } from '../io';
import { auditArgs, auditJson, auditText } from './audit';

const VALUE_OPTIONS = ['library', 'notes', 'lang', 'endpoint', 'proxy', 'parallel'];

/** Whether `audit`'s checkpoint (its one positional argument) is an hf:// URI. */
export function isRemoteAudit(argv: string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      if (VALUE_OPTIONS.includes(argv[i].slice(2))) i++;
      continue;
    }
    return /^hf:\/\//i.test(argv[i]);
  }
  return false;
}

/** The `remote` object of `audit --json` for an hf:// suspect (the cache figures stay out: they are not a contract). */
export function remoteJson(s: RemoteAuditSummary): Record<string, unknown> {
  return {
    source: s.source, endpoint: s.endpoint, repo: s.repo, revision: s.revision, commit: s.commit, files: s.files,
    modelBytes: s.modelBytes, bytesFetched: s.bytesFetched, requests: s.requests, retries: s.retries, seconds: s.seconds,
  };
}

export async function remoteAuditCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'force', 'exhaustive'], options: VALUE_OPTIONS });
  const { lang, notes, notesFormat } = auditArgs(args);
  const parallelText = option(args, 'parallel');
  const parallel = parallelText === undefined ? undefined : Number(parallelText);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1 && parallel <= 64)) throw new UsageError(t('--parallel takes an integer from 1 to 64'));
  const library = await loadLibraryIndex(args.options.get('library') ?? []);
  for (const p of library.problems) io.err(t('weightprint: skipped {0}: {1}', safeText(p.path), safeText(p.reason)) + '\n');
  for (const p of library.notices) io.err(t('weightprint: {0}', safeText(t('{0}: {1}', p.path, p.reason))) + '\n');
  // The notes' path is checked before anything is fetched, so a typo fails at once.
  if (notes) await checkOutputPath(notes, { inputs: [...library.references.flatMap((e) => (e.path ? [e.path] : [])), ...library.problems.map((p) => p.path)], allowReviewStore: args.flags.has('force') });
  const progress = (p: RemoteAuditProgress): void => {
    const fetched = p.modelBytes ? t('{0} of {1}', formatBytes(p.bytesFetched), formatBytes(p.modelBytes)) : formatBytes(p.bytesFetched);
    io.err(`\r${t('{0}, {1} requests', fetched, p.requests)}${p.message ? ` · ${safeText(p.message)}` : ''}   `);
  };
  let run;
  try {
    run = await cancellableBySigint((signal) => auditRemote(args.positionals[0], library, {
      endpoint: option(args, 'endpoint'), proxy: option(args, 'proxy'), parallel, signal, cascade: args.flags.has('exhaustive') ? 'never' : 'auto', onProgress: io.isTTY ? progress : undefined,
    }));
  } catch (e) {
    if (io.isTTY) io.err('\n');
    if (isAbortError(e)) {
      io.err(t('weightprint audit: cancelled') + '\n');
      return 130;
    }
    if (e instanceof RemoteError) {
      io.err(t('weightprint audit: {0}', safeText(e.message)) + '\n');
      return e.code === 'bad-uri' ? 1 : 2;
    }
    throw e;
  }
  if (io.isTTY) io.err('\n');
  const { result, summary, checkpoint } = run;
  if (notes && notesFormat) {
    const report = await remoteNotesReport({ checkpoint, audit: result, library: library.references, options: { labels: labelsFor(lang) } });
    await writeOutputFile(notes, exportReview(report, notesFormat));
  }
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ ...(auditJson(result) as Record<string, unknown>), remote: remoteJson(summary) }) + '\n');
  } else {
    io.out(auditText(result) + formatSummary(summary) + '\n');
  }
  return 0;
}
