// The `weightprint` executable: runs the CLI on process arguments. Kept apart from main.ts so that importing the
// CLI (tests, other tools) runs nothing.
import { installCliLanguage } from './language';
import { CliIO, runCli } from './main';

installCliLanguage();

const io: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};
runCli(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
