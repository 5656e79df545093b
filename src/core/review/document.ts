// The review document (docs/architecture.md, Review store; docs/review-store.md): its format constants, the checks a file must pass to be read as a review, and
// the exact bytes the store writes (stable JSON, findings in store order).
import { t } from '../l10n';
import { stableStringify } from './canonical';
import { sortFindings } from './order';
import { findingProblems } from './validate';
import type { Finding, ReviewDocument } from './types';

export const REVIEW_SCHEMA_VERSION = 1;
export const REVIEW_FORMAT = 'weightprint-review';
/** `$id` of docs/review-store.schema.json. */
export const REVIEW_SCHEMA_ID = 'urn:weightprint:schema:review-store:1';

export interface CheckpointBinding {
  headerHash: string;
  /** Display name recorded in the file. */
  name: string;
}

/** Parses and checks a review document; throws a message on any problem. Exported for tools and tests. */
export function parseReviewDocument(text: string): ReviewDocument {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(t('not a JSON object'));
  if (doc.format !== REVIEW_FORMAT) throw new Error(t('"format" is not {0}', JSON.stringify(REVIEW_FORMAT)));
  if (!Number.isSafeInteger(doc.schemaVersion) || (doc.schemaVersion as number) < 1) throw new Error(t('"schemaVersion" must be a positive integer'));
  const cp = doc.checkpoint as Record<string, unknown> | undefined;
  if (!cp || typeof cp.headerHash !== 'string' || typeof cp.name !== 'string') throw new Error(t('"checkpoint" must hold "headerHash" and "name"'));
  if (!Array.isArray(doc.findings)) throw new Error(t('"findings" must be a list'));
  const ids = new Set<string>();
  (doc.findings as unknown[]).forEach((f, i) => {
    const p = findingProblems(f);
    if (p.length) throw new Error(t('finding {0}: {1}', findingName(f, i), problemList(p)));
    const id = (f as Finding).id;
    if (ids.has(id)) throw new Error(t('finding {0}: duplicate id {1}', i, JSON.stringify(id)));
    ids.add(id);
  });
  return doc as unknown as ReviewDocument;
}

/** "3" or, when the finding has a usable id, "3 (id "…")": which finding a message is about. */
function findingName(f: unknown, index: number): string {
  const id = f && typeof f === 'object' && Object.hasOwn(f, 'id') ? (f as { id: unknown }).id : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? t('{0} (id {1})', index, JSON.stringify(id)) : String(index);
}

/** The first problems of a finding, so that the message stays one readable line. */
function problemList(problems: string[], shown = 3): string {
  const list = problems.slice(0, shown).join('; ');
  return problems.length > shown ? t('{0}; and {1} more', list, problems.length - shown) : list;
}

/** The exact bytes of a review file. */
export function serialiseReview(binding: CheckpointBinding, findings: Iterable<Finding>): string {
  const doc: ReviewDocument = {
    format: REVIEW_FORMAT,
    schemaVersion: REVIEW_SCHEMA_VERSION,
    checkpoint: { headerHash: binding.headerHash, name: binding.name },
    findings: sortFindings(findings),
  };
  return stableStringify(doc);
}
