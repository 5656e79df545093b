// Filtering, sorting and paging of the tensor table, and the module tree: pure functions over rows,
// used by the extension host (the source of truth) and by the webview tests' mock host.
import type { TensorPage, TensorQuery, TensorRow, TreeNode } from './types';

const collator = new Intl.Collator('en', { numeric: true });

/** Rows without the statistic (not computed yet, or undefined) sort after every row that has it. */
function byStat(get: (r: TensorRow) => number | null | undefined): (a: TensorRow, b: TensorRow) => number {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return x - y;
  };
}

function compareRows(key: TensorQuery['sortKey']): (a: TensorRow, b: TensorRow) => number {
  switch (key) {
    case 'mean': return byStat((r) => r.stats?.mean);
    case 'std': return byStat((r) => r.stats?.std);
    case 'absmax': return byStat((r) => r.stats?.absmax);
    case 'kurtosis': return byStat((r) => r.stats?.kurtosis);
    case 'zeros': return byStat((r) => r.stats?.zerosFraction);
    case 'flags': return byStat((r) => (r.stats ? r.stats.flags.length : undefined));
    case 'count': return (a, b) => a.count - b.count;
    case 'bytes': return (a, b) => a.bytes - b.bytes;
    case 'layer': return (a, b) => (a.layer ?? -1) - (b.layer ?? -1);
    case 'name': return (a, b) => collator.compare(a.name, b.name);
    default: return (a, b) => collator.compare(String(a[key]), String(b[key]));
  }
}

const STAT_KEYS = new Set<TensorQuery['sortKey']>(['mean', 'std', 'absmax', 'kurtosis', 'zeros', 'flags']);

function statMissing(r: TensorRow, key: TensorQuery['sortKey']): boolean {
  if (!r.stats) return true;
  switch (key) {
    case 'mean': return r.stats.mean === null;
    case 'std': return r.stats.std === null;
    case 'absmax': return r.stats.absmax === null;
    case 'kurtosis': return r.stats.kurtosis === null;
    case 'zeros': return r.stats.zerosFraction === null;
    default: return false;
  }
}

/** Caches the last filtered+sorted order so that scrolling (same query, other start) costs only a slice. */
export class TensorTable {
  private lastKey = '';
  private lastOrder: TensorRow[] = [];
  private lastError: string | undefined;

  constructor(readonly rows: TensorRow[]) {}

  /** Call after rows changed (e.g. statistics arrived) so that the next query sorts again. */
  invalidate(): void {
    this.lastKey = '';
  }

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
  const byName = compareRows('name');
  if (q.sortKey === 'name' && !q.descending) {
    order.sort(byName);
    return { order, error };
  }
  const cmp = compareRows(q.sortKey);
  // Rows lacking a statistic stay at the end in both directions.
  const missing = STAT_KEYS.has(q.sortKey) ? order.filter((r) => statMissing(r, q.sortKey)) : [];
  const present = missing.length ? order.filter((r) => !statMissing(r, q.sortKey)) : order;
  present.sort((a, b) => {
    const c = cmp(a, b) || byName(a, b);
    return q.descending ? -c : c;
  });
  missing.sort(byName);
  return { order: missing.length ? present.concat(missing) : present, error };
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
