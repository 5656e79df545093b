// Webview entry: acquires the VS Code API once, restores the UI state, says `ready`, then renders what the
// host sends (the checkpoint summary or a load error, then job states and view requests). Everything else is asked from the host page by page.
import './elements';
import { installWebviewL10n, parseWebviewL10n } from '../src/shared/webviewStrings';
import { t } from '../src/core/l10n';
import { HostClient } from './host';
import { getVsCodeApi, StateStore } from './state';
import { App } from './views/app';

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  installWebviewL10n(parseWebviewL10n(root.getAttribute('data-l10n')));
  const api = getVsCodeApi();
  const store = new StateStore(api);
  let app: App | undefined = undefined;
  let shown = false;
  const host = new HostClient(api, (m) => {
    if (!app) return;
    try {
      if (m.type === 'init') {
        app.showCheckpoint(m.summary);
        shown = true;
      } else if (m.type === 'loadError') {
        app.showError(m.error);
        shown = true;
      } else if (m.type !== 'findings' && m.type !== 'openFindingForm') {
        app.push(m);
      }
    } catch (e) {
      app.showError({ message: e instanceof Error ? e.message : String(e) }, t('The checkpoint view failed to render'));
    }
  });
  app = new App(root, host, store);
  app.showLoading();
  window.addEventListener('error', (e) => {
    if (!shown) app?.showError({ message: e.message || t('unknown error') }, t('The checkpoint view failed to render'));
  });
  window.addEventListener('pagehide', () => store.flush());
  host.post({ type: 'ready' });
}

main();
