// Korean particles that depend on the preceding word: 은/는, 이/가, 을/를, 과/와, 으로/로.
// The choice follows the final Hangul syllable's batchim (final consonant); a word that does not end in Hangul
// (a Latin tensor or reference name, a number) keeps the generic written form, e.g. "은(는)", "(으)로".

export type BatchimParticle = '은' | '이' | '을' | '과' | '으로';
export type PlainParticle = '는' | '가' | '를' | '와' | '로';

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** The batchim index of ㄹ in a precomposed syllable ((code − 0xAC00) % 28). */
const RIEUL = 8;

/**
 * The batchim index of the word's last syllable (0: none), or null when the word does not end in Hangul. A trailing
 * parenthetical is skipped: the particle agrees with the word it explains ("스크래치(처음부터 학습)는").
 */
function finalBatchim(word: string): number | null {
  const bare = word.replace(/\s*\([^()]*\)\s*$/, '').trimEnd();
  if (!bare) return null;
  const c = bare.codePointAt(bare.length - 1)!;
  if (c < HANGUL_FIRST || c > HANGUL_LAST) return null;
  return (c - HANGUL_FIRST) % 28;
}

/** The particle alone, for `word`. */
export function particle(word: string, batchim: BatchimParticle, plain: PlainParticle): string {
  const b = finalBatchim(word);
  if (b === null) return plain.length < batchim.length && batchim.endsWith(plain) ? `(${batchim.slice(0, -plain.length)})${plain}` : `${batchim}(${plain})`;
  return byBatchim(b, batchim, plain);
}

/** The form for a final consonant `b` (0: none); 으로/로: a final ㄹ takes 로 (길로, 파일로). */
function byBatchim(b: number, batchim: BatchimParticle, plain: PlainParticle): string {
  return b === 0 || (batchim === '으로' && b === RIEUL) ? plain : batchim;
}

/** `word` followed by the particle that fits it: withParticle('프로젝터', '은', '는') is "프로젝터는". */
export function withParticle(word: string, batchim: BatchimParticle, plain: PlainParticle): string {
  return word + particle(word, batchim, plain);
}

/** The batchim of a number's last digit read in Sino-Korean (1 일, 3 삼, 0 십/백/천/영…): all but 2, 4, 5 and 9 have one. */
function digitBatchim(d: string): number {
  return '2459'.includes(d) ? 0 : '178'.includes(d) ? RIEUL : 1;
}

const GENERIC = /([\p{L}\p{N}])(은\(는\)|이\(가\)|을\(를\)|과\(와\)|\(으\)로)/gu;
const PAIRS: Record<string, [BatchimParticle, PlainParticle]> = {
  '은(는)': ['은', '는'], '이(가)': ['이', '가'], '을(를)': ['을', '를'], '과(와)': ['과', '와'], '(으)로': ['으로', '로'],
};

/**
 * A translated message with its generic particles ("{0}을(를)") fitted to the word the placeholder became, where the
 * word ends in Hangul or a digit ("모델을", "파일로", "3을"); after a Latin name the generic form stays ("vit_R을(를)").
 */
export function fitParticles(text: string): string {
  return text.replace(GENERIC, (all, last: string, generic: string, at: number) => {
    const [withBatchim, plain] = PAIRS[generic];
    // A number is read in Korean, unless it ends a model name ("Qwen2", "v1"), which may be read in English.
    const b = /[0-9]/.test(last) ? (/[A-Za-z][0-9.]*$/.test(text.slice(0, at)) ? null : digitBatchim(last)) : finalBatchim(last);
    return b === null ? all : last + byBatchim(b, withBatchim, plain);
  });
}
