// The Overview tab: totals, components, dtypes, files, __metadata__, config and warnings.
import type { CheckpointSummary, ComponentName } from '../../src/shared/protocol';
import { ce, h, icon, literal } from '../dom';
import { bytes, compact, int, percent } from '../format';
import { shareBar, staticTable } from './table';

/** Large metadata sections are cut here; the rest is counted. */
const MAX_ENTRIES = 1000;

export interface OverviewHandlers {
  showComponent(c: ComponentName): void;
}

function stat(label: string, main: string, sub?: string): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, main),
    sub ? h('div', { class: 'stat-sub' }, sub) : null);
}

function section(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', { class: 'section', 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

function keyValues(label: string, entries: [string, string][], empty: string): Node {
  if (entries.length === 0) return h('p', { class: 'muted' }, empty);
  const shown = entries.slice(0, MAX_ENTRIES);
  const rows = shown.map(([k, v]) => [h('span', { class: 'mono' }, k), h('span', { class: 'mono value-text' }, v)]);
  const table = staticTable(label, [{ label: 'Key' }, { label: 'Value' }], rows, 'kv-table');
  if (entries.length <= MAX_ENTRIES) return table;
  return h('div', {}, table, h('p', { class: 'muted' }, `… ${int(entries.length - MAX_ENTRIES)} more entries`));
}

export function overview(s: CheckpointSummary, on: OverviewHandlers): HTMLElement {
  const kind = s.kind === 'sharded' ? `sharded, ${s.files.length} shards` : s.kind === 'folder-of-files' ? `folder, ${s.files.length} files` : 'single file';
  const header = h('header', { class: 'overview-header' },
    h('h1', { id: 'checkpoint-title' }, s.title),
    h('div', { class: 'path mono', title: 'Path' }, s.path),
    h('div', { class: 'badges' },
      ce('vscode-badge', { title: 'Layout' }, kind),
      ce('vscode-badge', { title: 'Architecture family', id: 'family' }, s.family || 'unknown family')));

  const warnings = s.warnings.length
    ? h('div', { class: 'warnings', role: 'region', 'aria-label': 'Warnings' },
      ...s.warnings.map((w) => h('div', { class: 'message warning' }, icon('warning'), h('span', {}, w))))
    : null;

  const stats = h('div', { class: 'stats', id: 'summary-stats' },
    stat('Tensors', int(s.tensors)),
    stat('Parameters', compact(s.parameters), int(s.parameters)),
    stat('Tensor data', bytes(s.bytes), `${int(s.bytes)} bytes`),
    stat('Files', int(s.files.length), bytes(s.fileBytes)));

  const componentRows = s.components.map((c) => {
    const show = h('button', { class: 'link-button component-name', type: 'button', title: `Show the ${c.name} tensors` }, c.name);
    show.addEventListener('click', () => on.showComponent(c.name));
    return [show, int(c.tensors), int(c.parameters),
      h('span', { class: 'share' }, shareBar(c.parameters, s.parameters), percent(c.parameters, s.parameters)),
      c.layers ? int(c.layers) : '—', bytes(c.bytes)];
  });
  const components = staticTable('Components', [{ label: 'Component' }, { label: 'Tensors', numeric: true },
    { label: 'Parameters', numeric: true }, { label: 'Share' }, { label: 'Layers', numeric: true }, { label: 'Bytes', numeric: true }],
  componentRows, 'components-table');

  const dtypes = staticTable('Data types', [{ label: 'DType' }, { label: 'Tensors', numeric: true }, { label: 'Parameters', numeric: true },
    { label: 'Share' }, { label: 'Bytes', numeric: true }],
  s.dtypes.map((d) => [d.dtype, int(d.tensors), int(d.parameters),
    h('span', { class: 'share' }, shareBar(d.parameters, s.parameters), percent(d.parameters, s.parameters)), bytes(d.bytes)]));

  const files = staticTable('Files', [{ label: 'File' }, { label: 'Size', numeric: true }, { label: 'Tensors', numeric: true },
    { label: 'Header', numeric: true }],
  s.files.slice(0, MAX_ENTRIES).map((f) => [h('span', { class: 'mono' }, f.name), bytes(f.size), int(f.tensors), bytes(f.headerLength)]));

  const hash = h('p', { class: 'muted mono hash' }, 'Header hash ', literal(s.headerHash));

  return h('div', { class: 'overview', id: 'overview' },
    header, warnings, stats,
    h('div', { class: 'columns' },
      section('components', 'Components', components),
      section('dtypes', 'Data types', dtypes)),
    section('config', 'Configuration', keyValues('Configuration', s.config, 'No config.json beside the checkpoint.')),
    section('metadata', 'Metadata (__metadata__)', keyValues('Metadata', s.metadata, 'No __metadata__ in the header.')),
    section('files', 'Files', files, s.files.length > MAX_ENTRIES ? h('p', { class: 'muted' }, `… ${int(s.files.length - MAX_ENTRIES)} more files`) : null),
    hash);
}
