// File writers for the tiny tokenizers of tokenizers.ts: Hugging Face tokenizer.json, GPT-2 vocab.json and
// merges.txt, the SentencePiece tokenizer.model protobuf (with its own tiny encoder) and tokenizer_config.json.
import type { BpeTokenizer, UnigramTokenizer } from './tokenizers';

export interface AddedToken { id: number; content: string; special: boolean }

function isBpe(tok: BpeTokenizer | UnigramTokenizer): tok is BpeTokenizer {
  return 'merges' in tok;
}

/** {token: id} in id order, written by hand so numeric-looking tokens keep their place and '__proto__' is a key. */
function orderedVocab(vocab: string[]): string {
  return `{${vocab.map((t, i) => `${JSON.stringify(t)}:${i}`).join(',')}}`;
}

const BYTE_LEVEL = '{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}';
const METASPACE = '{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}';

/** The Hugging Face tokenizer.json text (tokenizers library format) of a BPE or Unigram tokenizer. */
export function tokenizerJson(
  tok: BpeTokenizer | UnigramTokenizer,
  opts: { mergesAsPairs?: boolean; added?: AddedToken[] } = {},
): string {
  const added = opts.added
    ?? (isBpe(tok) ? [] : tok.pieces.flatMap((p, id) => (p.type === 'normal' ? [] : [{ id, content: p.piece, special: true }])));
  const addedJson = JSON.stringify(added.map((a) => ({
    id: a.id, content: a.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: a.special,
  })));
  let normalizer: string, preTokenizer: string, decoder: string, model: string;
  if (isBpe(tok)) {
    normalizer = 'null';
    preTokenizer = decoder = BYTE_LEVEL;
    const merges = JSON.stringify(opts.mergesAsPairs ? tok.merges : tok.merges.map(([a, b]) => `${a} ${b}`));
    model = '{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,'
      + `"fuse_unk":false,"byte_fallback":false,"ignore_merges":false,"vocab":${orderedVocab(tok.vocab)},"merges":${merges}}`;
  } else {
    normalizer = '{"type":"Sequence","normalizers":[{"type":"Replace","pattern":{"String":" "},"content":"▁"}]}';
    preTokenizer = decoder = METASPACE;
    model = `{"type":"Unigram","unk_id":0,"vocab":${JSON.stringify(tok.pieces.map((p) => [p.piece, p.score]))},"byte_fallback":false}`;
  }
  return `{"version":"1.0","truncation":null,"padding":null,"added_tokens":${addedJson},"normalizer":${normalizer},`
    + `"pre_tokenizer":${preTokenizer},"post_processor":null,"decoder":${decoder},"model":${model}}`;
}

/** GPT-2 vocab.json: {token: id}. */
export function vocabJson(tok: BpeTokenizer): string {
  return orderedVocab(tok.vocab);
}

/** GPT-2 merges.txt: '#version: 0.2', then one 'a b' a line. */
export function mergesTxt(tok: BpeTokenizer): string {
  return ['#version: 0.2', ...tok.merges.map(([a, b]) => `${a} ${b}`)].join('\n') + '\n';
}

// ---- Protobuf (just what ModelProto needs) -----------------------------------------------------------------------

function varint(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`varint of ${n}`);
  const out: number[] = [];
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return Buffer.from(out);
}
const key = (field: number, wire: 0 | 2 | 5) => varint(field * 8 + wire);
const fieldVarint = (field: number, n: number) => Buffer.concat([key(field, 0), varint(n)]);
const fieldBytes = (field: number, body: Buffer) => Buffer.concat([key(field, 2), varint(body.length), body]);
const fieldString = (field: number, s: string) => fieldBytes(field, Buffer.from(s, 'utf8'));
function fieldFloat(field: number, x: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x);
  return Buffer.concat([key(field, 5), b]);
}

export const PIECE_TYPES = { normal: 1, unknown: 2, control: 3, user_defined: 4, unused: 5, byte: 6 } as const;
export const MODEL_TYPES = { unigram: 1, bpe: 2, word: 3, char: 4 } as const;

/** A BPE tokenizer's pieces as SentencePiece BPE writes them: id order, score −id, '<unk>' unknown, '<…>' control. */
function bpePieces(tok: BpeTokenizer): UnigramTokenizer['pieces'] {
  return tok.vocab.map((piece, id) => ({
    piece, score: -id, type: piece === '<unk>' ? 'unknown' : /^<[^<>\s]+>$/.test(piece) ? 'control' : 'normal',
  }));
}

/** The SentencePiece tokenizer.model (ModelProto: pieces, trainer_spec model_type and vocab_size, normalizer_spec name). */
export function sentencePieceModel(tok: UnigramTokenizer | BpeTokenizer, modelType: 'unigram' | 'bpe'): Buffer {
  const pieces = isBpe(tok) ? bpePieces(tok) : tok.pieces;
  const parts = pieces.map((p) => fieldBytes(1, Buffer.concat([fieldString(1, p.piece), fieldFloat(2, p.score), fieldVarint(3, PIECE_TYPES[p.type])])));
  parts.push(fieldBytes(2, Buffer.concat([fieldVarint(3, MODEL_TYPES[modelType]), fieldVarint(4, pieces.length)])));
  parts.push(fieldBytes(3, fieldString(1, 'nmt_nfkc')));
  return Buffer.concat(parts);
}

/** tokenizer_config.json; absent tokens and template are null. */
export function tokenizerConfigJson(opts: {
  bos?: string; eos?: string; unk?: string; pad?: string; chatTemplate?: string; tokenizerClass?: string;
}): string {
  return JSON.stringify({
    bos_token: opts.bos ?? null,
    eos_token: opts.eos ?? null,
    unk_token: opts.unk ?? null,
    pad_token: opts.pad ?? null,
    chat_template: opts.chatTemplate ?? null,
    tokenizer_class: opts.tokenizerClass ?? 'PreTrainedTokenizerFast',
    model_max_length: 2048,
  }, null, 2) + '\n';
}
