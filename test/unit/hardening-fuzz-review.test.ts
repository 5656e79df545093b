// Seeded fuzzing of review stores (issue 12): a valid store with markup in its strings is mutated (values swapped for
// prototype names, markup, wrong types and odd numbers; keys removed or added, "__proto__" included; bytes flipped,
// inserted, cut). Every result opens as a clean status (a one-line reason naming the file, or a valid load), never a
// throw; every valid load exports in all four formats without live markup and with the findings kept losslessly.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { mulberry32 as prng } from '../../src/core/fingerprint/plan';
import { ReferenceLibrary } from '../../src/core/fingerprint/library';
import { openCheckpoint, type Checkpoint } from '../../src/core/format/checkpoint';
import { auditCheckpoint } from '../../src/core/match/audit';
import { stableStringify } from '../../src/core/review/canonical';
import { buildReviewReport, exportReview, parseReviewDocument, ReviewStore, sortFindingsForNotes } from '../../src/core/review/index';
import type { AuditResult } from '../../src/core/match/types';
import { tempDir } from './helpers/reviewFs';
import {
  findingWith, htmlMarkupProblems, MARKUP, markdownMarkupProblems, markdownTextProblems, parseCsv, renderMarkdown, storeText, writeLibrary, writeLlama,
} from './helpers/hostileOutputs';

const VALUES: unknown[] = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ...MARKUP, '', 'x'.repeat(250), 'language', 'derived', 'note', 'suggested',
  'high', 'identical', 'tensors', 'layers', '2025-01-01T00:00:00.000Z', 0, -1, 2.5, 1e308, 3, null, true, false, {}, [], [1], ['a'], { kind: 'model' },
  { __proto__: null, x: 1 }, JSON.parse('{"__proto__": {"polluted": 1}}'),
];
const KEYS = ['__proto__', 'constructor', 'toString', 'extra', 'verdict', 'evidence', 'tensors', 'r'];

let dir: string;
let checkpoint: Checkpoint;
let audit: AuditResult;
let library: ReferenceLibrary;
let baseText: string;

before(async () => {
  dir = tempDir('wp-fuzz-review-');
  const path = join(dir, 'm.safetensors');
  await writeLlama(path, 11);
  await writeLibrary(join(dir, 'lib'), path, MARKUP[0]);
  library = await ReferenceLibrary.load([join(dir, 'lib')]);
  checkpoint = await openCheckpoint(path);
  audit = await auditCheckpoint(checkpoint, library.entries.map((e) => e.fingerprint));
  const findings: Record<string, unknown>[] = MARKUP.slice(0, 5).map((m, i) => findingWith(m, i, checkpoint.headerHash));
  findings.push({ ...findingWith('plain', 7), evidence: null, target: { kind: 'layers', component: 'language', from: 0, to: 1 } });
  findings.push({ ...findingWith('model', 8), target: { kind: 'model' }, state: 'suggested', verdict: 'note' });
  baseText = storeText(checkpoint.headerHash, 'm.safetensors', findings);
  parseReviewDocument(baseText);
});

/** Every [parent, key] of a JSON value, the root's children included. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); slots(x, out); });
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push([v as Record<string, unknown>, k]); slots((v as Record<string, unknown>)[k], out); }
  return out;
}

/** An own property even for "__proto__" (an assignment would set the prototype instead). */
function put(o: Record<string, unknown> | unknown[], k: string | number, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(rand: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  if (rand() < 0.25) {
    let text = baseText;
    for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
      const pos = Math.floor(rand() * text.length);
      const op = rand();
      if (op < 0.4) text = text.slice(0, pos) + pick(['"', '{', '}', '[', ']', ',', ':', '\\', '0', 'n', ' ']) + text.slice(pos + 1);
      else if (op < 0.6) text = text.slice(0, pos);
      else if (op < 0.8) text = text.slice(0, pos) + pick(['"__proto__": 1,', '<img src=x>', '\u202e', '1e999']) + text.slice(pos);
      else text = text.slice(0, pos) + text.slice(pos + 1 + Math.floor(rand() * 20));
    }
    return text;
  }
  const doc = JSON.parse(baseText) as Record<string, unknown>;
  for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
    const all = slots(doc);
    const [parent, key] = pick(all);
    const op = rand();
    const value = JSON.parse(JSON.stringify(pick(VALUES) ?? null)) as unknown;
    if (op < 0.6) put(parent, key, value);
    else if (op < 0.8 && !Array.isArray(parent)) delete parent[key as string];
    else if (!Array.isArray(parent)) put(parent, pick(KEYS), value);
    else parent.push(value);
  }
  return JSON.stringify(doc, null, rand() < 0.5 ? 2 : undefined);
}

test('mutated review stores open as a clean status or a valid load; valid loads export without live markup, losslessly', async () => {
  const render = renderMarkdown();
  const binding = { headerHash: checkpoint.headerHash, name: 'm.safetensors' };
  const counts: Record<string, number> = {};
  for (let seed = 1; seed <= 600; seed++) {
    const text = mutate(prng(seed));
    const path = join(dir, `s${seed}.review.json`);
    writeFileSync(path, text);
    let store: ReviewStore;
    try {
      store = await ReviewStore.open(path, binding, { reviewer: 'r' });
    } catch (e) {
      assert.fail(`seed ${seed}: open threw ${e instanceof Error ? e.stack : String(e)}`);
    }
    const status = store.status;
    counts[status.kind] = (counts[status.kind] ?? 0) + 1;
    assert.ok(['ok', 'unreadable', 'newer-schema', 'hash-mismatch'].includes(status.kind), `seed ${seed}: ${status.kind}`);
    if (status.kind !== 'ok') {
      assert.ok(!status.message.includes('\n'), `seed ${seed}: one line: ${status.message}`);
      assert.ok(status.message.includes(basename(path)), `seed ${seed}: names the file`);
      continue;
    }
    const report = await buildReviewReport({ checkpoint, audit, findings: store.findings, library: library.entries, generated: '2025-01-01T00:00:00.000Z' });
    const md = exportReview(report, 'md');
    assert.deepEqual(markdownTextProblems(md), [], `seed ${seed}: Markdown`);
    if (render) assert.deepEqual(markdownMarkupProblems(render(md)), [], `seed ${seed}: rendered Markdown`);
    assert.deepEqual(htmlMarkupProblems(exportReview(report, 'html')), [], `seed ${seed}: HTML`);
    const rows = parseCsv(exportReview(report, 'csv'));
    for (const row of rows) assert.equal(row.length, rows[0].length, `seed ${seed}: CSV width`);
    const exported = (JSON.parse(exportReview(report, 'json')) as { review: { findings: unknown[] } }).review.findings;
    // In the notes' order (component first), which is not the file's (created time first).
    assert.deepEqual(exported, JSON.parse(stableStringify(sortFindingsForNotes(store.findings))), `seed ${seed}: JSON notes hold the findings`);
    assert.deepEqual(JSON.parse(stableStringify(store.findings)), JSON.parse(JSON.stringify(store.findings)), `seed ${seed}: no key lost`);
  }
  assert.ok((counts.ok ?? 0) > 50 && (counts.unreadable ?? 0) > 300, `both valid and rejected stores (${JSON.stringify(counts)})`);
});
