// Tensor name → component, layer index and module kind, across the common checkpoint layouts
// (Llama/Qwen2, Qwen2-VL/2.5-VL visual, GLM, DeepSeek, Gemma, Phi/GPT-NeoX, CLIP/SigLIP, Whisper, Meta's Llama).
// Names are untrusted: anything unrecognised lands in "other"/"unknown", nothing throws; the leaf tables have no
// prototype, so a segment such as "constructor" finds nothing in them.
import { lookupTable } from '../lookup';

import { COMPONENTS, type Component } from './components';
import { ggufRole, isGgufName } from './gguf';
import { MODULE_KINDS, type ModuleKind } from './kinds';

export { COMPONENTS, type Component };

export { MODULE_KINDS, type ModuleKind };

export interface TensorRole {
  component: Component;
  /** Block/layer index, or null outside the repeated blocks. */
  layer: number | null;
  kind: ModuleKind;
  /** Mixture-of-experts expert index, when the tensor belongs to one expert. */
  expert: number | null;
  /** Last name segment: weight, bias, scale … */
  param: string;
}

export interface NamingContext {
  /** Whisper-like checkpoints call their audio tower plain "encoder". */
  encoderIsAudio: boolean;
}

const PARAM_SEGMENTS = new Set([
  'weight', 'bias', 'scale', 'scale_inv', 'weight_scale', 'weight_scale_inv', 'inv_freq', 'g', 'b',
  'weight_g', 'weight_v', 'e_score_correction_bias', 'in_proj_weight', 'in_proj_bias', 'mm_input_projection_weight',
]);

const PROJECTOR = new Set([
  'mm_projector', 'multi_modal_projector', 'mm_proj', 'merger', 'connector', 'aligner', 'resampler', 'mlp1',
  'vision_proj', 'visual_proj', 'audio_projector', 'audio_proj', 'modality_projection', 'mm_input_projection',
  'vision_language_adapter', 'abstractor', 'perceiver', 'mm_soft_emb_norm', 'projector', 'image_projection',
]);
const AUDIO = new Set(['audio_tower', 'audio_encoder', 'audio_model', 'audio', 'whisper', 'speech_encoder', 'sound_encoder', 'audio_embed']);
const VISION = new Set([
  'visual', 'vision_tower', 'vision_model', 'vision_encoder', 'vision', 'vit', 'image_encoder', 'img_encoder',
  'siglip', 'clip', 'vision_embed_tokens', 'visual_projection', 'image_newline', 'vpm',
]);
const LANGUAGE = new Set([
  'language_model', 'lm_head', 'llm', 'text_model', 'gpt_neox', 'transformer', 'model', 'embed_tokens',
  'tok_embeddings', 'embed_out', 'embed_in', 'text_projection', 'decoder', 'layers', 'output', 'norm', 'wte', 'wpe',
  'output_layer', 'ln_f', 'final_layernorm', 'h',
]);

const LAYER_CONTAINERS = new Set(['layers', 'layer', 'blocks', 'block', 'h', 'resblocks', 'encoder_layers', 'decoder_layers', 'blk']);

const NORM = new Set([
  'input_layernorm', 'post_attention_layernorm', 'ln_1', 'ln_2', 'norm1', 'norm2', 'layer_norm1', 'layer_norm2',
  'attention_norm', 'ffn_norm', 'pre_feedforward_layernorm', 'post_feedforward_layernorm', 'self_attn_layer_norm',
  'final_layer_norm', 'layernorm_before', 'layernorm_after', 'ln_f', 'norm', 'final_layernorm', 'post_layernorm',
  'pre_layrnorm', 'pre_layernorm', 'ln_q', 'ln_post', 'ln_pre', 'layernorm', 'layer_norm', 'q_norm', 'k_norm',
  'q_a_layernorm', 'kv_a_layernorm', 'encoder_attn_layer_norm', 'ln_attn', 'ln_mlp', 'pre_norm', 'post_norm',
  'model_norm', 'embedding_norm', 'ln', 'norm_1', 'norm_2', 'attn_norm', 'mlp_norm', 'post_self_attn_layernorm',
  'post_mlp_layernorm', 'layernorm_qkv', 'input_norm', 'head_norm',
]);

const ATTN_PARENTS = new Set(['self_attn', 'attn', 'attention', 'self_attention', 'encoder_attn', 'cross_attn', 'mixer']);
const MLP_PARENTS = new Set(['mlp', 'feed_forward', 'ffn', 'fc', 'mlp_block', 'experts', 'shared_experts', 'shared_expert']);

