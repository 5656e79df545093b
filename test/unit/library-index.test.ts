// The library index and the screening cascade (docs/library-index.md): the cascade's verdicts equal the exhaustive
// audit's on the fixture corpus against a library of true references and generated decoys; the index is a cache
// refreshed from new, changed and removed .wpf files; a hostile index is rebuilt, never trusted; the CLI reads at scale.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { writeFingerprint } from '../../src/core/fingerprint/io';
import { INDEX_FILE, loadLibraryIndex } from '../../src/core/library/libraryIndex';
import { auditCheckpoint } from '../../src/core/match/audit';
import type { AuditResult } from '../../src/core/match/types';
import { ensureDecoys } from '../fixtures/decoys';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { runCli, tempDir } from './helpers/hostileFiles';

const DECOYS = 15;
let library = '';

before(async () => {
  await ensureFixtureCorpus();
  library = tempDir('wp-library-');
  await writeFingerprint(join(library, 'lm_A.wpf'), await fingerprintPath(join(CORPUS, 'lm/lm_A.safetensors'), { id: 'lm_A' }));
  await writeFingerprint(join(library, 'vit_R.wpf'), await fingerprintPath(join(CORPUS, 'vision/vit_R.safetensors'), { id: 'vit_R' }));
  await ensureDecoys(library, DECOYS);
});

const verdicts = (r: AuditResult) => r.components.map((c) => `${c.name}: ${c.verdict} ${c.reference ?? '-'}`);

test('the cascade gives the exhaustive audit\'s verdicts and compares only the shortlisted references', { timeout: 600_000 }, async () => {
  const whole = await loadLibraryIndex([library]);
  assert.equal(whole.references.length, DECOYS + 2);
  // The exhaustive audit costs about a second per reference: it is run against the true references and 6 decoys.
  const index = { references: whole.references.filter((r) => !/^decoy-.*-00(0[6-9]|1)/.test(r.id)), load: whole.load };
  assert.equal(index.references.length, 8);
  for (const suspect of ['vl/suspect_vl_copied_vision.safetensors', 'lm/A_perm_mlp_heads.safetensors', 'lm/lm_B.safetensors']) {
    const path = join(CORPUS, suspect);
    const cascade = await auditCheckpoint(path, index, { cascade: 'always' });
    const exhaustive = await auditCheckpoint(path, index, { cascade: 'never' });
    assert.deepEqual(verdicts(cascade), verdicts(exhaustive), suspect);
    for (const c of cascade.components) {
      const s = c.screening!;
      assert.ok(s, `${suspect} ${c.name}: a screening summary`);
      assert.equal(s.references, 8);
      assert.ok(s.compared <= s.shortlisted && s.shortlisted <= s.withCandidates && s.withCandidates <= s.references);
      // Decoys are independent models: none may be needed, the true reference must be among the compared.
      assert.ok(c.comparisons.length <= 2, `${suspect} ${c.name}: ${c.comparisons.map((x) => x.reference).join(', ')} compared in full`);
      if (c.reference) assert.ok(c.comparisons.some((x) => x.reference === c.reference));
      assert.ok(s.runnersUp.every((r) => r.reference !== c.reference));
    }
    assert.equal(exhaustive.components[0].screening, undefined);
  }
  const copied = await auditCheckpoint(join(CORPUS, 'vl/suspect_vl_copied_vision.safetensors'), whole);
  assert.deepEqual(verdicts(copied).slice(1), ['vision: derived vit_R', 'projector: derived vit_R'], 'auto mode screens a library of 17');
  assert.equal(copied.components[1].screening?.references, 17);
});

test('a budget of compared references is reported, most promising first', { timeout: 120_000 }, async () => {
  const index = await loadLibraryIndex([library]);
  const none = await auditCheckpoint(join(CORPUS, 'lm/A_ft_code.safetensors'), index, { cascade: 'always', maxCompared: 0 });
  assert.equal(none.components[0].verdict, 'no-evidence');
  assert.ok(none.notes.some((n) => /^1 shortlisted reference\(s\) were not compared in full \(budget of 0\)/.test(n)), none.notes.join('\n'));
  const one = await auditCheckpoint(join(CORPUS, 'lm/A_ft_code.safetensors'), index, { cascade: 'always', maxCompared: 1 });
  assert.deepEqual(verdicts(one), ['language: derived lm_A']);
});

test('the index is a cache: reused, refreshed for new, changed and removed files, rewritten', { timeout: 120_000 }, async () => {
  const dir = tempDir('wp-index-');
  for (const f of ['lm_A.wpf', 'decoy-llama-0000.wpf', 'decoy-vit-0001.wpf']) copyFileSync(join(library, f), join(dir, f));
  const first = await loadLibraryIndex([dir]);
  assert.deepEqual([first.built, first.reused, first.written], [3, 0, [join(dir, INDEX_FILE)]]);
  const again = await loadLibraryIndex([dir]);
  assert.deepEqual([again.built, again.reused, again.written.length], [0, 3, 0]);
  assert.deepEqual(again.references.map((r) => r.id), first.references.map((r) => r.id));
  assert.deepEqual(again.references[0].tensors[0].sketch, first.references[0].tensors[0].sketch, 'sketches survive the file');
  assert.deepEqual(again.references[1].tensors.find((t) => t.rowKeys)?.rowKeys, first.references[1].tensors.find((t) => t.rowKeys)?.rowKeys);
  // Changed (new modification time), removed, added.
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, 'lm_A.wpf'), later, later);
  rmSync(join(dir, 'decoy-vit-0001.wpf'));
  copyFileSync(join(library, 'decoy-phi-0002.wpf'), join(dir, 'decoy-phi-0002.wpf'));
  const refreshed = await loadLibraryIndex([dir]);
  assert.deepEqual([refreshed.built, refreshed.reused], [2, 1]);
  assert.deepEqual(refreshed.references.map((r) => r.id).sort(), ['decoy-llama-0000', 'decoy-phi-0002', 'lm_A']);
  assert.equal(readFileSync(join(dir, INDEX_FILE), 'utf8').trim().split('\n').length, 4, 'header + 3 entries');
  assert.deepEqual(refreshed.references.find((r) => r.id === 'decoy-phi-0002')?.family, 'phi');
});

