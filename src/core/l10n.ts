// Translation for every layer that is not the extension host's own vscode.l10n: core (errors, warnings), the CLI and
// the webview, through @vscode/l10n. Messages are keyed by their English text with {0}, {1} placeholders, like
// vscode.l10n.t and l10n/bundle.l10n.*.json. The host installs vscode.l10n.bundle; the webview the strings the host
// embedded in its page (webviewStrings.ts); the CLI the bundle of the locale's language (cli/language.ts).
// Without a bundle, messages are English.
import * as l10n from '@vscode/l10n';
import { fitParticles } from './particles';

export type L10nArg = string | number | boolean;
export type Translate = (message: string, ...args: L10nArg[]) => string;
export type L10nBundle = Readonly<Record<string, string | { message: string; comment: string[] }>>;

/** Replaces {0}, {1}, … by the arguments (a placeholder without an argument stays as written). */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  return args.length === 0 ? template : template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

let locale = 'en';
let installed: L10nBundle = {};

/** Installs a bundle (English message → translation) and the display language; `{}` and 'en' go back to English. */
export function useBundle(bundle: L10nBundle, displayLocale: string): void {
  installed = { ...bundle };
  l10n.config({ contents: { ...installed } });
  locale = displayLocale || 'en';
}

/**
 * The bundle and display language installed by useBundle, or undefined for plain English. Worker threads have their
 * own copy of this module: the host passes this to them so that their messages are in the user's language too.
 */
export function currentBundle(): { bundle: L10nBundle; locale: string } | undefined {
  return Object.keys(installed).length === 0 && locale === 'en' ? undefined : { bundle: installed, locale };
}

/** The display language (BCP 47) for Intl formatting. */
export function displayLocale(): string {
  return locale;
}

/** The message in the display language (Korean with its particles fitted to the words filled in). */
export const t: Translate = (message, ...args) => {
  const text = l10n.t(message, ...args);
  return locale.startsWith('ko') ? fitParticles(text) : text;
};

/**
 * A translator over a map English message → translation, independent of the installed bundle: review notes are
 * written in their own language (weightprint.notesLanguage), whatever the UI's. A missing message stays English.
 */
export function translatorFromMap(map: Readonly<Record<string, string>>): Translate {
  return (message, ...args) => formatMessage(Object.prototype.hasOwnProperty.call(map, message) ? map[message] : message, args);
}

/**
 * English words kept as data and translated where they are shown (`localisedRecord(messageRecord({…}))` or a
 * label table): the identity, marking every value as a message for scripts/l10n-bundle.mjs.
 */
export function messageRecord<K extends string>(english: Record<K, string>): Readonly<Record<K, string>> {
  return english;
}

/**
 * A record whose values are read through the current translator (so lookups like LABEL[key] stay as they are). It has
 * no prototype: a key from a file ("constructor") finds nothing, and callers fall back to the key itself.
 */
export function localisedRecord<K extends string>(english: Record<K, string>): Record<K, string> {
  const out = Object.create(null) as Record<K, string>;
  for (const k of Object.keys(english) as K[]) Object.defineProperty(out, k, { get: () => t(english[k]), enumerable: true });
  return out;
}

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/** A cached Intl formatter for the display language (English for a tag Intl does not know). */
function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(kind: string, make: (tag: string) => F): F {
  const key = `${locale}|${kind}`;
  let f = formats.get(key) as F | undefined;
  if (!f) {
    try {
      f = make(locale);
    } catch {
      f = make('en-US');
    }
    formats.set(key, f);
  }
  return f;
}

/** Integers in the display language (grouping per locale). */
export function formatInteger(n: number): string {
  return formatter('int', (tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 0 })).format(n);
}

/** A number with `digits` significant digits in the display language, without grouping (1.5, 0.25, 123). */
export function formatSignificant(n: number, digits = 3): string {
  return formatter(`sig${digits}`, (tag) => new Intl.NumberFormat(tag, { maximumSignificantDigits: digits, useGrouping: false })).format(n);
}

/** A date and time in the display language and the given time zone (default: the machine's). */
export function formatDateTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter(`dt|${timeZone ?? ''}`, (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone })).format(d);
}
