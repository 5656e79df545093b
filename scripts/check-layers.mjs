// The layer rules and the no-cycle rule of docs/architecture.md ("Layers and import rules"), checked over every
// import of src/ and webview/, type-only ones included: src/core imports only src/core; src/shared imports
// src/shared and src/core; src/extension and src/cli import themselves, src/shared and src/core; webview/ imports
// itself, src/shared and src/core (ESLint narrows that to a few browser-safe core modules). No import cycles.
// `--self-test` plants an upward import, a cycle and an ESLint violation and fails unless each is caught.
// Usage: node scripts/check-layers.mjs [--self-test]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');

const ALLOWED = {
  core: ['core'],
  shared: ['shared', 'core'],
  extension: ['extension', 'shared', 'core'],
  cli: ['cli', 'shared', 'core'],
  webview: ['webview', 'shared', 'core'],
};

/** The layer of a repository-relative path, or null outside the checked folders. */
function layerOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'webview') return 'webview';
  if (parts[0] === 'src' && parts[1] in ALLOWED) return parts[1];
  return null;
}

/** Relative import specifiers of a TypeScript source: import/export … from, side-effect imports, import(). */
function specifiers(source) {
  const out = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*'([^']+)'/gm)) out.push(m[1]);
  for (const m of source.matchAll(/^\s*import\s*'([^']+)'/gm)) out.push(m[1]);
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]);
  return out.filter((s) => s.startsWith('.'));
}

/** The file an import resolves to among `files` (x.ts, x/index.ts), or null. */
function resolveImport(from, spec, files) {
  const base = relative(root, resolve(root, dirname(from), spec)).split(sep).join('/');
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (files.has(candidate)) return candidate;
  return null;
}

/** Layer violations and cycles among `files` (repository-relative path → source). */
export function check(files) {
  const problems = [];
  const graph = new Map();
  for (const [path, source] of files) {
    const edges = [];
    for (const spec of specifiers(source)) {
      const target = resolveImport(path, spec, files);
      if (!target) continue;
      edges.push(target);
      const from = layerOf(path);
      const to = layerOf(target);
      if (from && to && !ALLOWED[from].includes(to)) problems.push(`${path}: imports ${target} (${from} may not import ${to})`);
    }
    graph.set(path, edges);
  }
  // Tarjan's strongly connected components: every component with more than one file (or a self-import) is a cycle.
  let index = 0;
  const stack = [];
  const info = new Map();
  const strong = (v) => {
    info.set(v, { index, low: index, on: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) { strong(w); info.get(v).low = Math.min(info.get(v).low, info.get(w).low); }
      else if (info.get(w).on) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
    if (info.get(v).low === info.get(v).index) {
      const scc = [];
      let w;
      do { w = stack.pop(); info.get(w).on = false; scc.push(w); } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) problems.push(`import cycle: ${scc.sort().join(' → ')}`);
    }
  };
  for (const v of graph.keys()) if (!info.has(v)) strong(v);
  return problems;
}

function sources() {
  const files = new Map();
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  walk('src');
  walk('webview');
  return files;
}

async function selfTest() {
  const planted = new Map([
    ['src/core/planted.ts', "import type { TensorRow } from '../shared/plantedShared';\nexport const a = 1;\n"],
    ['src/shared/plantedShared.ts', "import { b } from './plantedOther';\nexport type TensorRow = number;\n"],
    ['src/shared/plantedOther.ts', "import type { TensorRow } from './plantedShared';\nexport const b = 2;\n"],
  ]);
  const found = check(planted);
  const upward = found.some((p) => p.startsWith('src/core/planted.ts: imports src/shared/plantedShared.ts'));
  const cycle = found.some((p) => p === 'import cycle: src/shared/plantedOther.ts → src/shared/plantedShared.ts');
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText("import type { TensorRow } from '../shared/protocol';\nexport type Row = TensorRow;\n", { filePath: join(root, 'src/core/planted.ts') });
  const lint = result.messages.some((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' && /bottom layer/.test(m.message));
  console.log(`layers self-test: planted upward import ${upward ? 'caught' : 'MISSED'}, planted cycle ${cycle ? 'caught' : 'MISSED'}, ESLint rule on a planted core → shared import ${lint ? 'caught' : 'MISSED'}`);
  return upward && cycle && lint;
}

if (process.argv.includes('--self-test')) {
  process.exit((await selfTest()) ? 0 : 1);
} else {
  const files = sources();
  const problems = check(files);
  for (const p of problems) console.error(p);
  console.log(`layers: ${files.size} files, ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
