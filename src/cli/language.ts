// The CLI's message language, from the environment: WEIGHTPRINT_LANG, then the POSIX locale variables in their
// order of precedence (LC_ALL, LC_MESSAGES, LANG). Korean installs the Korean bundle; anything else stays English.
import koBundle from '../../l10n/bundle.l10n.ko.json';
import { useBundle } from '../core/l10n';

export type CliLanguage = 'en' | 'ko';

const LANGUAGE_VARIABLES = ['WEIGHTPRINT_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG'] as const;

/** `ko` when the first non-empty of WEIGHTPRINT_LANG, LC_ALL, LC_MESSAGES, LANG is Korean (ko, ko_KR.UTF-8, ko-KR); else `en`. */
export function cliLanguage(env: Readonly<Record<string, string | undefined>>): CliLanguage {
  for (const name of LANGUAGE_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return /^ko(?=$|[-_.@])/i.test(value) ? 'ko' : 'en';
  }
  return 'en';
}

/** Installs the message language of `env` (call before anything prints). */
export function installCliLanguage(env: Readonly<Record<string, string | undefined>> = process.env): CliLanguage {
  const lang = cliLanguage(env);
  if (lang === 'ko') useBundle(koBundle, 'ko');
  return lang;
}
