// Creating, changing, ordering and validating findings; draft findings from an audit.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { TOOL_VERSION } from '../fingerprint/create';
import type { Component } from '../naming/classify';
import type { AuditResult, ComponentResult, Verdict } from '../match/types';
import { LABELS, type NoEvidenceBasis, type ReviewLabels } from './labels';
import { compareStrings } from './order';
import { findingProblems } from './validate';
import {
  type Confidence, type EvidenceSnapshot, type Finding, type FindingInput, type FindingPatch, type FindingTarget, type FindingVerdict,
} from './types';

export interface FindingContext {
  /** Clock (default `new Date()`); tests pass a fixed one. */
  now?: () => Date;
  /** Id generator (default random UUID). */
  newId?: () => string;
  /** Reviewer name (default: the OS user name). */
  reviewer?: string;
  /** Tool version recorded in evidence snapshots (default: this build's). */
  toolVersion?: string;
}

/** The OS user's name, or "reviewer" when it cannot be read. */
export function defaultReviewer(): string {
  try {
    return userInfo().username || 'reviewer';
  } catch {
    return 'reviewer';
  }
}

const iso = (ctx: FindingContext) => (ctx.now ? ctx.now() : new Date()).toISOString();

/** Sorts and de-duplicates a tensor-set target; checks a layer range. Returns a new target. */
export function normaliseTarget(target: FindingTarget): FindingTarget {
  switch (target.kind) {
    case 'model': return { kind: 'model' };
    case 'component': return { kind: 'component', component: target.component };
    case 'layers': {
      const from = Math.min(target.from, target.to);
      const to = Math.max(target.from, target.to);
      return { kind: 'layers', component: target.component, from, to };
    }
    case 'tensors': return { kind: 'tensors', tensors: [...new Set(target.tensors)].sort(compareStrings) };
  }
}

export function createFinding(input: FindingInput, ctx: FindingContext = {}): Finding {
  const now = iso(ctx);
  const finding: Finding = {
    id: input.id ?? (ctx.newId ? ctx.newId() : randomUUID()),
    target: normaliseTarget(input.target),
    verdict: input.verdict,
    confidence: input.confidence ?? 'medium',
    rationale: input.rationale ?? '',
    evidence: input.evidence ?? null,
    reviewer: input.reviewer ?? ctx.reviewer ?? defaultReviewer(),
    created: now,
    updated: now,
    state: input.state ?? 'confirmed',
  };
  const problems = findingProblems(finding);
  if (problems.length) throw new TypeError(`invalid finding: ${problems.join('; ')}`);
  return finding;
}

/** A changed copy with a new `updated` time (and the caller's reviewer name when given). */
export function applyPatch(finding: Finding, patch: FindingPatch, ctx: FindingContext = {}): Finding {
  const next: Finding = {
    ...finding,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    target: patch.target ? normaliseTarget(patch.target) : finding.target,
    updated: iso(ctx),
  };
  if (next.updated <= finding.updated) next.updated = new Date(Date.parse(finding.updated) + 1).toISOString();
  const problems = findingProblems(next);
  if (problems.length) throw new TypeError(`invalid finding: ${problems.join('; ')}`);
  return next;
}

/**
 * The audit verdict mapped to the reviewer's vocabulary. "No evidence" stays "no evidence": an audit against a
 * library cannot show independence, so a suggestion never says "independent" (a reviewer may record it).
 */
export function findingVerdictFor(verdict: Verdict): FindingVerdict {
  switch (verdict) {
    case 'identical': return 'identical-copy';
    case 'derived': return 'derived';
    case 'no-evidence': return 'no-evidence';
    case 'inconclusive': return 'inconclusive';
  }
}

/**
 * What a no-evidence verdict rests on: the references checked and those of the component's kind (a vision encoder's
 * absence of evidence against language models says nothing). Medium confidence needs at least two references of the
 * kind and 10 informative tensors; it is never high.
 */
