// Localisation (issue 7): the English and Korean bundles hold the same keys (package.nls, l10n bundles, the webview's
// strings); every message in the code is in the bundles; the Korean labels use the glossary's terms; golden Korean
// exports of the corpus audit; `weightprint audit --lang`; and no hard-coded user-visible string in src/ or webview/.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/args';
import { auditCommand } from '../../src/cli/commands/audit';
import { CSV_COLUMNS, exportReview, GLOSSARY, LABELS_EN, LABELS_KO, labelsFor, notesLanguageFor, type ExportFormat, type ReviewLabels } from '../../src/core/review/index';
import { formatMessage, localisedRecord, t, translatorFromMap, useBundle } from '../../src/core/l10n';
import { parseWebviewL10n, WEBVIEW_L10N_EN } from '../../src/shared/webviewStrings';
import { WEBVIEW_L10N_KO } from '../../src/shared/webviewStrings.ko';
import { renderWebviewHtml } from '../../src/extension/editor/webviewHtml';
import { COMPONENT_LABEL, STATE_LABEL, summaryText, targetLabel, VERDICT_LABEL } from '../../src/shared/findingsView';
import { ensureFixtureCorpus } from './helpers/corpus';
import { goldenInputs } from './helpers/reviewCorpus';

before(() => ensureFixtureCorpus());

const ROOT = process.cwd();
const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));
const GOLDEN_DIR = join(ROOT, 'test', 'golden');
const FORMATS: ExportFormat[] = ['md', 'html', 'json', 'csv'];

interface BundleTools {
  extractMessages(root?: string): Map<string, string>;
  findHardCodedStrings(root?: string): [string, number, string][];
}
// scripts/l10n-bundle.mjs writes the English bundle from the code; the test uses the same scan.
const tools = (): Promise<BundleTools> => import(join(ROOT, 'scripts', 'l10n-bundle.mjs')) as Promise<BundleTools>;

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>, what: string): void {
  const missing = Object.keys(a).filter((k) => !(k in b));
  const extra = Object.keys(b).filter((k) => !(k in a));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: keys missing from / extra in the Korean file`);
  for (const [k, v] of Object.entries(b)) assert.ok(typeof v === 'string' && v.trim() !== '', `${what}: ${k} is empty`);
}

/** The {0}, {1}, … of a message, as a sorted list. */
const placeholders = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

test('package.nls.json and package.nls.ko.json hold the same keys, and package.json uses them for every contributed string', () => {
  const en = readJson('package.nls.json');
  const ko = readJson('package.nls.ko.json');
  sameKeys(en, ko, 'package.nls');
  const pkg = readJson('package.json') as { l10n?: string; description: string; contributes: Record<string, unknown> };
  assert.equal(pkg.l10n, './l10n');
  const used = new Set<string>();
  const unlocalised: string[] = [];
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      const m = /^%(.+)%$/.exec(v);
      if (m) used.add(m[1]);
      else if (/(^|\.)(title|description|markdownDescription|displayName|name|contents|enumDescriptions\[\d+\])$/.test(path) && v !== 'Weightprint') unlocalised.push(`${path}: ${v}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  visit({ description: pkg.description, contributes: pkg.contributes }, '');
  // Category, container and configuration titles are the product name, the same in every language.
  assert.deepEqual(unlocalised, [], 'contributed strings without a %key%');
  assert.deepEqual([...used].filter((k) => !(k in en)), [], 'package.json refers to keys package.nls.json lacks');
  assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)), [], 'package.nls.json keys package.json does not use');
  for (const k of Object.keys(en)) assert.deepEqual(placeholders(String(ko[k])), placeholders(String(en[k])), `package.nls ${k}: placeholders`);
});

