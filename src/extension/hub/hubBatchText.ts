// What "Add Hugging Face Model to Library…" says when given several models: the check of the input box, the progress
// line and the closing message. vscode-free, so the unit tier tests the words (test/unit/hub-batch-text.test.ts).
import { t } from '../../core/l10n';
import { formatBytes, MAX_MODEL_LIST_ENTRIES, parseModelEntry, RemoteError, splitModelEntries, uniqueRefs, type HubRef, type LibraryAddReport, type LibraryAddTarget, type RemoteProgress } from '../../core/remote';

/** At most this many failures are named in the closing message; the rest are counted (all are in the log). */
const NAMED_FAILURES = 5;

const shown = (s: string): string => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);

/**
 * The models of the input box (repo ids or hf:// URIs, separated by spaces, commas or new lines), each once; or the
 * reason the text is refused, naming the first bad entry.
 */
export function parseModelInput(text: string): { refs: HubRef[] } | { error: string } {
  const entries = splitModelEntries(text);
  if (entries.length === 0) return { error: t('Enter one or more models: owner/name or hf://owner/name[@revision][/subfolder], e.g. Qwen/Qwen2.5-0.5B') };
  if (entries.length > MAX_MODEL_LIST_ENTRIES) return { error: t('At most {0} models at once ({1} given)', MAX_MODEL_LIST_ENTRIES, entries.length) };
  const refs: HubRef[] = [];
  for (const entry of entries) {
    try {
      refs.push(parseModelEntry(entry));
    } catch (e) {
      return { error: t('{0} is not a Hub model: {1}', shown(entry), e instanceof RemoteError ? e.message : String(e)) };
    }
  }
  return { refs: uniqueRefs(refs) };
}

/** validateInput of the input box: undefined when every entry is a model. */
export function validateModelInput(text: string): string | undefined {
  const r = parseModelInput(text);
  return 'error' in r ? r.error : undefined;
}

/** "1 of 3 done · Qwen/Qwen2.5-0.5B: 1.2 MB fetched · org/m: reading headers"; the fraction counts tensors in flight. */
export function batchProgress(done: number, total: number, running: ReadonlyMap<LibraryAddTarget, RemoteProgress | undefined>): { message: string; fraction: number } {
  const parts = [...running].map(([target, p]) => (!p || p.phase === 'index'
    ? t('{0}: reading headers', target.id)
    : t('{0}: {1} fetched', target.id, formatBytes(p.bytesFetched))));
  let partial = 0;
  for (const p of running.values()) if (p?.tensorsTotal) partial += p.tensorsDone / p.tensorsTotal;
  return { message: [t('{0} of {1} done', done, total), ...parts].join(' · '), fraction: total ? Math.min(1, (done + partial) / total) : 1 };
}

/**
 * The one closing message: how many were added, already in the library, failed (the failed ones named with their
 * reasons) and, after a cancel, not done. `severity` picks the kind of notification.
 */
export function batchSummary(report: LibraryAddReport): { message: string; severity: 'info' | 'warning' | 'error' } {
  const counts = report.cancelled
    ? t('Weightprint: cancelled. {0} added, {1} already in the library, {2} failed, {3} not done.', report.added, report.skipped, report.failed, report.notDone)
    : t('Weightprint: {0} added to the reference library, {1} already in it, {2} failed.', report.added, report.skipped, report.failed);
  const failed = report.outcomes.filter((o) => o.kind === 'failed');
  const named = failed.slice(0, NAMED_FAILURES).map((o) => t('{0}: {1}', o.target.uri, o.kind === 'failed' ? o.reason : ''));
  if (failed.length > NAMED_FAILURES) named.push(t('{0} more (see the Weightprint log)', failed.length - NAMED_FAILURES));
  const message = named.length ? `${counts} ${t('Failed: {0}', named.join('; '))}` : counts;
  const severity = failed.length === 0 ? 'info' : report.added + report.skipped > 0 ? 'warning' : 'error';
  return { message, severity };
}
