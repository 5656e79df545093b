// The language of review notes: `en` or `ko` (CLI `--lang`, setting `weightprint.notesLanguage`).
import { LABELS_EN, type ReviewLabels } from './labels';
import { LABELS_KO } from './labels.ko';

export type NotesLanguage = 'en' | 'ko';
export const NOTES_LANGUAGES: readonly NotesLanguage[] = ['en', 'ko'];

/** The review labels for a notes language. */
export function labelsFor(lang: NotesLanguage): ReviewLabels {
  return lang === 'ko' ? LABELS_KO : LABELS_EN;
}

/** `ko` for a Korean BCP 47 tag (ko, ko-KR, …), `en` for anything else; an explicit `en`/`ko` setting wins over `auto`. */
export function notesLanguageFor(setting: string | undefined, displayLanguage: string): NotesLanguage {
  if (setting === 'en' || setting === 'ko') return setting;
  return /^ko(-|$)/i.test(displayLanguage) ? 'ko' : 'en';
}

export function isNotesLanguage(v: unknown): v is NotesLanguage {
  return v === 'en' || v === 'ko';
}