export function noEvidenceBasis(audit: AuditResult, c: ComponentResult): NoEvidenceBasis {
  const recorded = audit.references.every((r) => Array.isArray(r.components));
  const sameKind = recorded ? audit.references.filter((r) => r.components!.includes(c.name)).map((r) => r.id) : null;
  const fewInformative = c.evidence.informativeTensors < 10 ? c.evidence.informativeTensors : null;
  const confidence: Confidence = sameKind !== null && sameKind.length >= 2 && fewInformative === null ? 'medium' : 'low';
  return { references: audit.references.map((r) => r.id), sameKind, fewInformative, confidence };
}

function confidenceFor(c: ComponentResult): Confidence {
  const e = c.evidence;
  if (c.verdict === 'identical') return 'high';
  if (c.verdict === 'derived') return e.coveredParameterFraction >= 0.5 && e.log10PValue < -12 ? 'high' : 'medium';
  return 'low';
}

const RANK: Record<Verdict, number> = { identical: 3, derived: 2, inconclusive: 1, 'no-evidence': 0 };

/** Freezes the audit's numbers for a target (the component's best reference; tensor rows for layers / tensors). */
export function evidenceFor(audit: AuditResult, target: FindingTarget, toolVersion = TOOL_VERSION): EvidenceSnapshot | null {
  let component: ComponentResult | undefined;
  if (target.kind === 'model') {
    component = [...audit.components].sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || b.parameters - a.parameters)[0];
  } else if (target.kind === 'component' || target.kind === 'layers') {
    component = audit.components.find((c) => c.name === target.component);
  } else {
    const names = new Set(target.tensors);
    component = audit.components.find((c) => c.comparisons[0]?.table.some((r) => names.has(r.suspect)));
  }
  if (!component) return null;
  const top = component.comparisons[0];
  let rows = top ? top.table : [];
  if (target.kind === 'layers') rows = rows.filter((r) => r.suspectLayer !== null && r.suspectLayer >= target.from && r.suspectLayer <= target.to);
  else if (target.kind === 'tensors') { const names = new Set(target.tensors); rows = rows.filter((r) => names.has(r.suspect)); }
  else rows = [];
  return {
    headerHash: audit.checkpoint.headerHash,
    reference: component.reference ?? (top && component.verdict !== 'no-evidence' ? top.reference : null),
    auditVerdict: component.verdict,
    relation: component.relation,
    component: component.name,
    evidence: { ...component.evidence },
    tensors: rows.map((r) => ({
      suspect: r.suspect, reference: r.reference, relation: r.relation, r: r.r, log10P: r.log10P, matched: r.matched, exact: r.exact, layer: r.suspectLayer,
    })).sort((a, b) => compareStrings(a.suspect, b.suspect)),
    referencesChecked: audit.references.map((r) => r.id),
    method: { ...audit.method },
    toolVersion,
  };
}

/** One `suggested` finding per audited component, with its evidence, in component order. */
export function suggestFindings(audit: AuditResult, ctx: FindingContext & { labels?: ReviewLabels } = {}): Finding[] {
  const labels = ctx.labels ?? LABELS;
  return audit.components.map((c) => {
    const target: FindingTarget = { kind: 'component', component: c.name as Component };
    const basis = c.verdict === 'no-evidence' ? noEvidenceBasis(audit, c) : null;
    return createFinding({
      target,
      verdict: findingVerdictFor(c.verdict),
      confidence: basis ? basis.confidence : confidenceFor(c),
      rationale: basis ? labels.suggestedNoEvidence({ ...basis, component: labels.components[c.name] })
        : labels.suggestedRationale(labels.components[c.name], labels.verdicts[c.verdict], c.reference),
      evidence: evidenceFor(audit, target, ctx.toolVersion),
      state: 'suggested',
    }, ctx);
  });
}

/**
 * Suggestions not already covered by the reviewer's findings: a component that already has a finding on it
 * (any state, rejected included) gets no new suggestion, so re-running an audit does not pile up drafts.
 */
export function newSuggestions(existing: readonly Finding[], suggestions: readonly Finding[]): Finding[] {
  const covered = new Set(existing.filter((f) => f.target.kind === 'component').map((f) => (f.target as { component: string }).component));
  return suggestions.filter((s) => s.target.kind !== 'component' || !covered.has(s.target.component));
}
