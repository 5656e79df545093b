// A checkpoint folder's tokenizer files, read as data (no tokenizer runtime): `tokenizer.json` (Hugging Face
// tokenizers), else SentencePiece `tokenizer.model`, else `vocab.json` + `merges.txt` (GPT-2) or `vocab.txt`
// (WordPiece); `tokenizer_config.json` beside any of them. Every file is untrusted: size limits, bounded JSON, token
// ids checked, a broken file is one problem line naming it, never a failure of the audit.
import { createHash } from 'node:crypto';
import { t } from '../l10n';
import { parseJsonBytes } from '../format/jsonScan';
import { MAX_SIDECAR_BYTES } from './claims';
import { localSidecars, sidecarProblem, type SidecarSource } from './source';
import { parseSentencePiece, ProtobufError } from './sentencePiece';

/** Tokenizer type names, as the files write them. */
export type TokenizerType = 'BPE' | 'Unigram' | 'WordPiece' | 'WordLevel' | 'unknown'; // l10n-ignore: type names
export const TOKENIZER_TYPES: readonly TokenizerType[] = ['BPE', 'Unigram', 'WordPiece', 'WordLevel', 'unknown']; // l10n-ignore: type names

export interface SpecialToken {
  id: number | null;
  content: string;
  /** 'bos', 'eos', 'unk', 'pad', … from tokenizer_config.json, 'added' for added tokens, 'control'/'byte' from SentencePiece. */
  role: string;
}

/** What a tokenizer's files say besides its vocabulary (kept as they are in its fingerprint). */
export interface TokenizerSettings {
  /** The files read, in the folder. */
  files: string[];
  type: TokenizerType;
  specialTokens: SpecialToken[];
  /** The `type` names of the normaliser, pre-tokeniser and decoder (nested sequences included). */
  normalizer: string[];
  preTokenizer: string[];
  decoder: string[];
  tokenizerClass: string | null;
  chatTemplateSha256: string | null;
}

export interface TokenizerVocabulary extends TokenizerSettings {
  /** Token by id; ids without a token are undefined. */
  tokens: (string | undefined)[];
  /** Unigram / SentencePiece scores by id, else null. */
  scores: Float64Array | null;
  /** BPE merges in rank order, as "left right". */
  merges: string[];
  /** Ids of tokens that are not learned: added, special, control, byte and unknown tokens. */
  special: Set<number>;
}

/** A tokenizer.json or tokenizer.model is megabytes (Gemma's is 33 MB); vocab.json and merges.txt likewise. */
export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;
const MAX_TOKENIZER_VALUES = 16_000_000;
/** Largest token id read (the largest vocabularies in use are ~262k). */
export const MAX_VOCAB = 4_000_000;
const MAX_TOKEN_CHARS = 1024;
const MAX_SPECIAL = 64;
const MAX_SETTING_NAMES = 16;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

class TokenizerFileError extends Error {}

function problemOf(name: string, e: unknown): string {
  if (e instanceof TokenizerFileError) return `${name}: ${e.message}`;
  if (e instanceof ProtobufError) return t('{0}: not a SentencePiece model ({1})', name, e.message);
  return sidecarProblem(name, e, MAX_TOKENIZER_BYTES);
}

/** Runs `read` on a sidecar; an absent file gives undefined, a broken one a problem line and undefined. */
async function attempt<T>(name: string, problems: string[], read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    problems.push(problemOf(name, e));
    return undefined;
  }
}

/** A JSON file of the source, parsed within the tokenizer limits; undefined when absent. */
async function json(source: SidecarSource, name: string, maxBytes = MAX_TOKENIZER_BYTES): Promise<unknown> {
  const bytes = await source.read(name, maxBytes);
  return bytes ? parseJsonBytes(bytes, { maxValues: MAX_TOKENIZER_VALUES }) : undefined;
}

const fail = (reason: string): never => { throw new TokenizerFileError(reason); };

function checkId(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v >= MAX_VOCAB) fail(t('{0}: a token id is not an integer from 0 to {1}', where, MAX_VOCAB - 1));
  return v as number;
}

function checkToken(v: unknown, where: string): string {
  if (typeof v !== 'string') return fail(t('{0}: a token is not a string', where));
  return v.length > MAX_TOKEN_CHARS ? v.slice(0, MAX_TOKEN_CHARS) : v;
}

function emptyVocabulary(files: string[], type: TokenizerType): TokenizerVocabulary {
  return { files, type, tokens: [], scores: null, merges: [], special: new Set(), specialTokens: [], normalizer: [], preTokenizer: [], decoder: [], tokenizerClass: null, chatTemplateSha256: null };
}

/** `{token: id}` into tokens by id. */
function vocabFromObject(vocab: unknown, where: string, tokens: (string | undefined)[]): void {
  if (!isRecord(vocab)) fail(t('{0} is not an object', where));
  for (const [token, id] of Object.entries(vocab as Json)) tokens[checkId(id, where)] = checkToken(token, where);
}