test('l10n bundles: the English bundle is every message of the code, the Korean bundle has the same keys and placeholders', async () => {
  const en = readJson('l10n/bundle.l10n.json');
  const ko = readJson('l10n/bundle.l10n.ko.json');
  const messages = (await tools()).extractMessages(ROOT);
  const inCode = Object.fromEntries([...messages.keys()].map((k) => [k, k]));
  const stale = Object.keys(en).filter((k) => !(k in inCode));
  const missing = Object.keys(inCode).filter((k) => !(k in en)).map((k) => `${k} (${messages.get(k)})`);
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'l10n/bundle.l10n.json is out of date: run node scripts/l10n-bundle.mjs');
  for (const [k, v] of Object.entries(en)) assert.equal(v, k, 'the English bundle maps each message to itself');
  sameKeys(en, ko, 'l10n/bundle.l10n');
  for (const k of Object.keys(en)) assert.deepEqual(placeholders(String(ko[k])), placeholders(k), `bundle ${JSON.stringify(k)}: placeholders`);
});

test('the webview strings map: Korean has every English message of the webview, and the page carries it', () => {
  const en = readJson('l10n/bundle.l10n.json');
  sameKeys(en, WEBVIEW_L10N_KO.strings, 'webview strings');
  const html = renderWebviewHtml({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 'c', codiconUri: 'i', title: 'model', l10n: WEBVIEW_L10N_KO });
  assert.match(html, /<html lang="ko">/);
  const attr = /data-l10n="([^"]*)"/.exec(html)![1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  assert.deepEqual(parseWebviewL10n(attr), WEBVIEW_L10N_KO);
  assert.deepEqual(parseWebviewL10n(null), WEBVIEW_L10N_EN);
  assert.deepEqual(parseWebviewL10n('{not json'), WEBVIEW_L10N_EN);
  assert.match(renderWebviewHtml({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 'c', codiconUri: 'i', title: 'model' }), /<html lang="en">/);
});

test('translation helpers: placeholders, a map with English fallback, records read through the translator', () => {
  assert.equal(formatMessage('{0} of {1}, {0}', ['a', 2]), 'a of 2, a');
  assert.equal(formatMessage('{0} and {2}', ['a']), 'a and {2}');
  try {
    useBundle(WEBVIEW_L10N_KO.strings, 'ko');
    assert.equal(VERDICT_LABEL['identical-copy'], GLOSSARY.identicalCopy.ko);
    assert.equal(COMPONENT_LABEL.vision, GLOSSARY.visionEncoder.ko);
    assert.equal(STATE_LABEL.confirmed, GLOSSARY.confirmed.ko);
    assert.equal(targetLabel({ kind: 'layers', component: 'language', from: 2, to: 5 }), '언어 모델, 레이어 2–5');
    assert.equal(summaryText([]), '아직 검토 의견이 없습니다.');
    assert.equal(t('a message nobody translated'), 'a message nobody translated');
    const rec = localisedRecord({ a: 'whole model' });
    assert.equal(rec.a, '모델 전체');
  } finally {
    useBundle({}, 'en');
  }
  assert.equal(VERDICT_LABEL['identical-copy'], 'identical copy');
});

