// The webview test harness (bundled for Node by run.mjs): the real page shell from renderWebviewHtml with a
// test nonce, a mocked acquireVsCodeApi injected before the page's scripts, fixtures, themes and the mock host.
import { renderWebviewHtml } from '../../src/extension/editor/webviewHtml';
import { WEBVIEW_L10N_KO } from '../../src/shared/webviewStrings.ko';
import { THEME_NAMES, themeBodyClass, themeKind, themeVariables, ThemeName } from './themes';

export { bigFixture, errorFixture, hostileFixture, HOSTILE } from './fixtures';
export { MockHost } from './mockHost';
export { corpusJobs, syntheticStats } from './jobsFixture';
export { checkpointFixture } from './corpusFixture';
export { sidecarJobs } from './sidecarFixture';
import { join } from 'node:path';
import { ggufFromModel, llamaMetadata, writeGguf } from '../unit/helpers/ggufWriter';
import { llama } from '../fixtures/models';
export { TensorTable } from '../../src/core/inventory/query';
export type { ThemeName } from './themes';

/** A saved UI state (the shape webview/state.ts persists), for tests that start from a restored view. */
export const defaultStateForTests = {
  v: 1, tab: 'overview', filter: '', regex: false, component: '', prefix: '', sortKey: 'name', descending: false,
  selected: -1, detailId: null, scrollTop: 0, expanded: [] as string[],
};

/** The page; `lang` 'ko' embeds the Korean webview strings, as the host does when VS Code's display language is Korean. */
export function harnessHtml(origin: string, nonce: string, lang?: string): string {
  return renderWebviewHtml({
    cspSource: origin, nonce, title: 'Weightprint webview test', l10n: lang === 'ko' ? WEBVIEW_L10N_KO : undefined,
    scriptUri: `${origin}/dist/webview.js`,
    styleUri: `${origin}/dist/webview.css`,
    codiconUri: `${origin}/node_modules/@vscode/codicons/dist/codicon.css`,
  });
}

/**
 * Browser-side init script: the VS Code API mock (acquirable once, like the real one; messages go to the
 * Node mock host through the exposed `__wpHost` binding and the replies come back as window messages),
 * CSP violation recording and theme switching.
 */
export function initScript(theme: ThemeName, initialState: unknown): string {
  const themes = Object.fromEntries(THEME_NAMES.map((t) => [t, { vars: themeVariables(t), cls: themeBodyClass(t), kind: themeKind(t) }]));
  const cfg = JSON.stringify({ theme, initialState: initialState ?? null, themes });
  return `(${browserInit.toString()})(${cfg});`;
}

interface InitConfig { theme: string; initialState: unknown; themes: Record<string, { vars: [string, string][]; cls: string; kind: string }> }

/* c8 ignore start: runs in the browser */
function browserInit(cfg: InitConfig): void {
  type W = Window & Record<string, unknown> & { __wpHost(m: unknown): Promise<unknown[]> };
  const w = window as unknown as W;
  const wp = { sent: [] as unknown[], state: cfg.initialState === null ? undefined : cfg.initialState, acquired: 0, csp: [] as unknown[] };
  w.__wp = wp;
  document.addEventListener('securitypolicyviolation', (e) => {
    wp.csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile });
  });
  w.acquireVsCodeApi = () => {
    wp.acquired++;
    if (wp.acquired > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage(m: unknown) {
        const copy = JSON.parse(JSON.stringify(m));
        wp.sent.push(copy);
        void w.__wpHost(copy).then((replies) => {
          for (const r of replies) window.postMessage(r, '*');
        });
      },
      getState: () => wp.state,
      setState: (s: unknown) => {
        wp.state = JSON.parse(JSON.stringify(s));
        return s;
      },
    });
  };
  w.__wpSetTheme = (name: string) => {
    const t = cfg.themes[name];
    const html = document.documentElement;
    for (const p of [...html.style]) if (p.startsWith('--vscode-')) html.style.removeProperty(p);
    for (const [k, v] of t.vars) html.style.setProperty(k, v);
    document.body.className = t.cls;
    document.body.setAttribute('data-vscode-theme-kind', t.kind);
  };
  document.addEventListener('DOMContentLoaded', () => (w.__wpSetTheme as (n: string) => void)(cfg.theme));
}
/* c8 ignore stop */

/** A Q4_K / Q8_0 GGUF of a small trained-like Llama, written as llama.cpp writes it, in `dir`. */
export function writeGgufFixture(dir: string): string {
  const dims = { d: 256, layers: 2, heads: 8, ff: 512, vocab: 320, used: 256 };
  return writeGguf(join(dir, 'llama-Q4_K_M.gguf'), ggufFromModel(llama(4, dims), 'Q4_K', dims.heads), llamaMetadata(dims.heads, dims.layers, 'fixture-llama'));
}
