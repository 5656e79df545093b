// npm run bench: throughput and peak RSS of `weightprint stats --json --no-cache` on generated checkpoints
// (≥ 2 GB F32, ≥ 2 GB BF16, 1 GB F8_E4M3 with 128×128 block scales), warm page cache, against a Python
// baseline in the same run (NumPy for F32, PyTorch for BF16; Debian packages, installed when absent and root).
// Data is generated once under bench/.data/ (git-ignored). Options: --runs N (default 3), --only f32|bf16|f8,
// --no-baseline, --profile (writes a V8 CPU profile of one run per dtype to bench/.data/prof/), --micro (only the
// kernel micro-benchmark: CPU seconds per GB of the JavaScript and WebAssembly SIMD kernels on in-memory buffers, the
// figure to judge kernels by on a busy machine), --builds DIR,DIR (A/B: copies of dist/ whose cli.js runs instead of
// dist/cli.js, one row each). Runs are interleaved (each build, then the baseline, per round) so that a change in
// the machine's load hits every row alike. WEIGHTPRINT_STATS_KERNELS=js runs the CLI with the JavaScript kernels.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, writeSync, closeSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'bench', '.data');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) > 0 && args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 3;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const withBaseline = !args.includes('--no-baseline');
const profile = args.includes('--profile');
const micro = args.includes('--micro');
const builds = args.includes('--builds') ? args[args.indexOf('--builds') + 1].split(',').map((b) => resolve(b)) : [join(root, 'dist')];
const PY = '/usr/bin/python3';
const MiB = 1024 * 1024;

// ---- data -------------------------------------------------------------------------------------------------
function randomNormalF32(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  for (let i = 0; i < n; i++) out[i] = (next() + next() + next() + next() - 2) * 0.035;
  return out;
}

function toBf16(f32) {
  const u = new Uint32Array(f32.buffer, f32.byteOffset, f32.length);
  const out = new Uint16Array(f32.length);
  for (let i = 0; i < u.length; i++) out[i] = (u[i] + 0x7fff + ((u[i] >>> 16) & 1)) >>> 16;
  return out;
}

function toE4m3Codes(f32, scale) {
  // Round-to-nearest onto the E4M3 grid by table search (fine for generating data).
  const grid = [];
  for (let c = 0; c < 0x7f; c++) {
    const e = (c >> 3) & 0xf, m = c & 7;
    grid.push([e === 0 ? m * 2 ** -9 : (1 + m / 8) * 2 ** (e - 7), c]);
  }
  const out = new Uint8Array(f32.length);
  for (let i = 0; i < f32.length; i++) {
    const v = f32[i] / scale;
    const a = Math.min(448, Math.abs(v));
    let lo = 0, hi = grid.length - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (grid[mid][0] <= a) lo = mid; else hi = mid; }
    const c = a - grid[lo][0] <= grid[hi][0] - a ? grid[lo][1] : grid[hi][1];
    out[i] = c | (v < 0 ? 0x80 : 0);
  }
  return out;
}

/** Writes a safetensors file whose tensors are filled by repeating `block` (bytes). */
function writeCheckpoint(path, tensors) {
  const header = {};
  let off = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.bytes] };
    off += t.bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const fd = openSync(path + '.tmp', 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, prefix);
  writeSync(fd, json);
  for (const t of tensors) {
    let left = t.bytes;
    let rot = 0;
    while (left > 0) {
      const src = t.block;
      const startAt = (rot++ * 4099 * 4) % src.length; // vary the phase so tensors differ
      const a = src.subarray(startAt, Math.min(src.length, startAt + left));
      writeSync(fd, a);
      left -= a.length;
      if (left > 0) {
        const b = src.subarray(0, Math.min(startAt, left));
        writeSync(fd, b);
        left -= b.length;
      }
    }
  }
  closeSync(fd);
  spawnSync('mv', [path + '.tmp', path]);
}

