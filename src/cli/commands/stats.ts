// `weightprint stats <checkpoint> [--json]` (docs/architecture.md, Command line): per-tensor statistics on every core, cached per
// checkpoint under $XDG_CACHE_HOME/weightprint (or --cache-dir; --no-cache to bypass), progress on stderr when it
// is a terminal.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '../../core/format/checkpoint';
import { computeStats, outlierFlags, statsJson, StatsProgress, TensorStats } from '../../core/stats';
import { option, parseArgs, UsageError } from '../args';
import { cancellableBySigint } from '../interrupt';
import { isAbortError } from '../../core/abort';
import { formatBytes, safeText, table } from '../format';
import type { CliIO } from '../io';
import { STATS_FLAG_WORD } from '../labels';
import { t } from '../../core/l10n';
import { statsWarning } from '../../shared/statsPhrases';

export const STATS_USAGE = 'stats <checkpoint> [--json] [--no-cache] [--cache-dir <dir>] [--bins <n>] [--workers <n>] [--chunk-mb <n>] [--tensor <name>]...';

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME.startsWith('/') ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'weightprint');
}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(t('--{0} must be an integer in {1}..{2}', name, min, max));
  return n;
}

function num(v: number | null): string {
  if (v === null) return '-';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
}

class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  constructor(private readonly io: CliIO) {}
  update(p: StatsProgress, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const frac = p.bytesTotal ? p.bytesDone / p.bytesTotal : p.tensorsTotal ? p.tensorsDone / p.tensorsTotal : 1;
    const width = 28;
    const filled = Math.round(frac * width);
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? p.bytesDone / secs / 1e9 : 0;
    const done = t('{0} / {1}  {2}/{3} tensors  {4} GB/s', formatBytes(p.bytesDone), formatBytes(p.bytesTotal), p.tensorsDone, p.tensorsTotal, rate.toFixed(2));
    this.io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${done}\u001b[K`);
  }
  clear(): void {
    this.io.err('\r\u001b[K');
  }
}

export async function statsCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'no-cache'], options: ['cache-dir', 'bins', 'workers', 'chunk-mb', 'tensor'] });
  if (args.positionals.length !== 1) throw new UsageError(t('stats takes exactly one <checkpoint>'));
  const bins = intOption(option(args, 'bins'), 'bins', 1, 4096);
  const workers = intOption(option(args, 'workers'), 'workers', 0, 256);
  const chunkMb = intOption(option(args, 'chunk-mb'), 'chunk-mb', 1, 256);
  const checkpoint = await openCheckpoint(args.positionals[0]);
  const tensorNames = args.options.get('tensor');
  const unknown = tensorNames?.find((n) => !checkpoint.tensors.some((tensor) => tensor.name === n));
  if (unknown !== undefined) throw new UsageError(t('no tensor named {0}', safeText(JSON.stringify(unknown))));
  const bar = io.isTTY ? new ProgressBar(io) : undefined;
  let run;
  try {
    run = await cancellableBySigint((signal) => computeStats(checkpoint, {
      bins, workers, maxWorkers: workers !== undefined ? Math.max(workers, 1) : undefined,
      chunkBytes: chunkMb ? chunkMb * 1024 * 1024 : undefined,
      cacheDir: args.flags.has('no-cache') ? undefined : option(args, 'cache-dir') ?? defaultCacheDir(),
      tensors: tensorNames,
      signal,
      onProgress: bar ? (p) => bar.update(p) : undefined,
    }));
  } catch (e) {
    bar?.clear();
    if (isAbortError(e)) {
      io.err(t('weightprint stats: cancelled') + '\n');
      return 130;
    }
    throw e;
  }
  bar?.clear();
  if (args.flags.has('json')) {
    const { checkpoint: head, tensors } = statsJson(checkpoint, run);
    io.out(`{"checkpoint": ${JSON.stringify(head)},\n "tensors": [\n${tensors.map((t) => '  ' + JSON.stringify(t)).join(',\n')}\n]}\n`);
    return 0;
  }
  io.out(humanTable(checkpoint.path, run.tensors, run.elapsedMs, run.tensorsCached) + '\n');
  return 0;
}

function humanTable(path: string, tensors: TensorStats[], elapsedMs: number, cached: number): string {
  // dtype, percentiles and nan/inf are the same in every language.
  const rows = [[t('tensor'), 'dtype', t('shape'), t('mean'), t('std'), t('min'), t('max'), t('absmax'), 'p1', 'p50', 'p99', t('zeros'), 'nan/inf', t('flags')]];
  for (const s of tensors) {
    rows.push([
      safeText(s.name), s.dtype, `[${s.shape.join(',')}]`, num(s.mean), num(s.std), num(s.min), num(s.max), num(s.absmax),
      num(s.p1), num(s.p50), num(s.p99), s.zerosFraction === null ? '-' : `${(s.zerosFraction * 100).toFixed(s.zeros && s.zerosFraction < 0.001 ? 3 : 1)}%`,
      s.nan + s.posinf + s.neginf ? `${s.nan}/${s.posinf + s.neginf}` : '-',
      [...outlierFlags(s), ...(s.dequantised ? ['dequantised' as const] : [])].map((f) => STATS_FLAG_WORD[f] ?? f).join(','),
    ]);
  }
  const seconds = (elapsedMs / 1000).toFixed(2);
  const head = cached ? t('{0}: {1} tensors in {2} s ({3} from cache)', safeText(path), tensors.length, seconds, cached)
    : t('{0}: {1} tensors in {2} s', safeText(path), tensors.length, seconds);
  const warnings = tensors.filter((s) => s.warning).map((s) => '\n' + t('warning: {0}', t('{0}: {1}', safeText(s.name), safeText(statsWarning(s.warning!)))));
  return head + '\n' + table(rows, [3, 4, 5, 6, 7, 8, 9, 10, 11]) + warnings.join('');
}
