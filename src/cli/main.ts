// `weightprint` command line over src/core (docs/architecture.md, Command line). Exit 0 success, 1 usage error, 2 unreadable/invalid checkpoint.
import { CheckpointError } from '../core/format/errors';
import { FingerprintError } from '../core/fingerprint/io';
import { RemoteError } from '../core/remote/errors';
import { ReviewStoreError } from '../core/review/store';
import { CatalogueError } from '../core/catalogue/catalogue';
import { OutputError } from '../core/outputPath';
import { UnsafeFileError } from '../core/format/safeRead';
import { UsageError } from './args';
import { inspectCommand } from './commands/inspect';
import { statsCommand, STATS_USAGE } from './commands/stats';
import { fingerprintCommand, FINGERPRINT_USAGE } from './commands/fingerprint';
import { auditCommand, compareCommand } from './commands/audit';
import { libraryCommand, LIBRARY_USAGE } from './commands/library';
import { isRemoteAudit, remoteAuditCommand } from './commands/remoteAudit';

import { safeText } from './format';
import { t } from '../core/l10n';
import type { CliIO } from './io';

export type { CliIO } from './io';
import { ownValue } from '../core/lookup';

type Command = (argv: string[], io: CliIO) => Promise<number>;

// l10n-ignore: command syntax, the same in every language
const AUDIT_USAGE = 'audit <checkpoint | hf://owner/repo[@revision][/subfolder]> [--library <dir>]... [--exhaustive] [--json] [--notes <out.md|.html|.json|.csv> [--lang en|ko] [--force]] [--endpoint <url>] [--proxy <url>] [--parallel <n>]';

/** An hf:// suspect is audited over HTTP Range (commands/remoteAudit.ts); anything else is a local checkpoint. */
const auditOrRemote: Command = (argv, io) => (isRemoteAudit(argv) ? remoteAuditCommand(argv, io) : auditCommand(argv, io));

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  inspect: { run: inspectCommand, usage: 'inspect <checkpoint> [--json]' },
  stats: { run: statsCommand, usage: STATS_USAGE },
  fingerprint: { run: fingerprintCommand, usage: FINGERPRINT_USAGE },
  // l10n-ignore: command syntax, the same in every language
  audit: { run: auditOrRemote, usage: AUDIT_USAGE },
  compare: { run: compareCommand, usage: 'compare <a> <b> [--json]' },
  library: { run: libraryCommand, usage: LIBRARY_USAGE },
};

/** The syntax lines stay as typed; only the words around them are translated. */
function usage(): string {
  return [t('usage: {0}', 'weightprint <command> ...'), ...Object.values(COMMANDS).map((c) => `  weightprint ${c.usage}`),
    '', t('<checkpoint> is a .safetensors, .gguf, .bin, .pt or .pth file, a shard index (.safetensors.index.json, .bin.index.json), or a folder holding one.')].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage() + '\n');
    return name ? 0 : 1;
  }
  if (name === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = ownValue(COMMANDS, name);
  if (!command) {
    io.err(`${t('weightprint: unknown command {0}', JSON.stringify(safeText(name)))}\n${usage()}\n`);
    return 1;
  }
  // `--help` / `-h` anywhere among a command's arguments: its usage on stdout, exit 0, nothing run.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${t('usage: {0}', `weightprint ${command.usage}`)}\n${t('<checkpoint> is a .safetensors, .gguf, .bin, .pt or .pth file, a shard index (.safetensors.index.json, .bin.index.json), or a folder holding one.')}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${t('weightprint {0}: {1}', name, safeText(e.message))}\n${t('usage: {0}', `weightprint ${command.usage}`)}\n`);
      return 1;
    }
    // An output that cannot or must not be written (missing folder, full disk, an input, a review store): exit 2.
    if (e instanceof OutputError) {
      io.err(`${t('weightprint: {0}', safeText(e.code === 'review-store' ? t('{0}; --force replaces it', e.message) : e.message))}\n`);
      return 2;
    }
    // Bad input, bad fingerprint files, network and review-store failures: a one-line reason, exit 2.
    if (e instanceof CheckpointError || e instanceof FingerprintError || e instanceof RemoteError
      || e instanceof ReviewStoreError || e instanceof CatalogueError) {
      io.err(`${t('weightprint: {0}', safeText(e.message))}\n`);
      return 2;
    }
    // A file refused by safeRead that no module turned into its own error (its message is the reason alone).
    if (e instanceof UnsafeFileError) {
      io.err(`${t('weightprint: {0}', safeText(t('{0}: {1}', e.file, e.message)))}\n`);
      return 2;
    }
    io.err(`${t('weightprint: internal error: {0}', safeText(String((e as Error)?.stack ?? e)))}\n`);
    return 3;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.1.0';
