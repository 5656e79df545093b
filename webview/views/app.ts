// The page: a loading state, then either the checkpoint (tabs) or the error view. Job states and view
// requests pushed by the host go to the tabs; any that arrive before the checkpoint are kept and applied after.
import type { CheckpointSummary, ErrorInfo, FindingTarget } from '../../src/shared/protocol';
import { ce, h, replace } from '../dom';
import { t } from '../../src/core/l10n';
import type { HostClient, Push } from '../host';
import type { StateStore, TabId } from '../state';
import { errorView } from './errorView';
import { FindingsPane } from './findings/findingsPane';
import { overview, type OverviewAudit, type OverviewHandlers } from './overview';
import { ProvenanceTab } from './provenance/provenanceTab';
import { StatsTab } from './stats/statsTab';
import { TensorsTab } from './tensorsTab';

interface TabDef {
  id: TabId;
  label: () => string;
}

const TABS: readonly TabDef[] = [
  { id: 'overview', label: () => t('Overview') },
  { id: 'tensors', label: () => t('Tensors') },
  { id: 'statistics', label: () => t('Statistics') },
  { id: 'provenance', label: () => t('Provenance') },
  { id: 'findings', label: () => t('Findings') },
];

type Tabs = HTMLElement & { selectedIndex: number };
/** What the app shows itself; findings pushes go to the Findings pane's client. */
export type JobPush = Exclude<Push, { type: 'init' } | { type: 'loadError' } | { type: 'findings' } | { type: 'openFindingForm' }>;

interface Shown {
  tensors: TensorsTab;
  stats: StatsTab;
  provenance: ProvenanceTab;
  findings: FindingsPane;
  select(id: TabId): void;
  showCard(component: string): void;
  summary(): CheckpointSummary;
  /** Redraws the Overview with a changed summary (the architecture matches arrive after the first paint). */
  updateSummary(summary: CheckpointSummary): void;
  /** Shows an audit's verdicts in the Overview (redrawn only when the result changed). */
  showAudit(audit: OverviewAudit): void;
}

export class App {
  private shown: Shown | undefined;

  constructor(private readonly root: HTMLElement, private readonly host: HostClient, private readonly store: StateStore) {}

  showLoading(): void {
    this.root.setAttribute('aria-busy', 'true');
    replace(this.root, h('div', { class: 'loading-view', role: 'status' },
      ce('vscode-progress-ring', { 'aria-label': t('Opening checkpoint') }), h('span', {}, t('Opening checkpoint…'))));
  }

  showError(error: ErrorInfo, title?: string): void {
    this.shown?.findings.dispose();
    this.shown = undefined;
    this.root.setAttribute('aria-busy', 'false');
    replace(this.root, errorView(error, title));
    this.host.post({ type: 'rendered', view: 'error', tensors: 0, files: 0, components: [] });
  }

  /**
   * statsState, statsLayers, auditState, showView. The host sends them only after `init` (it holds requests and
   * re-sends the state whenever the webview says `ready`), so one that comes before the checkpoint is shown is moot.
   */
  push(m: JobPush): void {
    const s = this.shown;
    if (!s) return;
    switch (m.type) {
      case 'statsState':
        s.stats.setState(m);
        s.tensors.statsState(m);
        break;
      case 'statsLayers':
        s.stats.setLayers(m.layers);
        break;
      case 'auditState':
        s.provenance.setState(m);
        if (m.result) s.showAudit({ result: m.result, finishedAt: m.finishedAt });
        break;
      case 'architecture':
        s.updateSummary({ ...s.summary(), architecture: m.architecture, warnings: m.warnings });
        break;
      case 'showView':
        s.select(m.view);
        if (m.tensorId !== undefined) void s.tensors.reveal(m.tensorId);
        if (m.view === 'provenance' && m.component) s.showCard(m.component);
        if (m.view === 'findings' && m.findingId) s.findings.showFinding(m.findingId);
        break;
    }
  }

