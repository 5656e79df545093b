// The webview's strings come from the host: the English messages of the webview (the t(message) calls in webview/ and shared
// modules) translated by the host's bundle for VS Code's display language, embedded in the page (webviewHtml.ts).
import { useBundle } from '../core/l10n';

export interface WebviewL10n {
  /** BCP 47 display language (vscode.env.language), for <html lang> and Intl. */
  locale: string;
  /** English message → translation; a message without an entry is shown in English. */
  strings: Record<string, string>;
}

export const WEBVIEW_L10N_EN: WebviewL10n = { locale: 'en', strings: {} };

/** The l10n payload from the page's data-l10n attribute; English when absent or malformed. */
export function parseWebviewL10n(text: string | null | undefined): WebviewL10n {
  if (!text) return WEBVIEW_L10N_EN;
  try {
    const v = JSON.parse(text) as Partial<WebviewL10n>;
    const strings: Record<string, string> = {};
    if (v && typeof v.strings === 'object' && v.strings !== null) {
      for (const [k, s] of Object.entries(v.strings)) if (typeof s === 'string') strings[k] = s;
    }
    return { locale: typeof v?.locale === 'string' && v.locale ? v.locale : 'en', strings };
  } catch {
    return WEBVIEW_L10N_EN;
  }
}

/** Installs the payload as the webview's translator and display language. */
export function installWebviewL10n(l10n: WebviewL10n): void {
  useBundle(l10n.strings, l10n.locale);
}
