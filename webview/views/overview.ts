// The Overview tab: totals, the audit's verdicts once there are some (with the declared provenance and the
// tokenizer beside the checkpoint), components, dtypes, files, __metadata__, config and warnings.
import type { ArchitectureMatchRow, AuditResult, CheckpointSummary, ComponentName } from '../../src/shared/protocol';
import { ce, h, icon, literal } from '../dom';
import { t } from '../../src/core/l10n';
import { COMPONENT_SHORT_LABEL } from '../../src/shared/findingsView';
import { bytes, compact, int, percent } from '../format';
import { shareBar, staticTable } from './table';
import { checkedAgainst, verdictTable } from './provenance/verdictTable';
import { declaredSection, tokenizerSection } from './sidecarOverview';

/** Large metadata sections are cut here; the rest is counted. */
const MAX_ENTRIES = 1000;

export interface OverviewHandlers {
  showComponent(c: ComponentName): void;
  /** "Add to library…" of a suggested public repo: the host runs weightprint.addHubModel (fetches over the network). */
  addHubModel?(repo: string): void;
  /** Opens a component's card in Provenance (the verdict links). */
  showCard?(component: string): void;
}

/** The last audit's result and when it finished, as the Overview shows it. */
export interface OverviewAudit {
  result: AuditResult;
  finishedAt?: string;
}

function auditSection(a: OverviewAudit, on: OverviewHandlers): HTMLElement {
  return section('overview-audit', t('Audit verdicts'),
    h('p', { class: 'muted checked-against' }, checkedAgainst(a.result, a.finishedAt)),
    h('div', { class: 'table-scroll' }, verdictTable(a.result, on.showCard, true)));
}

const confidenceText = (c: ArchitectureMatchRow['confidence']): string =>
  (c === 'exact' ? t('exact sizes') : c === 'shapes' ? t('same per-layer shapes') : t('layout only'));

/**
 * Architecture matches per component, visually apart from the weight evidence (Provenance): the same layout and
 * shapes as a public family say nothing about where the weights came from.
 */
export function architectureSection(rows: readonly ArchitectureMatchRow[], on: OverviewHandlers): HTMLElement {
  const note = h('p', { class: 'muted', id: 'architecture-note' },
    t('Same tensor names and shapes as a known public family. Open architectures are reused legitimately; whether weights were reused is decided only by fingerprints (Provenance tab).'));
  if (rows.length === 0) {
    return section('architecture', t('Architecture match (layout only — not evidence of weight reuse)'), note,
      h('p', { class: 'muted' }, t('No known family in the architecture catalogue.')));
  }
  const items = rows.map((r) => {
    const repos = r.repos.map((repo) => {
      const b = h('button', { type: 'button', class: 'button secondary add-hub-model', 'data-repo': repo, title: t('Fingerprint {0} over HTTP Range (network) and add it to the reference library', repo) },
        t('Add to library… {0}', repo));
      b.addEventListener('click', () => on.addHubModel?.(repo));
      return h('li', {}, b);
    });
    return h('li', { class: 'architecture-match', 'data-component': r.component, 'data-family': r.family },
      h('div', {}, h('strong', {}, COMPONENT_SHORT_LABEL[r.component] ?? r.component), ' ', h('span', { class: 'mono' }, r.prefix || t('(root)')), ': ', // l10n-ignore: punctuation
        h('span', {}, r.summary), ' ', ce('vscode-badge', { title: t('Match strength') }, confidenceText(r.confidence))),
      r.rules.length ? h('ul', { class: 'muted architecture-rules' }, ...r.rules.map((x) => h('li', {}, x))) : null,
      repos.length ? h('ul', { class: 'architecture-repos', 'aria-label': t('Public checkpoints of {0}', r.familyName) }, ...repos) : null);
  });
  return section('architecture', t('Architecture match (layout only — not evidence of weight reuse)'), note,
    h('ul', { class: 'architecture-list' }, ...items));
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
  const table = staticTable(label, [{ label: t('Key') }, { label: t('Value') }], rows, 'kv-table');
  if (entries.length <= MAX_ENTRIES) return table;
  return h('div', {}, table, h('p', { class: 'muted' }, t('… {0} more entries', int(entries.length - MAX_ENTRIES))));
}

/** The format's own spelling (a name, not a phrase: the same in every language). */
function formatName(format: string): string {
  return format === 'gguf' ? 'GGUF' : format === 'pytorch' ? 'PyTorch' : 'safetensors';
}

