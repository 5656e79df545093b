// One line of the library index: a reference's index entry as JSON, typed arrays in base64. Parsing treats the line
// as hostile: every field is checked for type, range and length, and a line that fails any check is dropped (its .wpf
// is indexed again), never half-used.
import { DTYPES, type DType } from '../format/dtype';
import { COMPONENTS, MODULE_KINDS, type Component, type ModuleKind } from '../naming/classify';
import { withNorm, type IndexedReference, type IndexedTensor } from '../match/referenceSet';
import { LSH_ROWS, LSH_TABLES, SKETCH_SIZE } from '../match/sketch';
import { GRAM_SIZE } from '../fingerprint/gram';

export const INDEX_FORMAT = 'weightprint-library-index';
export const INDEX_VERSION = 1;
export const INDEX_HEADER = { format: INDEX_FORMAT, version: INDEX_VERSION, sketch: SKETCH_SIZE, lshTables: LSH_TABLES, lshRows: LSH_ROWS };
/** Longest line read: a reference with 100,000 indexed tensors stays well below it. */
export const MAX_INDEX_LINE = 256 << 20;
const MAX_TENSORS = 1_000_000;
const MAX_TEXT = 4096;
const GRAM_OFF = (GRAM_SIZE * (GRAM_SIZE - 1)) / 2;

export interface IndexStamp { name: string; size: number; mtimeMs: number }

/** true for this version's header; 'other-version' for an index written with other parameters (silently rebuilt). */
export function isIndexHeader(v: unknown): boolean | 'other-version' {
  const h = v as Record<string, unknown> | null;
  if (!h || typeof h !== 'object' || h.format !== INDEX_FORMAT) return false;
  return h.version === INDEX_VERSION && h.sketch === SKETCH_SIZE && h.lshTables === LSH_TABLES && h.lshRows === LSH_ROWS ? true : 'other-version';
}

