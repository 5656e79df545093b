// The Korean webview strings (what the host embeds when VS Code's display language is Korean), for the webview test
// harness: renderWebviewHtml({ …, l10n: WEBVIEW_L10N_KO }) shows every view in Korean. Not bundled into the webview.
import ko from '../../l10n/bundle.l10n.ko.json';
import type { WebviewL10n } from './webviewStrings';

export const WEBVIEW_STRINGS_KO: Record<string, string> = ko;
export const WEBVIEW_L10N_KO: WebviewL10n = { locale: 'ko', strings: WEBVIEW_STRINGS_KO };
