// The checkpoint webview's HTML shell. vscode-free so that the webview tests render the very same page.
// Strict CSP: default-src 'none', scripts only with this render's nonce, styles/fonts/images from the extension.
// No 'unsafe-inline' styles: the webview sets styles only through the CSSOM (element.style, adoptedStyleSheets).
// The webview's strings travel in the page (data-l10n on #app), so even the loading and error views are translated.
import type { WebviewL10n } from '../../shared/webviewStrings';

export interface WebviewHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** Fresh per render. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  title: string;
  /** Display language and translated webview messages (English message → translation); default English. */
  l10n?: WebviewL10n;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`, // l10n-ignore: CSP
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  // l10n-ignore: markup (the text in it is translated by the webview)
  return `<!DOCTYPE html>
<html lang="${escapeAttr(o.l10n?.locale ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title)}</title>
</head>
<body>
<div id="app" role="application" aria-busy="true" data-l10n="${escapeAttr(JSON.stringify(o.l10n ?? { locale: 'en', strings: {} }))}"></div>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}

export function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  for (const b of bytes) out += chars[b % chars.length];
  return out;
}
