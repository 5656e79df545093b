// Filtering, sorting and paging of the tensor table, and the module tree: pure functions over rows,
// used by the extension host (the source of truth) and by the webview tests' mock host.
import type { TensorPage, TensorQuery, TensorRow, TreeNode } from '../../shared/protocol';

const collator = new Intl.Collator('en', { numeric: true });

function compareRows(key: TensorQuery['sortKey']): (a: TensorRow, b: TensorRow) => number {
  switch (key) {
    case 'count': return (a, b) => a.count - b.count;
    case 'bytes': return (a, b) => a.bytes - b.bytes;
    case 'layer': return (a, b) => (a.layer ?? -1) - (b.layer ?? -1);
    case 'name': return (a, b) => collator.compare(a.name, b.name);
    default: return (a, b) => collator.compare(String(a[key]), String(b[key]));
  }
}

/** Caches the last filtered+sorted order so that scrolling (same query, other start) costs only a slice. */
export class TensorTable {
  private lastKey = '';
  private lastOrder: TensorRow[] = [];
  private lastError: string | undefined;

  constructor(readonly rows: TensorRow[]) {}

  query(q: TensorQuery): TensorPage {
    const key = JSON.stringify([q.filter, q.regex, q.component ?? '', q.prefix ?? '', q.sortKey, q.descending]);
    if (key !== this.lastKey) {
      const { order, error } = filterAndSort(this.rows, q);
      this.lastKey = key;
      this.lastOrder = order;
      this.lastError = error;
    }
    const start = Math.max(0, Math.min(q.start, this.lastOrder.length));
    const count = Math.max(0, Math.min(q.count, 2000));
    return { total: this.lastOrder.length, start, rows: this.lastOrder.slice(start, start + count), filterError: this.lastError };
  }
}

export function filterAndSort(rows: TensorRow[], q: TensorQuery): { order: TensorRow[]; error?: string } {
  let match: (name: string) => boolean = () => true;
  let error: string | undefined;
  const filter = q.filter.trim();
  if (filter) {
    if (q.regex) {
      try {
        const re = new RegExp(filter, 'i');
        match = (n) => re.test(n);
      } catch (e) {
        error = (e as Error).message;
        match = () => false;
      }
    } else {
      const needle = filter.toLowerCase();
      match = (n) => n.toLowerCase().includes(needle);
    }
  }
  const prefix = q.prefix ? q.prefix + '.' : '';
  const order = rows.filter((r) =>
    (!q.component || r.component === q.component) && (!prefix || r.name.startsWith(prefix) || r.name === q.prefix) && match(r.name));
  if (q.sortKey !== 'name' || q.descending) {
    const cmp = compareRows(q.sortKey);
    const byName = compareRows('name');
    order.sort((a, b) => {
      const c = cmp(a, b) || byName(a, b);
      return q.descending ? -c : c;
    });
  } else {
    order.sort(compareRows('name'));
  }
  return { order, error };
}

/** Children of a module-tree node ("" is the root). Names are split on "."; a tensor is a leaf. */
export function treeChildren(rows: TensorRow[], path: string): TreeNode[] {
  const prefix = path ? path + '.' : '';
  const nodes = new Map<string, TreeNode>();
  for (const r of rows) {
    if (prefix && !r.name.startsWith(prefix)) continue;
    const rest = r.name.slice(prefix.length);
    const dot = rest.indexOf('.');
    const label = dot < 0 ? rest : rest.slice(0, dot);
    const childPath = prefix + label;
    let node = nodes.get(childPath);
    if (!node) {
      node = { path: childPath, label, tensors: 0, parameters: 0, hasChildren: false };
      nodes.set(childPath, node);
    }
    node.tensors++;
    node.parameters += r.count;
    if (dot < 0) node.tensorId = r.id;
    else node.hasChildren = true;
  }
  return [...nodes.values()].sort((a, b) => collator.compare(a.label, b.label));
}
