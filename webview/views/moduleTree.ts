// The collapsible module tree: children are asked from the host when a node is first expanded.
// Rendered flat (aria-level/setsize/posinset) with a roving tabindex; arrows, Home/End and Enter work as in VS Code.
import type { TreeNode } from '../../src/shared/protocol';
import { h, icon, literal, literalText, replace } from '../dom';
import { compact, int } from '../format';
import { t } from '../../src/core/l10n';

/** At most this many children of one node are shown; the rest are reachable through the table filter. */
export const MAX_CHILDREN = 500;

export interface TreeHandlers {
  load(path: string): Promise<TreeNode[]>;
  /** Enter/click on a module: scope the table to it. */
  scope(path: string): void;
  /** Enter/click on a tensor leaf. */
  openTensor(id: number): void;
  expandedChanged(paths: string[]): void;
}

interface Item {
  node: TreeNode;
  level: number;
  parent: Item | null;
  children?: Item[];
  more?: number;
  loading?: boolean;
  error?: string;
  expanded: boolean;
}

export class ModuleTree {
  readonly element: HTMLElement;
  private root: Item;
  private visible: Item[] = [];
  private focusPath = '';
  private scoped = '';
  private readonly expanded: Set<string>;

  constructor(expanded: string[], private readonly on: TreeHandlers) {
    this.expanded = new Set(expanded);
    this.element = h('div', { class: 'tree', role: 'tree', 'aria-label': t('Module tree') });
    this.root = { node: { path: '', label: '', tensors: 0, parameters: 0, hasChildren: true }, level: 0, parent: null, expanded: true };
    this.element.addEventListener('keydown', (e) => this.key(e));
    this.element.addEventListener('click', (e) => this.click(e));
    void this.loadChildren(this.root);
  }

  setScope(path: string): void {
    this.scoped = path;
    this.render();
  }

  private async loadChildren(item: Item): Promise<void> {
    if (item.children || item.loading) return;
    item.loading = true;
    this.render();
    try {
      const nodes = await this.on.load(item.node.path);
      item.children = nodes.slice(0, MAX_CHILDREN).map((node) => ({
        node, level: item.level + 1, parent: item, expanded: false,
      }));
      item.more = Math.max(0, nodes.length - MAX_CHILDREN);
      item.error = undefined;
    } catch (e) {
      item.error = e instanceof Error ? e.message : String(e);
    }
    item.loading = false;
    this.render();
    // Restore previously expanded descendants.
    for (const child of item.children ?? []) {
      if (child.node.hasChildren && this.expanded.has(child.node.path)) {
        child.expanded = true;
        void this.loadChildren(child);
      }
    }
  }

  private setExpanded(item: Item, on: boolean): void {
    if (!item.node.hasChildren || item.expanded === on) return;
    item.expanded = on;
    if (on) this.expanded.add(item.node.path);
    else this.expanded.delete(item.node.path);
    this.on.expandedChanged([...this.expanded]);
    if (on) void this.loadChildren(item);
    this.render();
  }

  private collect(item: Item, out: Item[]): void {
    for (const c of item.children ?? []) {
      out.push(c);
      if (c.expanded) this.collect(c, out);
    }
  }

  private render(): void {
    const focused = this.element.contains(document.activeElement);
    this.visible = [];
    this.collect(this.root, this.visible);
    if (!this.visible.some((v) => v.node.path === this.focusPath)) this.focusPath = this.visible[0]?.node.path ?? '';
    const rows: Node[] = [];
    const status = (level: number, text: string, cls: string) => {
      const el = h('div', { class: `tree-status ${cls}`, role: 'none' }, text);
      el.style.setProperty('--wp-level', String(level));
      return el;
    };
    if (this.root.loading) rows.push(status(1, t('Loading…'), ''));
    if (this.root.error) rows.push(status(1, this.root.error, 'error'));
    for (const item of this.visible) {
      rows.push(this.row(item));
      if (item.expanded && item.loading) rows.push(status(item.level + 1, t('Loading…'), ''));
      if (item.expanded && item.error) rows.push(status(item.level + 1, item.error, 'error'));
      if (item.expanded && item.more) rows.push(status(item.level + 1, t('… {0} more (use the filter)', int(item.more)), 'more'));
    }
    if (this.root.more) rows.push(status(1, t('… {0} more (use the filter)', int(this.root.more)), 'more'));
    replace(this.element, ...rows);
    if (focused) this.focusRow();
  }

