import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TensorTable, treeChildren } from '../../src/core/inventory/query';
import type { TensorQuery, TensorRow } from '../../src/shared/protocol';

function row(id: number, name: string, count: number, std?: number | null): TensorRow {
  return {
    id, name, dtype: 'F32', shape: [count], count, bytes: count * 4, file: 'f', component: 'language', layer: null, kind: 'unknown',
    stats: std === undefined ? undefined : { mean: 0, std, min: 0, max: 0, absmax: 0, kurtosis: null, zerosFraction: 0, nonFinite: 0, flags: [] },
  };
}

const q = (over: Partial<TensorQuery>): TensorQuery => ({ filter: '', regex: false, sortKey: 'name', descending: false, start: 0, count: 100, ...over });

test('natural name order, substring and regex filters, invalid regex reported', () => {
  const t = new TensorTable([row(0, 'layers.10.w', 1), row(1, 'layers.2.w', 2), row(2, 'embed', 3)]);
  assert.deepEqual(t.query(q({})).rows.map((r) => r.name), ['embed', 'layers.2.w', 'layers.10.w']);
  assert.deepEqual(t.query(q({ filter: 'LAYERS' })).rows.map((r) => r.id), [1, 0]);
  assert.deepEqual(t.query(q({ filter: '^layers\\.1\\d', regex: true })).rows.map((r) => r.id), [0]);
  const bad = t.query(q({ filter: '([', regex: true }));
  assert.equal(bad.total, 0);
  assert.ok(bad.filterError);
});

test('statistics sort keeps rows without statistics last in both directions, and invalidate re-sorts', () => {
  const rows = [row(0, 'a', 1, 0.5), row(1, 'b', 1), row(2, 'c', 1, 0.1), row(3, 'd', 1, null), row(4, 'e', 1, 0.9)];
  const t = new TensorTable(rows);
  assert.deepEqual(t.query(q({ sortKey: 'std' })).rows.map((r) => r.name), ['c', 'a', 'e', 'b', 'd']);
  assert.deepEqual(t.query(q({ sortKey: 'std', descending: true })).rows.map((r) => r.name), ['e', 'a', 'c', 'b', 'd']);
  rows[1].stats = { ...rows[0].stats!, std: 2 };
  assert.deepEqual(t.query(q({ sortKey: 'std', descending: true })).rows[0].name, 'e', 'cached order until invalidated');
  t.invalidate();
  assert.deepEqual(t.query(q({ sortKey: 'std', descending: true })).rows[0].name, 'b');
});

test('paging and module tree', () => {
  const rows = Array.from({ length: 250 }, (_, i) => row(i, `m.layers.${i % 5}.w${i}`, i));
  const t = new TensorTable(rows);
  const page = t.query(q({ start: 240, count: 50 }));
  assert.equal(page.total, 250);
  assert.equal(page.rows.length, 10);
  const root = treeChildren(rows, '');
  assert.deepEqual(root.map((n) => [n.label, n.tensors, n.hasChildren]), [['m', 250, true]]);
  const layers = treeChildren(rows, 'm.layers');
  assert.deepEqual(layers.map((n) => n.label), ['0', '1', '2', '3', '4']);
  assert.equal(treeChildren(rows, 'm.layers.0')[0].tensorId, 0);
});
