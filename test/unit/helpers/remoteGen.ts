// Generated checkpoints for remote tests and the benchmark: safetensors headers with real shapes and zero (sparse)
// data, one file or sharded with an index; and a Hub-layout tree of symlinks to the corpus for nginx.
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeHeader, type TensorToWrite } from '../../../src/core/format/writer';
import { dtypeSize, type DType } from '../../../src/core/format/dtype';

export interface TensorSpec { name: string; dtype: DType; shape: number[] }

/** Writes header + sparse zero data; returns the file size. */
export function writeSparseSafetensors(path: string, tensors: TensorSpec[]): number {
  const { json, dataBytes } = encodeHeader(tensors as TensorToWrite[]);
  const fd = openSync(path, 'w', 0o644);
  try {
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(json.length));
    writeSync(fd, prefix, 0, 8, 0);
    writeSync(fd, json, 0, json.length, 8);
    ftruncateSync(fd, 8 + json.length + dataBytes);
  } finally {
    closeSync(fd);
  }
  return 8 + json.length + dataBytes;
}

/** Splits tensors into shards of about `shardBytes` and writes them with model.safetensors.index.json. */
export function writeSparseSharded(dir: string, tensors: TensorSpec[], shardBytes: number): { files: number; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const shards: TensorSpec[][] = [[]];
  let cur = 0;
  for (const t of tensors) {
    const b = t.shape.reduce((a, x) => a * x, 1) * dtypeSize(t.dtype);
    if (cur > 0 && cur + b > shardBytes) { shards.push([]); cur = 0; }
    shards[shards.length - 1].push(t);
    cur += b;
  }
  const n = shards.length;
  const weightMap: Record<string, string> = {};
  let bytes = 0;
  let total = 0;
  shards.forEach((s, i) => {
    const name = `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
    bytes += writeSparseSafetensors(join(dir, name), s);
    for (const t of s) { weightMap[t.name] = name; total += t.shape.reduce((a, x) => a * x, 1) * dtypeSize(t.dtype); }
  });
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2), { mode: 0o644 });
  return { files: n, bytes };
}

export interface LlamaShape { hidden: number; intermediate: number; layers: number; heads: number; kvHeads: number; vocab: number; headDim?: number; bias?: boolean; tied?: boolean }

/** Tensors of a Llama/Qwen2-style decoder (BF16). */
export function decoderTensors(s: LlamaShape, prefix = 'model.', dtype: DType = 'BF16'): TensorSpec[] {
  const hd = s.headDim ?? s.hidden / s.heads;
  const t: TensorSpec[] = [{ name: `${prefix}embed_tokens.weight`, dtype, shape: [s.vocab, s.hidden] }, { name: `${prefix}norm.weight`, dtype, shape: [s.hidden] }];
  if (!s.tied) t.push({ name: 'lm_head.weight', dtype, shape: [s.vocab, s.hidden] });
  for (let i = 0; i < s.layers; i++) {
    const p = `${prefix}layers.${i}.`;
    t.push(
      { name: `${p}input_layernorm.weight`, dtype, shape: [s.hidden] },
      { name: `${p}post_attention_layernorm.weight`, dtype, shape: [s.hidden] },
      { name: `${p}self_attn.q_proj.weight`, dtype, shape: [s.heads * hd, s.hidden] },
      { name: `${p}self_attn.k_proj.weight`, dtype, shape: [s.kvHeads * hd, s.hidden] },
      { name: `${p}self_attn.v_proj.weight`, dtype, shape: [s.kvHeads * hd, s.hidden] },
      { name: `${p}self_attn.o_proj.weight`, dtype, shape: [s.hidden, s.heads * hd] },
      { name: `${p}mlp.gate_proj.weight`, dtype, shape: [s.intermediate, s.hidden] },
      { name: `${p}mlp.up_proj.weight`, dtype, shape: [s.intermediate, s.hidden] },
      { name: `${p}mlp.down_proj.weight`, dtype, shape: [s.hidden, s.intermediate] },
    );
    if (s.bias) {
      t.push(
        { name: `${p}self_attn.q_proj.bias`, dtype, shape: [s.heads * hd] },
        { name: `${p}self_attn.k_proj.bias`, dtype, shape: [s.kvHeads * hd] },
        { name: `${p}self_attn.v_proj.bias`, dtype, shape: [s.kvHeads * hd] },
      );
    }
  }
  return t.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The corpus models as Hub repos: <root>/corpus/<id>/<file name> (symlinks; URI hf://corpus/<id>/<file>), ref_vl sharded, lm/ as a folder. */
export function corpusHubTree(root: string, corpus: string): Array<{ repo: string; local: string }> {
  const models: Array<{ repo: string; local: string }> = [];
  const base = join(root, 'corpus');
  mkdirSync(base, { recursive: true });
  const single: Array<[string, string]> = [
    ['lm_A', 'lm/lm_A.safetensors'], ['lm_B', 'lm/lm_B.safetensors'], ['A_ft_code', 'lm/A_ft_code.safetensors'], ['A_bf16', 'lm/A_bf16.safetensors'],
    ['A_renamed_prefix', 'lm/A_renamed_prefix.safetensors'], ['A_vocab_ext', 'lm/A_vocab_ext.safetensors'], ['A_perm_mlp_heads', 'lm/A_perm_mlp_heads.safetensors'],
    ['vit_R', 'vision/vit_R.safetensors'], ['suspect_vl_copied_vision', 'vl/suspect_vl_copied_vision.safetensors'],
    ['suspect_vl_independent', 'vl/suspect_vl_independent.safetensors'],
  ];
  for (const [id, rel] of single) {
    const local = join(corpus, rel);
    if (!existsSync(local)) continue;
    mkdirSync(join(base, id), { recursive: true });
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    // The file keeps its name: the header hash covers file names, so a local/remote comparison needs the same names.
    symlinkSync(local, join(base, id, name));
    models.push({ repo: `corpus/${id}/${name}`, local });
  }
  if (existsSync(join(corpus, 'vl/ref_vl'))) {
    symlinkSync(join(corpus, 'vl/ref_vl'), join(base, 'ref_vl'));
    models.push({ repo: 'corpus/ref_vl', local: join(corpus, 'vl/ref_vl') });
  }
  if (existsSync(join(corpus, 'lm'))) symlinkSync(join(corpus, 'lm'), join(base, 'lm-folder'));
  chmodSync(root, 0o755);
  chmodSync(base, 0o755);
  return models;
}
