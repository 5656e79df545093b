// The golden review: the fixture corpus's suspect `vl/suspect_vl_copied_vision.safetensors` audited against a library of lm_A and
// vit_R, with fixed finding ids, times, reviewer, tool version and `generated` date so every export is reproducible.
import { join } from 'node:path';
import { openCheckpoint } from '../../../src/core/format/checkpoint';
import { fingerprintPath } from '../../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../../src/core/match/audit';
import { computeStats } from '../../../src/core/stats/run';
import { applyPatch, buildReviewReport, createFinding, evidenceFor, suggestFindings, type FindingTarget, type Finding, type ReviewReport } from '../../../src/core/review/index';
import { labelsFor, type NotesLanguage } from '../../../src/core/review/language';
import { CORPUS, ensureFixtureCorpus } from './corpus';
import { counterIds, fixedClock } from './reviewFs';

export const GOLDEN_DATE = '2025-03-01T12:00:00.000Z';
export const GOLDEN_TOOL = '0.0.0-golden';

export interface GoldenInputs {
  report: ReviewReport;
  findings: Finding[];
}

const cached = new Map<NotesLanguage, Promise<GoldenInputs>>();

/** The golden review with labels (and suggested rationales) in `lang`. */
export function goldenInputs(lang: NotesLanguage = 'en'): Promise<GoldenInputs> {
  const hit = cached.get(lang);
  if (hit) return hit;
  const made = (async () => {
    await ensureFixtureCorpus();
    const refs = [
      await fingerprintPath(join(CORPUS, 'lm', 'lm_A.safetensors'), { id: 'lm_A' }),
      await fingerprintPath(join(CORPUS, 'vision', 'vit_R.safetensors'), { id: 'vit_R' }),
    ];
    // Fingerprint creation times are the only clock-dependent field of a library entry.
    for (const r of refs) r.model.createdAt = '2025-02-01T00:00:00.000Z';
    const checkpoint = await openCheckpoint(join(CORPUS, 'vl', 'suspect_vl_copied_vision.safetensors'));
    const audit = await auditCheckpoint(checkpoint, refs);
    const stats = await computeStats(checkpoint, { workers: 0 });
    const ctx = { now: fixedClock('2025-03-01T09:00:00.000Z'), newId: counterIds('golden'), reviewer: 'golden-reviewer', toolVersion: GOLDEN_TOOL };
    const labels = labelsFor(lang);
    const suggested = suggestFindings(audit, { ...ctx, labels });
    // The reviewer confirms the vision finding and adds a layer-range finding and a note on two tensors.
    const vision = suggested.find((f) => f.target.kind === 'component' && f.target.component === 'vision')!;
    const confirmed = applyPatch(vision, { state: 'confirmed', confidence: 'high', rationale: 'Confirmed: the vision tower reuses `vit_R` weights.\n\n- heatmap diagonal is bright\n- patch embedding matches' }, ctx);
    const layerTarget: FindingTarget = { kind: 'layers', component: 'vision', from: 0, to: 1 };
    const layers = createFinding({ target: layerTarget, verdict: 'derived', confidence: 'medium', rationale: 'Layers 0–1 checked by hand.', evidence: evidenceFor(audit, layerTarget, GOLDEN_TOOL) }, ctx);
    const names = audit.components.find((c) => c.name === 'language')!.comparisons[0].table.slice(0, 2).map((r) => r.suspect);
    const tensorTarget: FindingTarget = { kind: 'tensors', tensors: names };
    const note = createFinding({ target: tensorTarget, verdict: 'note', confidence: 'low', rationale: 'Norm weights: weak evidence only.', evidence: evidenceFor(audit, tensorTarget, GOLDEN_TOOL) }, ctx);
    const findings = [...suggested.filter((f) => f.id !== vision.id), confirmed, layers, note];
    const report = await buildReviewReport({
      checkpoint, audit, findings, stats: stats.tensors, library: refs, generated: GOLDEN_DATE, hashFiles: true, toolVersion: GOLDEN_TOOL,
      ...(lang === 'en' ? {} : { options: { labels } }),
    });
    return { report, findings };
  })();
  cached.set(lang, made);
  return made;
}

/**
 * A library folder in a new temp folder holding vit_R's fingerprint, and a copy of the fixture corpus's suspect whose vision encoder is
 * a copy of vit_R: the smallest audit with a derived verdict, for the notes-language tests.
 */
export async function vitRLibrary(prefix: string): Promise<{ dir: string; lib: string; suspect: string }> {
  const { copyFileSync, mkdirSync } = await import('node:fs');
  const { writeFingerprint } = await import('../../../src/core/fingerprint/io');
  const { tempDir } = await import('./reviewFs');
  await ensureFixtureCorpus();
  const dir = tempDir(prefix);
  const lib = join(dir, 'lib');
  mkdirSync(lib);
  await writeFingerprint(join(lib, 'vit_R.wpf'), await fingerprintPath(join(CORPUS, 'vision', 'vit_R.safetensors'), { id: 'vit_R' }));
  // A copy: an audit writes its review store beside the checkpoint, and the fixture corpus is shared by every test.
  const suspect = join(dir, 'suspect_vl_copied_vision.safetensors');
  copyFileSync(join(CORPUS, 'vl', 'suspect_vl_copied_vision.safetensors'), suspect);
  return { dir, lib, suspect };
}
