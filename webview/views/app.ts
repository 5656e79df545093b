// The page: a loading state, then either the checkpoint (tabs) or the error view.
// Tabs are a list so that Statistics and Provenance can join Overview and Tensors.
import type { CheckpointSummary, ErrorInfo } from '../../src/shared/protocol';
import { ce, h, replace } from '../dom';
import type { HostClient } from '../host';
import type { StateStore, TabId } from '../state';
import { errorView } from './errorView';
import { overview } from './overview';
import { TensorsTab } from './tensorsTab';

interface TabDef {
  id: TabId;
  label: string;
}

const TABS: readonly TabDef[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'tensors', label: 'Tensors' },
];

type Tabs = HTMLElement & { selectedIndex: number };

export class App {
  constructor(private readonly root: HTMLElement, private readonly host: HostClient, private readonly store: StateStore) {}

  showLoading(): void {
    this.root.setAttribute('aria-busy', 'true');
    replace(this.root, h('div', { class: 'loading-view', role: 'status' },
      ce('vscode-progress-ring', { 'aria-label': 'Opening checkpoint' }), h('span', {}, 'Opening checkpoint…')));
  }

  showError(error: ErrorInfo, title?: string): void {
    this.root.setAttribute('aria-busy', 'false');
    replace(this.root, errorView(error, title));
    this.host.post({ type: 'rendered', view: 'error', tensors: 0, files: 0, components: [] });
  }

  showCheckpoint(summary: CheckpointSummary): void {
    const tensors = new TensorsTab(summary, this.host, this.store);
    const panels: Record<TabId, HTMLElement> = {
      overview: overview(summary, {
        showComponent: (c) => {
          tensors.showComponent(c);
          select('tensors');
        },
      }),
      tensors: tensors.element,
    };
    const tabs = ce('vscode-tabs', { class: 'tabs', id: 'tabs' }) as Tabs;
    for (const t of TABS) {
      tabs.append(ce('vscode-tab-header', { slot: 'header', 'data-tab': t.id }, t.label));
    }
    for (const t of TABS) {
      tabs.append(ce('vscode-tab-panel', { class: `panel panel-${t.id}`, 'data-tab': t.id }, panels[t.id]));
    }
    const index = (id: TabId) => Math.max(0, TABS.findIndex((t) => t.id === id));
    const select = (id: TabId) => {
      tabs.selectedIndex = index(id);
      this.store.update({ tab: id });
      if (id === 'tensors') requestAnimationFrame(() => tensors.focusTable());
    };
    tabs.selectedIndex = index(this.store.state.tab);
    tabs.addEventListener('vsc-tabs-select', (e) => {
      const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.store.update({ tab: TABS[i]?.id ?? 'overview' });
    });
    this.root.setAttribute('aria-busy', 'false');
    this.root.setAttribute('aria-label', `Checkpoint ${summary.title}`);
    replace(this.root, tabs);
    this.host.post({
      type: 'rendered', view: 'checkpoint', tensors: summary.tensors, files: summary.files.length,
      components: summary.components.map((c) => c.name),
    });
  }
}
