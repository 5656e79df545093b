// Minimal argument parsing for the CLI contract (docs/architecture.md, Command line): positionals, --flag and --key value (repeatable).
import { t } from '../core/l10n';

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string[]>;
}

export function parseArgs(argv: string[], spec: { flags: string[]; options: string[] }): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (spec.flags.includes(key) && eq < 0) {
        out.flags.add(key);
      } else if (spec.options.includes(key)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(t('--{0} needs a value', key));
        out.options.set(key, [...(out.options.get(key) ?? []), value]);
      } else {
        throw new UsageError(t('unknown option {0}', a));
      }
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

export function option(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key);
  return v ? v[v.length - 1] : undefined;
}
