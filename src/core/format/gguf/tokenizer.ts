// The tokenizer a GGUF file carries in its metadata (tokenizer.ggml.*), kept as plain data for the tokenizer
// fingerprint (src/core/sidecars/ggufTokenizer.ts): a GGUF download rarely has tokenizer files beside it.
import type { GgufValue } from './values';

export interface EmbeddedTokenizer {
  /** The file it was read from (name only). */
  file: string;
  /** tokenizer.ggml.model: llama (SentencePiece), gpt2 (byte-level BPE), bert, t5 … */
  model: string;
  tokens: string[];
  scores: number[] | null;
  /** llama.cpp's token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. */
  tokenTypes: number[] | null;
  merges: string[];
}

function items(v: GgufValue | undefined): GgufValue[] | null {
  return typeof v === 'object' ? v.items : null;
}

export function ggufTokenizer(values: Map<string, GgufValue>, file: string): EmbeddedTokenizer | undefined {
  const tokens = items(values.get('tokenizer.ggml.tokens'));
  if (!tokens || tokens.length === 0 || !tokens.every((x) => typeof x === 'string')) return undefined;
  const model = values.get('tokenizer.ggml.model');
  const scores = items(values.get('tokenizer.ggml.scores'));
  const types = items(values.get('tokenizer.ggml.token_type'));
  const merges = items(values.get('tokenizer.ggml.merges'));
  const numbers = (a: GgufValue[] | null) => (a && a.length === tokens.length && a.every((x) => typeof x === 'number') ? (a as number[]) : null);
  return {
    file, model: typeof model === 'string' ? model.slice(0, 64) : 'unknown', tokens: tokens as string[], scores: numbers(scores),
    tokenTypes: numbers(types), merges: merges ? merges.filter((m): m is string => typeof m === 'string') : [],
  };
}