test('a hostile index is rebuilt from the fingerprints, never trusted, and a bad .wpf is one problem', { timeout: 120_000 }, async () => {
  const dir = tempDir('wp-index-hostile-');
  for (const f of ['lm_A.wpf', 'decoy-llama-0000.wpf']) copyFileSync(join(library, f), join(dir, f));
  await loadLibraryIndex([dir]);
  const good = readFileSync(join(dir, INDEX_FILE), 'utf8');
  const [header, ...lines] = good.trim().split('\n');
  const entry = JSON.parse(lines[0]);
  const cases: [string, string][] = [
    ['binary garbage', '\u0000\u0001\u00ff garbage\n'],
    ['a foreign JSON header', '{"format":"something-else"}\n' + lines.join('\n')],
    ['a wrong sketch length', [header, JSON.stringify({ ...entry, tensors: [{ ...entry.tensors[0], sketch: 'AAAA'.repeat(400) }] }), lines[1]].join('\n')],
    ['a path in the file name', [header, JSON.stringify({ ...entry, file: '../lm_A.wpf' }), lines[1]].join('\n')],
    ['an unknown kind', [header, JSON.stringify({ ...entry, tensors: [{ ...entry.tensors[0], kind: '<script>' }] }), lines[1]].join('\n')],
    ['a huge count', [header, JSON.stringify({ ...entry, parameters: 1e300 }), lines[1]].join('\n')],
    ['a cut line', [header, lines[0].slice(0, 500), lines[1]].join('\n')],
  ];
  for (const [what, text] of cases) {
    writeFileSync(join(dir, INDEX_FILE), text);
    const loaded = await loadLibraryIndex([dir]);
    assert.deepEqual(loaded.references.map((r) => r.id).sort(), ['decoy-llama-0000', 'lm_A'], what);
    assert.ok(loaded.built >= 1, `${what}: rebuilt from the .wpf`);
    assert.deepEqual(loaded.problems, [], what);
    assert.equal(readFileSync(join(dir, INDEX_FILE), "utf8"), good, `${what}: the index is written again`);
  }
  writeFileSync(join(dir, 'broken.wpf'), '{"format":"weightprint-fingerprint"');
  const withBad = await loadLibraryIndex([dir]);
  assert.equal(withBad.references.length, 2);
  assert.equal(withBad.problems.length, 1);
  assert.match(withBad.problems[0].path, /broken\.wpf$/);
  appendFileSync(join(dir, INDEX_FILE), '\n');
  assert.ok(statSync(join(dir, INDEX_FILE)).size > 0);
});

test('CLI: audit against a screened library reads at scale; library index reports what it did', { timeout: 300_000 }, async () => {
  await runCli(['library', 'index', library]);
  const index = await runCli(['library', 'index', library]);
  assert.equal(index.code, 0, index.stderr);
  assert.match(index.stdout, new RegExp(`^${DECOYS + 2} references, \\d+ tensors indexed \\(${DECOYS + 2} from the index, 0 read`));
  const run = await runCli(['audit', join(CORPUS, 'vl/suspect_vl_copied_vision.safetensors'), '--library', library]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /references: 17 \(families: /);
  assert.match(run.stdout, /qwen2_5_vl 5/);
  assert.doesNotMatch(run.stdout, /decoy-llama-0000, decoy/, 'no line of every id');
  assert.match(run.stdout, /vision: of 17 references, \d+ ruled out by shape, \d+ by screening, 0 by the budget; 1 compared in full/);
  assert.match(run.stdout, /runners-up: /);
  const json = await runCli(['audit', join(CORPUS, 'lm/lm_B.safetensors'), '--library', library, '--json']);
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.components[0].verdict, 'no-evidence');
  assert.equal(parsed.components[0].screening.references, 17);
  assert.equal(parsed.references.length, 17);
  assert.ok(readdirSync(library).includes(INDEX_FILE));
  const notes = join(tempDir('wp-notes-'), 'notes.md');
  const withNotes = await runCli(['audit', join(CORPUS, 'lm/lm_B.safetensors'), '--library', library, '--notes', notes, '--lang', 'en']);
  assert.equal(withNotes.code, 0, withNotes.stderr);
  const md = readFileSync(notes, 'utf8');
  assert.match(md, /Checked against 17 references \(families: /);
  assert.match(md, /references checked: (`[^`]+`, ){5}and 12 more;/);
});
