import { openCheckpoint } from '../../core/format/checkpoint';
import { fingerprintCheckpoint } from '../../core/fingerprint/create';
import { writeFingerprint } from '../../core/fingerprint/io';
import { option, parseArgs, UsageError } from '../args';
import { safeText } from '../format';
import type { CliIO } from '../main';

export async function fingerprintCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['hash-all', 'no-hash'], options: ['out', 'id', 'source'] });
  if (args.positionals.length !== 1) throw new UsageError('fingerprint takes exactly one <checkpoint>');
  const out = option(args, 'out');
  if (!out) throw new UsageError('--out <file.wpf> is required');
  const checkpoint = await openCheckpoint(args.positionals[0]);
  const t0 = Date.now();
  const fp = await fingerprintCheckpoint(checkpoint, {
    id: option(args, 'id'), source: option(args, 'source'),
    hashMaxBytes: args.flags.has('hash-all') ? Infinity : args.flags.has('no-hash') ? 0 : undefined,
  });
  await writeFingerprint(out, fp);
  const hashed = fp.tensors.filter((t) => t.sha256).length;
  io.out(`${safeText(out)}: fingerprint of ${safeText(fp.model.id)}, ${fp.tensors.length} tensors (${hashed} hashed), ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
  return 0;
}
