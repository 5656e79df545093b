// Generated tensors and checkpoints for matching tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFloats, writeSafetensors, type TensorToWrite } from '../../../src/core/format/writer';

export { permuteCols, permuteRows } from '../../fixtures/trained';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

export interface T { name: string; shape: number[]; data: Float32Array }

export function randn(shape: number[], seed: number, std = 0.02, mean = 0): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const g = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * g();
  return out;
}

/** A small Llama-like model: embedding, per layer q/k/v/o, gate/up/down, two norms; hidden d, ff 2d. */
export function llamaLike(seed: number, d = 96, layers = 4, vocab = 300): T[] {
  const out: T[] = [{ name: 'model.embed_tokens.weight', shape: [vocab, d], data: randn([vocab, d], seed * 1000 + 1) }];
  for (let l = 0; l < layers; l++) {
    const s = seed * 1000 + 10 * (l + 1);
    const p = `model.layers.${l}`;
    for (const [i, k] of ['q', 'k', 'v', 'o'].entries()) out.push({ name: `${p}.self_attn.${k}_proj.weight`, shape: [d, d], data: randn([d, d], s + i) });
    out.push({ name: `${p}.mlp.gate_proj.weight`, shape: [2 * d, d], data: randn([2 * d, d], s + 4) });
    out.push({ name: `${p}.mlp.up_proj.weight`, shape: [2 * d, d], data: randn([2 * d, d], s + 5) });
    out.push({ name: `${p}.mlp.down_proj.weight`, shape: [d, 2 * d], data: randn([d, 2 * d], s + 6) });
    out.push({ name: `${p}.input_layernorm.weight`, shape: [d], data: randn([d], s + 7, 0.05, 1) });
    out.push({ name: `${p}.post_attention_layernorm.weight`, shape: [d], data: randn([d], s + 8, 0.05, 1) });
  }
  return out;
}

export function transpose(t: T): T {
  const [r, c] = t.shape;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j];
  return { name: t.name, shape: [c, r], data: out };
}

export function randomPerm(n: number, seed: number): number[] {
  const g = rng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(((Math.atan(g()) / Math.PI) + 0.5) * (i + 1)) % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

export function addNoise(t: T, sigma: number, seed: number): T {
  let s = 0; let ss = 0;
  for (const v of t.data) { s += v; ss += v * v; }
  const m = s / t.data.length;
  const sd = Math.sqrt(ss / t.data.length - m * m);
  const g = rng(seed);
  return { ...t, data: t.data.map((v) => v + sigma * sd * g()) };
}

let dir: string | undefined;
export function tmp(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'wp-match-'));
  return dir;
}

let counter = 0;
export async function writeModel(tensors: T[], dtype: 'F32' | 'BF16' = 'F32', name = `m${counter++}`): Promise<string> {
  const path = join(tmp(), `${name}.safetensors`);
  const list: TensorToWrite[] = tensors.map((t) => ({ name: t.name, dtype, shape: t.shape, data: encodeFloats(dtype, t.data) }));
  await writeSafetensors(path, list);
  return path;
}
