// The Statistics tab: the statistics job (compute / cancel, progress in bytes and tensors, errors), then per
// component the per-layer curves of the chosen statistic and a module × layer heatmap, each with its table.
import type { CheckpointSummary, ComponentLayers, HostToWebview, StatsProgress } from '../../../src/shared/protocol';
import { h, replace } from '../../dom';
import { bytes, int } from '../../format';
import type { HostClient } from '../../host';
import type { LayerShade, LayerStat, StateStore } from '../../state';
import { JobPanel } from '../jobPanel';
import { layerCharts, STAT_LABEL } from './layerCharts';
import { t } from '../../../src/core/l10n';

type StatsState = Extract<HostToWebview, { type: 'statsState' }>;

export function progressText(p: StatsProgress): string {
  const cached = p.tensorsCached ? ` ${t('({0} from cache)', int(p.tensorsCached))}` : '';
  return t('{0} of {1} read · {2} of {3} tensors', bytes(p.bytesDone), bytes(p.bytesTotal), int(p.tensorsDone), int(p.tensorsTotal)) + cached;
}

export class StatsTab {
  readonly element: HTMLElement;
  private readonly job: JobPanel;
  private readonly charts: HTMLElement;
  private readonly statPicker: HTMLElement;
  private layers: ComponentLayers[] | null = null;
  private state: StatsState = { type: 'statsState', state: 'idle', tensorsWithStats: 0 };

  constructor(private readonly summary: CheckpointSummary, host: HostClient, private readonly store: StateStore) {
    this.job = new JobPanel({
      id: 'stats-job', runLabel: t('Compute statistics'),
      run: () => host.post({ type: 'runStats' }),
      cancel: () => host.post({ type: 'cancelJob', job: 'stats' }),
    });
    this.statPicker = this.picker();
    this.charts = h('div', { class: 'layer-charts', id: 'layer-charts' });
    this.element = h('div', { class: 'statistics page', id: 'statistics' },
      h('section', { class: 'section', 'aria-labelledby': 'stats-job-title' }, h('h2', { id: 'stats-job-title' }, t('Tensor statistics')), this.job.element),
      h('section', { class: 'section', 'aria-labelledby': 'layers-title' },
        h('h2', { id: 'layers-title' }, t('Per-layer statistics')), this.statPicker, this.charts));
    this.setState(this.state);
    this.renderCharts();
  }

  setState(m: StatsState): void {
    this.state = m;
    const n = m.tensorsWithStats;
    const total = this.summary.tensors;
    const status: Record<StatsState['state'], string> = {
      idle: n > 0
        ? t('{0} of {1} tensors have statistics (from the cache).', int(n), int(total))
        : t('Statistics have not been computed yet. Computing reads every byte of the checkpoint once, on all cores, and caches the results.'),
      running: t('Computing statistics…'),
      done: t('Statistics computed for {0} of {1} tensors.', int(n), int(total)),
      cancelled: t('Cancelled: {0} of {1} tensors have statistics.', int(n), int(total)),
      error: t('Statistics failed: {0} of {1} tensors have statistics.', int(n), int(total)),
    };
    const p = m.progress;
    const complete = total > 0 && n >= total;
    this.job.update({
      state: m.state, status: status[m.state], error: m.error,
      run: complete ? { label: t('Recompute statistics'), primary: false } : { label: t('Compute statistics'), primary: true },
      fraction: p ? (p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.tensorsTotal > 0 ? p.tensorsDone / p.tensorsTotal : null) : null,
      detail: p ? progressText(p) : undefined,
    });
    if (!this.layers) this.renderCharts();
  }

  setLayers(layers: ComponentLayers[]): void {
    this.layers = layers;
    this.renderCharts();
  }

  private picker(): HTMLElement {
    const set = h('fieldset', { class: 'stat-picker', id: 'layer-stat' }, h('legend', {}, t('Statistic')));
    for (const s of ['std', 'l2', 'absmax'] as const) {
      const input = h('input', { type: 'radio', name: 'layer-stat', value: s, id: `layer-stat-${s}` });
      input.checked = this.store.state.layerStat === s;
      input.addEventListener('change', () => {
        if (!input.checked) return;
        this.store.update({ layerStat: s });
        this.renderCharts();
      });
      set.append(h('label', { class: 'radio', for: `layer-stat-${s}` }, input, STAT_LABEL[s]));
    }
    return set;
  }

  private renderCharts(): void {
    const stat: LayerStat = this.store.state.layerStat;
    this.statPicker.hidden = !this.layers || this.layers.length === 0;
    if (!this.layers) {
      const waiting = this.state.state === 'running' ? t('The per-layer curves appear when the statistics are complete.')
        : this.state.tensorsWithStats > 0 ? t('Waiting for the per-layer series…')
          : t('Compute the statistics to see per-layer curves and heatmaps.');
      replace(this.charts, h('p', { class: 'muted', id: 'layers-empty' }, waiting));
      return;
    }
    if (this.layers.length === 0) {
      replace(this.charts, h('p', { class: 'muted', id: 'layers-empty' }, t('No tensor has a layer index: there are no per-layer curves.')));
      return;
    }
    replace(this.charts, ...this.layers.map((c) => layerCharts(c, stat, this.store.state.layerShade, (layerShade: LayerShade) => {
      // Every heatmap follows; the pressed toggle keeps the focus.
      this.store.update({ layerShade });
      this.renderCharts();
      this.charts.querySelector<HTMLElement>(`#layers-${c.component} [data-shade="${layerShade}"]`)?.focus();
    })));
  }
}
