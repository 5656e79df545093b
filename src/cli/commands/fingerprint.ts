import { openCheckpoint } from '../../core/format/checkpoint';
import { fingerprintCheckpoint } from '../../core/fingerprint/create';
import { writeFingerprint } from '../../core/fingerprint/io';
import { fingerprintRemote, formatBytes, formatSummary, RemoteError, type RemoteProgress } from '../../core/remote';
import { option, parseArgs, UsageError, type ParsedArgs } from '../args';
import { safeText } from '../format';
import type { CliIO } from '../main';

export const FINGERPRINT_USAGE = 'fingerprint <checkpoint | hf://owner/repo[@revision][/subfolder]> --out <file.wpf> [--id <name>] '
  + '[--hash-all|--no-hash|--hash-max <bytes>] [--endpoint <url>] [--proxy <url>] [--parallel <n>] [--quiet]';

function hashMax(args: ParsedArgs): number | undefined {
  if (args.flags.has('hash-all')) return Infinity;
  if (args.flags.has('no-hash')) return 0;
  const v = option(args, 'hash-max');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError('--hash-max takes a number of bytes');
  return n;
}

export async function fingerprintCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['hash-all', 'no-hash', 'quiet'], options: ['out', 'id', 'source', 'hash-max', 'endpoint', 'proxy', 'parallel'] });
  if (args.positionals.length !== 1) throw new UsageError('fingerprint takes exactly one <checkpoint>');
  const out = option(args, 'out');
  if (!out) throw new UsageError('--out <file.wpf> is required');
  const target = args.positionals[0];
  if (/^hf:\/\//i.test(target)) return remote(target, out, args, io);
  for (const o of ['endpoint', 'proxy', 'parallel']) if (option(args, o) !== undefined) throw new UsageError(`--${o} applies to hf:// checkpoints only`);
  const checkpoint = await openCheckpoint(target);
  const t0 = Date.now();
  const fp = await fingerprintCheckpoint(checkpoint, { id: option(args, 'id'), source: option(args, 'source'), hashMaxBytes: hashMax(args) });
  await writeFingerprint(out, fp);
  const hashed = fp.tensors.filter((t) => t.sha256).length;
  io.out(`${safeText(out)}: fingerprint of ${safeText(fp.model.id)}, ${fp.tensors.length} tensors (${hashed} hashed), ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
  return 0;
}

/** hf:// checkpoints: Range reads from the Hub (or HF_ENDPOINT); the token comes from HF_TOKEN only, never a flag. */
async function remote(target: string, out: string, args: ParsedArgs, io: CliIO): Promise<number> {
  const parallelText = option(args, 'parallel');
  const parallel = parallelText === undefined ? undefined : Number(parallelText);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1 && parallel <= 64)) throw new UsageError('--parallel takes an integer from 1 to 64');
  if (option(args, 'source') !== undefined) throw new UsageError('--source is set from the hf:// URI for remote checkpoints');
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const quiet = args.flags.has('quiet') || !io.isTTY;
  const progress = (p: RemoteProgress): void => {
    const tensors = p.tensorsTotal ? `, tensors ${p.tensorsDone}/${p.tensorsTotal}` : '';
    io.err(`\r${p.phase}: ${formatBytes(p.bytesFetched)}${p.bytesPlanned ? ` of ~${formatBytes(p.bytesPlanned)}` : ''}, ${p.requests} requests${tensors}   `);
    if (p.phase === 'done') io.err('\n');
  };
  try {
    const { fingerprint, summary } = await fingerprintRemote(target, {
      id: option(args, 'id'), hashMaxBytes: hashMax(args), endpoint: option(args, 'endpoint'), proxy: option(args, 'proxy'),
      parallel, signal: controller.signal, onProgress: quiet ? undefined : progress,
    });
    await writeFingerprint(out, fingerprint);
    const hashed = fingerprint.tensors.filter((t) => t.sha256).length;
    io.out(`${safeText(out)}: fingerprint of ${safeText(fingerprint.model.id)} from ${safeText(summary.source)}, ${fingerprint.tensors.length} tensors (${hashed} hashed)\n`);
    io.out(`${formatSummary(summary)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RemoteError) {
      io.err(`weightprint fingerprint: ${safeText(e.message)}\n`);
      return e.code === 'bad-uri' ? 1 : 2;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
