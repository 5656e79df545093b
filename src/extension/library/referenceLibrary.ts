// The reference library in the editor: its folders (`weightprint.libraryPaths` plus the default folder in global
// storage), the loaded fingerprints, a file watcher that reloads on change, and the "Reference Library" tree view.
import * as fs from 'node:fs/promises';
import { t } from '../../core/l10n';
import * as os from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { issueText, libraryHygiene, originDescription, originUrl, ReferenceLibrary, type Fingerprint, type FingerprintOrigin, type HygieneIssue, type LibraryModelSummary, type LibraryProblem } from '../../core/fingerprint';
import type { LibraryAccess } from '../jobs/jobRegistry';
import { expandLibraryPaths } from './libraryPaths';
import { libraryPathSetting } from '../settings';

export const LIBRARY_VIEW = 'weightprint.referenceLibrary';
const RELOAD_DEBOUNCE_MS = 300;

export class LibraryService implements LibraryAccess, vscode.Disposable {
  private library = new ReferenceLibrary([]);
  private settingProblems: LibraryProblem[] = [];
  private loading: Promise<void> = Promise.resolve();
  private loadedOnce = false;
  private watchers: vscode.Disposable[] = [];
  private watchedFolders = '';
  private debounce?: ReturnType<typeof setTimeout>;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires after every (re)load. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly globalStorage: vscode.Uri, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      this.emitter,
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('weightprint.libraryPaths')) void this.reload(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
  }

  /** Where adds and imports go: `<globalStorage>/library`. Always part of the library. */
  get defaultFolder(): string {
    return join(this.globalStorage.fsPath, 'library');
  }

  folders(): string[] {
    return this.expand().folders;
  }

  private expand() {
    return expandLibraryPaths(libraryPathSetting(), {
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath })),
      home: os.homedir(),
      defaultFolder: this.defaultFolder,
    });
  }

  /** Reloads every folder (serialised: a reload asked during a load runs after it). */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.load(), () => this.load());
    return this.loading;
  }

  /** The library as loaded last, after any reload in progress. */
  async current(): Promise<ReferenceLibrary> {
    if (!this.loadedOnce) await this.reload();
    await this.loading;
    return this.library;
  }

  private async load(): Promise<void> {
    const { folders, problems } = this.expand();
    try {
      await fs.mkdir(this.defaultFolder, { recursive: true });
    } catch (e) {
      this.log.warn(`cannot create the library folder ${this.defaultFolder}: ${(e as Error).message}`);
    }
    try {
      this.library = await ReferenceLibrary.load(folders);
    } catch (e) {
      this.library = new ReferenceLibrary(folders);
      this.library.problems.push({ path: folders.join(', '), reason: (e as Error).message });
    }
    this.settingProblems = problems.map((p) => ({ path: p.entry, reason: `weightprint.libraryPaths: ${p.reason}` }));
    this.loadedOnce = true;
    this.watch(folders);
    this.log.info(`reference library: ${this.library.entries.length} model(s) from ${folders.length} folder(s)` +
      (this.problems().length ? `, ${this.problems().length} problem(s)` : ''));
    this.emitter.fire();
  }

  private watch(folders: string[]): void {
    const key = folders.join('\n');
    if (key === this.watchedFolders) return;
    this.watchedFolders = key;
    for (const w of this.watchers) w.dispose();
    this.watchers = folders.map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '*.wpf'));
      const changed = () => this.scheduleReload();
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      return watcher;
    });
  }

  private scheduleReload(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => { this.debounce = undefined; void this.reload(); }, RELOAD_DEBOUNCE_MS);
  }

  count(): number {
    return this.library.entries.length;
  }

  summaries(): LibraryModelSummary[] {
    return this.library.summaries();
  }

  problems(): LibraryProblem[] {
    return [...this.settingProblems, ...this.library.problems];
  }

  async fingerprints(ids?: readonly string[]): Promise<Fingerprint[]> {
    const lib = await this.current();
    if (!ids) return lib.entries.map((e) => e.fingerprint);
    return ids.map((id) => {
      const e = lib.get(id);
      if (!e) throw new Error(t('the reference library holds no model with id {0}', JSON.stringify(id)));
      return e.fingerprint;
    });
  }

  /** Writes a fingerprint into the default folder and reloads. */
  async add(fp: Fingerprint): Promise<string> {
    const lib = await this.current();
    const entry = await lib.add(fp, this.defaultFolder);
    await this.reload();
    return entry.path;
  }

  async remove(id: string): Promise<string | undefined> {
    const lib = await this.current();
    const path = lib.get(id)?.path;
    if (!(await lib.remove(id))) return undefined;
    await this.reload();
    return path;
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    for (const w of this.watchers) w.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

// ---- tree view -------------------------------------------------------------------------------------------------

export type LibraryNode =
  | { kind: 'model'; model: LibraryModelSummary }
  | { kind: 'component'; model: LibraryModelSummary; component: LibraryModelSummary['components'][number] }
  | { kind: 'source'; model: LibraryModelSummary }
  | { kind: 'issue'; model: LibraryModelSummary; issue: HygieneIssue; index: number }
  | { kind: 'problem'; problem: LibraryProblem };

/** 2787584 → "2.79M". */
export function formatCount(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, u] of units) if (n >= v) return `${(n / v).toFixed(n / v >= 100 ? 0 : n / v >= 10 ? 1 : 2)}${u}`;
  return String(n);
}