test('glossary: every term has English and Korean; the Korean review labels and bundles use its terms', () => {
  const g = readJson('l10n/glossary.json') as { terms: Record<string, { en: string; ko: string }> };
  const required: Record<string, [string, string]> = {
    independence: ['independence', '독자성'], trainedFromScratch: ['trained from scratch', '프롬 스크래치(처음부터 학습)'], weights: ['weights', '가중치'],
    fineTuning: ['fine-tuning', '미세조정'], derived: ['derived', '파생'], identicalCopy: ['identical copy', '동일 복제'],
    noEvidenceOfReuse: ['no evidence of reuse', '재사용 근거 없음'], inconclusive: ['inconclusive', '판단 보류'], visionEncoder: ['vision encoder', '비전 인코더'],
    audioEncoder: ['audio encoder', '오디오 인코더'], languageModel: ['language model', '언어 모델'], projector: ['projector', '프로젝터'],
    referenceModel: ['reference model', '기준 모델'], finding: ['finding', '검토 의견'], reviewer: ['reviewer', '검토자'], evidence: ['evidence', '근거'], pValue: ['p-value', 'p값'],
  };
  for (const [id, [en, ko]] of Object.entries(required)) assert.deepEqual([g.terms[id]?.en, g.terms[id]?.ko], [en, ko], `glossary ${id}`);
  for (const [id, term] of Object.entries(g.terms)) assert.ok(term.en.trim() && term.ko.trim(), `glossary ${id} has both languages`);
  const G = GLOSSARY;
  const K = LABELS_KO;
  // Verdicts, components, states: exactly the glossary's words, in the labels and in the bundles of the UI.
  assert.deepEqual(K.verdicts, { identical: G.identicalCopy.ko, derived: G.derived.ko, 'no-evidence': G.noEvidenceOfReuse.ko, inconclusive: G.inconclusive.ko });
  assert.deepEqual(K.components, { language: G.languageModel.ko, vision: G.visionEncoder.ko, audio: G.audioEncoder.ko, projector: G.projector.ko, other: G.otherComponent.ko });
  assert.equal(K.findingVerdicts.independent, G.independent.ko);
  assert.equal(K.findingVerdicts['identical-copy'], G.identicalCopy.ko);
  assert.equal(K.findingVerdicts.derived, G.derived.ko);
  assert.deepEqual(K.states, { suggested: G.suggested.ko, confirmed: G.confirmed.ko, rejected: G.rejected.ko });
  assert.equal(K.findings, G.finding.ko);
  assert.equal(K.reviewer, G.reviewer.ko);
  assert.equal(K.evidence, G.evidence.ko);
  assert.equal(K.reference, G.referenceModel.ko);
  assert.ok(K.combinedP.includes(G.pValue.ko));
  // The English labels say the glossary's English words.
  assert.equal(LABELS_EN.verdicts['no-evidence'], G.noEvidenceOfReuse.en);
  assert.equal(LABELS_EN.components.vision, G.visionEncoder.en);
  const ko = readJson('l10n/bundle.l10n.ko.json');
  for (const id of ['derived', 'identicalCopy', 'inconclusive', 'independent', 'visionEncoder', 'audioEncoder', 'languageModel', 'projector', 'suggested', 'confirmed', 'rejected'] as const) {
    assert.equal(ko[G[id].en], G[id].ko, `bundle: ${G[id].en}`);
  }
  // Wherever an English bundle message says a glossary term, its Korean says the Korean term.
  const terms: (keyof typeof G)[] = ['finding', 'reviewer', 'referenceModel', 'fingerprint', 'checkpoint'];
  for (const [en, kr] of Object.entries(ko)) {
    // Command syntax is typed as written, not translated: `<checkpoint>`, `weightprint fingerprint`, `fingerprint takes …`.
    const prose = en.replace(/<[^>]+>/g, '').replace(/\bweightprint \w+/g, '').replace(/^\w+ takes\b/, '');
    for (const id of terms) {
      if (new RegExp(`\\b${G[id].en}s?\\b`, 'i').test(prose)) {
        assert.ok(String(kr).includes(G[id].ko), `${JSON.stringify(en)} → ${JSON.stringify(kr)} should say ${G[id].ko}`);
      }
    }
  }
});

test('every review label has a Korean translation (no key missing, none left in English)', () => {
  const keys = (l: ReviewLabels) => Object.keys(l).sort();
  const optional = ['csvColumns', 'auditPhrase'];
  assert.deepEqual(keys(LABELS_KO).filter((k) => !optional.includes(k)), keys(LABELS_EN).filter((k) => !optional.includes(k)));
  assert.deepEqual(CSV_COLUMNS.filter((c) => !LABELS_KO.csvColumns?.[c]), [], 'every CSV column has a Korean header');
  const same = Object.entries(LABELS_EN).filter(([k, v]) => typeof v === 'string' && (LABELS_KO as unknown as Record<string, unknown>)[k] === v && !['r', 'z', 'p', 'sha256'].includes(k));
  assert.deepEqual(same.map(([k]) => k), [], 'labels still in English');
  assert.equal(LABELS_KO.lang, 'ko');
  assert.equal(labelsFor('ko'), LABELS_KO);
  assert.equal(labelsFor('en'), LABELS_EN);
  assert.equal(notesLanguageFor('auto', 'ko'), 'ko');
  assert.equal(notesLanguageFor(undefined, 'ko-KR'), 'ko');
  assert.equal(notesLanguageFor('auto', 'en-US'), 'en');
  assert.equal(notesLanguageFor('en', 'ko'), 'en');
  assert.equal(notesLanguageFor('ko', 'de'), 'ko');
});

