// The findings' view model shared by the host and the webview (src/shared/findingsView.ts) and the Add/Edit form's
// logic (webview/views/findings/formModel.ts): labels, grouping, targets from module paths and form fields, and the
// check of what a webview sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/shared/protocol';
import {
  displayGroups, groupFindings, layerIndexOfPath, parseFindingDraft, parseTarget, rationaleLine, shortTime, summaryText, targetForModule, targetLabel, VERDICT_ICON, VERDICT_LABEL, VERDICTS,
} from '../../src/shared/findingsView';
import { LABELS_EN } from '../../src/core/review/labels';
import { formTarget, isUndoKey } from '../../webview/views/findings/formModel';
import { useBundle } from '../../src/core/l10n';

const finding = (id: string, target: Finding['target'], state: Finding['state'] = 'confirmed'): Finding => ({
  id, target, verdict: 'derived', confidence: 'high', rationale: '', evidence: null, reviewer: 'r', created: '2025-01-01T00:00:00.000Z', updated: '2025-01-01T00:00:00.000Z', state,
});

test('verdict words match the exports, and every verdict has an icon', () => {
  for (const v of VERDICTS) {
    assert.equal(VERDICT_LABEL[v], LABELS_EN.findingVerdicts[v]);
    assert.ok(VERDICT_ICON[v]);
  }
});

test('target labels', () => {
  assert.equal(targetLabel({ kind: 'model' }), 'whole model');
  assert.equal(targetLabel({ kind: 'component', component: 'vision' }), 'vision encoder');
  assert.equal(targetLabel({ kind: 'layers', component: 'language', from: 2, to: 5 }), 'language model, layers 2–5');
  assert.equal(targetLabel({ kind: 'layers', component: 'language', from: 3, to: 3 }), 'language model, layer 3');
  assert.equal(targetLabel({ kind: 'tensors', tensors: ['a.weight'] }), 'a.weight');
  assert.equal(targetLabel({ kind: 'tensors', tensors: ['a.weight', 'b.weight'] }), '2 tensors (a.weight, …)');
});

test('grouping: whole model first, then components in a fixed order; tensors by their component', () => {
  const comps: Record<string, 'vision' | 'language'> = { 'v.w': 'vision', 'l.w': 'language' };
  const groups = groupFindings([
    finding('1', { kind: 'component', component: 'vision' }),
    finding('2', { kind: 'tensors', tensors: ['l.w'] }),
    finding('3', { kind: 'model' }),
    finding('4', { kind: 'tensors', tensors: ['l.w', 'v.w'] }),
    finding('5', { kind: 'layers', component: 'language', from: 0, to: 1 }),
  ], (n) => comps[n]);
  // Inside a group the notes' order: component and layer findings before tensor sets (then created time, then id).
  assert.deepEqual(groups.map((g) => [g.group, g.findings.map((f) => f.id)]), [['model', ['3', '4']], ['language', ['5', '2']], ['vision', ['1']]]);
  assert.equal(groups[0].label, 'whole model');
});

test('summary, times and rationale lines', () => {
  assert.equal(summaryText([]), 'No findings yet.');
  assert.equal(summaryText([finding('1', { kind: 'model' }, 'suggested'), finding('2', { kind: 'model' })]), '2 findings: 1 suggested, 1 confirmed.');
  // The exact punctuation and AM/PM words are ICU's; the date, the zone shift and the language are ours.
  assert.match(shortTime('2026-11-26T09:57:13.123Z', 'UTC'), /^Nov 26, 2026,? 9:57\sAM$/);
  assert.match(shortTime('2026-11-26T09:57:13.123Z', 'Asia/Seoul'), /^Nov 26, 2026,? 6:57\sPM$/);
  assert.equal(shortTime('not a date'), 'not a date');
  try {
    useBundle({}, 'ko');
    assert.match(shortTime('2026-11-26T09:57:13.123Z', 'Asia/Seoul'), /^2026\. 11\. 26\. (오후|PM) 6:57$/);
  } finally {
    useBundle({}, 'en');
  }
  assert.equal(rationaleLine('\n\nSuggested by the audit: the **vision encoder** is derived\nmore'), 'Suggested by the audit: the vision encoder is derived');
  assert.equal(rationaleLine('x'.repeat(300), 10).length, 10);
});

test('module paths: a layer container gives a layer range, a whole component its component, else tensors', () => {
  assert.equal(layerIndexOfPath('model.layers.3'), 3);
  assert.equal(layerIndexOfPath('model.visual.blocks.17'), 17);
  assert.equal(layerIndexOfPath('model.layers.3.mlp'), null);
  assert.equal(layerIndexOfPath('model.layers'), null);
  const under = [
    { name: 'model.layers.3.mlp.up.weight', component: 'language' as const, layer: 3 },
    { name: 'model.layers.3.self_attn.q.weight', component: 'language' as const, layer: 3 },
  ];
  assert.deepEqual(targetForModule('model.layers.3', under), { kind: 'layers', component: 'language', from: 3, to: 3 });
  assert.deepEqual(targetForModule('model.layers.3.mlp.up.weight', [under[0]]), { kind: 'tensors', tensors: ['model.layers.3.mlp.up.weight'] });
  assert.deepEqual(targetForModule('model', under, () => 2), { kind: 'component', component: 'language' });
  assert.deepEqual(targetForModule('model.layers.3.mlp', [under[0]], () => 2), { kind: 'tensors', tensors: ['model.layers.3.mlp.up.weight'] });
  assert.equal(targetForModule('nothing', []), undefined);
});

