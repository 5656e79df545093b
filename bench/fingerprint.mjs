// Benchmark: fingerprint + audit of a generated ~20 GB sparse-file checkpoint with ~2,000 tensors.
// The data are holes (read as zeros, hence uninformative): this measures the sampled-read cost, which must grow
// with the tensor count, not the bytes. Usage: node bench/fingerprint.mjs [--tensors 2000] [--gb 20] [--dir DIR]
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const tensors = Number(arg('tensors', 2000));
const gb = Number(arg('gb', 20));
const dir = arg('dir', join(tmpdir(), 'weightprint-bench'));
mkdirSync(dir, { recursive: true });

const entry = `
export { encodeHeader } from './src/core/format/writer';
export { openCheckpoint } from './src/core/format/checkpoint';
export { fingerprintCheckpoint } from './src/core/fingerprint/create';
export { auditCheckpoint } from './src/core/match/audit';
`;
const out = join(dir, 'bench-bundle.cjs');
await esbuild.build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const lib = createRequire(import.meta.url)(out);

// ~2,000 BF16 matrices of [rows, 2048] adding up to ~gb GB.
const cols = 2048;
const rows = Math.max(1, Math.round((gb * 1e9) / (tensors * 7 / 8) / (cols * 2)));
const list = [];
for (let i = 0; i < tensors; i++) {
  const layer = Math.floor(i / 8);
  const kind = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj', 'input_layernorm'][i % 8];
  list.push({ name: `model.layers.${layer}.${kind}.weight`, dtype: 'BF16', shape: kind === 'input_layernorm' ? [cols] : [rows + (i % 3), cols] });
}
const { json, dataBytes } = lib.encodeHeader(list);
const path = join(dir, 'sparse.safetensors');
const { open } = await import('node:fs/promises');
const h = await open(path, 'w');
const prefix = Buffer.alloc(8);
prefix.writeBigUInt64LE(BigInt(json.length));
await h.write(prefix, 0, 8, 0);
await h.write(json, 0, json.length, 8);
await h.truncate(8 + json.length + dataBytes);
await h.close();

const t0 = performance.now();
const cp = await lib.openCheckpoint(path);
const t1 = performance.now();
const fp = await lib.fingerprintCheckpoint(cp, { id: 'bench' });
const t2 = performance.now();
const audit = await lib.auditCheckpoint(cp, [fp]);
const t3 = performance.now();
console.log(JSON.stringify({
  tensors: cp.tensors.length, bytes: cp.bytes, open_s: +((t1 - t0) / 1000).toFixed(2), fingerprint_s: +((t2 - t1) / 1000).toFixed(2),
  audit_s: +((t3 - t2) / 1000).toFixed(2), verdicts: audit.components.map((c) => `${c.name}:${c.verdict}`),
}));
rmSync(path, { force: true });
rmSync(out, { force: true });
