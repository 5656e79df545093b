// Architecture family of a checkpoint, from config.json when present, else from its tensor names.
import type { ConfigSummary } from '../format/config';

export interface FamilyGuess {
  /** Short id such as "llama", "qwen2.5-vl", "whisper"; "unknown" when nothing fits. */
  id: string;
  /** Where the guess came from. */
  source: 'config' | 'names' | 'none';
}

const CONFIG_TYPES: [RegExp, string][] = [
  [/^qwen2_5_vl/, 'qwen2.5-vl'], [/^qwen2_vl/, 'qwen2-vl'], [/^qwen2_audio/, 'qwen2-audio'], [/^qwen3/, 'qwen3'],
  [/^qwen2/, 'qwen2'], [/^llama/, 'llama'], [/^mistral|^mixtral/, 'mistral'], [/^gemma3/, 'gemma3'], [/^gemma/, 'gemma'],
  [/^glm4_moe/, 'glm-4.5'], [/^glm|^chatglm/, 'glm'], [/^deepseek_v3/, 'deepseek-v3'], [/^deepseek/, 'deepseek'],
  [/^phi3/, 'phi3'], [/^phi/, 'phi'], [/^gpt_neox/, 'gpt-neox'], [/^clip/, 'clip'], [/^siglip/, 'siglip'],
  [/^whisper/, 'whisper'], [/^internvl|^intern_vit/, 'internvl'], [/^llava/, 'llava'],
];

const NAME_RULES: [RegExp, string][] = [
  [/^visual\.blocks\.\d+\.mlp\.gate_proj/, 'qwen2.5-vl'],
  [/^visual\.blocks\.\d+\.attn\.qkv/, 'qwen2-vl'],
  [/^(model\.)?encoder\.conv1\./, 'whisper'],
  [/self_attn\.kv_a_proj_with_mqa/, 'deepseek'],
  [/^transformer\.encoder\.layers\.\d+\.self_attention\.query_key_value/, 'glm'],
  [/^gpt_neox\./, 'gpt-neox'],
  [/\.self_attn\.qkv_proj\./, 'phi3'],
  [/\.self_attn\.dense\./, 'phi'],
  [/pre_feedforward_layernorm/, 'gemma'],
  [/^layers\.\d+\.attention\.wq\./, 'llama-meta'],
  [/vision_model\.encoder\.layers\.\d+\.self_attn\.q_proj/, 'clip-like'],
  [/^model\.layers\.\d+\.self_attn\.q_proj/, 'llama'],
];

export function detectFamily(names: string[], config?: ConfigSummary): FamilyGuess {
  const type = config?.modelType?.toLowerCase();
  if (type) {
    for (const [re, id] of CONFIG_TYPES) if (re.test(type)) return { id, source: 'config' };
  }
  const found = new Set<string>();
  for (const n of names) {
    for (const [re, id] of NAME_RULES) if (re.test(n)) found.add(id);
  }
  if (found.size === 0) return { id: 'unknown', source: 'none' };
  // The first rule in NAME_RULES order that fired is the most specific one.
  const ids = NAME_RULES.map(([, id]) => id).filter((id, i, all) => found.has(id) && all.indexOf(id) === i);
  return { id: ids.join(' + '), source: 'names' };
}
