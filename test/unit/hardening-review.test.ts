// Hostile review stores (issue 12, class 4): a store is checked field by field on load. A finding with an unknown
// verdict, state or confidence (prototype names included), a wrong type or a malformed evidence snapshot (`{}`, strings
// where numbers belong, markup in a method parameter) makes the store unreadable with one line naming the file, the
// finding (index and id) and the field; the store is left untouched and never written; `audit --notes` goes on without
// it (exit 0, one warning line). Values the store itself writes (null for a non-finite number) load back.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { exportReview, parseReviewDocument, ReviewStore, ReviewStoreError, type EvidenceSnapshot } from '../../src/core/review/index';
import { counterIds, fixedClock, tempDir } from './helpers/reviewFs';
import { evidenceWith, findingWith, runCli, storeText, writeLibrary, writeLlama } from './helpers/hostileOutputs';

const HASH = 'c'.repeat(64);
const binding = { headerHash: HASH, name: 'm.safetensors' };
let dir: string;

before(() => {
  dir = tempDir('wp-hard-review-');
});

type Finding = Record<string, unknown>;
const good = (i = 0): Finding => JSON.parse(JSON.stringify(findingWith(`finding ${i}`, i, HASH))) as Finding;

/** Sets `value` at a dotted path ("evidence.tensors.0.r") of a copy of a good finding. */
function withField(path: string, value: unknown): Finding {
  const f = good();
  const keys = path.split('.');
  let o = f as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
  return f;
}

const CASES: [string, Finding, RegExp][] = [
  ['evidence {}', withField('evidence', {}), /evidence\.headerHash must be a string; .*; and \d+ more/],
  ['evidence []', withField('evidence', []), /evidence must be an object or null/],
  ['evidence.evidence {}', withField('evidence.evidence', {}), /evidence\.evidence\.matchedTensors must be a whole number/],
  ['verdict constructor', withField('verdict', 'constructor'), /verdict must be one of no-evidence, independent/],
  ['verdict toString', withField('verdict', 'toString'), /verdict must be one of/],
  ['verdict __proto__', withField('verdict', '__proto__'), /verdict must be one of/],
  ['verdict hasOwnProperty', withField('verdict', 'hasOwnProperty'), /verdict must be one of/],
  ['state __proto__', withField('state', '__proto__'), /state must be one of suggested/],
  ['confidence valueOf', withField('confidence', 'valueOf'), /confidence must be one of low/],
  ['target component constructor', { ...good(), target: { kind: 'component', component: 'constructor' } }, /target\.component must be one of/],
  ['target kind __proto__', { ...good(), target: { kind: '__proto__' } }, /target\.kind must be/],
  ['audit verdict constructor', withField('evidence.auditVerdict', 'constructor'), /evidence\.auditVerdict must be one of identical, derived/],
  ['evidence component toString', withField('evidence.component', 'toString'), /evidence\.component must be one of .*null/],
  ['tensor r markup', withField('evidence.tensors.0.r', '<meta http-equiv="refresh" content="0;url=https://evil.example/">'), /evidence\.tensors\[0\]\.r must be a number or null/],
  ['method markup', withField('evidence.method.alphaTensor', '<meta http-equiv=refresh content=0;url=https://evil.example>'), /evidence\.method\.alphaTensor must be a number or null/],
  ['method nullModel object', withField('evidence.method.nullModel', {}), /evidence\.method\.nullModel must be a string/],
  ['references checked numbers', withField('evidence.referencesChecked', [1, 2]), /evidence\.referencesChecked must be a list of strings/],
  ['tensors object', withField('evidence.tensors', {}), /evidence\.tensors must be a list/],
  ['tensor row null', withField('evidence.tensors', [null]), /evidence\.tensors\[0\] must be an object/],
  ['negative layer', withField('evidence.tensors.0.layer', -1), /evidence\.tensors\[0\]\.layer must be a whole number/],
  ['matched string', withField('evidence.tensors.0.matched', 'yes'), /evidence\.tensors\[0\]\.matched must be true or false/],
  ['count fraction', withField('evidence.evidence.matchedTensors', 2.5), /evidence\.evidence\.matchedTensors must be a whole number/],
  ['hidden permutation string', withField('evidence.evidence.hiddenPermutation', 'false'), /hiddenPermutation must be true or false/],
  ['method a list', withField('evidence.method', []), /evidence\.method must be an object/],
  ['tool version number', withField('evidence.toolVersion', 1), /evidence\.toolVersion must be a string/],
  ['reference number', withField('evidence.reference', 7), /evidence\.reference must be a string or null/],
  ['created word', withField('created', 'yesterday'), /created must be an ISO 8601 UTC time/],
  ['rationale object', withField('rationale', { toString: 'x' }), /rationale must be a string/],
];

test('each malformed finding: parseReviewDocument names the finding (index and id) and the field', () => {
  for (const [name, f, field] of CASES) {
    const text = storeText(HASH, 'm.safetensors', [good(1), f]);
    assert.throws(() => parseReviewDocument(text), (e: unknown) => {
      const m = (e as Error).message;
      assert.match(m, /^finding 1 \(id "finding 0#0"\): /, `${name}: ${m}`);
      assert.match(m, field, name);
      assert.ok(!m.includes('\n') && m.length < 600, `${name}: one line`);
      return true;
    });
  }
  // Without a usable id the index alone says which.
  assert.throws(() => parseReviewDocument(storeText(HASH, 'm', [{ ...good(), id: 'x'.repeat(201) }])), /: finding 0: id must be a non-empty string/);
  // "1e999" is Infinity for JSON.parse: not a count.
  assert.throws(() => parseReviewDocument(storeText(HASH, 'm', [good()]).replace('"matchedTensors": 3', '"matchedTensors": 1e999')), /evidence\.evidence\.matchedTensors/);
});

