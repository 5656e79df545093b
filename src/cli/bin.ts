// The `weightprint` executable: runs the CLI on process arguments. Kept apart from main.ts so that importing the
// CLI (tests, other tools) runs nothing.
import { installCliLanguage } from './language';
import { once } from 'node:events';
import { CliIO, runCli } from './main';

installCliLanguage();

let full = false;
const io: CliIO = {
  out: (t) => { if (!process.stdout.write(t)) full = true; },
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
  drain: async () => {
    if (full) await once(process.stdout, 'drain');
    full = false;
  },
};
runCli(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
