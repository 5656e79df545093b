// `weightprint library …`: building and listing a reference library. `add` fingerprints Hub models over HTTP Range
// into a folder, a few at a time, resumably (src/core/remote/libraryAdd.ts, docs/remote.md "Building a library from
// the Hub"); `list` prints one line per reference. Every string from a list file, a server or a fingerprint is printed
// through safeText.
import { ReferenceLibrary } from '../../core/fingerprint/library';
import { INDEX_FILE, loadLibraryIndex } from '../../core/library/libraryIndex';
import {
  addModelsToLibrary, fingerprintRemote, formatBytes, formatSummary, MAX_MODELS_IN_FLIGHT, ModelListError, parseModelEntry, readModelList,
  RemoteError, resolveEndpoint, type HubRef, type LibraryAddOutcome, type LibraryAddTarget, type RemoteProgress,
} from '../../core/remote';
import { t } from '../../core/l10n';
import { ownValue } from '../../core/lookup';
import { option, parseArgs, UsageError } from '../args';
import { formatCount, safeText, table } from '../format';
import { cancellableBySigint } from '../interrupt';
import type { CliIO } from '../io';
import { COMPONENT_WORD, REMOTE_PHASE_WORD } from '../labels';
import { hashMax } from './fingerprint';

type SubCommand = (argv: string[], io: CliIO) => Promise<number>;

// l10n-ignore: command syntax, the same in every language
const ADD_USAGE = 'library add <hf://owner/repo[@revision][/subfolder]>... [--from <list file>] --library <dir> [--parallel <n>] '
  + '[--endpoint <url>] [--proxy <url>] [--hash-max <bytes>|--no-hash] [--quiet]';

const SUBCOMMANDS: Record<string, { run: SubCommand; usage: string }> = {
  add: { run: libraryAdd, usage: ADD_USAGE },
  list: { run: libraryList, usage: 'library list <dir>...' }, // l10n-ignore: command syntax
  index: { run: libraryIndex, usage: 'library index <dir>... [--rebuild]' }, // l10n-ignore: command syntax
};

/** One line per sub-command; main.ts prints "weightprint " before the first. */
export const LIBRARY_USAGE = Object.values(SUBCOMMANDS).map((c) => c.usage).join('\n  weightprint ');

export async function libraryCommand(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const sub = name === undefined ? undefined : ownValue(SUBCOMMANDS, name);
  if (!sub) {
    throw new UsageError(name === undefined
      ? t('library takes a sub-command: {0}', Object.keys(SUBCOMMANDS).join(', '))
      : t('unknown library sub-command {0} (known: {1})', JSON.stringify(name), Object.keys(SUBCOMMANDS).join(', ')));
  }
  return sub.run(rest, io);
}

/** A usage error of `library add` in one line (a list file's bad line says file and line; no usage text after it). */
function addError(io: CliIO, message: string): number {
  io.err(t('weightprint library add: {0}', safeText(message)) + '\n');
  return 1;
}

async function libraryAdd(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['no-hash', 'quiet'], options: ['from', 'library', 'parallel', 'endpoint', 'proxy', 'hash-max'] });
  const folder = option(args, 'library');
  if (!folder) throw new UsageError(t('--library <dir> is required'));
  const parallelText = option(args, 'parallel');
  const parallel = parallelText === undefined ? undefined : Number(parallelText);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1 && parallel <= MAX_MODELS_IN_FLIGHT)) {
    throw new UsageError(t('--parallel takes an integer from 1 to {0} (models in flight)', MAX_MODELS_IN_FLIGHT));
  }
  if (args.flags.has('no-hash') && option(args, 'hash-max') !== undefined) throw new UsageError(t('--no-hash and --hash-max exclude each other'));
  const hashMaxBytes = hashMax(args);
  const endpoint = option(args, 'endpoint');
  const proxy = option(args, 'proxy');
  const refs: HubRef[] = [];
  try {
    if (endpoint !== undefined) resolveEndpoint(endpoint);
    for (const p of args.positionals) refs.push(parseModelEntry(p));
    for (const file of args.options.get('from') ?? []) refs.push(...await readModelList(file));
  } catch (e) {
    if (e instanceof RemoteError || e instanceof ModelListError) return addError(io, e.message);
    throw e;
  }
  if (refs.length === 0) throw new UsageError(t('library add takes at least one hf://owner/repo, or --from <list file>'));

  const status = !args.flags.has('quiet') && io.isTTY ? new StatusLine(io) : undefined;
  const report = await cancellableBySigint((signal) => addModelsToLibrary(refs, {
    folder, parallel, signal,
    fingerprint: (ref, o) => fingerprintRemote(ref, { ...o, hashMaxBytes, endpoint, proxy, progressIntervalMs: 200 }),
    onStart: (target) => status?.start(target),
    onProgress: (target, p) => status?.progress(target, p),
    onResult: (outcome) => {
      status?.finish(outcome.target);
      printOutcome(io, outcome);
      status?.draw(true);
    },
  }));
  status?.clear();
  io.out(t('{0} added, {1} skipped, {2} failed; {3} fetched in total', report.added, report.skipped, report.failed, formatBytes(report.bytesFetched)) + '\n');
  if (report.cancelled) {
    io.err(t('weightprint library add: cancelled; {0} models not done (run the same command again to add them)', report.notDone) + '\n');
    return 130;
  }
  return report.failed ? 2 : 0;
}

