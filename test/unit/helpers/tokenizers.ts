// Tiny tokenizers trained from generated text, for the tokenizer-lineage tests: a seeded pseudo-natural corpus
// (Zipf-distributed lexicon per language), GPT-2-style byte-level BPE, a SentencePiece-like Unigram, and the
// derivations a suspect applies to a base tokenizer (extend, reorder, truncate). The file writers are in
// tokenizerFormats.ts and re-exported here. Node built-ins only; everything is deterministic.

export * from './tokenizerFormats';
import { mulberry32 } from '../../../src/core/fingerprint/plan';

export interface BpeTokenizer {
  /** vocab[i] is the token with id i. */
  vocab: string[];
  merges: [string, string][];
}

export interface UnigramTokenizer {
  pieces: { piece: string; score: number; type: 'normal' | 'unknown' | 'control' | 'byte' }[];
}

export { mulberry32 };

// ---- Corpus ----------------------------------------------------------------------------------------------------

interface Language { onsets: string[]; nuclei: string[]; codas: string[]; seed: number }
const LANGUAGES: Record<'a' | 'b', Language> = {
  a: {
    onsets: ['', '', 'b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'st', 'tr', 'pl', 'ch', 'sh', 'th'],
    nuclei: ['a', 'e', 'i', 'o', 'u', 'ea', 'ou', 'ai'],
    codas: ['', '', '', '', 'n', 'r', 's', 't', 'l', 'nd', 'st', 'm'],
    seed: 0x5eed_a11c,
  },
  b: {
    onsets: ['', 'j', 'z', 'x', 'q', 'c', 'y', 'kv', 'dz', 'sv', 'ts', 'gy', 'ny', 'zh', 'h'],
    nuclei: ['ä', 'ö', 'y', 'aa', 'ii', 'uu', 'e', 'o', 'ü'],
    codas: ['', '', '', 'k', 'j', 'x', 'ts', 'kk', 'ng'],
    seed: 0x5eed_b0b0,
  },
};
const LEXICON_SIZE = 3000;
const SYLLABLES = [1, 1, 2, 2, 2, 2, 3, 3, 3, 4];
const lexicons = new Map<string, { words: string[]; cumulative: Float64Array }>();

/** The language's word types, most frequent first, and their cumulative Zipf-Mandelbrot weights. */
function lexicon(language: 'a' | 'b'): { words: string[]; cumulative: Float64Array } {
  const cached = lexicons.get(language);
  if (cached) return cached;
  const { onsets, nuclei, codas, seed } = LANGUAGES[language];
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const types = new Set<string>();
  while (types.size < LEXICON_SIZE) {
    let w = '';
    for (let n = pick(SYLLABLES); n > 0; n--) w += pick(onsets) + pick(nuclei) + pick(codas);
    types.add(w);
  }
  // Short words tend to be the frequent ones; the noise keeps it a tendency.
  const ranked = [...types].map((w) => ({ w, key: w.length + r() * 4 })).sort((x, y) => x.key - y.key || (x.w < y.w ? -1 : 1));
  const cumulative = new Float64Array(ranked.length);
  let sum = 0;
  ranked.forEach((_, rank) => { sum += 1 / Math.pow(rank + 2.7, 1.05); cumulative[rank] = sum; });
  const result = { words: ranked.map((x) => x.w), cumulative };
  lexicons.set(language, result);
  return result;
}

/** Deterministic pseudo-natural text of `words` space-separated words (sentence punctuation, capitalised starts). */
export function corpusText(opts: { seed: number; words: number; language?: 'a' | 'b' }): string {
  const { words, cumulative } = lexicon(opts.language ?? 'a');
  const r = mulberry32(opts.seed);
  const total = cumulative[cumulative.length - 1];
  const out: string[] = [];
  let sentenceStart = true;
  for (let i = 0; i < opts.words; i++) {
    const u = r() * total;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid] < u) lo = mid + 1; else hi = mid; }
    let w = words[lo];
    if (sentenceStart) w = w[0].toUpperCase() + w.slice(1);
    sentenceStart = false;
    const p = r();
    if (i === opts.words - 1 || p < 0.07) { w += p < 0.004 ? '?' : p < 0.006 ? '!' : '.'; sentenceStart = true; } else if (p < 0.13) w += ',';
    out.push(w);
  }
  return out.join(' ');
}

// ---- BPE ---------------------------------------------------------------------------------------------------------