const tensorCount = (n: number) => (n === 1 ? t('1 tensor') : t('{0} tensors', n));

export class LibraryTreeProvider implements vscode.TreeDataProvider<LibraryNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LibraryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;
  /** Duplicates and stale revisions by model id, computed with the root children. */
  private issues = new Map<string, HygieneIssue[]>();

  constructor(private readonly service: LibraryService) {
    this.sub = service.onDidChange(() => this.emitter.fire(undefined));
  }

  async getChildren(node?: LibraryNode): Promise<LibraryNode[]> {
    if (!node) {
      await this.service.current();
      const summaries = this.service.summaries();
      this.issues = libraryHygiene(summaries).issues;
      return [
        ...summaries.map((model): LibraryNode => ({ kind: 'model', model })),
        ...this.service.problems().map((problem): LibraryNode => ({ kind: 'problem', problem })),
      ];
    }
    if (node.kind === 'model') {
      return [
        ...(this.issues.get(node.model.id) ?? []).map((issue, index): LibraryNode => ({ kind: 'issue', model: node.model, issue, index })),
        ...node.model.components.map((component): LibraryNode => ({ kind: 'component', model: node.model, component })),
        { kind: 'source', model: node.model },
      ];
    }
    return [];
  }

  getParent(node: LibraryNode): LibraryNode | undefined {
    return node.kind === 'component' || node.kind === 'source' || node.kind === 'issue' ? { kind: 'model', model: node.model } : undefined;
  }

  getTreeItem(node: LibraryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'model': {
        const m = node.model;
        const item = new vscode.TreeItem(m.id, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `model:${m.id}`;
        const issues = this.issues.get(m.id) ?? [];
        const flags = [...new Set(issues.map(issueLabel))];
        item.description = [
          ...flags.map((f) => t('⚠ {0}', f)),
          t('{0} params · {1}', formatCount(m.parameters), tensorCount(m.tensors)),
          ...(m.origin ? [originDescription(m.origin)] : []),
        ].join(' · ');
        item.iconPath = issues.length
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : new vscode.ThemeIcon(m.origin ? 'cloud' : 'library');
        item.contextValue = 'weightprint.libraryModel';
        const o = m.origin;
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMd(m.id)}**\n\n` + t('{0} parameters in {1}', m.parameters.toLocaleString(vscode.env.language), tensorCount(m.tensors)) + '\n\n' +
          t('Source: {0}', mdCode(m.source)) + '\n\n' +
          (o ? `${originTooltip(o)}\n\n` : '') +
          t('Fingerprint file: {0}', mdCode(m.path)) + '\n\n' + t('Created {0}', escapeMd(m.createdAt)) +
          (issues.length ? `\n\n${issues.map((i) => `$(warning) ${escapeMd(issueText(i))}`).join('\n\n')}` : ''));
        item.tooltip.supportThemeIcons = true;
        return item;
      }
      case 'component': {
        const c = node.component;
        const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
        item.id = `component:${node.model.id}:${c.name}`;
        item.description = t('{0} params · {1}', formatCount(c.parameters), tensorCount(c.tensors));
        item.tooltip = `${node.model.id} · ${c.name}: ` + t('{0} parameters in {1}', c.parameters.toLocaleString(vscode.env.language), tensorCount(c.tensors));
        item.iconPath = new vscode.ThemeIcon(COMPONENT_ICONS[c.name] ?? 'symbol-misc');
        item.contextValue = 'weightprint.libraryComponent';
        return item;
      }
      case 'source': {
        const m = node.model;
        const item = new vscode.TreeItem('source', vscode.TreeItemCollapsibleState.None);
        item.id = `source:${m.id}`;
        const o = m.origin;
        item.description = o
          ? (o.commit ? t('{0} · commit {1} · fetched {2}', originUrl(o), o.commit.slice(0, 12), o.fetchedAt) : t('{0} · revision {1} · fetched {2}', originUrl(o), o.revision, o.fetchedAt))
          : m.source;
        item.tooltip = o
          ? new vscode.MarkdownString([originTooltip(o), t('Files: {0}', o.files.map(mdCode).join(', ')), t('Fingerprint file: {0}', mdCode(m.path))].join('\n\n'))
          : [m.source, t('Fingerprint file: {0}', m.path), t('Created {0}', m.createdAt)].join('\n');
        item.iconPath = new vscode.ThemeIcon('link');
        return item;
      }
      case 'issue': {
        const text = issueText(node.issue);
        const item = new vscode.TreeItem(issueLabel(node.issue), vscode.TreeItemCollapsibleState.None);
        item.id = `issue:${node.model.id}:${node.index}`;
        item.description = text;
        item.tooltip = text;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'weightprint.libraryIssue';
        return item;
      }
      case 'problem': {
        const p = node.problem;
        const item = new vscode.TreeItem(basename(p.path) || p.path, vscode.TreeItemCollapsibleState.None);
        item.id = `problem:${p.path}:${p.reason}`;
        item.description = p.reason;
        item.tooltip = `${p.path}\n${p.reason}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'weightprint.libraryProblem';
        return item;
      }
    }
  }

  /** Plain text of the whole tree (the integration tests' view of it); with a view, expands every model in it. */
  async describe(view?: vscode.TreeView<LibraryNode>): Promise<{ label: string; description?: string; icon?: string; children: { label: string; description?: string }[] }[]> {
    const roots = await this.getChildren();
    if (view) for (const n of roots) if (n.kind === 'model') await view.reveal(n, { expand: true, select: false, focus: false });
    return Promise.all(roots.map(async (n) => {
      const item = this.getTreeItem(n);
      const children = await this.getChildren(n);
      return {
        label: String(item.label), description: typeof item.description === 'string' ? item.description : undefined,
        icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
        children: children.map((c) => {
          const ci = this.getTreeItem(c);
          return { label: String(ci.label), description: typeof ci.description === 'string' ? ci.description : undefined };
        }),
      };
    }));
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}

const COMPONENT_ICONS: Record<string, string> = {
  language: 'symbol-text', vision: 'eye', audio: 'unmute', projector: 'arrow-swap', other: 'symbol-misc',
};

/** Inline Markdown code for a name (backticks inside become quotes). */
function mdCode(v: string): string {
  const tick = String.fromCharCode(96);
  return tick + v.split(tick).join("'") + tick;
}

/** The short label of a hygiene issue: "duplicate" or "stale?". */
function issueLabel(issue: HygieneIssue): string {
  return issue.kind === 'stale' ? t('stale?') : t('duplicate');
}

/** Markdown lines of a remote fingerprint's origin: source URL, revision, commit, fetch date. */
function originTooltip(o: FingerprintOrigin): string {
  return [
    t('Source URL: {0}', mdCode(originUrl(o))),
    t('Revision: {0} · commit: {1}', mdCode(o.revision), o.commit ? mdCode(o.commit) : t('not given by the server')),
    t('Fetched {0}', escapeMd(o.fetchedAt)),
  ].join('\n\n');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
