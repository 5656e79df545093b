// Translation for every layer that is not the extension host's own vscode.l10n: core (errors, warnings), the CLI and
// the webview, through @vscode/l10n. Messages are keyed by their English text with {0}, {1} placeholders, like
// vscode.l10n.t and l10n/bundle.l10n.*.json. The host installs vscode.l10n.bundle; the webview the strings the host
// embedded in its page (webviewStrings.ts); the CLI the bundle of the locale's language (cli/language.ts).
// Without a bundle, messages are English.
import * as l10n from '@vscode/l10n';

export type L10nArg = string | number | boolean;
export type Translate = (message: string, ...args: L10nArg[]) => string;
export type L10nBundle = Readonly<Record<string, string | { message: string; comment: string[] }>>;

/** Replaces {0}, {1}, … by the arguments (a placeholder without an argument stays as written). */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  return args.length === 0 ? template : template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

let locale = 'en';

/** Installs a bundle (English message → translation) and the display language; `{}` and 'en' go back to English. */
export function useBundle(bundle: L10nBundle, displayLocale: string): void {
  l10n.config({ contents: { ...bundle } });
  locale = displayLocale || 'en';
}

/** The display language (BCP 47) for Intl formatting. */
export function displayLocale(): string {
  return locale;
}

/** The message in the display language. */
export const t: Translate = (message, ...args) => l10n.t(message, ...args);

/**
 * A translator over a map English message → translation, independent of the installed bundle: review notes are
 * written in their own language (weightprint.notesLanguage), whatever the UI's. A missing message stays English.
 */
export function translatorFromMap(map: Readonly<Record<string, string>>): Translate {
  return (message, ...args) => formatMessage(Object.prototype.hasOwnProperty.call(map, message) ? map[message] : message, args);
}

/** A record whose values are read through the current translator (so lookups like LABEL[key] stay as they are). */
export function localisedRecord<K extends string>(english: Record<K, string>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(english) as K[]) Object.defineProperty(out, k, { get: () => t(english[k]), enumerable: true });
  return out;
}

/** Integers in the display language (grouping per locale; English grouping for an unknown tag). */
export function formatInteger(n: number): string {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
  } catch {
    return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n);
  }
}
