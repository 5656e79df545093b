// The model configuration a GGUF file carries in its metadata (`{arch}.embedding_length` …), as the same summary
// config.json gives: a GGUF download rarely has a config.json beside it.
import type { ConfigSummary } from '../config';
import { ggufNumber, ggufString, type GgufValue } from './values';

export function ggufConfig(values: Map<string, GgufValue>): ConfigSummary | undefined {
  const arch = ggufString(values, 'general.architecture')?.slice(0, 200);
  if (!arch) return undefined;
  const n = (key: string) => ggufNumber(values, `${arch}.${key}`);
  const tokens = values.get('tokenizer.ggml.tokens');
  const heads = n('attention.head_count');
  const keyLength = n('attention.key_length');
  const summary: ConfigSummary = {
    architectures: [], modelType: arch, hiddenSize: n('embedding_length'), layers: n('block_count'), heads,
    kvHeads: n('attention.head_count_kv'), headDim: keyLength, intermediateSize: n('feed_forward_length'),
    vocabSize: n('vocab_size') ?? (typeof tokens === 'object' ? tokens.items.length : undefined),
    experts: n('expert_count'), expertsPerToken: n('expert_used_count'), ropeTheta: n('rope.freq_base'),
    normEps: n('attention.layer_norm_rms_epsilon') ?? n('attention.layer_norm_epsilon'),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as ConfigSummary;
}
