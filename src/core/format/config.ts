// config.json beside a checkpoint: only the fields a reviewer needs, copied as plain values (the file is untrusted).

export interface SubConfigSummary {
  modelType?: string;
  hiddenSize?: number;
  layers?: number;
  heads?: number;
}

export interface ConfigSummary {
  architectures: string[];
  modelType?: string;
  hiddenSize?: number;
  layers?: number;
  heads?: number;
  vocabSize?: number;
  intermediateSize?: number;
  torchDtype?: string;
  text?: SubConfigSummary;
  vision?: SubConfigSummary;
  audio?: SubConfigSummary;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v.slice(0, 200) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function sub(v: unknown): SubConfigSummary | undefined {
  const o = obj(v);
  if (!o) return undefined;
  return {
    modelType: str(o.model_type),
    hiddenSize: num(o.hidden_size) ?? num(o.embed_dim) ?? num(o.d_model) ?? num(o.width),
    layers: num(o.num_hidden_layers) ?? num(o.depth) ?? num(o.encoder_layers) ?? num(o.num_layers),
    heads: num(o.num_attention_heads) ?? num(o.num_heads) ?? num(o.encoder_attention_heads),
  };
}

export function summariseConfig(raw: unknown): ConfigSummary | undefined {
  const o = obj(raw);
  if (!o) return undefined;
  const archs = Array.isArray(o.architectures) ? o.architectures.filter((a): a is string => typeof a === 'string').map((a) => a.slice(0, 200)) : [];
  return {
    architectures: archs,
    modelType: str(o.model_type),
    hiddenSize: num(o.hidden_size) ?? num(o.d_model) ?? num(o.n_embd),
    layers: num(o.num_hidden_layers) ?? num(o.num_layers) ?? num(o.n_layer),
    heads: num(o.num_attention_heads) ?? num(o.n_head),
    vocabSize: num(o.vocab_size) ?? num(o.padded_vocab_size),
    intermediateSize: num(o.intermediate_size) ?? num(o.ffn_hidden_size),
    torchDtype: str(o.torch_dtype) ?? str(o.dtype),
    text: sub(o.text_config) ?? sub(o.llm_config),
    vision: sub(o.vision_config),
    audio: sub(o.audio_config),
  };
}
