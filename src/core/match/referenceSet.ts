// The references an audit checks, as compact index entries (docs/library-index.md) plus a loader for the full
// fingerprint of the few that go to full comparison. A library on disk keeps them in its index file
// (src/core/library/libraryIndex.ts); a list of fingerprints in memory is indexed here.
import type { DType } from '../format/dtype';
import { samplePlan } from '../fingerprint/plan';
import type { Fingerprint } from '../fingerprint/types';
import { COMPONENTS, type Component, type ModuleKind } from '../naming/classify';
import { DEFAULT_METHOD, informativeness } from './engine';
import { alignedSketch, gramSketch, referenceRowKeys, sampleHash } from './sketch';

export interface IndexedTensor {
  name: string;
  shape: number[];
  /** shape.join('x'), kept for lookups. */
  shapeKey: string;
  dtype: DType;
  component: Component;
  kind: ModuleKind;
  layer: number | null;
  /** Hash of the sampled values (sketch.ts sampleHash): exact copies and tensors shared by unrelated references. */
  hash: string;
  /** Aligned sketch (int8) of the samples; every indexed tensor is informative. */
  sketch: Int8Array;
  /** sqrt(Σ(sketch − mean)²), kept for the screen's dot products. */
  sketchNorm: number;
  /** LSH keys of the sampled rows (rows × LSH_TABLES), or null for tensors the row search skips. */
  rowKeys: Uint16Array | null;
  /** Off-diagonal centred Gram cosines (int8) of the rows side, or null. */
  gram: Int8Array | null;
}

export interface IndexedReference {
  id: string;
  /** The .wpf file, '' for a fingerprint held in memory. */
  path: string;
  source: string;
  /** config.json's model_type (or the first architecture), else null: groups references in reports. */
  family: string | null;
  version: number;
  parameters: number;
  /** All tensors of the fingerprint (the index keeps only the informative ones). */
  tensorCount: number;
  headerHash: string;
  createdAt: string;
  toolVersion: string;
  components: Component[];
  /** Whether the fingerprint holds Gram sketches (version 2, made from local files). */
  hasGram: boolean;
  tensors: IndexedTensor[];
}

export interface ReferenceSet {
  references: IndexedReference[];
  /** The full fingerprint of one reference (read again from its file for an on-disk library). */
  load(reference: IndexedReference): Promise<Fingerprint>;
}

export function familyOf(fp: Fingerprint): string | null {
  const c = fp.model.config;
  return c?.modelType ?? c?.architectures[0] ?? null;
}

/** A sketch with its centred norm. */
export function withNorm(sketch: Int8Array): { sketch: Int8Array; sketchNorm: number } {
  let sum = 0;
  for (let i = 0; i < sketch.length; i++) sum += sketch[i];
  const mean = sum / sketch.length;
  let ss = 0;
  for (let i = 0; i < sketch.length; i++) ss += (sketch[i] - mean) ** 2;
  return { sketch, sketchNorm: Math.sqrt(ss) };
}

/** The index entry of one fingerprint. */
export function indexReference(fp: Fingerprint, path = ''): IndexedReference {
  const tensors: IndexedTensor[] = [];
  for (const t of fp.tensors) {
    if (!informativeness(t.moments, t.dtype, t.kind, DEFAULT_METHOD).informative) continue;
    tensors.push({
      name: t.name, shape: t.shape, shapeKey: t.shape.join('x'), dtype: t.dtype, component: t.component, kind: t.kind, layer: t.layer,
      hash: sampleHash(t.samples), ...withNorm(alignedSketch(t.samples)),
      rowKeys: t.shape.length === 2 ? referenceRowKeys(t.samples, samplePlan(t.shape)) : null,
      gram: gramSketch(t.gramRows),
    });
  }
  const has = new Set(fp.tensors.map((t) => t.component));
  return {
    id: fp.model.id, path, source: fp.model.source, family: familyOf(fp), version: fp.version, parameters: fp.model.parameters,
    tensorCount: fp.tensors.length, headerHash: fp.model.headerHash, createdAt: fp.model.createdAt, toolVersion: fp.model.tool.version, components: COMPONENTS.filter((c) => has.has(c)),
    hasGram: fp.tensors.some((t) => t.gramRows || t.gramCols), tensors,
  };
}

/** Fingerprints held in memory as a reference set. */
export function referenceSetOf(fps: Fingerprint[]): ReferenceSet {
  const byRef = new Map<IndexedReference, Fingerprint>();
  const references = fps.map((fp) => { const r = indexReference(fp); byRef.set(r, fp); return r; });
  return { references, load: async (r) => byRef.get(r)! };
}
