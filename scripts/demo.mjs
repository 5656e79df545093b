// The main job on the built-in demo: generate the demo checkpoints, print the CLI summary and statistics, audit
// the demo against a reference library (its vision tower is a fine-tuned copy of a reference), and open the demo
// in VS Code when a `code` binary is on PATH. Run after `npm ci` (the README's first command does both).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'demo', 'out');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

run(process.execPath, ['scripts/build.mjs']);
rmSync(out, { recursive: true, force: true });
run(process.execPath, ['dist-test/generate-fixtures.js', 'demo', join(out, 'omni-demo')]);
run(process.execPath, ['dist-test/generate-fixtures.js', 'hostile', join(out, 'hostile-names.safetensors')]);

const cli = join(root, 'dist', 'cli.js');
for (const target of [join(out, 'omni-demo'), join(out, 'hostile-names.safetensors')]) {
  console.log(`\n$ weightprint inspect ${target}`);
  run(process.execPath, [cli, 'inspect', target]);
}
console.log(`\n$ weightprint stats ${join(out, 'omni-demo')}`);
run(process.execPath, [cli, 'stats', join(out, 'omni-demo')]);

// The audit: a reference library made from the "public" vision tower, then per-component verdicts.
const library = join(out, 'library');
mkdirSync(library, { recursive: true });
console.log(`\n$ weightprint fingerprint ${join(out, 'reference-vit')} --out ${join(library, 'reference-vit.wpf')} --id reference-vit`);
run(process.execPath, [cli, 'fingerprint', join(out, 'reference-vit'), '--out', join(library, 'reference-vit.wpf'), '--id', 'reference-vit']);
const notes = join(out, 'omni-demo-review.md');
console.log(`\n$ weightprint audit ${join(out, 'omni-demo')} --library ${library} --notes ${notes}`);
run(process.execPath, [cli, 'audit', join(out, 'omni-demo'), '--library', library, '--notes', notes]);
console.log(`\nReview notes written to ${notes}`);

const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
if (code.status === 0) {
  console.log('\nOpening the demo in VS Code with the extension loaded (development mode)...');
  run('code', ['--extensionDevelopmentPath', root, join(out, 'omni-demo', 'model.safetensors.index.json'), join(out, 'omni-demo', 'model-00001-of-00002.safetensors')]);
} else {
  console.log(`\nNo \`code\` on PATH: open ${join(out, 'omni-demo', 'model.safetensors.index.json')} in VS Code with the extension installed (see README).`);
}
