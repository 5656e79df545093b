// A finding checked field by field, as read from a review file (hostile: it travels through git and between
// colleagues) and before every write. Each problem names the field (e.g. `evidence.tensors[2].r`) and what it must be.
// Only own properties are read, and enumerated values are compared with their lists, so a value such as
// "constructor" or "__proto__" is simply not one of them.
import { t } from '../l10n';
import { COMPONENTS } from '../naming/classify';
import { CONFIDENCES, FINDING_STATES, FINDING_VERDICTS } from './types';

/** The audit's verdicts (match/types.ts Verdict), as the evidence snapshot records them. */
export const AUDIT_VERDICTS = ['identical', 'derived', 'no-evidence', 'inconclusive'] as const;

/** Method parameters a snapshot may carry (match/types.ts MethodParameters); each is a number when present. */
const METHOD_NUMBERS = [
  'formatVersion', 'sampleTarget', 'windowCols', 'alphaTensor', 'minEffectR', 'alphaComponent', 'minMatchedTensors', 'minSamples',
  'minRelativeStd', 'permutationHitAlpha', 'permutationAgreementAlpha',
] as const;

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Collects the problems of one finding; each check reads one field. */
class Checker {
  readonly problems: string[] = [];

  oneOf(field: string, v: unknown, values: readonly (string | null)[]): void {
    if (!values.includes(v as string | null)) this.problems.push(t('{0} must be one of {1}', field, values.map((x) => (x === null ? 'null' : x)).join(', ')));
  }

  string(field: string, v: unknown, nullable = false): void {
    if (typeof v === 'string' || (nullable && v === null)) return;
    this.problems.push(nullable ? t('{0} must be a string or null', field) : t('{0} must be a string', field));
  }

  /** A number; null too, as the store writes a non-finite one (log10 p of -Infinity, say) as null. */
  number(field: string, v: unknown): void {
    if (v === null || typeof v === 'number') return;
    this.problems.push(t('{0} must be a number or null', field));
  }

  count(field: string, v: unknown): void {
    if (!(Number.isSafeInteger(v) && (v as number) >= 0)) this.problems.push(t('{0} must be a whole number of at least 0', field));
  }

  layer(field: string, v: unknown): void {
    if (v !== null && !(Number.isSafeInteger(v) && (v as number) >= 0)) this.problems.push(t('{0} must be a whole number of at least 0, or null', field));
  }

  boolean(field: string, v: unknown): void {
    if (typeof v !== 'boolean') this.problems.push(t('{0} must be true or false', field));
  }

  object(field: string, v: unknown): v is Obj {
    if (isObj(v)) return true;
    this.problems.push(t('{0} must be an object', field));
    return false;
  }

  strings(field: string, v: unknown): void {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.problems.push(t('{0} must be a list of strings', field));
  }
}

function checkEvidence(c: Checker, e: Obj): void {
  c.string('evidence.headerHash', own(e, 'headerHash'));
  c.string('evidence.reference', own(e, 'reference'), true);
  c.oneOf('evidence.auditVerdict', own(e, 'auditVerdict'), AUDIT_VERDICTS);
  c.string('evidence.relation', own(e, 'relation'));
  c.oneOf('evidence.component', own(e, 'component'), [...COMPONENTS, null]);
  const ev = own(e, 'evidence');
  if (c.object('evidence.evidence', ev)) {
    for (const k of ['matchedTensors', 'informativeTensors', 'exactTensors', 'dtypeExactTensors', 'permutedTensors']) c.count(`evidence.evidence.${k}`, own(ev, k));
    for (const k of ['medianR', 'pValue', 'log10PValue', 'coveredParameterFraction']) c.number(`evidence.evidence.${k}`, own(ev, k));
    c.boolean('evidence.evidence.hiddenPermutation', own(ev, 'hiddenPermutation'));
  }
  const rows = own(e, 'tensors');
  if (!Array.isArray(rows)) c.problems.push(t('{0} must be a list', 'evidence.tensors'));
  else {
    for (let i = 0; i < rows.length; i++) {
      const before = c.problems.length;
      const field = `evidence.tensors[${i}]`;
      const r = rows[i] as unknown;
      if (c.object(field, r)) {
        for (const k of ['suspect', 'reference', 'relation']) c.string(`${field}.${k}`, own(r, k));
        for (const k of ['r', 'log10P']) c.number(`${field}.${k}`, own(r, k));
        for (const k of ['matched', 'exact']) c.boolean(`${field}.${k}`, own(r, k));
        c.layer(`${field}.layer`, own(r, 'layer'));
      }
      if (c.problems.length > before) break; // the first bad row is enough to say what is wrong
    }
  }
  c.strings('evidence.referencesChecked', own(e, 'referencesChecked'));
  const method = own(e, 'method');
  if (c.object('evidence.method', method)) {
    for (const k of METHOD_NUMBERS) if (Object.hasOwn(method, k)) c.number(`evidence.method.${k}`, method[k]);
    if (Object.hasOwn(method, 'nullModel')) c.string('evidence.method.nullModel', method.nullModel);
  }
  c.string('evidence.toolVersion', own(e, 'toolVersion'));
}

/** Structural problems of a finding (empty when valid); used on load and before every write. */
export function findingProblems(f: unknown): string[] {
  if (!isObj(f)) return [t('not an object')];
  const c = new Checker();
  const out = c.problems;
  const id = own(f, 'id');
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) out.push(t('id must be a non-empty string'));
  if (!(FINDING_VERDICTS as readonly unknown[]).includes(own(f, 'verdict'))) out.push(t('verdict must be one of {0}', FINDING_VERDICTS.join(', ')));
  if (!(CONFIDENCES as readonly unknown[]).includes(own(f, 'confidence'))) out.push(t('confidence must be one of {0}', CONFIDENCES.join(', ')));
  if (!(FINDING_STATES as readonly unknown[]).includes(own(f, 'state'))) out.push(t('state must be one of {0}', FINDING_STATES.join(', ')));
  if (typeof own(f, 'rationale') !== 'string') out.push(t('rationale must be a string'));
  if (typeof own(f, 'reviewer') !== 'string') out.push(t('reviewer must be a string'));
  for (const k of ['created', 'updated']) {
    const v = own(f, k);
    if (typeof v !== 'string' || !ISO_RE.test(v)) out.push(t('{0} must be an ISO 8601 UTC time', k));
  }
  const evidence = own(f, 'evidence');
  if (evidence !== null && !isObj(evidence)) out.push(t('evidence must be an object or null'));
  else if (evidence) checkEvidence(c, evidence);
  const target = own(f, 'target');
  if (!isObj(target)) out.push(t('target must be an object'));
  else {
    const kind = own(target, 'kind');
    if (kind === 'model') { /* no fields */ }
    else if (kind === 'component' || kind === 'layers') {
      if (!(COMPONENTS as readonly unknown[]).includes(own(target, 'component'))) out.push(t('target.component must be one of {0}', COMPONENTS.join(', ')));
      const from = own(target, 'from');
      const to = own(target, 'to');
      if (kind === 'layers' && !(Number.isSafeInteger(from) && Number.isSafeInteger(to) && (from as number) >= 0 && (from as number) <= (to as number))) {
        out.push(t('target.from/to must be integers with 0 <= from <= to'));
      }
    } else if (kind === 'tensors') {
      const tensors = own(target, 'tensors');
      if (!Array.isArray(tensors) || tensors.length === 0 || !tensors.every((n) => typeof n === 'string')) out.push(t('target.tensors must be a non-empty list of names'));
    } else out.push(t('target.kind must be model, component, layers or tensors'));
  }
  return out;
}
