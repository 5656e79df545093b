// The inventory of an opened checkpoint: table rows with roles, and the summary the editor and `inspect` show.
import { basename, dirname } from 'node:path';
import type { CheckpointSummary, ComponentName, ComponentRow, TensorRow } from './types';
import type { Checkpoint } from '../format/checkpoint';
import { classifyAll, COMPONENTS, TensorRole } from '../naming/classify';
import { detectFamily } from '../naming/family';
import { t } from '../l10n';

export interface Inventory {
  checkpoint: Checkpoint;
  rows: TensorRow[];
  roles: TensorRole[];
  summary: CheckpointSummary;
}

export function buildInventory(checkpoint: Checkpoint): Inventory {
  const names = checkpoint.tensors.map((t) => t.name);
  const shapes = new Set<string>();
  const roles = classifyAll(names, shapes);
  const rows: TensorRow[] = checkpoint.tensors.map((t, i) => ({
    id: i,
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    count: t.count,
    bytes: t.end - t.begin,
    file: checkpoint.files[t.fileIndex].name,
    component: roles[i].component,
    layer: roles[i].layer,
    kind: roles[i].kind,
  }));
  return { checkpoint, rows, roles, summary: summarise(checkpoint, rows, [...shapes]) };
}

export function componentRows(rows: TensorRow[]): ComponentRow[] {
  const byName = new Map<ComponentName, ComponentRow & { layerSet: Set<number> }>();
  for (const r of rows) {
    let c = byName.get(r.component);
    if (!c) {
      c = { name: r.component, tensors: 0, parameters: 0, bytes: 0, layers: 0, layerSet: new Set() };
      byName.set(r.component, c);
    }
    c.tensors++;
    c.parameters += r.count;
    c.bytes += r.bytes;
    if (r.layer !== null) c.layerSet.add(r.layer);
  }
  return COMPONENTS.filter((n) => byName.has(n)).map((n) => {
    const { layerSet, ...row } = byName.get(n)!;
    return { ...row, layers: layerSet.size };
  });
}

/** `nameShapes`: the distinct name shapes (classify.ts), enough for the family rules, which match any index. */
function summarise(cp: Checkpoint, rows: TensorRow[], nameShapes: string[]): CheckpointSummary {
  const config: [string, string][] = [];
  if (cp.config) {
    const c = cp.config;
    const add = (k: string, v: unknown) => { if (v !== undefined && v !== '') config.push([k, String(v)]); };
    add('architectures', c.architectures.join(', '));
    add('model_type', c.modelType);
    add('hidden_size', c.hiddenSize);
    add('layers', c.layers);
    add('heads', c.heads);
    add('vocab_size', c.vocabSize);
    add('intermediate_size', c.intermediateSize);
    add('torch_dtype', c.torchDtype);
    for (const [label, s] of [['text', c.text], ['vision', c.vision], ['audio', c.audio]] as const) {
      if (s) add(`${label}_config`, [s.modelType, s.hiddenSize && t('hidden {0}', s.hiddenSize), s.layers && t('{0} layers', s.layers)].filter(Boolean).join(', '));
    }
  }
  return {
    // A sharded set is named by its folder (the model), not by its index file.
    title: cp.kind === 'sharded' && cp.indexPath ? basename(dirname(cp.path)) : basename(cp.path),
    path: cp.path,
    format: cp.format,
    kind: cp.kind,
    files: cp.files.map((f) => ({ name: f.name, size: f.size, tensors: f.tensorCount, headerLength: f.headerLength })),
    tensors: cp.tensors.length,
    parameters: cp.parameters,
    bytes: cp.bytes,
    fileBytes: cp.fileBytes,
    dtypes: Object.entries(cp.dtypes).map(([dtype, d]) => ({ dtype, ...d! })).sort((a, b) => b.parameters - a.parameters),
    components: componentRows(rows),
    metadata: Object.entries(cp.metadata),
    config,
    family: detectFamily(nameShapes, cp.config).id,
    headerHash: cp.headerHash,
    warnings: cp.warnings,
  };
}