test('golden Korean exports of the corpus audit (md, html, json, csv) match byte for byte', async () => {
  const { report } = await goldenInputs('ko');
  for (const format of FORMATS) {
    const text = exportReview(report, format);
    const file = join(GOLDEN_DIR, `suspect_vl_copied_vision.review.ko.${format}`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, text);
      if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`${file} did not exist and was written; check it in`);
    }
    assert.ok(readFileSync(file, 'utf8') === text, `${format} export differs from ${file} (run with UPDATE_GOLDEN=1 to accept)`);
    assert.doesNotMatch(text, /undefined|\[object Object\]/, `${format}: every label is defined`);
  }
  const md = exportReview(report, 'md');
  assert.match(md, /^# Weightprint 검토 보고서$/m);
  assert.match(md, /\| 비전 인코더 \| \*\*파생\*\* \| `vit_R` \|/);
  assert.match(md, /\| 언어 모델 \| \*\*재사용 근거 없음\*\* \| – \|/);
  assert.match(md, /^### \d+\. 언어 모델: 기준 모델 2개\(lm\\_A, vit\\_R\) 대비 재사용 근거 없음 \(제안됨\)$/m);
  assert.match(md, /감사 결과 제안: 언어 모델은 확인한 기준 모델 2개\(`lm_A`, `vit_R`\) 대비 \*\*재사용 근거 없음\*\*입니다\./);
  // The audit's own sentences (relations, the weak-evidence note) are said in Korean too.
  assert.match(md, /\| 기준 모델 2개 중 일치하는 모델 없음 \|/);
  assert.match(md, /\| 파생 \(결합\/분할 배치\) \|/);
  assert.match(md, /약한 근거로, 참고용으로만 표시합니다/);
  assert.doesNotMatch(md, /none of the|Weak evidence, shown|fused\/split/);
  const html = exportReview(report, 'html');
  assert.match(html, /<html lang="ko">/);
  // JSON: keys stay the stable English identifiers; only `labels` is added.
  const en = JSON.parse(exportReview((await goldenInputs('en')).report, 'json'));
  const ko = JSON.parse(exportReview(report, 'json'));
  assert.deepEqual(Object.keys(ko).filter((k) => k !== 'labels'), Object.keys(en));
  assert.deepEqual(ko.audit, en.audit);
  assert.equal(ko.labels.lang, 'ko');
  assert.equal(ko.labels.verdicts['no-evidence'], '재사용 근거 없음');
  assert.equal('labels' in en, false);
  // CSV: Korean header cells, same columns and records as English.
  const csvKo = exportReview(report, 'csv').split('\r\n');
  const csvEn = exportReview((await goldenInputs('en')).report, 'csv').split('\r\n');
  assert.equal(csvKo[0].split(',').length, csvEn[0].split(',').length);
  assert.match(csvKo[0], /^레코드,구성 요소,텐서,/);
  assert.deepEqual(csvKo.slice(1), csvEn.slice(1));
});

