// Runs the corpus (../shared/corpus or $WEIGHTPRINT_CORPUS) through fingerprint + audit and measures separation.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fingerprintPath } from '../../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../../src/core/match/audit';
import type { AuditResult, TensorEvidence } from '../../../src/core/match/types';
import type { Fingerprint } from '../../../src/core/fingerprint/types';

export function corpusDir(): string {
  return resolve(process.env.WEIGHTPRINT_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus'));
}

export interface CorpusPair { candidate: string; reference: string; component: string; expected: 'derived' | 'independent' }

export interface CorpusRun {
  pairs: (CorpusPair & { verdicts: { component: string; verdict: string; reference: string | null }[] })[];
  audits: Map<string, AuditResult>;
  separation: Map<string, { weakestTrueR: number; weakestTrueZ: number; trueN: number; unmatchedTrue: number; strongestIndepR: number; strongestIndepLog10P: number; indepN: number }>;
}

/** Manifest component → our components. */
export const COMPONENT_MAP: Record<string, string[]> = { language_model: ['language'], vision_encoder: ['vision', 'projector'] };

export async function runCorpus(dir = corpusDir()): Promise<CorpusRun> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const models = new Map<string, { files: string[] }>(manifest.models.map((m: { id: string; files: string[] }) => [m.id, m]));
  const pathOf = (id: string) => {
    const files = models.get(id)!.files;
    const index = files.find((f) => f.endsWith('.index.json'));
    return join(dir, index ?? files[0]);
  };
  const refs: Fingerprint[] = [];
  for (const id of manifest.references as string[]) refs.push(await fingerprintPath(pathOf(id), { id }));
  const audits = new Map<string, AuditResult>();
  const pairs: CorpusRun['pairs'] = [];
  const separation: CorpusRun['separation'] = new Map();
  const sep = (kind: string) => {
    let s = separation.get(kind);
    if (!s) { s = { weakestTrueR: Infinity, weakestTrueZ: Infinity, trueN: 0, unmatchedTrue: 0, strongestIndepR: 0, strongestIndepLog10P: 0, indepN: 0 }; separation.set(kind, s); }
    return s;
  };
  for (const pair of manifest.pairs as CorpusPair[]) {
    let audit = audits.get(pair.candidate);
    if (!audit) { audit = await auditCheckpoint(pathOf(pair.candidate), refs); audits.set(pair.candidate, audit); }
    const comps = audit.components.filter((c) => COMPONENT_MAP[pair.component].includes(c.name));
    pairs.push({ ...pair, verdicts: comps.map((c) => ({ component: c.name, verdict: c.verdict, reference: c.reference })) });
    for (const c of comps) {
      const cmp = c.comparisons.find((x) => x.reference === pair.reference);
      if (!cmp) continue;
      for (const row of cmp.table as TensorEvidence[]) {
        const s = sep(row.suspectKind + (row.suspect.endsWith('bias') ? ' (bias)' : ''));
        if (pair.expected === 'derived') {
          s.trueN++;
          if (!row.matched) { s.unmatchedTrue++; continue; }
          if (row.exact || row.dtypeExact) continue;
          s.weakestTrueR = Math.min(s.weakestTrueR, Math.abs(row.r));
          s.weakestTrueZ = Math.min(s.weakestTrueZ, -row.log10P);
        } else {
          s.indepN++;
          s.strongestIndepR = Math.max(s.strongestIndepR, Math.abs(row.r));
          s.strongestIndepLog10P = Math.max(s.strongestIndepLog10P, -row.log10P);
        }
      }
    }
  }
  return { pairs, audits, separation };
}

export function corpusAvailable(dir = corpusDir()): boolean {
  return existsSync(join(dir, 'manifest.json'));
}
