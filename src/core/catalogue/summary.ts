// A compact, JSON-safe view of an ArchitectureReport for the editor (CheckpointSummary.architecture) and the review
// notes (ReviewReport.architecture). Architecture evidence only: never a statement about the weights.
import { isClaim, type ArchitectureFacts, type ArchitectureReport } from './match';
import type { ComponentKind } from './catalogue';

export interface ArchitectureMatchRow {
  component: ComponentKind;
  /** Root prefix of the component, e.g. "model.", "visual.". */
  prefix: string;
  /** Family id and display name ("qwen2", "Qwen2 / Qwen2.5"). */
  family: string;
  familyName: string;
  confidence: 'exact' | 'shapes' | 'layout';
  /** "same shapes and layout as Qwen2.5-7B (Qwen2 / Qwen2.5)", in the display language (the editor shows it). */
  summary: string;
  /** Signature rules that held, in words of the display language. */
  rules: string[];
  /** The summary and the rules as data: the review notes say them in the notes language. */
  facts: ArchitectureFacts;
  /** config.json agreement. */
  config: 'agrees' | 'disagrees' | 'absent';
  /** Public repos worth adding to the library (claims only: exact or shapes; empty for layout-only matches). */
  repos: string[];
}

/** At most this many families per component (the best first). */
export const MAX_MATCHES_PER_COMPONENT = 3;

/**
 * One row per (component, family), best first within each component, at most MAX_MATCHES_PER_COMPONENT per
 * component. Components without any match are left out, so a checkpoint of no known family gives [].
 */
export function architectureRows(report: ArchitectureReport, maxPerComponent = MAX_MATCHES_PER_COMPONENT): ArchitectureMatchRow[] {
  const rows: ArchitectureMatchRow[] = [];
  for (const c of report.components) {
    for (const m of c.matches.slice(0, maxPerComponent)) {
      const repos: string[] = [];
      if (isClaim(m)) for (const v of m.variants) for (const r of v.repos) if (!repos.includes(r)) repos.push(r);
      rows.push({
        component: m.component, prefix: m.prefix, family: m.family, familyName: m.familyName, confidence: m.confidence,
        summary: m.summary, rules: [...m.rules], facts: structuredClone(m.facts), config: m.config, repos,
      });
    }
  }
  return rows;
}