test('weightprint audit --lang ko writes Korean notes; --lang rejects other languages', async () => {
  const { vitRLibrary } = await import('./helpers/reviewCorpus');
  const { dir, lib, suspect: ckpt } = await vitRLibrary('wp-lang-');
  const io = { out: () => undefined, err: () => undefined, isTTY: false };
  await assert.rejects(auditCommand([ckpt, '--library', lib, '--notes', join(dir, 'n.md'), '--lang', 'fr'], io), (e: unknown) => e instanceof UsageError && /--lang/.test(e.message));
  const notes = join(dir, 'notes.md');
  assert.equal(await auditCommand([ckpt, '--library', lib, '--notes', notes, '--lang', 'ko'], io), 0);
  const md = readFileSync(notes, 'utf8');
  assert.match(md, /^# Weightprint 검토 보고서$/m);
  assert.match(md, /\| 비전 인코더 \| \*\*(파생|동일 복제)\*\* \| `vit_R` \|/);
  assert.match(md, /감사 결과 제안: /);
  const enNotes = join(dir, 'notes-en.md');
  assert.equal(await auditCommand([ckpt, '--library', lib, '--notes', enNotes], io), 0);
  assert.match(readFileSync(enNotes, 'utf8'), /^# Weightprint review notes$/m);
});

test('no hard-coded user-visible string in src/ or webview/ (outside t(…) from src/core/l10n)', async () => {
  const hits = (await tools()).findHardCodedStrings(ROOT);
  const files = new Set(hits.map(([f]) => f));
  // Files whose strings are not translated yet, each listed until it is (an entry with nothing to translate fails).
  const pending = new Set(PENDING);
  const cleaned = PENDING.filter((f) => !files.has(f));
  assert.deepEqual(cleaned, [], 'remove these files from PENDING in test/unit/l10n.test.ts: they are translated now');
  const offending = hits.filter(([f]) => !pending.has(f)).map(([f, line, text]) => `${f}:${line}: ${JSON.stringify(text.slice(0, 100))}`);
  assert.deepEqual(offending, [], 'wrap these in t(…) from src/core/l10n, then run node scripts/l10n-bundle.mjs; mark a non-UI literal with // l10n-ignore');
});

test('the extension host translates through core/l10n t() only (one path, which also fits Korean particles)', () => {
  const dir = join(ROOT, 'src/extension');
  const direct = readdirSync(dir).filter((f) => f.endsWith('.ts') && /\bvscode\.l10n\.t\(/.test(readFileSync(join(dir, f), 'utf8')));
  assert.deepEqual(direct, [], 'use t() from src/core/l10n instead of vscode.l10n.t()');
});

/** Files still to translate (see the report of issue 7); the test above keeps this list exact. */
const PENDING: string[] = [];

test('the audit sentences translate through the bundle; unknown sentences stay as written', async () => {
  const { auditPhrase } = await import('../../src/core/auditPhrases');
  const ko = translatorFromMap(WEBVIEW_L10N_KO.strings);
  const en = (m: string, ...a: (string | number | boolean)[]) => formatMessage(m, a);
  const cases: [string, string][] = [
    ['no tensor matches', '일치하는 텐서 없음'],
    ['derived', '파생'],
    ['derived (3 exact, 2 permuted, hidden dimension permuted, rows extended, fused/split layout, transposed)', '파생 (정확 일치 3개, 순열 2개, 은닉 차원 순열, 행 확장, 결합/분할 배치, 전치)'],
    ['identical up to dtype conversion (4 of 9 tensors converted)', 'dtype 변환을 제외하면 동일 복제 (텐서 9개 중 4개 변환)'],
  ];
  for (const [text, korean] of cases) {
    assert.equal(auditPhrase(text, ko), korean);
    assert.equal(auditPhrase(text, en), text, 'English says it as the audit wrote it');
  }
  // The audit's "(s)" sentences are said with the right number in both languages.
  const counted: [string, string, string][] = [
    ['2 matching tensor(s), below the 3 needed with combined p < 1e-6', '2 matching tensors, below the 3 needed with combined p < 1e-6', '일치 텐서 2개, 결합 p < 1e-6에 필요한 3개 미만'],
    ['1 matching tensor(s), below the 3 needed with combined p < 1e-6', '1 matching tensor, below the 3 needed with combined p < 1e-6', '일치 텐서 1개, 결합 p < 1e-6에 필요한 3개 미만'],
    ['none of the 2 reference(s) matches', 'none of the 2 references matches', '기준 모델 2개 중 일치하는 모델 없음'],
    ['none of the 1 reference(s) matches', 'the 1 reference does not match', '기준 모델 1개와 일치하지 않음'],
  ];
  for (const [text, english, korean] of counted) {
    assert.equal(auditPhrase(text, en), english);
    assert.equal(auditPhrase(text, ko), korean);
  }
  assert.equal(auditPhrase('something new', ko), 'something new');
});