function mergesFrom(merges: unknown, where: string): string[] {
  if (merges === undefined || merges === null) return [];
  if (!Array.isArray(merges)) return fail(t('{0} is not an array', where));
  return merges.map((m) => {
    if (typeof m === 'string') return m.slice(0, 2 * MAX_TOKEN_CHARS + 1);
    if (Array.isArray(m) && m.length === 2) return `${checkToken(m[0], where)} ${checkToken(m[1], where)}`;
    return fail(t('{0}: a merge is neither "a b" nor a pair', where));
  });
}

/** The `type` names of a normaliser / pre-tokeniser / decoder setting, nested sequences included (bounded). */
function settingNames(v: unknown): string[] {
  const out: string[] = [];
  const visit = (x: unknown, depth: number): void => {
    if (!isRecord(x) || depth > 4 || out.length >= MAX_SETTING_NAMES) return;
    const type = own(x, 'type');
    if (typeof type === 'string') out.push(type.slice(0, 64));
    for (const key of ['normalizers', 'pretokenizers', 'decoders']) {
      const list = own(x, key);
      if (Array.isArray(list)) for (const item of list.slice(0, MAX_SETTING_NAMES)) visit(item, depth + 1);
    }
  };
  visit(v, 0);
  return out;
}

function fromTokenizerJson(doc: unknown): TokenizerVocabulary {
  if (!isRecord(doc)) return fail(t('not a JSON object'));
  const model = own(doc, 'model');
  if (!isRecord(model)) return fail(t('"model" is not an object'));
  const declared = own(model, 'type');
  const vocab = own(model, 'vocab');
  const type: TokenizerType = typeof declared === 'string' && (TOKENIZER_TYPES as readonly string[]).includes(declared) ? declared as TokenizerType
    : Array.isArray(vocab) ? 'Unigram' : own(model, 'merges') ? 'BPE' : 'unknown'; // l10n-ignore: type names
  const out = emptyVocabulary(['tokenizer.json'], type);
  if (Array.isArray(vocab)) {
    out.scores = new Float64Array(vocab.length);
    vocab.forEach((entry, id) => {
      if (id >= MAX_VOCAB) fail(t('{0}: a token id is not an integer from 0 to {1}', 'model.vocab', MAX_VOCAB - 1));
      if (!Array.isArray(entry) || entry.length < 2 || typeof entry[1] !== 'number') fail(t('{0}: an entry is not [piece, score]', 'model.vocab'));
      out.tokens[id] = checkToken(entry[0], 'model.vocab');
      out.scores![id] = entry[1] as number;
    });
  } else vocabFromObject(vocab, 'model.vocab', out.tokens);
  out.merges = mergesFrom(own(model, 'merges'), 'model.merges');
  const added = own(doc, 'added_tokens');
  if (Array.isArray(added)) {
    for (const a of added) {
      if (!isRecord(a)) continue;
      const id = checkId(own(a, 'id'), 'added_tokens');
      const content = checkToken(own(a, 'content'), 'added_tokens');
      out.tokens[id] = content;
      out.special.add(id);
      if (out.specialTokens.length < MAX_SPECIAL) out.specialTokens.push({ id, content, role: own(a, 'special') === true ? 'special' : 'added' });
    }
  }
  out.normalizer = settingNames(own(doc, 'normalizer'));
  out.preTokenizer = settingNames(own(doc, 'pre_tokenizer'));
  out.decoder = settingNames(own(doc, 'decoder'));
  return out;
}

function fromSentencePiece(bytes: Uint8Array): TokenizerVocabulary {
  const model = parseSentencePiece(bytes);
  const out = emptyVocabulary(['tokenizer.model'], model.modelType === 'bpe' ? 'BPE' : model.modelType === 'unigram' ? 'Unigram' : 'WordLevel'); // l10n-ignore: type names
  out.scores = new Float64Array(model.pieces.length);
  model.pieces.forEach((p, id) => {
    out.tokens[id] = p.piece.slice(0, MAX_TOKEN_CHARS);
    out.scores![id] = p.score;
    if (p.type !== 'normal') {
      out.special.add(id);
      if (p.type !== 'byte' && out.specialTokens.length < MAX_SPECIAL) out.specialTokens.push({ id, content: out.tokens[id]!, role: p.type });
    }
  });
  if (model.normalizer) out.normalizer = [model.normalizer.slice(0, 64)];
  return out;
}

