// Declared claims set against what the weights show. A base model claim agrees with a component's verdict when it
// names the reference the weights matched; it disagrees when the weights match another reference, or when the
// declared base model was in the library and nothing matched it. No claim of a base model beside derived weights is
// flagged too ("nothing declared; the vision encoder is derived from Z").
import type { AuditResult } from '../match/types';
import type { DeclaredClaim } from './claims';
import type { ClaimCheck } from './types';

export type { ClaimCheck, ClaimCheckKind } from './types';

/** A repository id as people write it: no `hf://`, no `https://huggingface.co/`, no revision, lower case. */
export function repoKey(value: string): string {
  return value.trim().replace(/^hf:\/\//i, '').replace(/^https?:\/\/(www\.)?huggingface\.co\//i, '').replace(/[@#].*$/, '')
    .replace(/\/+$/, '').toLowerCase();
}

/** Whether a claim names this reference (by id, or by the repository of its source). */
function names(claim: string, ref: { id: string; source: string }): boolean {
  const k = repoKey(claim);
  if (!k) return false;
  return k === repoKey(ref.id) || k === repoKey(ref.source) || (k.includes('/') && repoKey(ref.source).endsWith(`/${k}`));
}

export function checkClaims(claims: DeclaredClaim[], audit: AuditResult): ClaimCheck[] {
  const bases = claims.filter((c) => c.kind === 'base-model');
  const reused = audit.components.filter((c) => (c.verdict === 'identical' || c.verdict === 'derived') && c.reference !== null)
    .map((c) => ({ c, ref: audit.references.find((r) => r.id === c.reference) ?? { id: c.reference!, source: '' } }));
  const out: ClaimCheck[] = [];
  for (const claim of bases) {
    const matched = reused.filter(({ ref }) => names(claim.value, ref));
    for (const { c } of matched) out.push({ kind: 'agrees', claim, component: c.name, reference: c.reference });
    const checked = matched.length ? undefined : audit.references.find((r) => names(claim.value, r));
    if (checked) out.push({ kind: 'declared-not-found', claim, component: null, reference: checked.id });
  }
  for (const { c, ref } of reused) {
    if (bases.some((b) => names(b.value, ref))) continue;
    if (bases.length) for (const claim of bases) out.push({ kind: 'other-reference', claim, component: c.name, reference: c.reference });
    else out.push({ kind: 'undeclared-reuse', claim: null, component: c.name, reference: c.reference });
  }
  return out;
}