function printOutcome(io: CliIO, o: LibraryAddOutcome): void {
  switch (o.kind) {
    case 'added':
      io.out(t('added {0} ({1})', safeText(o.target.id), safeText(`${t('{0} tensors', o.fingerprint.tensors.length)}, ${formatSummary(o.summary)}`)) + '\n');
      return;
    case 'skipped':
      io.out(t('skipped {0}: already in the library', safeText(o.target.id)) + '\n');
      return;
    case 'failed':
      io.err(t('failed {0}: {1}', safeText(o.target.uri), safeText(o.reason)) + '\n');
  }
}

/** The one progress line on stderr (a terminal only): models done, and each model in flight with its phase and bytes. */
class StatusLine {
  private readonly running = new Map<LibraryAddTarget, RemoteProgress | undefined>();
  private done = 0;
  private shown = false;
  private last = 0;

  constructor(private readonly io: CliIO) {}

  start(target: LibraryAddTarget): void {
    this.running.set(target, undefined);
    this.draw(true);
  }

  progress(target: LibraryAddTarget, p: RemoteProgress): void {
    this.running.set(target, p);
    this.draw(false);
  }

  finish(target: LibraryAddTarget): void {
    this.running.delete(target);
    this.done++;
    this.clear();
  }

  draw(force: boolean): void {
    const now = Date.now();
    if ((!force && now - this.last < 200) || this.running.size === 0) return;
    this.last = now;
    const parts = [...this.running].map(([target, p]) => p
      ? `${target.id} ${REMOTE_PHASE_WORD[p.phase] ?? p.phase} ${formatBytes(p.bytesFetched)}`
      : target.id);
    const line = `${t('{0} done', this.done)} · ${parts.join(' · ')}`;
    this.io.err(`\r\x1b[K${safeText(line.length > 150 ? `${line.slice(0, 149)}…` : line)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.io.err('\r\x1b[K');
    this.shown = false;
  }
}

async function libraryList(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: [], options: [] });
  if (args.positionals.length === 0) throw new UsageError(t('library list takes at least one <dir>'));
  const library = await ReferenceLibrary.load(args.positionals);
  const rows = library.summaries().map((m) => {
    const o = m.origin;
    const source = o ? `${o.repo}@${o.commit ? o.commit.slice(0, 12) : o.revision}${o.path ? `/${o.path}` : ''}` : m.source;
    const components = m.components.map((c) => `${COMPONENT_WORD[c.name] ?? c.name} ${c.tensors}`).join(', ');
    return [m.id, source, String(m.tensors), formatCount(m.parameters), components].map(safeText);
  });
  if (rows.length) io.out(table([[t('id'), t('source'), t('tensors'), t('parameters'), t('components')], ...rows], [2, 3]) + '\n');
  for (const p of library.problems) io.err(t('weightprint: skipped {0}: {1}', safeText(p.path), safeText(p.reason)) + '\n');
  io.out(t('{0} references', rows.length) + '\n');
  return library.problems.length ? 2 : 0;
}

/** Builds or refreshes each folder's index (docs/library-index.md); an audit does the same on its own when needed. */
async function libraryIndex(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['rebuild'], options: [] });
  if (args.positionals.length === 0) throw new UsageError(t('library index takes one or more <dir>'));
  const t0 = Date.now();
  const index = await cancellableBySigint((signal) => loadLibraryIndex(args.positionals, { rebuild: args.flags.has('rebuild'), signal }));
  for (const p of index.problems) io.err(t('weightprint: skipped {0}: {1}', safeText(p.path), safeText(p.reason)) + '\n');
  for (const p of index.notices) io.err(t('weightprint: {0}', safeText(t('{0}: {1}', p.path, p.reason))) + '\n');
  const tensors = index.references.reduce((s, r) => s + r.tensors.length, 0);
  io.out(t('{0} references, {1} tensors indexed ({2} from the index, {3} read from their fingerprints), {4} s', index.references.length, tensors,
    index.reused, index.built, ((Date.now() - t0) / 1000).toFixed(2)) + '\n');
  for (const w of index.written) io.out(t('wrote {0}', safeText(w)) + '\n');
  if (index.written.length === 0 && index.built > 0) io.out(t('{0} not written (the folder is not writable); audits index it in memory', INDEX_FILE) + '\n');
  return index.problems.length ? 2 : 0;
}
