// Korean particles chosen by the final syllable's batchim (src/core/particles.ts), and their use in the
// Korean review labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitParticles, particle, withParticle } from '../../src/core/particles';
import { LABELS_KO } from '../../src/core/review/labels.ko';
import { t, useBundle } from '../../src/core/l10n';

test('은/는, 이/가, 을/를, 과/와 follow the batchim of the last Hangul syllable', () => {
  assert.equal(withParticle('프로젝터', '은', '는'), '프로젝터는');
  assert.equal(withParticle('언어 모델', '은', '는'), '언어 모델은');
  assert.equal(withParticle('비전 인코더', '은', '는'), '비전 인코더는');
  assert.equal(withParticle('오디오 인코더', '이', '가'), '오디오 인코더가');
  assert.equal(withParticle('검토 의견', '이', '가'), '검토 의견이');
  assert.equal(withParticle('텐서', '을', '를'), '텐서를');
  assert.equal(withParticle('근거', '을', '를'), '근거를');
  assert.equal(withParticle('레이어', '과', '와'), '레이어와');
  assert.equal(withParticle('계열', '과', '와'), '계열과');
});

test('으로/로: no batchim and ㄹ take 로, any other batchim 으로', () => {
  assert.equal(withParticle('모델', '으로', '로'), '모델로');
  assert.equal(withParticle('파일', '으로', '로'), '파일로');
  assert.equal(withParticle('텐서', '으로', '로'), '텐서로');
  assert.equal(withParticle('길', '으로', '로'), '길로');
  assert.equal(withParticle('근거', '으로', '로'), '근거로');
  assert.equal(withParticle('기준', '으로', '로'), '기준으로');
  assert.equal(withParticle('책', '으로', '로'), '책으로');
});

test('a word that does not end in Hangul keeps the generic form', () => {
  assert.equal(withParticle('vit_R', '은', '는'), 'vit_R은(는)');
  assert.equal(withParticle('vit_R', '이', '가'), 'vit_R이(가)');
  assert.equal(withParticle('lm_A', '을', '를'), 'lm_A을(를)');
  assert.equal(withParticle('model.safetensors', '과', '와'), 'model.safetensors과(와)');
  assert.equal(withParticle('vit_R', '으로', '로'), 'vit_R(으)로');
  assert.equal(withParticle('레이어 12', '은', '는'), '레이어 12은(는)');
  assert.equal(withParticle('', '은', '는'), '은(는)');
  assert.equal(particle('"기준"', '은', '는'), '은(는)');
});

test('a trailing parenthetical is skipped: the particle agrees with the word it explains', () => {
  assert.equal(withParticle('프롬 스크래치(처음부터 학습)', '은', '는'), '프롬 스크래치(처음부터 학습)는');
  assert.equal(withParticle('기준 모델 (vit_R)', '이', '가'), '기준 모델 (vit_R)이');
});

test('the Korean labels attach particles by the word: no "은(는)" after a Korean component name', () => {
  assert.equal(LABELS_KO.suggestedRationale(LABELS_KO.components.projector, LABELS_KO.verdicts.derived, 'vit_R'),
    '감사 결과 제안: 프로젝터는 기준 모델 "vit_R" 대비 **파생**입니다.');
  assert.equal(LABELS_KO.suggestedRationale(LABELS_KO.components.language, LABELS_KO.verdicts['no-evidence'], null),
    '감사 결과 제안: 언어 모델은 확인한 기준 모델 대비 **재사용 근거 없음**입니다.');
  assert.match(LABELS_KO.suggestedRationale('vit_R', LABELS_KO.verdicts.derived, null), /vit_R은\(는\) /);
  assert.equal(LABELS_KO.noFindings, '검토 의견이 없습니다.');
  assert.equal(LABELS_KO.noLibrary, '사용한 기준 모델이 없습니다.');
  assert.match(LABELS_KO.architecture.note, /공개 계열과 텐서 이름과 형상이 같습니다\. 공개 아키텍처는 .* 핑거프린트 근거로만 판단합니다\.$/);
});

test('the Korean architecture section says what the editor says for the same English (one translation of each term)', async () => {
  const ko = (await import('../../l10n/bundle.l10n.ko.json')).default as Record<string, string>;
  const { LABELS_EN } = await import('../../src/core/review/labels');
  const A = LABELS_EN.architecture;
  const K = LABELS_KO.architecture;
  assert.equal(K.title, ko[A.title]);
  for (const c of ['exact', 'shapes', 'layout'] as const) assert.equal(K.confidences[c], ko[A.confidences[c]], c);
  assert.equal(K.summaryText({ kind: 'layout', family: 'Qwen2' }), '텐서 구조는 Qwen2과(와) 같고 크기는 다름');
  assert.equal(A.summaryText({ kind: 'layout', family: 'Qwen2' }), 'same tensor layout as Qwen2, other sizes');
});

test('fitParticles fits the generic particles of a translated message to the word before them', () => {
  assert.equal(fitParticles('검토 보고서를 보고서(으)로 내보냅니다'), '검토 보고서를 보고서로 내보냅니다');
  assert.equal(fitParticles('파일(으)로, 모델(으)로'), '파일로, 모델로');
  assert.equal(fitParticles('언어 모델을(를) 제거할까요? 프로젝터을(를)'), '언어 모델을 제거할까요? 프로젝터를');
  assert.equal(fitParticles('비전 인코더이(가) 있습니다; 텐서 구조은(는)'), '비전 인코더가 있습니다; 텐서 구조는');
  assert.equal(fitParticles('김과(와) 이과(와) 박과(와)'), '김과 이와 박과');
  // Numbers read in Sino-Korean: 1 일, 2 이, 3 삼, 10 십, 7 칠 (ㄹ takes 로).
  assert.equal(fitParticles('버전 1을(를), 버전 2을(를), 버전 3은(는), 10이(가), 7(으)로, 6(으)로'), '버전 1을, 버전 2를, 버전 3은, 10이, 7로, 6으로');
  // After a Latin name, a closing bracket or a model name's digits the generic form stays.
  assert.equal(fitParticles('vit_R을(를) 추가했습니다'), 'vit_R을(를) 추가했습니다');
  assert.equal(fitParticles('"모델"을(를)'), '"모델"을(를)');
  assert.equal(fitParticles('Qwen2과(와) 같음; Qwen2.5은(는)'), 'Qwen2과(와) 같음; Qwen2.5은(는)');
  assert.equal(fitParticles('no particle here'), 'no particle here');
});

test('t() fits the particles in Korean and leaves English alone', () => {
  useBundle({ 'Remove {0} from the library?': '라이브러리에서 {0}을(를) 제거할까요?' }, 'ko');
  try {
    assert.equal(t('Remove {0} from the library?', '기준 모델'), '라이브러리에서 기준 모델을 제거할까요?');
    assert.equal(t('Remove {0} from the library?', '프로젝터'), '라이브러리에서 프로젝터를 제거할까요?');
    assert.equal(t('Remove {0} from the library?', 'vit_R'), '라이브러리에서 vit_R을(를) 제거할까요?');
  } finally {
    useBundle({}, 'en');
  }
  assert.equal(t('Remove {0} from the library?', 'vit_R'), 'Remove vit_R from the library?');
});