/** GPT-2's bytes_to_unicode: BYTE_CHARS[b] is the character for byte b; BYTE_ALPHABET is GPT-2's id order. */
const BYTE_CHARS: string[] = new Array<string>(256);
export const BYTE_ALPHABET: string[] = [];
{
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  for (let b = 0; b < 256; b++) if (printable(b)) { BYTE_CHARS[b] = String.fromCharCode(b); BYTE_ALPHABET.push(BYTE_CHARS[b]); }
  let n = 0;
  for (let b = 0; b < 256; b++) if (!printable(b)) { BYTE_CHARS[b] = String.fromCharCode(256 + n++); BYTE_ALPHABET.push(BYTE_CHARS[b]); }
}

/** GPT-2's pre-tokenisation pattern. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Pre-tokenised word types and their counts: a leading space becomes 'Ġ' (byte-level maps every UTF-8 byte). */
export function bpeWords(text: string, byteLevel = true): Map<string, number> {
  const pieces = new Map<string, number>();
  for (const [piece] of text.matchAll(GPT2_SPLIT)) pieces.set(piece, (pieces.get(piece) ?? 0) + 1);
  const counts = new Map<string, number>();
  for (const [piece, c] of pieces) {
    const w = byteLevel ? Array.from(Buffer.from(piece, 'utf8'), (b) => BYTE_CHARS[b]).join('') : piece.replace(/ /g, 'Ġ');
    counts.set(w, (counts.get(w) ?? 0) + c);
  }
  return counts;
}

/** GPT-2-style BPE: merge the most frequent adjacent pair (ties: lexicographically smallest) until vocabSize. */
export function trainBpe(text: string, vocabSize: number, opts: { byteLevel?: boolean } = {}): BpeTokenizer {
  const byteLevel = opts.byteLevel ?? true;
  const counts = bpeWords(text, byteLevel);
  const vocab = byteLevel ? [...BYTE_ALPHABET] : [...new Set([...counts.keys()].flatMap((w) => Array.from(w)))].sort();
  const ids = new Map(vocab.map((t, i) => [t, i]));
  const PAIR = Math.max(vocabSize, vocab.length); // pair key a * PAIR + b: small integers while the vocab is small
  const words = [...counts.keys()].map((w) => Array.from(w, (c) => ids.get(c)!));
  const freq = [...counts.values()];
  const pairCount = new Map<number, number>();
  const where = new Map<number, number[]>(); // words that held the pair (with repeats; checked when merged)
  const seen = new Int32Array(words.length).fill(-1);
  const touched = new Set<number>();
  const account = (wi: number, sign: 1 | -1) => {
    const w = words[wi];
    for (let i = 0; i + 1 < w.length; i++) {
      const key = w[i] * PAIR + w[i + 1];
      const c = (pairCount.get(key) ?? 0) + sign * freq[wi];
      if (c > 0) pairCount.set(key, c); else pairCount.delete(key);
      touched.add(key);
      if (sign > 0) { const s = where.get(key); if (s) s.push(wi); else where.set(key, [wi]); }
    }
  };
  // Lazy max-heap of [count, pair]: an entry is current while pairCount still holds its count.
  const heap: [number, number][] = [];
  const above = (x: [number, number], y: [number, number]): boolean => {
    if (x[0] !== y[0]) return x[0] > y[0];
    const a = vocab[Math.floor(x[1] / PAIR)], b = vocab[Math.floor(y[1] / PAIR)];
    return a < b || (a === b && vocab[x[1] % PAIR] < vocab[y[1] % PAIR]);
  };
  const swap = (i: number, j: number) => { const t = heap[i]; heap[i] = heap[j]; heap[j] = t; };
  const flush = () => {
    for (const key of touched) {
      const c = pairCount.get(key);
      if (c === undefined) continue;
      heap.push([c, key]);
      for (let i = heap.length - 1, p = (i - 1) >> 1; i > 0 && above(heap[i], heap[p]); i = p, p = (i - 1) >> 1) swap(i, p);
    }
    touched.clear();
  };
  const pop = (): [number, number] => {
    const top = heap[0], last = heap.pop()!;
    if (heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && above(heap[l], heap[m])) m = l;
      if (r < heap.length && above(heap[r], heap[m])) m = r;
      if (m === i) return top;
      swap(i, m);
      i = m;
    }
  };
  words.forEach((_, wi) => account(wi, 1));
  flush();
  const merges: [string, string][] = [];
  while (vocab.length < vocabSize) {
    let best = -1;
    while (heap.length && best < 0) { const [c, key] = pop(); if (pairCount.get(key) === c) best = key; }
    if (best < 0 || pairCount.get(best)! < 2) break; // no pair occurs twice
    const a = Math.floor(best / PAIR), b = best % PAIR;
    const merged = vocab[a] + vocab[b];
    let id = ids.get(merged);
    if (id === undefined) { id = vocab.length; vocab.push(merged); ids.set(merged, id); }
    merges.push([vocab[a], vocab[b]]);
    for (const wi of where.get(best) ?? []) {
      if (seen[wi] === merges.length) continue;
      seen[wi] = merges.length;
      const w = words[wi];
      let has = false;
      for (let i = 0; i + 1 < w.length && !has; i++) has = w[i] === a && w[i + 1] === b;
      if (!has) continue;
      account(wi, -1);
      const next: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) { next.push(id); i++; } else next.push(w[i]);
      }
      words[wi] = next;
      account(wi, 1);
    }
    where.delete(best);
    flush();
  }
  return { vocab, merges };
}