  showCheckpoint(summary: CheckpointSummary): void {
    this.shown?.findings.dispose();
    // Every entry point (table row, detail pane, module tree via the host, cards, heatmap cells) opens the one form.
    const addFinding = (target: FindingTarget) => {
      select('findings', false);
      findings.openForm(target);
    };
    const showCard = (component: string) => {
      select('provenance', false);
      requestAnimationFrame(() => {
        const card = document.getElementById(`card-${component}`);
        card?.scrollIntoView({ block: 'start' });
        card?.querySelector<HTMLElement>('h3')?.setAttribute('tabindex', '-1');
        card?.querySelector<HTMLElement>('h3')?.focus({ preventScroll: true });
      });
    };
    const findings = new FindingsPane(this.host, summary.components.map((c) => c.name), {
      select: () => select('findings', false),
      showTarget: (t) => {
        if (t.kind === 'component' || t.kind === 'layers') showCard(t.component);
      },
    });
    const tensors = new TensorsTab(summary, this.host, this.store, addFinding);
    const stats = new StatsTab(summary, this.host, this.store);
    const provenance = new ProvenanceTab(this.host, (id) => {
      select('tensors', false);
      void tensors.reveal(id);
    }, addFinding, (component) => showCard(component));
    const overviewHandlers: OverviewHandlers = {
      showComponent: (c) => {
        tensors.showComponent(c);
        select('tensors');
      },
      addHubModel: (repo) => this.host.post({ type: 'addHubModel', repo }),
      showCard: (component) => showCard(component),
    };
    let shownSummary = summary;
    const panels: Record<TabId, HTMLElement> = {
      overview: overview(summary, overviewHandlers),
      tensors: tensors.element,
      statistics: stats.element,
      provenance: provenance.element,
      findings: findings.element,
    };
    const tabs = ce('vscode-tabs', { class: 'tabs', id: 'tabs' }) as Tabs;
    for (const t of TABS) {
      tabs.append(ce('vscode-tab-header', { slot: 'header', 'data-tab': t.id }, t.label()));
    }
    for (const t of TABS) {
      tabs.append(ce('vscode-tab-panel', { class: `panel panel-${t.id}`, 'data-tab': t.id }, panels[t.id]));
    }
    const index = (id: TabId) => Math.max(0, TABS.findIndex((t) => t.id === id));
    const select = (id: TabId, focus = true) => {
      tabs.selectedIndex = index(id);
      this.store.update({ tab: id });
      if (id === 'tensors' && focus) requestAnimationFrame(() => tensors.focusTable());
    };
    tabs.selectedIndex = index(this.store.state.tab);
    tabs.addEventListener('vsc-tabs-select', (e) => {
      const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.store.update({ tab: TABS[i]?.id ?? 'overview' });
    });
    this.root.setAttribute('aria-busy', 'false');
    this.root.setAttribute('aria-label', t('Checkpoint {0}', summary.title));
    replace(this.root, tabs);
    let shownAudit: OverviewAudit | undefined;
    let auditKey = '';
    const redrawOverview = () => {
      const fresh = overview(shownSummary, overviewHandlers, shownAudit);
      panels.overview.replaceWith(fresh);
      panels.overview = fresh;
    };
    const updateSummary = (next: CheckpointSummary) => {
      shownSummary = next;
      redrawOverview();
    };
    const showAudit = (audit: OverviewAudit) => {
      const key = JSON.stringify([audit.finishedAt, audit.result.seconds, audit.result.components.map((c) => [c.name, c.verdict, c.reference])]);
      if (key === auditKey) return;
      auditKey = key;
      shownAudit = audit;
      redrawOverview();
    };
    this.shown = { tensors, stats, provenance, findings, select, showCard, summary: () => shownSummary, updateSummary, showAudit };
    this.host.post({
      type: 'rendered', view: 'checkpoint', tensors: summary.tensors, files: summary.files.length,
      components: summary.components.map((c) => c.name),
    });
  }
}
