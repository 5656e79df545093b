// The terminology of l10n/glossary.json (one file for both languages), typed for the label sets.
import glossaryJson from '../../../l10n/glossary.json';

export interface GlossaryTerm {
  en: string;
  ko: string;
  note?: string;
}

export type GlossaryId = keyof typeof glossaryJson.terms;

export const GLOSSARY: Record<GlossaryId, GlossaryTerm> = glossaryJson.terms;

/** The term `id` in `lang` ('en' or 'ko'). */
export function term(id: GlossaryId, lang: 'en' | 'ko'): string {
  return GLOSSARY[id][lang];
}