function ensureData() {
  mkdirSync(dataDir, { recursive: true });
  const files = {};
  const base = randomNormalF32(4 * MiB, 12345); // 16 MiB of float32
  const f32Block = new Uint8Array(base.buffer);
  const bf16Block = new Uint8Array(toBf16(base).buffer);

  files.f32 = join(dataDir, 'f32-2g.safetensors');
  if (!existsSync(files.f32)) {
    process.stderr.write('generating F32 checkpoint ...\n');
    const t = [{ name: 'model.embed_tokens.weight', dtype: 'F32', shape: [32768, 4096], bytes: 32768 * 4096 * 4, block: f32Block }];
    for (let l = 0; l < 24; l++) {
      for (const p of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
        t.push({ name: `model.layers.${l}.self_attn.${p}.weight`, dtype: 'F32', shape: [2048, 2048], bytes: 2048 * 2048 * 4, block: f32Block });
      }
      t.push({ name: `model.layers.${l}.input_layernorm.weight`, dtype: 'F32', shape: [2048], bytes: 2048 * 4, block: f32Block });
    }
    writeCheckpoint(files.f32, t);
  }
  files.bf16 = join(dataDir, 'bf16-2g.safetensors');
  if (!existsSync(files.bf16)) {
    process.stderr.write('generating BF16 checkpoint ...\n');
    const t = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [65536, 4096], bytes: 65536 * 4096 * 2, block: bf16Block }];
    for (let l = 0; l < 48; l++) {
      for (const p of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
        t.push({ name: `model.layers.${l}.self_attn.${p}.weight`, dtype: 'BF16', shape: [2048, 2048], bytes: 2048 * 2048 * 2, block: bf16Block });
      }
      t.push({ name: `model.layers.${l}.input_layernorm.weight`, dtype: 'BF16', shape: [2048], bytes: 2048 * 2, block: bf16Block });
    }
    writeCheckpoint(files.bf16, t);
  }
  files.f8 = join(dataDir, 'f8-1g.safetensors');
  if (!existsSync(files.f8)) {
    process.stderr.write('generating F8_E4M3 checkpoint ...\n');
    const f8Block = toE4m3Codes(base.subarray(0, 4 * MiB), 0.035 / 64);
    const t = [];
    for (let l = 0; l < 16; l++) {
      for (const p of ['gate_proj', 'up_proj', 'down_proj', 'o_proj']) {
        const name = `model.layers.${l}.mlp.${p}.weight`;
        t.push({ name, dtype: 'F8_E4M3', shape: [4096, 4096], bytes: 4096 * 4096, block: f8Block });
        const sc = new Float32Array(32 * 32);
        for (let i = 0; i < sc.length; i++) sc[i] = (0.035 / 64) * (0.5 + ((i * 7919 + l * 31) % 997) / 997);
        t.push({ name: `${name}_scale_inv`, dtype: 'F32', shape: [32, 32], bytes: 32 * 32 * 4, block: new Uint8Array(sc.buffer) });
      }
    }
    writeCheckpoint(files.f8, t);
  }
  return files;
}

// ---- measurement ---------------------------------------------------------------------------------------------
function warm(path) {
  spawnSync('sh', ['-c', `cat '${path}' > /dev/null`]);
}