const b64 = (a: Int8Array | Uint16Array | null) => (a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') : null);

export function serializeIndexLine(stamp: IndexStamp, r: IndexedReference): string {
  return JSON.stringify({
    file: stamp.name, size: stamp.size, mtimeMs: stamp.mtimeMs,
    id: r.id, source: r.source, family: r.family, version: r.version, parameters: r.parameters, tensorCount: r.tensorCount,
    headerHash: r.headerHash, createdAt: r.createdAt, toolVersion: r.toolVersion, components: r.components, hasGram: r.hasGram,
    tensors: r.tensors.map((x) => ({
      name: x.name, shape: x.shape, dtype: x.dtype, component: x.component, kind: x.kind, layer: x.layer, hash: x.hash,
      sketch: b64(x.sketch), rowKeys: b64(x.rowKeys), gram: b64(x.gram),
    })),
  });
}

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const DTYPE_SET = new Set<string>(DTYPES);
const KIND_SET = new Set<string>(MODULE_KINDS);
const COMPONENT_SET = new Set<string>(COMPONENTS);

/** Length in bytes of a base64 field of at most `maxBytes`, or -1 when it is not one. */
function b64Length(v: unknown, maxBytes: number): number {
  if (!isText(v, Math.ceil(maxBytes / 3) * 4 + 4) || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return -1;
  const n = (v.length / 4) * 3 - (v.endsWith('==') ? 2 : v.endsWith('=') ? 1 : 0);
  return n <= maxBytes ? n : -1;
}

interface Layout { sketch: number; rowKeys: number; gram: number }

/** Checks one tensor's fields and returns the byte lengths of its arrays, or null. */
function checkTensor(v: unknown): Layout | null {
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object') return null;
  const { name, shape, dtype, component, kind, layer, hash } = o;
  if (!isText(name) || !Array.isArray(shape) || shape.length > 8 || !shape.every(isCount) || !isText(dtype) || !DTYPE_SET.has(dtype)) return null;
  if (!isText(component) || !COMPONENT_SET.has(component) || !isText(kind) || !KIND_SET.has(kind)) return null;
  if (!(layer === null || isCount(layer)) || !isText(hash, 64) || !/^[0-9a-f]+$/.test(hash)) return null;
  const sketch = b64Length(o.sketch, SKETCH_SIZE);
  const rowKeys = o.rowKeys === null ? 0 : b64Length(o.rowKeys, 2 * LSH_TABLES * LSH_ROWS);
  const gram = o.gram === null ? 0 : b64Length(o.gram, GRAM_OFF);
  if (sketch <= 0 || rowKeys < 0 || rowKeys % (2 * LSH_TABLES) !== 0 || (o.gram !== null && gram !== GRAM_OFF)) return null;
  return { sketch, rowKeys, gram };
}

/** The tensor's entry with its arrays decoded into `store` at `at` (rowKeys first, so that they stay 2-byte aligned). */
function tensorOf(o: Record<string, unknown>, layout: Layout, store: Buffer, at: number): IndexedTensor {
  const shape = o.shape as number[];
  let rowKeys: Uint16Array | null = null;
  if (layout.rowKeys) {
    store.write(o.rowKeys as string, at, 'base64');
    rowKeys = new Uint16Array(store.buffer, store.byteOffset + at, layout.rowKeys / 2);
    at += layout.rowKeys;
  }
  store.write(o.sketch as string, at, 'base64');
  const sketch = new Int8Array(store.buffer, store.byteOffset + at, layout.sketch);
  at += layout.sketch;
  let gram: Int8Array | null = null;
  if (layout.gram) {
    store.write(o.gram as string, at, 'base64');
    gram = new Int8Array(store.buffer, store.byteOffset + at, layout.gram);
  }
  return {
    name: o.name as string, shape, shapeKey: shape.join('x'), dtype: o.dtype as DType, component: o.component as Component, kind: o.kind as ModuleKind,
    layer: o.layer as number | null, hash: o.hash as string, ...withNorm(sketch), rowKeys, gram,
  };
}

/** The entry of one index line, or null when anything in it is wrong. */
export function parseIndexLine(line: string): { stamp: IndexStamp; ref: IndexedReference } | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  const { file, size, mtimeMs, id, source, family, version, parameters, tensorCount, headerHash, createdAt, toolVersion, components, hasGram, tensors } = o;
  if (!isText(file) || !file.endsWith('.wpf') || /[/\\]/.test(file) || !isCount(size) || typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) return null;
  if (!isText(id) || !isText(source) || !(family === null || isText(family)) || (version !== 1 && version !== 2 && version !== 3) || !isCount(parameters) || !isCount(tensorCount)) return null;
  if (!isText(headerHash) || !isText(createdAt, 64) || !isText(toolVersion, 64) || !Array.isArray(components) || !components.every((c) => isText(c) && COMPONENT_SET.has(c)) || typeof hasGram !== 'boolean') return null;
  if (!Array.isArray(tensors) || tensors.length > MAX_TENSORS) return null;
  // Every array of one reference lives in one buffer: tens of thousands of small typed arrays cost more than their bytes.
  const layouts: Layout[] = [];
  let total = 0;
  for (const x of tensors) {
    const layout = checkTensor(x);
    if (!layout) return null;
    layouts.push(layout);
    total += layout.rowKeys + layout.sketch + layout.gram + ((layout.rowKeys + layout.sketch + layout.gram) % 2);
  }
  const store = Buffer.alloc(total);
  const parsed: IndexedTensor[] = [];
  let at = 0;
  tensors.forEach((x, i) => {
    const l = layouts[i];
    parsed.push(tensorOf(x as Record<string, unknown>, l, store, at));
    at += l.rowKeys + l.sketch + l.gram + ((l.rowKeys + l.sketch + l.gram) % 2);
  });
  return {
    stamp: { name: file, size, mtimeMs },
    ref: {
      id, path: '', source, family: family as string | null, version, parameters, tensorCount, headerHash, createdAt, toolVersion, components: components as Component[], hasGram,
      tensors: parsed,
    },
  };
}
