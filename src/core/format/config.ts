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
  kvHeads?: number;
  headDim?: number;
  intermediateSize?: number;
  vocabSize?: number;
  patchSize?: number;
  experts?: number;
}

export interface ConfigSummary extends SubConfigSummary {
  architectures: string[];
  ropeTheta?: number;
  normEps?: number;
  expertsPerToken?: number;
  torchDtype?: string;
  text?: SubConfigSummary;
  vision?: SubConfigSummary;
  audio?: SubConfigSummary;
}

const SUB_NUMBERS = ['hiddenSize', 'layers', 'heads', 'kvHeads', 'headDim', 'intermediateSize', 'vocabSize', 'patchSize', 'experts'] as const;
const TOP_NUMBERS = [...SUB_NUMBERS, 'ropeTheta', 'normEps', 'expertsPerToken'] as const;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v.slice(0, 200) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The first of `keys` that `o` holds as a finite number (own properties only). */
function first(o: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = Object.prototype.hasOwnProperty.call(o, k) ? num(o[k]) : undefined;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Drops undefined fields, so summaries compare and serialise alike. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function facts(o: Record<string, unknown>): SubConfigSummary {
  return defined({
    modelType: str(o.model_type),
    hiddenSize: first(o, 'hidden_size', 'd_model', 'n_embd', 'embed_dim', 'width'),
    layers: first(o, 'num_hidden_layers', 'num_layers', 'n_layer', 'depth', 'encoder_layers'),
    heads: first(o, 'num_attention_heads', 'n_head', 'num_heads', 'encoder_attention_heads'),
    kvHeads: first(o, 'num_key_value_heads', 'num_kv_heads', 'multi_query_group_num'),
    headDim: first(o, 'head_dim', 'kv_channels'),
    intermediateSize: first(o, 'intermediate_size', 'ffn_hidden_size', 'n_inner', 'encoder_ffn_dim'),
    vocabSize: first(o, 'vocab_size', 'padded_vocab_size'),
    patchSize: first(o, 'patch_size', 'spatial_patch_size'),
    experts: first(o, 'num_local_experts', 'num_experts', 'n_routed_experts', 'moe_num_experts'),
  });
}

function sub(v: unknown): SubConfigSummary | undefined {
  const o = obj(v);
  return o ? facts(o) : undefined;
}

export function summariseConfig(raw: unknown): ConfigSummary | undefined {
  const o = obj(raw);
  if (!o) return undefined;
  const archs = Array.isArray(o.architectures) ? o.architectures.filter((a): a is string => typeof a === 'string').slice(0, 16).map((a) => a.slice(0, 200)) : [];
  const rope = obj(o.rope_parameters);
  return defined({
    architectures: archs,
    ...facts(o),
    ropeTheta: first(o, 'rope_theta', 'rotary_emb_base') ?? (rope ? first(rope, 'rope_theta') : undefined),
    normEps: first(o, 'rms_norm_eps', 'layer_norm_eps', 'layer_norm_epsilon', 'norm_eps'),
    expertsPerToken: first(o, 'num_experts_per_tok', 'moe_top_k'),
    torchDtype: str(o.torch_dtype) ?? str(o.dtype),
    text: sub(o.text_config) ?? sub(o.llm_config),
    vision: sub(o.vision_config),
    audio: sub(o.audio_config),
  });
}

/** A summary stored in a fingerprint file (hostile): only the known fields, of the right types, are kept. */
export function checkConfigSummary(raw: unknown): ConfigSummary | null {
  const o = obj(raw);
  if (!o) return null;
  const copy = (x: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = { modelType: str(x.modelType) };
    for (const k of keys) out[k] = num(x[k]);
    return out;
  };
  const subOf = (v: unknown): SubConfigSummary | undefined => { const x = obj(v); return x ? defined(copy(x, SUB_NUMBERS) as SubConfigSummary) : undefined; };
  return defined({
    ...(copy(o, TOP_NUMBERS) as SubConfigSummary),
    architectures: Array.isArray(o.architectures) ? o.architectures.filter((a): a is string => typeof a === 'string').slice(0, 16).map((a) => a.slice(0, 200)) : [],
    torchDtype: str(o.torchDtype),
    text: subOf(o.text), vision: subOf(o.vision), audio: subOf(o.audio),
  }) as ConfigSummary;
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
