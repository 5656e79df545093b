// One order of findings for the notes and the lists: whole model, the components in COMPONENTS order, tensor sets;
// then created time, then id. The suggestions of one audit share their creation millisecond and get random ids, so
// before this order the vision and projector findings swapped places between two audits of the same checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareFindingsForNotes, exportReview, sortFindingsForNotes, suggestFindings, type ExportFormat, type Finding,
} from '../../src/core/review/index';
import { displayGroups, groupFindings } from '../../src/shared/findingsView';
import { goldenInputs } from './helpers/reviewCorpus';

const FORMATS: ExportFormat[] = ['md', 'html', 'json', 'csv'];
const SAME_INSTANT = () => new Date('2025-03-01T09:00:00.000Z');

/** Ids handed out in the given order (a random UUID's order is as good as any). */
const idsFrom = (ids: string[]) => { const rest = [...ids]; return () => rest.shift()!; };

/** The export with each finding's id replaced by the name of its component (ids differ between runs by design). */
function exportWithoutIds(findings: Finding[], format: ExportFormat, report: Awaited<ReturnType<typeof goldenInputs>>['report']): string {
  let text = exportReview({ ...report, findings }, format);
  for (const f of findings) text = text.split(f.id).join(`ID-${f.target.kind === 'component' ? f.target.component : f.target.kind}`);
  return text;
}

test('two suggestion runs with shuffled ids and the same timestamp export the same notes', async () => {
  const { report } = await goldenInputs();
  const audit = report.audit!;
  assert.ok(audit.components.length >= 3, 'the corpus audit has language, vision and projector');
  const ctx = { now: SAME_INSTANT, reviewer: 'r', toolVersion: '0.0.0-test' };
  // Run 1 gives the language model the smallest id; run 2 the projector: sorted by id, the two runs disagree.
  const run1 = suggestFindings(audit, { ...ctx, newId: idsFrom(['a-1', 'm-2', 'z-3']) });
  const run2 = suggestFindings(audit, { ...ctx, newId: idsFrom(['z-9', 'm-8', 'a-7']) });
  assert.notDeepEqual(run1.map((f) => f.id).sort(), run2.map((f) => f.id).sort());
  for (const format of FORMATS) {
    // Handed over in opposite orders, too: the exporters sort for themselves.
    assert.equal(exportWithoutIds([...run2].reverse(), format, report), exportWithoutIds(run1, format, report), `${format} export`);
  }
  const md = exportReview({ ...report, findings: run2 }, 'md');
  const at = (c: string) => md.indexOf(`### ${['language', 'vision', 'projector'].indexOf(c) + 1}. `);
  assert.ok(at('language') < at('vision') && at('vision') < at('projector'));
  assert.match(md, /### 1\. language model: /);
  assert.match(md, /### 2\. vision encoder: /);
  assert.match(md, /### 3\. projector: /);
});

const f = (id: string, target: Finding['target'], created: string): Finding => ({
  id, target, verdict: 'note', confidence: 'low', rationale: '', evidence: null, reviewer: 'r', created, updated: created, state: 'confirmed',
});

test('the order: whole model, language, vision, audio, projector, other, tensor sets; then created time, then id', () => {
  const early = '2025-01-01T00:00:00.000Z';
  const late = '2025-01-02T00:00:00.000Z';
  const findings = [
    f('t', { kind: 'tensors', tensors: ['x'] }, early),
    f('p', { kind: 'component', component: 'projector' }, early),
    f('v-late', { kind: 'layers', component: 'vision', from: 0, to: 1 }, late),
    f('v-b', { kind: 'component', component: 'vision' }, early),
    f('v-a', { kind: 'component', component: 'vision' }, early),
    f('o', { kind: 'component', component: 'other' }, early),
    f('a', { kind: 'component', component: 'audio' }, early),
    f('m', { kind: 'model' }, late),
    f('l', { kind: 'layers', component: 'language', from: 2, to: 3 }, late),
  ];
  const expected = ['m', 'l', 'v-a', 'v-b', 'v-late', 'a', 'p', 'o', 't'];
  assert.deepEqual(sortFindingsForNotes(findings).map((x) => x.id), expected);
  assert.deepEqual(sortFindingsForNotes([...findings].reverse()).map((x) => x.id), expected);
  assert.equal(compareFindingsForNotes(findings[3], findings[3]), 0);
  // The Findings pane's sections and the Review Findings tree's groups list them in the same order, whatever the push order.
  assert.deepEqual(displayGroups([...findings].reverse()).flatMap((g) => g.findings.map((x) => x.id)), expected);
  assert.deepEqual(groupFindings([...findings].reverse(), () => 'other').flatMap((g) => g.findings.map((x) => x.id)), ['m', 'l', 'v-a', 'v-b', 'v-late', 'a', 'p', 'o', 't']);
});
