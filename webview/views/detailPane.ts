// The detail pane of one tensor: shape, dtype, file, byte offsets and its first decoded values.
import type { TensorDetail } from '../../src/shared/protocol';
import { append, ce, h, icon, literal, replace } from '../dom';
import { bytes, int, shape, value } from '../format';

export class DetailPane {
  readonly element: HTMLElement;
  private readonly content: HTMLElement;
  private request = 0;
  private currentId: number | null = null;

  constructor(private readonly load: (id: number) => Promise<TensorDetail>, private readonly closed: () => void) {
    const close = h('button', { class: 'icon-button', type: 'button', 'aria-label': 'Close details', title: 'Close details' }, icon('close'));
    close.addEventListener('click', () => this.close());
    this.content = h('div', { class: 'detail-content' });
    this.element = h('section', { class: 'detail', 'aria-label': 'Tensor details', id: 'tensor-detail', hidden: true },
      h('div', { class: 'detail-bar' }, h('h2', {}, 'Tensor'), close), this.content);
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  get shownId(): number | null {
    return this.currentId;
  }

  async show(id: number): Promise<void> {
    const request = ++this.request;
    this.currentId = id;
    this.element.hidden = false;
    this.element.setAttribute('aria-busy', 'true');
    replace(this.content, h('div', { class: 'detail-loading' }, ce('vscode-progress-ring', { 'aria-label': 'Loading tensor' }), 'Loading…'));
    try {
      const d = await this.load(id);
      if (request !== this.request) return;
      this.render(d);
    } catch (e) {
      if (request !== this.request) return;
      replace(this.content, h('div', { class: 'message error', role: 'alert' }, icon('error'), literal(e instanceof Error ? e.message : String(e))));
    }
    this.element.setAttribute('aria-busy', 'false');
  }

  close(): void {
    this.request++;
    this.currentId = null;
    this.element.hidden = true;
    this.closed();
  }

  private render(d: TensorDetail): void {
    const r = d.row;
    const dl = h('dl', { class: 'kv' });
    const add = (k: string, v: string | Node, cls = '') => append(dl, h('dt', {}, k), h('dd', { class: cls }, v));
    add('Name', r.name, 'mono name');
    add('DType', r.dtype);
    add('Shape', shape(r.shape), 'mono');
    add('Parameters', int(r.count));
    add('Bytes', `${bytes(r.bytes)} (${int(r.bytes)})`);
    add('Component', r.component);
    add('Layer', r.layer === null ? '—' : String(r.layer));
    add('Kind', r.kind);
    if (d.param) add('Parameter', d.param, 'mono');
    if (d.expert !== null) add('Expert', String(d.expert));
    add('File', r.file, 'mono');
    add('Path', d.filePath, 'mono');
    add('Offsets', `[${int(d.offsets[0])}, ${int(d.offsets[1])}) · 0x${d.offsets[0].toString(16)}–0x${d.offsets[1].toString(16)}`, 'mono');
    const values = h('div', { class: 'values mono', 'aria-label': 'First values' });
    if (d.firstValues.length === 0) values.textContent = '(no values)';
    else values.textContent = d.firstValues.map(value).join('  ') + (d.firstValues.length < r.count ? '  …' : '');
    replace(this.content, dl, h('h3', {}, `First ${int(d.firstValues.length)} values`), values);
  }
}
