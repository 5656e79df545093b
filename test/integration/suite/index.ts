// Mocha entry for the extension-host integration tests: `run()` is what VS Code calls through
// extensionTestsPath (code-server's smoke-test driver or @vscode/test-electron's runTests).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

/** Mocha's report also goes to WEIGHTPRINT_MOCHA_LOG when set: the code-server driver prints that file. */
function teeReporterOutput(): void {
  const file = process.env.WEIGHTPRINT_MOCHA_LOG;
  if (!file) return;
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    original(...args);
    try {
      fs.appendFileSync(file, util.format(...args) + '\n');
    } catch {
      // the driver is gone; the console still has the report
    }
  };
}

export async function run(): Promise<void> {
  teeReporterOutput();
  // WEIGHTPRINT_IT_GREP: run only the tests whose title matches (while working on one).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', grep: process.env.WEIGHTPRINT_IT_GREP || undefined });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run((n) => resolve(n));
    } catch (e) {
      reject(e);
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
