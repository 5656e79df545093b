// The detail pane of one tensor: shape, dtype, file, byte offsets, its first decoded values and, once known,
// all its statistics with a histogram.
import type { TensorDetail, TensorStats } from '../../src/shared/protocol';
import { append, ce, h, icon, literal, replace } from '../dom';
import { bytes, int, shape, value } from '../format';
import { t } from '../../src/core/l10n';
import { COMPONENT_SHORT_LABEL } from '../../src/shared/findingsView';
import { statsSection, type HistScale } from './statsDetail';

export interface DetailSources {
  detail(id: number): Promise<TensorDetail>;
  stats(id: number): Promise<TensorStats | null>;
  scale(): HistScale;
  setScale(s: HistScale): void;
}

export class DetailPane {
  readonly element: HTMLElement;
  private readonly content: HTMLElement;
  private request = 0;
  private currentId: number | null = null;
  private current: TensorDetail | null = null;
  private statsBox: HTMLElement | null = null;
  private stats: TensorStats | null = null;

  constructor(private readonly src: DetailSources, private readonly closed: () => void, addFinding?: (tensor: string) => void) {
    const close = h('button', { class: 'icon-button', type: 'button', 'aria-label': t('Close details'), title: t('Close details') }, icon('close'));
    close.addEventListener('click', () => this.close());
    const finding = addFinding ? h('button', { class: 'button secondary detail-add-finding', type: 'button', id: 'detail-add-finding' }, icon('comment-draft'), ` ${t('Add finding…')}`) : null;
    finding?.addEventListener('click', () => {
      if (this.current) addFinding!(this.current.row.name);
    });
    this.content = h('div', { class: 'detail-content' });
    this.element = h('section', { class: 'detail', 'aria-label': t('Tensor details'), id: 'tensor-detail', hidden: true },
      h('div', { class: 'detail-bar' }, h('h2', {}, t('Tensor')), finding, close), this.content);
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  get shownId(): number | null {
    return this.currentId;
  }

  /** Shows a tensor; resolves with its detail (undefined when it failed or another tensor was asked for). */
  async show(id: number): Promise<TensorDetail | undefined> {
    const request = ++this.request;
    this.currentId = id;
    this.current = null;
    this.element.hidden = false;
    this.element.setAttribute('aria-busy', 'true');
    replace(this.content, h('div', { class: 'detail-loading' }, ce('vscode-progress-ring', { 'aria-label': t('Loading tensor') }), t('Loading…')));
    try {
      const d = await this.src.detail(id);
      if (request !== this.request) return undefined;
      this.current = d;
      this.render(d);
      this.element.setAttribute('aria-busy', 'false');
      void this.loadStats();
      return d;
    } catch (e) {
      if (request !== this.request) return undefined;
      replace(this.content, h('div', { class: 'message error', role: 'alert' }, icon('error'), literal(e instanceof Error ? e.message : String(e))));
    }
    this.element.setAttribute('aria-busy', 'false');
    return undefined;
  }

  /** Statistics may have arrived since the tensor was shown: asks again when it has none yet. */
  refreshStats(): void {
    if (this.current && !this.stats) void this.loadStats();
  }

  private async loadStats(): Promise<void> {
    const d = this.current;
    const box = this.statsBox;
    if (!d || !box) return;
    try {
      const s = await this.src.stats(d.row.id);
      if (d !== this.current) return;
      this.stats = s;
      this.renderStats();
    } catch (e) {
      if (d !== this.current) return;
      replace(box, h('p', { class: 'message error' }, icon('error'), literal(t('Statistics: {0}', e instanceof Error ? e.message : String(e)))));
    }
  }

  private renderStats(): void {
    const d = this.current;
    if (!d || !this.statsBox) return;
    if (!this.stats) {
      replace(this.statsBox);
      return;
    }
    const focused = this.statsBox.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute('data-scale') : null;
    replace(this.statsBox, statsSection(this.stats, d.row.stats?.flags ?? [], this.src.scale(), (scale) => {
      this.src.setScale(scale);
      this.renderStats();
    }));
    if (focused) this.statsBox.querySelector<HTMLElement>(`[data-scale="${focused}"]`)?.focus();
  }

  close(): void {
    this.request++;
    this.currentId = null;
    this.current = null;
    this.element.hidden = true;
    this.closed();
  }

  private render(d: TensorDetail): void {
    const r = d.row;
    const dl = h('dl', { class: 'kv' });
    const add = (k: string, v: string | Node, cls = '') => append(dl, h('dt', {}, k), h('dd', { class: cls }, v));
    add(t('Name'), r.name, 'mono name');
    add('DType', r.dtype);
    add(t('Shape'), shape(r.shape), 'mono');
    add(t('Parameters'), int(r.count));
    add(t('Bytes'), `${bytes(r.bytes)} (${int(r.bytes)})`);
    add(t('Component'), COMPONENT_SHORT_LABEL[r.component] ?? r.component);
    add(t('Layer'), r.layer === null ? '—' : String(r.layer));
    add(t('Kind'), r.kind);
    if (d.param) add(t('Parameter kind'), d.param, 'mono');
    if (d.expert !== null) add(t('Expert'), String(d.expert));
    add(t('File'), r.file, 'mono');
    add(t('Path'), d.filePath, 'mono');
    add(t('Offsets'), `[${int(d.offsets[0])}, ${int(d.offsets[1])}) · 0x${d.offsets[0].toString(16)}–0x${d.offsets[1].toString(16)}`, 'mono');
    const values = h('div', { class: 'values mono', 'aria-label': t('First values') });
    if (d.firstValues.length === 0) values.textContent = t('(no values)');
    else values.textContent = d.firstValues.map(value).join('  ') + (d.firstValues.length < r.count ? '  …' : '');
    this.stats = null;
    this.statsBox = h('div', { class: 'detail-stats-box' });
    replace(this.content, dl, h('h3', {}, t('First {0} values', int(d.firstValues.length))), values, this.statsBox);
  }
}
