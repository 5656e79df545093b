// Generated checkpoints for the webview tests: a 50,000-tensor mixture-of-experts vision-language model,
// a hostile-names checkpoint and a load error. Roles come from the real naming rules.
import type { CheckpointSummary, ErrorInfo, TensorDetail, TensorRow } from '../../src/shared/protocol';
import { classifyAll } from '../../src/core/naming/classify';
import { componentRows } from '../../src/core/inventory/inventory';

export interface CheckpointFixture {
  kind: 'checkpoint';
  summary: CheckpointSummary;
  rows: TensorRow[];
  detail(id: number): TensorDetail | Promise<TensorDetail>;
}
export interface ErrorFixture {
  kind: 'error';
  error: ErrorInfo;
}
export type Fixture = CheckpointFixture | ErrorFixture;

const DSIZE: Record<string, number> = { F32: 4, BF16: 2, F16: 2, F8_E4M3: 1, I64: 8, BOOL: 1 };
const collator = new Intl.Collator('en', { numeric: true });

interface Spec { name: string; dtype: string; shape: number[] }

function build(specs: Spec[], o: { title: string; path: string; shardBytes: number; metadata: [string, string][]; config: [string, string][]; family: string; warnings: string[]; fileName?: (i: number, n: number) => string }): CheckpointFixture {
  specs.sort((a, b) => collator.compare(a.name, b.name));
  const roles = classifyAll(specs.map((s) => s.name));
  // Shards in name order, cut every shardBytes.
  const fileOf: number[] = [];
  const offsets: [number, number][] = [];
  let file = 0;
  let used = 0;
  for (const s of specs) {
    const b = s.shape.reduce((a, d) => a * d, 1) * DSIZE[s.dtype];
    if (used > 0 && used + b > o.shardBytes) { file++; used = 0; }
    fileOf.push(file);
    offsets.push([used, used + b]);
    used += b;
  }
  const nFiles = file + 1;
  const fileName = o.fileName ?? ((i: number, n: number) => `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`);
  const rows: TensorRow[] = specs.map((s, i) => {
    const count = s.shape.reduce((a, d) => a * d, 1);
    return {
      id: i, name: s.name, dtype: s.dtype, shape: s.shape, count, bytes: count * DSIZE[s.dtype], file: fileName(fileOf[i], nFiles),
      component: roles[i].component, layer: roles[i].layer, kind: roles[i].kind,
    };
  });
  const files = Array.from({ length: nFiles }, (_, f) => {
    const inFile = rows.filter((r) => fileOf[r.id] === f);
    const headerLength = 64 + inFile.reduce((a, r) => a + r.name.length + 60, 0);
    return { name: fileName(f, nFiles), size: 8 + headerLength + inFile.reduce((a, r) => a + r.bytes, 0), tensors: inFile.length, headerLength };
  });
  const dtypes = new Map<string, { dtype: string; tensors: number; parameters: number; bytes: number }>();
  for (const r of rows) {
    const d = dtypes.get(r.dtype) ?? { dtype: r.dtype, tensors: 0, parameters: 0, bytes: 0 };
    d.tensors++; d.parameters += r.count; d.bytes += r.bytes;
    dtypes.set(r.dtype, d);
  }
  const summary: CheckpointSummary = {
    title: o.title, path: o.path, format: 'safetensors', kind: nFiles > 1 ? 'sharded' : 'file', files, tensors: rows.length,
    parameters: rows.reduce((a, r) => a + r.count, 0), bytes: rows.reduce((a, r) => a + r.bytes, 0),
    fileBytes: files.reduce((a, f) => a + f.size, 0), dtypes: [...dtypes.values()].sort((a, b) => b.parameters - a.parameters),
    components: componentRows(rows), metadata: o.metadata, config: o.config, family: o.family,
    headerHash: 'sha256:4f2a9c0e7b1d3a5c8e6f0b2d4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d', warnings: o.warnings,
  };
  const dir = o.path.slice(0, o.path.lastIndexOf('/') + 1);
  return {
    kind: 'checkpoint', summary, rows,
    detail(id) {
      const row = rows[id];
      if (!row) throw new Error(`no tensor with id ${id}`);
      const n = Math.min(64, row.count);
      const firstValues: (number | string)[] = Array.from({ length: n }, (_, i) => Math.round(Math.sin(id * 7.1 + i * 1.3) * 0.05 * 1e6) / 1e6);
      if (o.title.includes('<') && n > 3) firstValues.splice(1, 3, 'NaN', 'Infinity', '-Infinity');
      const role = roles[id];
      return { row, filePath: dir + row.file, offsets: [8 + files[fileOf[id]].headerLength + offsets[id][0], 8 + files[fileOf[id]].headerLength + offsets[id][1]], firstValues, param: role.param, expert: role.expert };
    },
  };
}

