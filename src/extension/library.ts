// The reference library in the editor: its folders (`weightprint.libraryPaths` plus the default folder in global
// storage), the loaded fingerprints, a file watcher that reloads on change, and the "Reference Library" tree view.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { ReferenceLibrary, type Fingerprint, type LibraryModelSummary, type LibraryProblem } from '../core/fingerprint';
import type { LibraryAccess } from './jobs';
import { expandLibraryPaths } from './libraryPaths';
import { libraryPathSetting } from './settings';

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
      if (!e) throw new Error(`the reference library holds no model with id ${JSON.stringify(id)}`);
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
  | { kind: 'problem'; problem: LibraryProblem };

/** 2787584 → "2.79M". */
export function formatCount(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, u] of units) if (n >= v) return `${(n / v).toFixed(n / v >= 100 ? 0 : n / v >= 10 ? 1 : 2)}${u}`;
  return String(n);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class LibraryTreeProvider implements vscode.TreeDataProvider<LibraryNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LibraryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly service: LibraryService) {
    this.sub = service.onDidChange(() => this.emitter.fire(undefined));
  }

  async getChildren(node?: LibraryNode): Promise<LibraryNode[]> {
    if (!node) {
      await this.service.current();
      return [
        ...this.service.summaries().map((model): LibraryNode => ({ kind: 'model', model })),
        ...this.service.problems().map((problem): LibraryNode => ({ kind: 'problem', problem })),
      ];
    }
    if (node.kind === 'model') {
      return [
        ...node.model.components.map((component): LibraryNode => ({ kind: 'component', model: node.model, component })),
        { kind: 'source', model: node.model },
      ];
    }
    return [];
  }

  getParent(node: LibraryNode): LibraryNode | undefined {
    return node.kind === 'component' || node.kind === 'source' ? { kind: 'model', model: node.model } : undefined;
  }

  getTreeItem(node: LibraryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'model': {
        const m = node.model;
        const item = new vscode.TreeItem(m.id, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `model:${m.id}`;
        item.description = `${formatCount(m.parameters)} params · ${plural(m.tensors, 'tensor')}`;
        item.iconPath = new vscode.ThemeIcon('library');
        item.contextValue = 'weightprint.libraryModel';
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMd(m.id)}**\n\n${m.parameters.toLocaleString('en-US')} parameters in ${plural(m.tensors, 'tensor')}\n\n` +
          `Source: \`${m.source.replace(/`/g, "'")}\`\n\nFingerprint: \`${m.path.replace(/`/g, "'")}\`\n\nCreated ${escapeMd(m.createdAt)}`);
        return item;
      }
      case 'component': {
        const c = node.component;
        const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
        item.id = `component:${node.model.id}:${c.name}`;
        item.description = `${formatCount(c.parameters)} params · ${plural(c.tensors, 'tensor')}`;
        item.tooltip = `${node.model.id} · ${c.name}: ${c.parameters.toLocaleString('en-US')} parameters in ${plural(c.tensors, 'tensor')}`;
        item.iconPath = new vscode.ThemeIcon(COMPONENT_ICONS[c.name] ?? 'symbol-misc');
        item.contextValue = 'weightprint.libraryComponent';
        return item;
      }
      case 'source': {
        const m = node.model;
        const item = new vscode.TreeItem('source', vscode.TreeItemCollapsibleState.None);
        item.id = `source:${m.id}`;
        item.description = m.source;
        item.tooltip = `${m.source}\nfingerprint file: ${m.path}\ncreated ${m.createdAt}`;
        item.iconPath = new vscode.ThemeIcon('link');
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

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