/** Runs a command; wall time from here, peak RSS from /usr/bin/time -v when present, else VmHWM polling. */
function measure(cmd, argv, env = {}) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { env: { ...process.env, ...env }, maxBuffer: 1 << 30, encoding: 'utf8' })
    : spawnSync(cmd, argv, { env: { ...process.env, ...env }, maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  let rssMb = NaN;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (m) rssMb = Number(m[1]) / 1024;
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const cpu = user && sys ? Number(user[1]) + Number(sys[1]) : NaN;
  return { seconds, rssMb, cpu, stdout: r.stdout };
}

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function ensureBaseline() {
  const have = (mod) => spawnSync(PY, ['-c', `import ${mod}`]).status === 0;
  const missing = [];
  if (!have('numpy')) missing.push('python3-numpy');
  if (!have('torch')) missing.push('python3-torch');
  if (missing.length && process.getuid?.() === 0) {
    process.stderr.write(`installing ${missing.join(' ')} with apt-get ...\n`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return { numpy: have('numpy'), torch: have('torch') };
}

function dataBytes(path) {
  const fd = openSync(path, 'r');
  const prefix = Buffer.alloc(8);
  readSync(fd, prefix, 0, 8, 0);
  closeSync(fd);
  return statSync(path).size - 8 - Number(prefix.readBigUInt64LE(0));
}


// ---- kernel micro-benchmark ------------------------------------------------------------------------------------
// Bundled from src/ with esbuild on the fly (the kernels are TypeScript) and run in a fresh process: 64 MiB of
// float32 (the generator of the F32 checkpoint) and its BF16 rounding, processed in 8 MiB chunks like the engine;
// process.cpuUsage() around each repetition, best and median of `reps`.
const MICRO_SOURCE = `
import { accumulateF32Js, accumulateF32Wasm, accumulateScaledCodesJs, accumulateScaledCodesWasm, countCodes16Js, countCodes16Wasm, FloatAccumulator } from './src/core/stats/kernels';
import { f8Table } from './src/core/format/dtype';
import { DATA, wasmKernels, wasmReadBuffers } from './src/core/stats/wasm';
const MiB = 1 << 20, TOTAL = 64 * MiB, CHUNK = 8 * MiB, n = TOTAL / 4, reps = Number(process.argv[2]);
const f = new Float32Array(n);
let s = 12345;
const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
for (let i = 0; i < n; i++) f[i] = (next() + next() + next() + next() - 2) * 0.035;
const u = new Uint32Array(f.buffer);
const bf = new Uint16Array(n);
for (let i = 0; i < n; i++) bf[i] = (u[i] + 0x7fff + ((u[i] >>> 16) & 1)) >>> 16;
const bb = bf.buffer;
// F8_E4M3 codes of f / (0.035 / 64) (nearest of the 127 magnitudes), 4096 columns, 128 × 128 block scales.
const e4 = f8Table('F8_E4M3');
const mags = Array.from({ length: 127 }, (_, c) => e4[c]);
const f8 = new Uint8Array(n / 2);
for (let i = 0; i < f8.length; i++) {
  const v = f[i] / (0.035 / 64), a = Math.min(448, Math.abs(v));
  let lo = 0, hi = 126;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (mags[mid] <= a) lo = mid; else hi = mid; }
  f8[i] = (a - mags[lo] <= mags[hi] - a ? lo : hi) | (v < 0 ? 0x80 : 0);
}
const grid = { cols: 4096, blockRows: 128, blockCols: 128, scaleCols: 32 };
const scales = new Float64Array((f8.length / 4096 / 128) * 32).map((_, i) => Math.fround((0.035 / 64) * (0.5 + (i % 97) / 97)));
const k = wasmKernels();
if (!k) throw new Error('WebAssembly SIMD kernels unavailable');
function time(bytes, fn) {
  fn();
  const t = [];
  for (let r = 0; r < reps; r++) { const c0 = process.cpuUsage(); fn(); const c = process.cpuUsage(c0); t.push((c.user + c.system) / 1e6 / (bytes / 1e9)); }
  t.sort((a, b) => a - b);
  return { best: t[0], median: t[Math.floor(t.length / 2)] };
}
const cv = CHUNK / 4;
// The same data inside the module's memory, where the stats workers read their chunks: the kernels work in place.
const rb = wasmReadBuffers(2, TOTAL);
if (!rb) throw new Error('cannot place read buffers in WebAssembly memory');
rb[0].set(new Uint8Array(f.buffer));
rb[1].set(new Uint8Array(bb));
const fi = new Float32Array(rb[0].buffer, rb[0].byteOffset, n), ui = new Uint32Array(rb[0].buffer, rb[0].byteOffset, n);
const out = {
  F32: {
    js: time(TOTAL, () => { for (let c = 0; c < n; c += cv) accumulateF32Js(f, u, c, c + cv, new FloatAccumulator()); }),
    wasm: time(TOTAL, () => { for (let c = 0; c < n; c += cv) accumulateF32Wasm(k, f, u, c, c + cv, new FloatAccumulator()); }),
  },
  BF16: {
    js: time(TOTAL / 2, () => { for (let c = 0; c < TOTAL / 2; c += CHUNK) countCodes16Js(bb, c, c + CHUNK, new Uint32Array(65536)); }),
    wasm: time(TOTAL / 2, () => { for (let c = 0; c < TOTAL / 2; c += CHUNK) countCodes16Wasm(k, bb, c, c + CHUNK, new Uint32Array(65536)); }),
  },
  F8_E4M3: {
    js: time(f8.length, () => { for (let c = 0; c < f8.length; c += CHUNK) accumulateScaledCodesJs(f8.subarray(c, c + CHUNK), c, e4, grid, scales, new FloatAccumulator()); }),
    wasm: time(f8.length, () => { for (let c = 0; c < f8.length; c += CHUNK) accumulateScaledCodesWasm(k, f8.subarray(c, c + CHUNK), c, e4, grid, scales, new FloatAccumulator()); }),
  },
  inPlace: {
    F32: time(TOTAL, () => { for (let c = 0; c < n; c += cv) accumulateF32Wasm(k, fi, ui, c, c + cv, new FloatAccumulator()); }),
    BF16: time(TOTAL / 2, () => { for (let c = 0; c < TOTAL / 2; c += CHUNK) countCodes16Wasm(k, rb[1].buffer, rb[1].byteOffset + c, rb[1].byteOffset + c + CHUNK, new Uint32Array(65536)); }),
  },
  copy: time(TOTAL, () => { const b = new Uint8Array(f.buffer); for (let p = 0; p < TOTAL; p += 0x40000) k.u8.set(b.subarray(p, p + 0x40000), DATA); }),
};
console.log(JSON.stringify(out));
`;

async function microBench() {
  const esbuild = await import('esbuild');
  mkdirSync(dataDir, { recursive: true });
  const outfile = join(dataDir, 'micro.js');
  await esbuild.build({
    stdin: { contents: MICRO_SOURCE, resolveDir: root, loader: 'ts', sourcefile: 'micro.ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
  });
  const reps = Math.max(3, runs * 2 + 1);
  const r = spawnSync(process.execPath, [outfile, String(reps)], { encoding: 'utf8', env: { ...process.env, WEIGHTPRINT_STATS_KERNELS: '' } });
  if (r.status !== 0) throw new Error(`micro-benchmark failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout);
  const f = (v) => v.toFixed(3);
  console.log(`kernel micro-benchmark: CPU seconds per GB (best / median of ${reps}), 64 MiB (F8: 32 MiB) in 8 MiB chunks, in memory, one thread`);
  const rows = [['kernel', 'JS CPU-s/GB', 'WASM CPU-s/GB', 'JS GB/CPU-s', 'WASM GB/CPU-s', 'speed-up']];
  for (const [name, label] of [['F32', 'F32 moments+buckets'], ['BF16', 'BF16 code counts'], ['F8_E4M3', 'F8_E4M3 128×128 scales']]) {
    const { js, wasm } = m[name];
    rows.push([label, `${f(js.best)} / ${f(js.median)}`, `${f(wasm.best)} / ${f(wasm.median)}`, (1 / js.best).toFixed(2), (1 / wasm.best).toFixed(2), `${(js.best / wasm.best).toFixed(2)}×`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log(`WASM columns: data copied into the module's memory in 256 KiB blocks (copying alone: ${f(m.copy.best)} CPU-s/GB).`);
  console.log(`In place (data already in the module's memory, as in the stats workers): F32 ${f(m.inPlace.F32.best)} / ${f(m.inPlace.F32.median)}, BF16 ${f(m.inPlace.BF16.best)} / ${f(m.inPlace.BF16.median)} CPU-s/GB (best / median).`);
  console.log(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}

async function main() {
  if (micro) return microBench();
  for (const b of builds) if (!existsSync(join(b, 'cli.js'))) throw new Error(`${join(b, 'cli.js')} missing: run node scripts/build.mjs first`);
  const files = ensureData();
  const baseline = withBaseline ? ensureBaseline() : { numpy: false, torch: false };
  const cases = [
    { dtype: 'F32', path: files.f32, engine: baseline.numpy ? 'numpy' : undefined },
    { dtype: 'BF16', path: files.bf16, engine: baseline.torch ? 'torch' : undefined },
    { dtype: 'F8_E4M3', path: files.f8, engine: undefined },
  ].filter((c) => !only || c.dtype.toLowerCase().startsWith(only.toLowerCase()));
  const rows = [];
  for (const c of cases) {
    const bytes = dataBytes(c.path);
    warm(c.path);
    const ours = builds.map(() => []);
    const base = [];
    for (let i = 0; i < runs; i++) {
      builds.forEach((b, k) => {
        warm(c.path);
        ours[k].push(measure(process.execPath, [join(b, 'cli.js'), 'stats', c.path, '--json', '--no-cache']));
      });
      if (c.engine) {
        warm(c.path);
        base.push(measure(PY, [join(root, 'bench', 'baseline.py'), c.path, c.engine]));
      }
    }
    if (profile) {
      const dir = join(dataDir, 'prof');
      mkdirSync(dir, { recursive: true });
      spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(builds[0], 'cli.js'), 'stats', c.path, '--json', '--no-cache'], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const baseS = base.length ? median(base.map((r) => r.seconds)) : NaN;
    builds.forEach((b, k) => {
      const oursS = median(ours[k].map((r) => r.seconds));
      rows.push({
        dtype: builds.length > 1 ? `${c.dtype} ${b.split('/').filter(Boolean).pop()}` : c.dtype, gb: bytes / 1e9,
        oursS, oursGBs: bytes / 1e9 / oursS, oursRss: Math.max(...ours[k].map((r) => r.rssMb)), oursCpu: median(ours[k].map((r) => r.cpu)),
        oursAll: ours[k].map((r) => (bytes / 1e9 / r.seconds).toFixed(2)).join(' '),
        baseline: c.engine ?? '-', baseS, baseGBs: bytes / 1e9 / baseS, baseRss: base.length ? Math.max(...base.map((r) => r.rssMb)) : NaN,
        baseCpu: base.length ? median(base.map((r) => r.cpu)) : NaN,
        baseAll: base.map((r) => (bytes / 1e9 / r.seconds).toFixed(2)).join(' '),
      });
    });
  }
  const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const table = [['dtype', 'GB', 'ours s', 'ours GB/s', 'ours CPU s', 'ours peak RSS MB', 'baseline', 'base s', 'base GB/s', 'base CPU s', 'base peak RSS MB', 'ours/base']];
  for (const r of rows) {
    table.push([r.dtype, fmt(r.gb), fmt(r.oursS), fmt(r.oursGBs), fmt(r.oursCpu), fmt(r.oursRss, 0), r.baseline, fmt(r.baseS), fmt(r.baseGBs), fmt(r.baseCpu), fmt(r.baseRss, 0), fmt(r.oursGBs / r.baseGBs, 1) + (Number.isFinite(r.baseGBs) ? '×' : '')]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  console.log(`weightprint stats benchmark: ${runs} run(s) each, median wall time, warm page cache, node ${process.version}, ${os.availableParallelism()} cores`);
  for (const row of table) console.log(row.map((c, i) => (i < 1 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log('GB/s of every run, in order (ours | baseline):');
  for (const r of rows) console.log(`  ${r.dtype}: ${r.oursAll}${r.baseAll ? ` | ${r.baseline} ${r.baseAll}` : ''}`);
  console.log(`load average (1/5/15 min) at the end: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} — other processes on the machine slow both sides`);
  console.log('peak RSS: /usr/bin/time -v maximum resident set size (for the memory-mapped baseline it includes the file pages it touched).');
  console.log(`kernels: ${process.env.WEIGHTPRINT_STATS_KERNELS === 'js' ? 'JavaScript (WEIGHTPRINT_STATS_KERNELS=js)' : 'WebAssembly (SIMD) for F32, 16-bit codes and scaled FP8'}; \`npm run bench -- --micro\` compares them in CPU seconds per GB`);
}

main().catch((e) => { console.error(e); process.exit(1); });