  private row(item: Item): HTMLElement {
    const n = item.node;
    const siblings = item.parent?.children ?? [];
    const el = h('div', {
      class: `treeitem${n.path === this.scoped ? ' scoped' : ''}`, role: 'treeitem', 'data-path': n.path,
      'aria-level': item.level, 'aria-setsize': siblings.length + (item.parent?.more ?? 0), 'aria-posinset': siblings.indexOf(item) + 1,
      'aria-selected': n.path === this.scoped ? 'true' : 'false', 'aria-expanded': n.hasChildren ? String(item.expanded) : undefined,
      tabindex: n.path === this.focusPath ? 0 : -1, title: literalText(n.path),
    });
    el.style.setProperty('--wp-level', String(item.level));
    // The editor's context menu (webview/context): Add Finding… on this module (a layer gives a layer range) or tensor.
    el.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'moduleNode', path: n.path, preventDefaultContextMenuItems: true }));
    const twistie = n.hasChildren ? icon(item.expanded ? 'chevron-down' : 'chevron-right', 'twistie') : icon('blank', 'twistie');
    const kind = icon(n.hasChildren ? 'symbol-namespace' : 'symbol-array', 'kind');
    const meta = n.hasChildren ? `${int(n.tensors)} · ${compact(n.parameters)}` : compact(n.parameters);
    el.append(twistie, kind, h('span', { class: 'tree-label' }, literal(n.label)), h('span', { class: 'tree-meta' }, meta));
    return el;
  }

  private focusRow(): void {
    const el = this.element.querySelector<HTMLElement>('.treeitem[tabindex="0"]');
    el?.focus();
  }

  private moveFocus(item: Item | undefined): void {
    if (!item) return;
    this.focusPath = item.node.path;
    for (const el of this.element.querySelectorAll<HTMLElement>('.treeitem')) {
      el.tabIndex = el.dataset.path === this.focusPath ? 0 : -1;
    }
    this.focusRow();
    this.element.querySelector<HTMLElement>('.treeitem[tabindex="0"]')?.scrollIntoView({ block: 'nearest' });
  }

  private activate(item: Item): void {
    if (item.node.hasChildren) {
      this.on.scope(item.node.path);
      this.setScope(item.node.path);
    } else if (item.node.tensorId !== undefined) {
      this.on.openTensor(item.node.tensorId);
    }
  }

  private itemOf(el: Element | null): Item | undefined {
    const row = el?.closest<HTMLElement>('.treeitem');
    return row ? this.visible.find((v) => v.node.path === row.dataset.path) : undefined;
  }

  private click(e: MouseEvent): void {
    const item = this.itemOf(e.target as Element);
    if (!item) return;
    this.focusPath = item.node.path;
    if ((e.target as Element).closest('.twistie')) {
      this.setExpanded(item, !item.expanded);
      return;
    }
    if (item.node.hasChildren) this.setExpanded(item, !item.expanded);
    this.activate(item);
    this.moveFocus(item);
  }

  private key(e: KeyboardEvent): void {
    const i = this.visible.findIndex((v) => v.node.path === this.focusPath);
    const item = this.visible[i];
    if (!item) return;
    switch (e.key) {
      case 'ArrowDown': this.moveFocus(this.visible[i + 1]); break;
      case 'ArrowUp': this.moveFocus(this.visible[i - 1]); break;
      case 'Home': this.moveFocus(this.visible[0]); break;
      case 'End': this.moveFocus(this.visible[this.visible.length - 1]); break;
      case 'ArrowRight':
        if (item.node.hasChildren && !item.expanded) this.setExpanded(item, true);
        else if (item.expanded && item.children?.length) this.moveFocus(item.children[0]);
        break;
      case 'ArrowLeft':
        if (item.expanded) this.setExpanded(item, false);
        else if (item.parent && item.parent !== this.root) this.moveFocus(item.parent);
        break;
      case 'Enter':
      case ' ':
        this.activate(item);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