test('the store: unreadable with the file name and the field, left untouched, writes refused', async () => {
  for (const [name, f, field] of CASES) {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.review.json`);
    const text = storeText(HASH, 'm.safetensors', [f]);
    writeFileSync(path, text);
    const store = await ReviewStore.open(path, binding, { now: fixedClock(), newId: counterIds(), reviewer: 'r' });
    assert.equal(store.status.kind, 'unreadable', name);
    assert.ok(store.status.message.includes(basename(path)), `${name}: names the file`);
    assert.match(store.status.message, /finding 0 \(id "finding 0#0"\)/, name);
    assert.match(store.status.message, field, name);
    await assert.rejects(store.add({ target: { kind: 'model' }, verdict: 'note' }), (e: unknown) => e instanceof ReviewStoreError && e.code === 'unreadable');
    assert.equal(readFileSync(path, 'utf8'), text, `${name}: untouched`);
  }
});

test('prototype-named ids and keys are ordinary data: the store loads, keeps and writes them', async () => {
  const path = join(dir, 'proto-ids.review.json');
  const findings = ['__proto__', 'constructor', 'toString'].map((id, i) => ({ ...good(i), id }));
  writeFileSync(path, storeText(HASH, 'm.safetensors', findings));
  const store = await ReviewStore.open(path, binding, { now: fixedClock('2026-01-01T00:00:00.000Z'), reviewer: 'r' });
  assert.equal(store.status.kind, 'ok', store.status.message);
  assert.equal(store.get('__proto__')?.id, '__proto__');
  assert.equal(store.get('hasOwnProperty'), undefined);
  await store.update('constructor', { rationale: 'changed' });
  const again = parseReviewDocument(readFileSync(path, 'utf8'));
  assert.deepEqual(again.findings.map((f) => f.id).sort(), ['__proto__', 'constructor', 'toString']);
  assert.equal(again.findings.find((f) => f.id === 'constructor')?.rationale, 'changed');
});

test('numbers the store writes as null (non-finite) load back and export as text', async () => {
  const path = join(dir, 'nulls.review.json');
  const store = await ReviewStore.open(path, binding, { now: fixedClock(), newId: counterIds('n'), reviewer: 'r' });
  const evidence = evidenceWith('ref') as unknown as EvidenceSnapshot;
  evidence.tensors[0].log10P = -Infinity;
  evidence.tensors[0].r = NaN;
  evidence.evidence.medianR = null;
  await store.add({ target: { kind: 'component', component: 'language' }, verdict: 'derived', evidence });
  assert.match(readFileSync(path, 'utf8'), /"log10P": null/);
  const reopened = await ReviewStore.open(path, binding, {});
  assert.equal(reopened.status.kind, 'ok', reopened.status.message);
  const report = {
    generated: '2025-01-01T00:00:00.000Z', tool: { name: 'weightprint', version: '0' },
    checkpoint: { name: 'm', kind: 'file' as const, headerHash: HASH, tensors: 0, parameters: 0, bytes: 0, files: [] },
    audit: null, findings: reopened.findings, library: [],
  };
  for (const format of ['md', 'html', 'json', 'csv'] as const) assert.ok(exportReview(report, format).length > 0);
  assert.match(exportReview(report, 'md'), /\| – \| <1e-300 \|/);
});

test('audit --notes with a hostile store: exit 0, one warning line naming the store, finding and field; notes written; store untouched', async () => {
  const cases = [
    { name: 'evidence-empty', finding: withField('evidence', {}), field: /finding 0 \(id "finding 0#0"\): evidence\.headerHash must be a string/ },
    { name: 'verdict-constructor', finding: withField('verdict', 'constructor'), field: /finding 1 \(id "finding 0#0"\): verdict must be one of/ },
  ];
  const runs = await Promise.all(cases.map(async (c, i) => {
    const folder = join(dir, c.name);
    mkdirSync(folder);
    const model = join(folder, 'm.safetensors');
    await writeLlama(model, 5 + i);
    const lib = join(folder, 'lib');
    await writeLibrary(lib, model, 'ref');
    const checkpoint = await openCheckpoint(model);
    const findings = i === 0 ? [c.finding] : [good(9), c.finding];
    const text = storeText(checkpoint.headerHash, 'm.safetensors', findings);
    writeFileSync(`${model}.review.json`, text);
    const r = await runCli(['audit', model, '--library', lib, '--notes', join(folder, 'notes.html')]);
    return { r, folder, model, text, field: c.field };
  }));
  for (const { r, folder, model, text, field } of runs) {
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /review store not used: m\.safetensors\.review\.json cannot be read as a review/);
    assert.match(lines[0], field);
    assert.match(readFileSync(join(folder, 'notes.html'), 'utf8'), /suggested/);
    assert.equal(readFileSync(`${model}.review.json`, 'utf8'), text, 'the store is untouched');
  }
});
