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
  // 으로/로: a final ㄹ takes 로 (길로, 파일로).
  if (batchim === '으로' && b === RIEUL) return plain;
  return b === 0 ? plain : batchim;
}

/** `word` followed by the particle that fits it: withParticle('프로젝터', '은', '는') is "프로젝터는". */
export function withParticle(word: string, batchim: BatchimParticle, plain: PlainParticle): string {
  return word + particle(word, batchim, plain);
}