async function fromVocabFiles(folder: SidecarSource, problems: string[]): Promise<TokenizerVocabulary | undefined> {
  const vocab = await attempt('vocab.json', problems, () => json(folder, 'vocab.json'));
  if (vocab !== undefined) {
    const out = await attempt('vocab.json', problems, async () => {
      if (!isRecord(vocab)) fail(t('not a JSON object'));
      const v = emptyVocabulary(['vocab.json'], 'BPE');
      vocabFromObject(vocab, 'vocab.json', v.tokens);
      return v;
    });
    if (!out) return undefined;
    const merges = await attempt('merges.txt', problems, async () => (await folder.read('merges.txt', MAX_TOKENIZER_BYTES)) ?? undefined);
    if (merges) {
      out.files.push('merges.txt');
      out.merges = merges.toString('utf8').split(/\r?\n/).filter((line, i) => line && !(i === 0 && line.startsWith('#version')))
        .map((m) => m.slice(0, 2 * MAX_TOKEN_CHARS + 1));
    } else out.type = 'WordLevel';
    return out;
  }
  const text = await attempt('vocab.txt', problems, async () => (await folder.read('vocab.txt', MAX_TOKENIZER_BYTES)) ?? undefined);
  if (!text) return undefined;
  const out = emptyVocabulary(['vocab.txt'], 'WordPiece');
  const lines = text.toString('utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_VOCAB) { problems.push(t('{0}: more than {1} tokens', 'vocab.txt', MAX_VOCAB)); return undefined; }
  lines.forEach((line, id) => { out.tokens[id] = line.slice(0, MAX_TOKEN_CHARS); });
  return out;
}

/** tokenizer_config.json: the special tokens' roles, the tokenizer class, the chat template's hash, added tokens. */
function applyTokenizerConfig(out: TokenizerVocabulary, config: unknown): void {
  if (!isRecord(config)) fail(t('not a JSON object'));
  const c = config as Json;
  out.files.push('tokenizer_config.json');
  const byToken = new Map<string, number>();
  out.tokens.forEach((tok, id) => { if (tok !== undefined && !byToken.has(tok)) byToken.set(tok, id); });
  const decoder = own(c, 'added_tokens_decoder');
  if (isRecord(decoder)) {
    for (const [key, v] of Object.entries(decoder)) {
      const id = Number(key);
      if (!Number.isSafeInteger(id) || id < 0 || id >= MAX_VOCAB || !isRecord(v) || typeof own(v, 'content') !== 'string') continue;
      if (out.tokens[id] === undefined) out.tokens[id] = checkToken(own(v, 'content'), 'added_tokens_decoder');
      out.special.add(id);
    }
  }
  for (const key of ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token']) {
    const v = own(c, key);
    const content = typeof v === 'string' ? v : isRecord(v) && typeof own(v, 'content') === 'string' ? own(v, 'content') as string : null;
    if (content === null || out.specialTokens.length >= MAX_SPECIAL) continue;
    const text = content.slice(0, MAX_TOKEN_CHARS);
    const id = byToken.get(text) ?? null;
    if (id !== null) out.special.add(id);
    out.specialTokens = out.specialTokens.filter((s) => !(s.content === text && (s.role === 'special' || s.role === 'added' || s.role === 'control')));
    out.specialTokens.push({ id, content: text, role: key.replace(/_token$/, '') });
  }
  const cls = own(c, 'tokenizer_class');
  if (typeof cls === 'string') out.tokenizerClass = cls.slice(0, 100);
  const template = own(c, 'chat_template');
  if (template !== undefined && template !== null) out.chatTemplateSha256 = createHash('sha256').update(JSON.stringify(template)).digest('hex');
}

export interface TokenizerRead {
  vocabulary: TokenizerVocabulary | null;
  /** One line per tokenizer file that could not be read, naming it. */
  problems: string[];
}

/**
 * Reads the tokenizer of `folder` (a local folder or a source such as a Hub repository's); a folder without
 * tokenizer files gives a null vocabulary and no problem.
 */
export async function readTokenizerFiles(from: string | SidecarSource): Promise<TokenizerRead> {
  const folder = typeof from === 'string' ? localSidecars(from) : from;
  const problems: string[] = [];
  let vocabulary: TokenizerVocabulary | undefined = await attempt('tokenizer.json', problems, async () => {
    const doc = await json(folder, 'tokenizer.json');
    return doc === undefined ? undefined : fromTokenizerJson(doc);
  });
  vocabulary ??= await attempt('tokenizer.model', problems, async () => {
    const bytes = await folder.read('tokenizer.model', MAX_TOKENIZER_BYTES);
    return bytes ? fromSentencePiece(bytes) : undefined;
  });
  vocabulary ??= await fromVocabFiles(folder, problems);
  if (vocabulary) {
    const v = vocabulary;
    const config = await attempt('tokenizer_config.json', problems, () => json(folder, 'tokenizer_config.json', MAX_SIDECAR_BYTES));
    if (config !== undefined) await attempt('tokenizer_config.json', problems, async () => applyTokenizerConfig(v, config));
    if (!v.tokens.some((x) => x !== undefined)) {
      problems.push(t('{0}: no tokens', v.files[0]));
      return { vocabulary: null, problems };
    }
  }
  return { vocabulary: vocabulary ?? null, problems };
}
