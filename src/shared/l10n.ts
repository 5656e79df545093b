// Translation shared by the extension host and the webview. Messages are keyed by their English text, with {0}, {1}
// placeholders, like vscode.l10n.t and l10n/bundle.l10n.*.json. The host installs vscode.l10n.t; the webview installs
// the strings map the host embedded in its page (webviewStrings.ts). Default: English.

export type L10nArg = string | number | boolean;
export type Translate = (message: string, ...args: L10nArg[]) => string;

/** Replaces {0}, {1}, … by the arguments (a placeholder without an argument stays as written). */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  return args.length === 0 ? template : template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

let current: Translate = (message, ...args) => formatMessage(message, args);
let locale = 'en';

/** Installs the translator (the host: vscode.l10n.t; the webview: the strings map from the host). */
export function setTranslator(translate: Translate, displayLocale?: string): void {
  current = translate;
  if (displayLocale) locale = displayLocale;
}

/** The display language (BCP 47) for Intl formatting. */
export function displayLocale(): string {
  return locale;
}

/** The message in the display language. */
export const t: Translate = (message, ...args) => current(message, ...args);

/** A translator over a map English message → translation (a missing message stays English). */
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