const ATTN_LEAVES: Readonly<Record<string, ModuleKind>> = lookupTable({
  q_proj: 'attn-q', wq: 'attn-q', query: 'attn-q', q: 'attn-q', to_q: 'attn-q', q_lin: 'attn-q',
  k_proj: 'attn-k', wk: 'attn-k', key: 'attn-k', k: 'attn-k', to_k: 'attn-k', k_lin: 'attn-k',
  v_proj: 'attn-v', wv: 'attn-v', value: 'attn-v', v: 'attn-v', to_v: 'attn-v', v_lin: 'attn-v',
  o_proj: 'attn-o', wo: 'attn-o', out_proj: 'attn-o', dense: 'attn-o', proj: 'attn-o', c_proj: 'attn-o', o: 'attn-o',
  out_lin: 'attn-o', linear_proj: 'attn-o', to_out: 'attn-o', output: 'attn-o',
  qkv: 'attn-qkv', qkv_proj: 'attn-qkv', query_key_value: 'attn-qkv', c_attn: 'attn-qkv', wqkv: 'attn-qkv',
  in_proj: 'attn-qkv', linear_qkv: 'attn-qkv', Wqkv: 'attn-qkv',
  q_a_proj: 'attn-q-a', q_b_proj: 'attn-q-b', kv_a_proj_with_mqa: 'attn-kv-a', kv_b_proj: 'attn-kv-b', wkv_a: 'attn-kv-a',
  wkv_b: 'attn-kv-b', wq_a: 'attn-q-a', wq_b: 'attn-q-b',
});

const MLP_LEAVES: Readonly<Record<string, ModuleKind>> = lookupTable({
  gate_proj: 'mlp-gate', w1: 'mlp-gate', wi_0: 'mlp-gate', gate: 'router', router: 'router',
  up_proj: 'mlp-up', w3: 'mlp-up', wi_1: 'mlp-up', fc1: 'mlp-up', dense_h_to_4h: 'mlp-up', c_fc: 'mlp-up',
  linear_fc1: 'mlp-up', fc_in: 'mlp-up', wi: 'mlp-up', lin1: 'mlp-up', '0': 'mlp-up',
  down_proj: 'mlp-down', w2: 'mlp-down', wo: 'mlp-down', fc2: 'mlp-down', dense_4h_to_h: 'mlp-down', c_proj: 'mlp-down',
  linear_fc2: 'mlp-down', fc_out: 'mlp-down', lin2: 'mlp-down', '2': 'mlp-down',
  gate_up_proj: 'mlp-gate-up',
});

const TOP_LEVEL_LEAVES: Readonly<Record<string, ModuleKind>> = lookupTable({
  embed_tokens: 'embedding', tok_embeddings: 'embedding', wte: 'embedding', word_embeddings: 'embedding',
  embed_in: 'embedding', token_embedding: 'embedding', embedding: 'embedding', shared: 'embedding',
  embed_positions: 'position-embedding', position_embedding: 'position-embedding', wpe: 'position-embedding',
  positional_embedding: 'position-embedding', position_embeddings: 'position-embedding', pos_embed: 'position-embedding',
  class_embedding: 'embedding', cls_token: 'embedding',
  patch_embed: 'patch-embed', patch_embedding: 'patch-embed', patch_embeddings: 'patch-embed', conv1: 'conv', conv2: 'conv',
  lm_head: 'head', embed_out: 'head', output_layer: 'head', proj_out: 'head', head: 'head', output: 'head',
  text_projection: 'head', visual_projection: 'head',
  rotary_emb: 'buffer', position_ids: 'buffer', attn_mask: 'buffer', causal_mask: 'buffer', logit_scale: 'buffer',
});

export function namingContext(names: Iterable<string>): NamingContext {
  let encoderIsAudio = false;
  for (const n of names) {
    if (/^(model\.)?encoder\.conv[12]\./.test(n)) encoderIsAudio = true;
  }
  return { encoderIsAudio };
}

function componentOf(segments: string[], context: NamingContext): Component {
  const lower = segments.map((s) => s.toLowerCase());
  if (lower.some((s) => PROJECTOR.has(s) || s.startsWith('mm_projector') || s.startsWith('multi_modal_projector'))) return 'projector';
  if (lower.some((s) => AUDIO.has(s) || s.startsWith('audio_'))) return 'audio';
  if (lower.some((s) => VISION.has(s) || s.startsWith('vision_') || s.startsWith('visual_'))) return 'vision';
  if (context.encoderIsAudio) {
    const first = lower[0] === 'model' ? lower[1] : lower[0];
    if (first === 'encoder') return 'audio';
    if (first === 'decoder' || first === 'proj_out') return 'language';
  }
  if (lower.some((s) => LANGUAGE.has(s))) return 'language';
  if (lower.length === 1 && (lower[0] === 'output' || lower[0] === 'norm')) return 'language';
  return 'other';
}

/**
 * Layer and expert index: the number after a layer container ("layers.3") and after "experts". Scans the name
 * without splitting it (splitting 100,000 names cost more than classifying them).
 */
