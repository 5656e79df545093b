// A GGUF file's embedded tokenizer as the vocabulary the tokenizer fingerprint reads (docs/tokenizer.md): llama.cpp's
// converter copies the tokens, SentencePiece scores and BPE merges of the Hugging Face files, so a GGUF and its source
// compare as the same tokenizer.
import type { EmbeddedTokenizer } from '../format/gguf/tokenizer';
import { MAX_VOCAB, type TokenizerType, type TokenizerVocabulary } from './tokenizerFiles';

const MAX_TOKEN_CHARS = 1024;
const MAX_SPECIAL = 64;

const TYPES: Record<string, TokenizerType> = { llama: 'BPE', gpt2: 'BPE', bert: 'WordPiece', t5: 'Unigram' }; // l10n-ignore: type names
const ROLES: Record<number, string> = { 2: 'unknown', 3: 'control', 4: 'user_defined', 5: 'unused' };

export function tokenizerFromGguf(e: EmbeddedTokenizer): TokenizerVocabulary {
  const n = Math.min(e.tokens.length, MAX_VOCAB);
  const out: TokenizerVocabulary = {
    files: [e.file], type: Object.hasOwn(TYPES, e.model) ? TYPES[e.model] : 'unknown', tokens: new Array(n), scores: e.scores ? Float64Array.from(e.scores.slice(0, n)) : null,
    merges: e.merges.map((m) => m.slice(0, 2 * MAX_TOKEN_CHARS + 1)), special: new Set(), specialTokens: [], normalizer: [], preTokenizer: [], decoder: [],
    tokenizerClass: null, chatTemplateSha256: null,
  };
  for (let id = 0; id < n; id++) {
    out.tokens[id] = e.tokens[id].slice(0, MAX_TOKEN_CHARS);
    const type = e.tokenTypes?.[id] ?? 1;
    if (type !== 1) {
      out.special.add(id);
      const role = ROLES[type];
      if (role && out.specialTokens.length < MAX_SPECIAL) out.specialTokens.push({ id, content: out.tokens[id]!, role });
    }
  }
  return out;
}
