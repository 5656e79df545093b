import { checkpointInputs, openCheckpoint } from '../../core/format/checkpoint';
import { checkOutputPath } from '../../core/outputPath';
import { fingerprintCheckpoint } from '../../core/fingerprint/create';
import { writeFingerprint } from '../../core/fingerprint/io';
import { fingerprintRemote, formatBytes, formatSummary, RemoteError, type RemoteProgress } from '../../core/remote';
import { option, parseArgs, UsageError, type ParsedArgs } from '../args';
import { cancellableBySigint } from '../interrupt';
import { safeText } from '../format';
import type { CliIO } from '../io';
import { REMOTE_PHASE_WORD } from '../labels';
import { t } from '../../core/l10n';

export const FINGERPRINT_USAGE = 'fingerprint <checkpoint | hf://owner/repo[@revision][/subfolder]> --out <file.wpf> [--force] [--id <name>] '
  + '[--hash-all|--no-hash|--hash-max <bytes>] [--gram-columns] [--endpoint <url>] [--proxy <url>] [--parallel <n>] [--quiet]';

/** --hash-all, --no-hash or --hash-max <bytes> (also `library add`); undefined for the default. */
export function hashMax(args: ParsedArgs): number | undefined {
  if (args.flags.has('hash-all')) return Infinity;
  if (args.flags.has('no-hash')) return 0;
  const v = option(args, 'hash-max');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(t('--hash-max takes a number of bytes'));
  return n;
}

export async function fingerprintCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['hash-all', 'no-hash', 'quiet', 'force', 'gram-columns'], options: ['out', 'id', 'source', 'hash-max', 'endpoint', 'proxy', 'parallel'] });
  if (args.positionals.length !== 1) throw new UsageError(t('fingerprint takes exactly one <checkpoint>'));
  const out = option(args, 'out');
  if (!out) throw new UsageError(t('--out <file.wpf> is required'));
  const target = args.positionals[0];
  if (/^hf:\/\//i.test(target)) return remote(target, out, args, io);
  for (const o of ['endpoint', 'proxy', 'parallel']) if (option(args, o) !== undefined) throw new UsageError(t('--{0} applies to hf:// checkpoints only', o));
  const checkpoint = await openCheckpoint(target);
  await checkOutputPath(out, { inputs: checkpointInputs(checkpoint), allowReviewStore: args.flags.has('force'), createsFolder: true });
  const t0 = Date.now();
  const fp = await fingerprintCheckpoint(checkpoint, { id: option(args, 'id'), source: option(args, 'source'), hashMaxBytes: hashMax(args), gramColumns: args.flags.has('gram-columns'), onSidecarProblem: sidecarNotRead(io) });
  await writeFingerprint(out, fp);
  const hashed = fp.tensors.filter((t) => t.sha256).length;
  io.out(t('{0}: fingerprint of {1}, {2} tensors ({3} hashed), {4} s', safeText(out), safeText(fp.model.id), fp.tensors.length, hashed, ((Date.now() - t0) / 1000).toFixed(2)) + '\n');
  return 0;
}

/** hf:// checkpoints: Range reads from the Hub (or HF_ENDPOINT); the token comes from HF_TOKEN only, never a flag. */
async function remote(target: string, out: string, args: ParsedArgs, io: CliIO): Promise<number> {
  const parallelText = option(args, 'parallel');
  const parallel = parallelText === undefined ? undefined : Number(parallelText);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1 && parallel <= 64)) throw new UsageError(t('--parallel takes an integer from 1 to 64'));
  if (option(args, 'source') !== undefined) throw new UsageError(t('--source is set from the hf:// URI for remote checkpoints'));
  if (args.flags.has('gram-columns')) throw new UsageError(t('--gram-columns applies to local checkpoints only: over HTTP it would download the o and down projections whole'));
  await checkOutputPath(out, { allowReviewStore: args.flags.has('force'), createsFolder: true });
  const quiet = args.flags.has('quiet') || !io.isTTY;
  const progress = (p: RemoteProgress): void => {
    const phase = REMOTE_PHASE_WORD[p.phase] ?? p.phase;
    const fetched = p.bytesPlanned ? t('{0} of ~{1}', formatBytes(p.bytesFetched), formatBytes(p.bytesPlanned)) : formatBytes(p.bytesFetched);
    const line = p.tensorsTotal ? t('{0}: {1}, {2} requests, tensors {3}/{4}', phase, fetched, p.requests, p.tensorsDone, p.tensorsTotal)
      : t('{0}: {1}, {2} requests', phase, fetched, p.requests);
    io.err(`\r${line}   `);
    if (p.phase === 'done') io.err('\n');
  };
  try {
    const { fingerprint, summary } = await cancellableBySigint((signal) => fingerprintRemote(target, {
      id: option(args, 'id'), hashMaxBytes: hashMax(args), endpoint: option(args, 'endpoint'), proxy: option(args, 'proxy'),
      parallel, signal, onProgress: quiet ? undefined : progress, onSidecarProblem: sidecarNotRead(io),
    }));
    await writeFingerprint(out, fingerprint);
    const hashed = fingerprint.tensors.filter((t) => t.sha256).length;
    io.out(t('{0}: fingerprint of {1} from {2}, {3} tensors ({4} hashed)', safeText(out), safeText(fingerprint.model.id), safeText(summary.source), fingerprint.tensors.length, hashed) + '\n');
    io.out(`${formatSummary(summary)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RemoteError) {
      io.err(t('weightprint fingerprint: {0}', safeText(e.message)) + '\n');
      return e.code === 'bad-uri' ? 1 : 2;
    }
    throw e;
  }
}

/** A tokenizer file that could not be read: one stderr line; the fingerprint is made without it. */
function sidecarNotRead(io: CliIO): (line: string) => void {
  return (line) => io.err(t('weightprint: sidecar not read: {0}', safeText(line)) + '\n');
}