// ---- Unigram -----------------------------------------------------------------------------------------------------

/** SentencePiece-like pieces: specials, every character, then the top substrings by frequency × (length − 1). */
export function trainUnigram(text: string, vocabSize: number): UnigramTokenizer {
  const counts = new Map<string, number>();
  for (const w of text.split(/\s+/)) if (w) counts.set(`▁${w}`, (counts.get(`▁${w}`) ?? 0) + 1);
  const chars = new Map<string, number>();
  const subs = new Map<string, number>();
  for (const [word, c] of counts) {
    const cp = Array.from(word);
    const at = [0]; // code-unit offset of each code point
    for (const ch of cp) at.push(at[at.length - 1] + ch.length);
    for (let i = 0; i < cp.length; i++) {
      chars.set(cp[i], (chars.get(cp[i]) ?? 0) + c);
      for (let len = 2; len <= 8 && i + len <= cp.length; len++) {
        const s = word.slice(at[i], at[i + len]);
        subs.set(s, (subs.get(s) ?? 0) + c);
      }
    }
  }
  const room = vocabSize - 3 - chars.size;
  if (room < 0) throw new Error(`vocabSize ${vocabSize} is below the ${3 + chars.size} specials and characters`);
  const ranked = [...subs].map(([s, f]) => ({ s, f, w: f * (Array.from(s).length - 1) }));
  ranked.sort((x, y) => y.w - x.w || (x.s < y.s ? -1 : 1));
  const all: [string, number][] = [...chars, ...ranked.slice(0, room).map((x): [string, number] => [x.s, x.f])];
  const total = all.reduce((s, [, f]) => s + f, 0);
  const scored = all.map(([piece, f]) => ({ piece, score: Math.fround(Math.log(f / total)), type: 'normal' as const }))
    .sort((x, y) => y.score - x.score || (x.piece < y.piece ? -1 : 1));
  return {
    pieces: [
      { piece: '<unk>', score: 0, type: 'unknown' }, { piece: '<s>', score: 0, type: 'control' }, { piece: '</s>', score: 0, type: 'control' },
      ...scored,
    ],
  };
}

// ---- Derivations -------------------------------------------------------------------------------------------------

/** Keeps tok's ids and merges, appends extra's new tokens and the merges (in order) that make them from present parts. */
export function extendBpe(tok: BpeTokenizer, extra: BpeTokenizer): BpeTokenizer {
  const vocab = [...tok.vocab];
  const present = new Set(vocab);
  const appended = new Set<string>();
  for (const t of extra.vocab) if (!present.has(t)) { vocab.push(t); present.add(t); appended.add(t); }
  const merges = tok.merges.map((m): [string, string] => [m[0], m[1]]);
  for (const [a, b] of extra.merges) if (appended.has(a + b) && present.has(a) && present.has(b)) merges.push([a, b]);
  return { vocab, merges };
}

/** The ids of the base alphabet: the tokens before the first one a merge produces. */
function baseSize(tok: BpeTokenizer): number {
  const made = new Set(tok.merges.map(([a, b]) => a + b));
  const i = tok.vocab.findIndex((t) => made.has(t));
  return i < 0 ? tok.vocab.length : i;
}

/** Same tokens and merge order; the ids after the base alphabet shuffled with a seeded PRNG. */
export function reorderBpe(tok: BpeTokenizer, seed: number): BpeTokenizer {
  const base = baseSize(tok);
  const rest = tok.vocab.slice(base);
  const r = mulberry32(seed);
  for (let i = rest.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [rest[i], rest[j]] = [rest[j], rest[i]]; }
  return { vocab: [...tok.vocab.slice(0, base), ...rest], merges: tok.merges.map((m): [string, string] => [m[0], m[1]]) };
}

/** The first vocabSize tokens and the merges (in order) whose parts and result are among them. */
export function truncateBpe(tok: BpeTokenizer, vocabSize: number): BpeTokenizer {
  const vocab = tok.vocab.slice(0, vocabSize);
  const kept = new Set(vocab);
  return { vocab, merges: tok.merges.filter(([a, b]) => kept.has(a) && kept.has(b) && kept.has(a + b)).map((m): [string, string] => [m[0], m[1]]) };
}
