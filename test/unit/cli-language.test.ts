// The CLI's message language (src/cli/language.ts): WEIGHTPRINT_LANG, LC_ALL, LC_MESSAGES, LANG pick Korean or
// English; dist/cli.js speaks it on stderr; `audit --notes` without --lang writes the notes in it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cliLanguage, installCliLanguage } from '../../src/cli/language';
import { displayLocale, t, useBundle } from '../../src/core/l10n';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { tempDir } from './helpers/reviewFs';

before(() => ensureFixtureCorpus());

// This file runs as dist-test/unit/cli-language.test.js.
const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const HANGUL = /[\uac00-\ud7a3]/;
const LANGUAGE_VARIABLES = ['WEIGHTPRINT_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE'];

/** The parent's environment without its language variables, plus `vars`. */
function envWith(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of LANGUAGE_VARIABLES) delete env[name];
  return { ...env, ...vars };
}

function cli(args: string[], vars: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: envWith(vars) });
}

test('cliLanguage: the first non-empty of WEIGHTPRINT_LANG, LC_ALL, LC_MESSAGES, LANG decides', () => {
  const cases: [Record<string, string | undefined>, 'en' | 'ko'][] = [
    [{}, 'en'],
    [{ LANG: 'ko' }, 'ko'],
    [{ LANG: 'ko_KR.UTF-8' }, 'ko'],
    [{ LANG: 'ko-KR' }, 'ko'],
    [{ LANG: 'KO_kr.euckr' }, 'ko'],
    [{ LANG: 'ko_KR@latin' }, 'ko'],
    [{ LANG: 'C' }, 'en'],
    [{ LANG: 'POSIX' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'de_DE.UTF-8' }, 'en'],
    [{ LANG: 'kok_IN' }, 'en'], // Konkani, not Korean
    [{ LANG: 'ko_KR.UTF-8', LC_MESSAGES: 'C' }, 'en'],
    [{ LANG: 'C', LC_MESSAGES: 'ko_KR.UTF-8' }, 'ko'],
    [{ LC_MESSAGES: 'ko_KR.UTF-8', LC_ALL: 'en_US.UTF-8' }, 'en'],
    [{ LC_ALL: 'ko_KR.UTF-8', LANG: 'C' }, 'ko'],
    [{ WEIGHTPRINT_LANG: 'ko', LC_ALL: 'C', LANG: 'C' }, 'ko'],
    [{ WEIGHTPRINT_LANG: 'en', LC_ALL: 'ko_KR.UTF-8' }, 'en'],
    [{ WEIGHTPRINT_LANG: '', LC_ALL: '', LC_MESSAGES: ' ', LANG: 'ko_KR.UTF-8' }, 'ko'],
    [{ WEIGHTPRINT_LANG: undefined, LANG: 'ko' }, 'ko'],
  ];
  for (const [env, expected] of cases) assert.equal(cliLanguage(env), expected, JSON.stringify(env));
});

test('installCliLanguage installs the Korean bundle for a Korean locale and nothing otherwise', () => {
  try {
    assert.equal(installCliLanguage({ LANG: 'C' }), 'en');
    assert.equal(displayLocale(), 'en');
    assert.equal(t('(no values)'), '(no values)');
    assert.equal(installCliLanguage({ LANG: 'ko_KR.UTF-8' }), 'ko');
    assert.equal(displayLocale(), 'ko');
    assert.match(t('(no values)'), HANGUL);
  } finally {
    useBundle({}, 'en');
  }
});

test('dist/cli.js reports a bad checkpoint in the locale\'s language, exit 2', { skip: existsSync(CLI) ? false : `${CLI} not built` }, () => {
  const dir = tempDir('wp-cli-lang-');
  const bad = join(dir, 'bad.safetensors');
  writeFileSync(bad, Buffer.from([0xde, 0xad, 0xbe]));
  const ko = cli(['inspect', bad], { LANG: 'ko_KR.UTF-8' });
  assert.equal(ko.status, 2, ko.stderr);
  assert.match(ko.stderr, HANGUL, `Korean expected: ${ko.stderr}`);
  assert.ok(ko.stderr.includes(bad), 'the path stays as given');
  const en = cli(['inspect', bad], { LANG: 'C' });
  assert.equal(en.status, 2, en.stderr);
  assert.doesNotMatch(en.stderr, HANGUL);
  assert.equal(en.stderr, `weightprint: ${bad}, byte 0: file is 3 bytes, shorter than the 8-byte header length\n`);
  // WEIGHTPRINT_LANG wins over the locale, both ways.
  assert.equal(cli(['inspect', bad], { WEIGHTPRINT_LANG: 'en', LANG: 'ko_KR.UTF-8' }).stderr, en.stderr);
  assert.equal(cli(['inspect', bad], { WEIGHTPRINT_LANG: 'ko', LANG: 'C' }).stderr, ko.stderr);

  // A truncated copy of a real checkpoint (copied to a temp folder; the corpus is read-only).
  {
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(join(CORPUS, 'vision', 'vit_R.safetensors')).subarray(0, 1000));
    const r = cli(['inspect', truncated], { LC_ALL: 'ko_KR.UTF-8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, HANGUL, `Korean expected: ${r.stderr}`);
  }
});

test('dist/cli.js audit --notes without --lang writes the notes in the CLI\'s language', { skip: (existsSync(CLI) ? false : `${CLI} not built`) }, async () => {
  const { vitRLibrary } = await import('./helpers/reviewCorpus');
  const { dir, lib, suspect: ckpt } = await vitRLibrary('wp-cli-lang-audit-');
  const audit = (notes: string, vars: Record<string, string>, extra: string[] = []) => {
    const r = cli(['audit', ckpt, '--library', lib, '--notes', notes, ...extra], vars);
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(notes, 'utf8');
  };

  const ko = audit(join(dir, 'ko.md'), { WEIGHTPRINT_LANG: 'ko', LANG: 'C' });
  assert.match(ko, /^# Weightprint 검토 보고서$/m);
  assert.match(ko, /\| 비전 인코더 \| \*\*(파생|동일 복제)\*\* \| `vit_R` \|/);
  assert.match(audit(join(dir, 'en.md'), { LANG: 'C' }), /^# Weightprint review notes$/m);
  assert.match(audit(join(dir, 'ko-locale.md'), { LC_MESSAGES: 'ko_KR.UTF-8' }), /^# Weightprint 검토 보고서$/m);
  // An explicit --lang wins over the CLI's language.
  assert.match(audit(join(dir, 'en-explicit.md'), { WEIGHTPRINT_LANG: 'ko' }, ['--lang', 'en']), /^# Weightprint review notes$/m);
  const fr = cli(['audit', ckpt, '--library', lib, '--notes', join(dir, 'fr.md'), '--lang', 'fr'], { LANG: 'C' });
  assert.equal(fr.status, 1);
  assert.match(fr.stderr, /--lang takes ko or en/);
});
