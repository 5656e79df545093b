// Runs a corpus (a folder with manifest.json: the evaluation corpus, or the generated fixture corpus of the tests)
// through fingerprint + audit: the verdict of every manifest pair, and the separation per tensor kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../src/core/match/audit';
import type { AuditResult, TensorEvidence } from '../../src/core/match/types';
import type { Fingerprint } from '../../src/core/fingerprint/types';

export interface CorpusPair { candidate: string; reference: string; component: string; expected: 'derived' | 'independent' }

export interface CorpusRun {
  pairs: (CorpusPair & { verdicts: { component: string; verdict: string; reference: string | null }[] })[];
  audits: Map<string, AuditResult>;
  separation: Map<string, { weakestTrueR: number; weakestTrueZ: number; trueN: number; unmatchedTrue: number; strongestIndepR: number; strongestIndepLog10P: number; indepN: number }>;
}

/** Manifest component → our components. */
export const COMPONENT_MAP: Record<string, string[]> = { language_model: ['language'], vision_encoder: ['vision', 'projector'] };

export async function runCorpus(dir: string): Promise<CorpusRun> {
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

/** What is wrong with one pair's verdicts: derived not derived from its reference, independent not no-evidence. */
export function pairProblems(p: CorpusRun['pairs'][number]): string[] {
  if (p.verdicts.length === 0) return [`${p.candidate} ${p.component} vs ${p.reference}: no such component found`];
  return p.verdicts.filter((v) => (p.expected === 'derived'
    ? !((v.verdict === 'derived' || v.verdict === 'identical') && v.reference === p.reference)
    : !(v.verdict === 'no-evidence' && v.reference === null)))
    .map((v) => `${p.candidate} ${v.component} vs ${p.reference}: expected ${p.expected}, got ${v.verdict} (${v.reference ?? 'no reference'})`);
}

export const wrongVerdicts = (run: CorpusRun): string[] => run.pairs.flatMap(pairProblems);

/** The separation table (as in docs/matching.md): per tensor kind, the weakest true match and the strongest independent. */
export function separationRows(run: CorpusRun): string[] {
  return [...run.separation.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([kind, s]) =>
    `${kind.padEnd(20)} true: weakest r ${s.weakestTrueR === Infinity ? '  -  ' : s.weakestTrueR.toFixed(3)} -log10p ${s.weakestTrueZ === Infinity ? '   -  ' : s.weakestTrueZ.toFixed(1).padStart(6)} (${s.trueN - s.unmatchedTrue}/${s.trueN} matched)` +
    ` | independent: strongest |r| ${s.strongestIndepR.toFixed(3)} -log10p ${s.strongestIndepLog10P.toFixed(2)} (n=${s.indepN})`);
}
