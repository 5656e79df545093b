// config.json beside a checkpoint: only the fields a reviewer needs, copied as plain values (the file is untrusted).
import { t } from '../l10n';
import { JsonSyntaxError, parseJsonBytes } from './jsonScan';

/** Largest config.json read (docs/limits.md); real ones are a few kilobytes. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Most JSON values in a config.json (bounds what parsing it can build). */
export const MAX_CONFIG_VALUES = 500_000;

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

/** The summary of config.json's bytes; a file that is not JSON gives a warning (where, never what) and no summary. */
export function parseConfig(bytes: Uint8Array, warnings: string[]): ConfigSummary | undefined {
  try {
    return summariseConfig(parseJsonBytes(bytes, { maxValues: MAX_CONFIG_VALUES }));
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    warnings.push(e.kind === 'syntax'
      ? t('config.json beside the checkpoint is not valid JSON ({0})', e.message)
      : t('config.json beside the checkpoint is over its limits and was not read ({0})', e.message));
    return undefined;
  }
}