export function overview(s: CheckpointSummary, on: OverviewHandlers, audit?: OverviewAudit): HTMLElement {
  const kind = s.kind === 'sharded' ? t('sharded, {0} shards', s.files.length) : s.kind === 'folder-of-files' ? t('folder, {0} files', s.files.length) : t('single file');
  const header = h('header', { class: 'overview-header' },
    h('h1', { id: 'checkpoint-title' }, s.title),
    h('div', { class: 'path mono', title: t('Path') }, s.path),
    h('div', { class: 'badges' },
      ce('vscode-badge', { title: t('File format') }, formatName(s.format)),
      ce('vscode-badge', { title: t('Layout') }, kind),
      ce('vscode-badge', { title: t('Architecture family'), id: 'family' }, s.family || t('unknown family'))));

  const warnings = s.warnings.length
    ? h('div', { class: 'warnings', role: 'region', 'aria-label': t('Warnings') },
      ...s.warnings.map((w) => h('div', { class: 'message warning' }, icon('warning'), h('span', {}, w))))
    : null;

  const stats = h('div', { class: 'stats', id: 'summary-stats' },
    stat(t('Tensors'), int(s.tensors)),
    stat(t('Parameters'), compact(s.parameters), int(s.parameters)),
    stat(t('Tensor data'), bytes(s.bytes), t('{0} bytes', int(s.bytes))),
    stat(t('Files'), int(s.files.length), bytes(s.fileBytes)));

  const componentRows = s.components.map((c) => {
    const show = h('button', { class: 'link-button component-name', type: 'button', title: t('Show the {0} tensors', COMPONENT_SHORT_LABEL[c.name] ?? c.name) }, COMPONENT_SHORT_LABEL[c.name] ?? c.name);
    show.addEventListener('click', () => on.showComponent(c.name));
    return [show, int(c.tensors), int(c.parameters),
      h('span', { class: 'share' }, shareBar(c.parameters, s.parameters), percent(c.parameters, s.parameters)),
      c.layers ? int(c.layers) : '—', bytes(c.bytes)];
  });
  const components = staticTable(t('Components'), [{ label: t('Component') }, { label: t('Tensors'), numeric: true },
    { label: t('Parameters'), numeric: true }, { label: t('Share') }, { label: t('Layers'), numeric: true }, { label: t('Bytes'), numeric: true }],
  componentRows, 'components-table');

  const dtypes = staticTable(t('Data types'), [{ label: 'DType' }, { label: t('Tensors'), numeric: true }, { label: t('Parameters'), numeric: true },
    { label: t('Share') }, { label: t('Bytes'), numeric: true }],
  s.dtypes.map((d) => [d.dtype, int(d.tensors), int(d.parameters),
    h('span', { class: 'share' }, shareBar(d.parameters, s.parameters), percent(d.parameters, s.parameters)), bytes(d.bytes)]));

  const files = staticTable(t('Files'), [{ label: t('File') }, { label: t('Size'), numeric: true }, { label: t('Tensors'), numeric: true },
    { label: t('Header'), numeric: true }],
  s.files.slice(0, MAX_ENTRIES).map((f) => [h('span', { class: 'mono' }, f.name), bytes(f.size), int(f.tensors), bytes(f.headerLength)]));

  const hash = h('p', { class: 'muted mono hash' }, `${t('Header hash')} `, literal(s.headerHash));

  return h('div', { class: 'overview', id: 'overview' },
    header, warnings, stats,
    audit ? auditSection(audit, on) : null,
    audit?.result.sidecars ? declaredSection(audit.result.sidecars) : null,
    audit?.result.sidecars ? tokenizerSection(audit.result.sidecars) : null,
    h('div', { class: 'columns' },
      section('components', t('Components'), components),
      section('dtypes', t('Data types'), dtypes)),
    s.architecture ? architectureSection(s.architecture, on) : null,
    section('config', t('Configuration'), keyValues(t('Configuration'), s.config, t('No config.json beside the checkpoint.'))),
    section('metadata', s.format === 'gguf' ? t('Metadata (GGUF header)') : t('Metadata (__metadata__)'), keyValues(t('Metadata'), s.metadata, t('No __metadata__ in the header.'))),
    section('files', t('Files'), files, s.files.length > MAX_ENTRIES ? h('p', { class: 'muted' }, t('… {0} more files', int(s.files.length - MAX_ENTRIES))) : null),
    hash);
}
