// Checking a tokenizer fingerprint read from a .wpf file (hostile input): every field's type, range and length, and
// what the comparison relies on (sketches sorted, ids and ranks beside their hashes). A copy is built field by field,
// so nothing else of the file's object survives.
import { t } from '../l10n';
import { MAX_VOCAB, TOKENIZER_TYPES, type SpecialToken, type TokenizerType } from './tokenizerFiles';
import { MAX_BLOCKS, MERGE_HEAD, MERGE_SKETCH, TOKEN_SKETCH, type TokenizerFingerprint } from './tokenizerPrint';

/** JSON values a tokenizer fingerprint may hold (its arrays are bounded below). */
export const MAX_TOKENIZER_PRINT_VALUES = 64_000;
const MAX_MERGES = 64_000_000;
const HASH_LIMIT = 2 ** 53;

type Fail = (reason: string) => never;
type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

export function checkTokenizerFingerprint(value: unknown, fail: Fail): TokenizerFingerprint {
  const bad = (field: string): never => fail(t('tokenizer: {0} is missing or out of range', field));
  if (!isRecord(value)) return fail(t('tokenizer: not an object'));
  const get = (k: string) => own(value, k);
  const int = (k: string, max: number, v: unknown = get(k)): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max ? v : bad(k));
  const str = (k: string, max: number, v: unknown = get(k)): string => (typeof v === 'string' && v.length <= max ? v : bad(k));
  const hex = (k: string, v: unknown = get(k)): string => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? v : bad(k));
  const nullable = <T>(k: string, read: (v: unknown) => T): T | null => (get(k) === null || get(k) === undefined ? null : read(get(k)));
  const list = <T>(k: string, v: unknown, max: number, item: (x: unknown) => T): T[] => (Array.isArray(v) && v.length <= max ? v.map(item) : bad(k));
  const names = (k: string) => list(k, get(k), 16, (x) => str(k, 64, x));
  const hashes = (k: string, v: unknown, max: number, sorted: boolean): number[] => {
    const out = list(k, v, max, (x) => int(k, HASH_LIMIT - 1, x));
    if (sorted) for (let i = 1; i < out.length; i++) if (out[i] <= out[i - 1]) bad(k);
    return out;
  };

  const type = get('type');
  if (!(TOKENIZER_TYPES as readonly unknown[]).includes(type)) bad('type');
  const learned = int('learned', MAX_VOCAB);
  const merges = int('merges', MAX_MERGES);
  const sketch = get('sketch');
  if (!isRecord(sketch)) return bad('sketch');
  const sketchHash = hashes('sketch.hash', own(sketch, 'hash'), Math.min(TOKEN_SKETCH, learned), true);
  const sketchId = list('sketch.id', own(sketch, 'id'), sketchHash.length, (x) => int('sketch.id', MAX_VOCAB - 1, x));
  const rawScore = own(sketch, 'score');
  const sketchScore = rawScore === null || rawScore === undefined ? null
    : list('sketch.score', rawScore, sketchHash.length, (x) => (typeof x === 'number' && Number.isFinite(x) ? x : bad('sketch.score')));
  if (sketchId.length !== sketchHash.length || (sketchScore && sketchScore.length !== sketchHash.length)) bad('sketch');
  const mergeSketch = get('mergeSketch');
  if (!isRecord(mergeSketch)) return bad('mergeSketch');
  const mergeHash = hashes('mergeSketch.hash', own(mergeSketch, 'hash'), Math.min(MERGE_SKETCH, merges), true);
  const mergeRank = list('mergeSketch.rank', own(mergeSketch, 'rank'), mergeHash.length, (x) => int('mergeSketch.rank', Math.max(0, merges - 1), x));
  if (mergeRank.length !== mergeHash.length) bad('mergeSketch');
  const specialTokens = list('specialTokens', get('specialTokens'), 64, (x): SpecialToken => {
    if (!isRecord(x)) return bad('specialTokens');
    const id = own(x, 'id');
    return { id: id === null ? null : int('specialTokens.id', MAX_VOCAB - 1, id), content: str('specialTokens.content', 1024, own(x, 'content')), role: str('specialTokens.role', 32, own(x, 'role')) };
  });
  return {
    type: type as TokenizerType,
    files: list('files', get('files'), 8, (x) => str('files', 64, x)),
    vocabSize: int('vocabSize', MAX_VOCAB),
    tokens: int('tokens', MAX_VOCAB),
    learned,
    merges,
    vocabSha256: hex('vocabSha256'),
    mergesSha256: nullable('mergesSha256', (v) => hex('mergesSha256', v)),
    alphabetSha256: hex('alphabetSha256'),
    specialTokens,
    normalizer: names('normalizer'),
    preTokenizer: names('preTokenizer'),
    decoder: names('decoder'),
    tokenizerClass: nullable('tokenizerClass', (v) => str('tokenizerClass', 100, v)),
    chatTemplateSha256: nullable('chatTemplateSha256', (v) => hex('chatTemplateSha256', v)),
    sketch: { hash: sketchHash, id: sketchId, score: sketchScore },
    idBlocks: hashes('idBlocks', get('idBlocks'), MAX_BLOCKS, false),
    mergeHead: hashes('mergeHead', get('mergeHead'), Math.min(MERGE_HEAD, merges), false),
    mergeBlocks: hashes('mergeBlocks', get('mergeBlocks'), MAX_BLOCKS, false),
    mergeSketch: { hash: mergeHash, rank: mergeRank },
  };
}
