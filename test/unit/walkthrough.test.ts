// The walkthrough's step pages (media/walkthrough/*.md) in English and Korean: package.json names each page through a
// package.nls key, so VS Code shows the Korean page when its display language is Korean (it substitutes %key% in
// every contributed string, media paths included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const readJson = <T>(p: string): T => JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as T;
const HANGUL = /[\uac00-\ud7a3]/;

interface Step { id: string; media?: Record<string, string> }
interface Walkthrough { id: string; steps: Step[] }

const pkg = readJson<{ contributes: { walkthroughs: Walkthrough[] } }>('package.json');
const nls = { en: readJson<Record<string, string>>('package.nls.json'), ko: readJson<Record<string, string>>('package.nls.ko.json') };
const glossary = readJson<{ terms: Record<string, { en: string; ko: string }> }>('l10n/glossary.json').terms;

/** Every step's markdown page as [step, English path, Korean path]. */
function markdownPages(): [string, string, string][] {
  const pages: [string, string, string][] = [];
  for (const w of pkg.contributes.walkthroughs) {
    for (const step of w.steps) {
      const ref = step.media?.markdown;
      if (ref === undefined) continue;
      const key = /^%(.+)%$/.exec(ref)?.[1];
      assert.ok(key, `${w.id}/${step.id}: media.markdown must be a %key% of package.nls (is ${JSON.stringify(ref)})`);
      pages.push([`${w.id}/${step.id}`, nls.en[key], nls.ko[key]]);
    }
  }
  return pages;
}

const codeSpans = (md: string) => [...md.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();

test('every walkthrough page exists in English and in Korean, under the paths package.nls gives', () => {
  const pages = markdownPages();
  assert.equal(pages.length, 5, 'the five steps of the walkthrough have a page');
  for (const [step, en, ko] of pages) {
    assert.ok(en && ko, `${step}: package.nls.json and package.nls.ko.json both name the page`);
    assert.notEqual(ko, en, `${step}: the Korean page is its own file`);
    for (const p of [en, ko]) assert.ok(existsSync(join(ROOT, p)), `${step}: ${p} exists`);
    const enText = readFileSync(join(ROOT, en), 'utf8');
    const koText = readFileSync(join(ROOT, ko), 'utf8');
    assert.doesNotMatch(enText, HANGUL, `${step}: ${en} is the English page`);
    assert.match(koText, HANGUL, `${step}: ${ko} is written in Korean`);
    // Commands, file names and settings stay as written: the same `code` spans in both languages.
    assert.deepEqual(codeSpans(koText), codeSpans(enText), `${step}: ${ko} keeps the code spans of ${en}`);
  }
});

test('the Korean walkthrough pages use the glossary terms wherever the English pages use them', () => {
  const ids = ['weights', 'derived', 'identicalCopy', 'noEvidenceOfReuse', 'inconclusive', 'visionEncoder', 'audioEncoder', 'languageModel',
    'projector', 'referenceLibrary', 'finding', 'reviewer', 'evidence', 'pValue', 'checkpoint', 'tensor', 'fingerprint', 'audit', 'verdict',
    'reviewNotes', 'component', 'layer', 'independent'];
  for (const [step, en, ko] of markdownPages()) {
    const enText = readFileSync(join(ROOT, en), 'utf8');
    const koText = readFileSync(join(ROOT, ko), 'utf8');
    for (const id of ids) {
      const term = glossary[id];
      assert.ok(term, `glossary term ${id}`);
      if (new RegExp(`\\b${term.en}s?\\b`, 'i').test(enText)) assert.ok(koText.includes(term.ko), `${step}: ${ko} should say ${term.ko} (${term.en})`);
    }
  }
});