function layerOf(name: string): { layer: number | null; expert: number | null } {
  let layer: number | null = null;
  let expert: number | null = null;
  let prevStart = -1;
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i < name.length && name.charCodeAt(i) !== DOT) continue;
    if (prevStart >= 0 && i - start >= 1 && i - start <= 9 && isDigits(name, start, i)) {
      const prev = name.slice(prevStart, start - 1).toLowerCase();
      if (layer === null && LAYER_CONTAINERS.has(prev)) layer = Number(name.slice(start, i));
      else if (expert === null && prev === 'experts') expert = Number(name.slice(start, i));
    }
    prevStart = start;
    start = i + 1;
  }
  return { layer, expert };
}

const DOT = 46;

function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function kindOf(segments: string[], param: string): ModuleKind {
  if (param === 'inv_freq') return 'buffer';
  if (param === 'in_proj_weight' || param === 'in_proj_bias') return 'attn-qkv';
  if (param === 'mm_input_projection_weight') return 'projector';
  const lower = segments.map((s) => s.toLowerCase());
  const parentAt = (set: Set<string>) => lower.findIndex((s) => set.has(s));
  const leaf = segments[segments.length - 1] ?? '';
  const leafLower = leaf.toLowerCase();
  if (NORM.has(leafLower) || /(^|_)(layer)?norm\d*$/.test(leafLower) || leafLower.endsWith('_layernorm')) return 'norm';
  if (lower.some((s) => PROJECTOR.has(s))) return 'projector';
  const attnAt = parentAt(ATTN_PARENTS);
  const mlpAt = parentAt(MLP_PARENTS);
  if (attnAt >= 0 && (mlpAt < 0 || attnAt > mlpAt)) {
    const k = ATTN_LEAVES[leaf] ?? ATTN_LEAVES[leafLower];
    if (k) return k;
  }
  if (mlpAt >= 0) {
    const k = MLP_LEAVES[leafLower];
    if (k) return k;
  }
  if (attnAt < 0 && mlpAt < 0 && /^(wq|wk|wv|wo|wqkv|w1|w2|w3)$/.test(leafLower)) {
    return ATTN_LEAVES[leafLower] ?? MLP_LEAVES[leafLower] ?? 'unknown';
  }
  for (let i = lower.length - 1; i >= 0; i--) {
    const k = TOP_LEVEL_LEAVES[lower[i]];
    if (k) return k;
  }
  if (lower.some((s) => s.includes('patch_embed'))) return 'patch-embed';
  return 'unknown';
}

export function classifyTensor(name: string, context: NamingContext = { encoderIsAudio: false }): TensorRole {
  const all = name.split('.');
  let param = '';
  let segments = all;
  if (all.length > 1 && PARAM_SEGMENTS.has(all[all.length - 1])) {
    param = all[all.length - 1];
    segments = all.slice(0, -1);
  }
  const { layer, expert } = layerOf(name);
  if (isGgufName(name)) return { ...ggufRole(segments), layer, expert, param };
  // Drop numeric segments after the layer/expert index so that "mlp.0" style leaves stay visible to kindOf.
  const named = segments.filter((s, i) => !/^\d+$/.test(s) || (i > 0 && ['mlp', 'net'].includes(segments[i - 1].toLowerCase())));
  return { component: componentOf(all, context), layer, kind: kindOf(named, param), expert, param };
}

/**
 * The name with its index segments (all digits, not after "mlp"/"net") written as "0": names with the same shape
 * get the same component, kind and parameter, only their layer and expert differ. A 100,000-tensor MoE header
 * has a few dozen shapes.
 */
export function nameShape(name: string): string {
  let out = '';
  let copied = 0;
  let prevStart = -1;
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i < name.length && name.charCodeAt(i) !== DOT) continue;
    if (i > start && isDigits(name, start, i) && !(prevStart >= 0 && MLP_INDEXED.has(name.slice(prevStart, start - 1).toLowerCase()))) {
      out += name.slice(copied, start) + '0';
      copied = i;
    }
    prevStart = start;
    start = i + 1;
  }
  return copied === 0 ? name : out + name.slice(copied);
}

const MLP_INDEXED = new Set(['mlp', 'net']);

/** Every name's role, classified once per name shape. `shapes` receives the distinct shapes when given. */
export function classifyAll(names: string[], shapes?: Set<string>): TensorRole[] {
  const context = namingContext(names);
  const byShape = new Map<string, TensorRole>();
  return names.map((n) => {
    const shape = nameShape(n);
    const known = byShape.get(shape);
    if (!known) {
      const role = classifyTensor(n, context);
      byShape.set(shape, role);
      shapes?.add(shape);
      return role;
    }
    const { layer, expert } = layerOf(n);
    return { component: known.component, layer, kind: known.kind, expert, param: known.param };
  });
}