test('what a webview sends is checked: targets, verdicts, confidence, rationale', () => {
  assert.deepEqual(parseTarget({ kind: 'layers', component: 'vision', from: 5, to: 2 }), { kind: 'layers', component: 'vision', from: 2, to: 5 });
  assert.deepEqual(parseTarget({ kind: 'tensors', tensors: ['b', 'a', 'b'] }), { kind: 'tensors', tensors: ['a', 'b'] });
  for (const bad of [null, 7, { kind: 'x' }, { kind: 'component', component: 'brain' }, { kind: 'layers', component: 'vision', from: -1, to: 2 },
    { kind: 'layers', component: 'vision', from: 1.5, to: 2 }, { kind: 'tensors', tensors: [] }, { kind: 'tensors', tensors: [3] }]) {
    assert.equal(parseTarget(bad), undefined, JSON.stringify(bad));
  }
  const ok = { target: { kind: 'model' }, verdict: 'note', confidence: 'low', rationale: '<img src=x onerror=alert(1)>' };
  assert.deepEqual(parseFindingDraft(ok), ok);
  assert.throws(() => parseFindingDraft({ ...ok, verdict: 'guilty' }), /verdict/);
  assert.throws(() => parseFindingDraft({ ...ok, confidence: 'total' }), /confidence/);
  assert.throws(() => parseFindingDraft({ ...ok, rationale: 5 }), /rationale/);
  assert.throws(() => parseFindingDraft({ ...ok, rationale: 'x'.repeat(20_001) }), /longer/);
  assert.throws(() => parseFindingDraft({ ...ok, target: { kind: 'component' } }), /target/);
});

test('form fields → target, with a sentence for each mistake', () => {
  const base = { kind: 'model', component: 'vision', from: '0', to: '0', tensors: '' };
  assert.deepEqual(formTarget(base), { target: { kind: 'model' } });
  assert.deepEqual(formTarget({ ...base, kind: 'component' }), { target: { kind: 'component', component: 'vision' } });
  assert.deepEqual(formTarget({ ...base, kind: 'layers', from: ' 7 ', to: '2' }), { target: { kind: 'layers', component: 'vision', from: 2, to: 7 } });
  assert.match((formTarget({ ...base, kind: 'layers', from: '-1' }) as { error: string }).error, /whole numbers/);
  assert.match((formTarget({ ...base, kind: 'layers', from: '2.5' }) as { error: string }).error, /whole numbers/);
  assert.match((formTarget({ ...base, kind: 'component', component: '' }) as { error: string }).error, /component/);
  assert.deepEqual(formTarget({ ...base, kind: 'tensors', tensors: 'b.w\r\n a.w \n\nb.w' }), { target: { kind: 'tensors', tensors: ['a.w', 'b.w'] } });
  assert.match((formTarget({ ...base, kind: 'tensors', tensors: ' \n ' }) as { error: string }).error, /at least one/);
  assert.match((formTarget({ ...base, kind: '' }) as { error: string }).error, /Choose/);
});

test('Ctrl/Cmd+Z undoes a finding change, except while typing', () => {
  const k = (key: string, mods: Partial<KeyboardEvent> = {}) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  assert.equal(isUndoKey(k('z', { ctrlKey: true }), 'LI'), true);
  assert.equal(isUndoKey(k('Z', { metaKey: true }), 'VSCODE-BUTTON'), true);
  assert.equal(isUndoKey(k('z', { ctrlKey: true, shiftKey: true }), 'LI'), false);
  assert.equal(isUndoKey(k('z'), 'LI'), false);
  for (const tag of ['INPUT', 'TEXTAREA', 'vscode-textarea', 'VSCODE-TEXTFIELD']) assert.equal(isUndoKey(k('z', { ctrlKey: true }), tag), false, tag);
});

test('the Findings tab lists sections: whole model, components in order, then tensor sets', () => {
  const groups = displayGroups([
    finding('p', { kind: 'component', component: 'projector' }),
    finding('t', { kind: 'tensors', tensors: ['x.weight'] }),
    finding('v', { kind: 'component', component: 'vision' }),
    finding('l', { kind: 'layers', component: 'language', from: 0, to: 1 }),
    finding('m', { kind: 'model' }),
  ]);
  assert.deepEqual(groups.map((g) => [g.key, g.findings.map((f) => f.id)]), [['model', ['m']], ['language', ['l']], ['vision', ['v']], ['projector', ['p']], ['tensors', ['t']]]);
});
