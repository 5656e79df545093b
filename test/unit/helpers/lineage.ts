// Small trained-like Llama models and their disguised copies, written as safetensors and audited, for the lineage
// tests (the same generators as the lineage benchmark, at a size that audits in about a second).
import { join } from 'node:path';
import { encodeFloats, writeSafetensors } from '../../../src/core/format/writer';
import { fingerprintPath } from '../../../src/core/fingerprint/create';
import type { Fingerprint } from '../../../src/core/fingerprint/types';
import { auditCheckpoint } from '../../../src/core/match/audit';
import type { ReferenceComparison } from '../../../src/core/match/types';
import { llama, type LlamaDims, type Model } from '../../fixtures/models';
import { sameDataProfile } from '../../fixtures/disguise';
import { tmp } from './matchFixtures';

export const SMALL: LlamaDims = { d: 64, layers: 2, heads: 4, ff: 128, vocab: 192, used: 160 };

let counter = 0;
export async function writeLlama(m: Model, dtype: 'F32' | 'BF16' = 'F32'): Promise<string> {
  const path = join(tmp(), `lineage${counter++}.safetensors`);
  await writeSafetensors(path, m.map((t) => ({ name: t.name, dtype, shape: t.shape, data: encodeFloats(dtype, t.data) })));
  return path;
}

/** A reference trained on "the data" (shared token-frequency profile) and its fingerprint. */
export async function reference(seed: number, dims = SMALL, gramColumns = false): Promise<{ model: Model; fp: Fingerprint }> {
  const model = sameDataProfile(llama(seed, dims), 77, dims);
  const fp = await fingerprintPath(await writeLlama(model), { id: `ref${seed}`, gramColumns });
  return { model, fp };
}

/** The language component's comparison of a suspect model with one reference. */
export async function languageAgainst(suspect: Model, fp: Fingerprint): Promise<ReferenceComparison> {
  const audit = await auditCheckpoint(await writeLlama(suspect), [fp]);
  const cmp = audit.components.find((c) => c.name === 'language')?.comparisons[0];
  if (!cmp) throw new Error('no language component');
  return cmp;
}