/** A DeepSeek/Qwen-VL-like MoE checkpoint with exactly `total` tensors. */
export function bigFixture(total = 50_000): CheckpointFixture {
  const specs: Spec[] = [];
  const H = 2048;
  const E = 4096;
  specs.push({ name: 'visual.patch_embed.proj.weight', dtype: 'BF16', shape: [1280, 3, 2, 14, 14] });
  for (let b = 0; b < 32; b++) {
    const p = `visual.blocks.${b}`;
    specs.push(
      { name: `${p}.norm1.weight`, dtype: 'F32', shape: [1280] }, { name: `${p}.norm2.weight`, dtype: 'F32', shape: [1280] },
      { name: `${p}.attn.qkv.weight`, dtype: 'BF16', shape: [3840, 1280] }, { name: `${p}.attn.qkv.bias`, dtype: 'F32', shape: [3840] },
      { name: `${p}.attn.proj.weight`, dtype: 'BF16', shape: [1280, 1280] }, { name: `${p}.attn.proj.bias`, dtype: 'F32', shape: [1280] },
      { name: `${p}.mlp.gate_proj.weight`, dtype: 'BF16', shape: [3420, 1280] }, { name: `${p}.mlp.up_proj.weight`, dtype: 'BF16', shape: [3420, 1280] },
      { name: `${p}.mlp.down_proj.weight`, dtype: 'BF16', shape: [1280, 3420] });
  }
  specs.push({ name: 'visual.merger.ln_q.weight', dtype: 'F32', shape: [1280] }, { name: 'visual.merger.mlp.0.weight', dtype: 'BF16', shape: [5120, 5120] },
    { name: 'visual.merger.mlp.0.bias', dtype: 'F32', shape: [5120] }, { name: 'visual.merger.mlp.2.weight', dtype: 'BF16', shape: [H, 5120] },
    { name: 'visual.merger.mlp.2.bias', dtype: 'F32', shape: [H] });
  specs.push({ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [151936, H] }, { name: 'model.norm.weight', dtype: 'F32', shape: [H] },
    { name: 'lm_head.weight', dtype: 'BF16', shape: [151936, H] });
  for (let l = 0; specs.length < total; l++) {
    const p = `model.layers.${l}`;
    specs.push(
      { name: `${p}.input_layernorm.weight`, dtype: 'F32', shape: [H] }, { name: `${p}.post_attention_layernorm.weight`, dtype: 'F32', shape: [H] },
      { name: `${p}.self_attn.q_proj.weight`, dtype: 'BF16', shape: [H, H] }, { name: `${p}.self_attn.k_proj.weight`, dtype: 'BF16', shape: [256, H] },
      { name: `${p}.self_attn.v_proj.weight`, dtype: 'BF16', shape: [256, H] }, { name: `${p}.self_attn.o_proj.weight`, dtype: 'BF16', shape: [H, H] },
      { name: `${p}.mlp.gate.weight`, dtype: 'F32', shape: [160, H] });
    for (let e = 0; e < 160; e++) {
      const q = `${p}.mlp.experts.${e}`;
      specs.push({ name: `${q}.gate_proj.weight`, dtype: 'F8_E4M3', shape: [E / 8, H] }, { name: `${q}.up_proj.weight`, dtype: 'F8_E4M3', shape: [E / 8, H] },
        { name: `${q}.down_proj.weight`, dtype: 'F8_E4M3', shape: [H, E / 8] });
    }
  }
  specs.length = total;
  return build(specs, {
    title: 'synthetic-moe-vl', path: '/models/synthetic-moe-vl/model.safetensors.index.json', shardBytes: 5 * 2 ** 30,
    metadata: [['format', 'pt'], ['quantization', 'fp8 e4m3 experts, bf16 dense']],
    config: [['architectures', 'Qwen2_5_VLMoeForConditionalGeneration'], ['model_type', 'qwen2_5_vl_moe'], ['hidden_size', String(H)],
      ['layers', '97'], ['vision_config', 'qwen2_5_vl, hidden 1280, 32 layers']],
    family: 'qwen2.5-vl + deepseek-moe',
    warnings: ['model.layers.96 is incomplete: the checkpoint was cut at 50,000 tensors (test fixture).'],
  });
}

export const HOSTILE = {
  img: '<img src=x onerror=window.__pwned=1>',
  script: '</script><script>window.__pwned=1</script>',
  svg: '"><svg onload=window.__pwned=1>',
  nul: 'model.layers.0.nul\u0000byte.weight',
  esc: 'model.layers.0.esc\u001b[31mred.weight',
  rtl: 'model.layers.0.rtl\u202Egnp.exe.weight',
};

export function hostileFixture(): CheckpointFixture {
  const names = [
    HOSTILE.img, HOSTILE.script, HOSTILE.svg, HOSTILE.nul, HOSTILE.esc, HOSTILE.rtl,
    'model.<b>bold</b>.weight', 'model.&amp;entity.weight', "model.{{constructor.constructor('window.__pwned=1')()}}.weight",
    'model.embed_tokens.weight', 'model.layers.0.self_attn.q_proj.weight', 'model.norm.weight', 'lm_head.weight',
  ];
  const specs: Spec[] = names.map((name, i) => ({ name, dtype: i % 2 ? 'F32' : 'BF16', shape: [16 + i, 8] }));
  return build(specs, {
    title: '<img src=x onerror=window.__pwned=1>.safetensors', path: '/tmp/</script><script>window.__pwned=1</script>/evil.safetensors',
    shardBytes: 2 ** 40, fileName: () => '<b>evil</b>\u202Efdp.safetensors',
    metadata: [['format', 'pt'], ['<b>key</b>', HOSTILE.img], ['script', HOSTILE.script], ['controls', 'a\u0000b\u001bc\u202Ed\u2066e']],
    config: [['architectures', '<script>window.__pwned=1</script>'], ['model_type', HOSTILE.svg]],
    family: '<i>family</i>', warnings: [`name ${HOSTILE.img} looks odd`],
  });
}

export function errorFixture(): ErrorFixture {
  return {
    kind: 'error',
    error: {
      message: `tensor "${HOSTILE.img}": data_offsets [0, 4096] end beyond the data buffer (1024 bytes)`,
      code: 'offset-out-of-range', file: '/models/broken/model-00002-of-00002.safetensors', tensor: HOSTILE.img, byteOffset: 123456,
    },
  };
}
