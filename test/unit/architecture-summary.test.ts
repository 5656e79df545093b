// The architecture summary the editor (CheckpointSummary.architecture) and the review notes show: rows per component
// and family, repos only for claims, nothing for checkpoints of no known family; the Markdown/HTML section is labelled
// as layout, not weights, and left out when empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { architectureRows, exampleTensors, loadCatalogue, matchArchitecture, MAX_MATCHES_PER_COMPONENT, suggestedRepos } from '../../src/core/catalogue';
import { exportHtml, exportMarkdown } from '../../src/core/review/export/index';
import type { ReviewReport } from '../../src/core/review/export/report';

const catalogue = loadCatalogue();

test('architecture rows: an exact Qwen2.5-7B layout gives a claim with its public repos and rules', () => {
  const report = matchArchitecture(exampleTensors(catalogue, 'qwen2', 'qwen2.5-7b', 'model.'), { model_type: 'qwen2' }, catalogue);
  const rows = architectureRows(report);
  assert.ok(rows.length >= 1);
  const first = rows[0];
  assert.equal(first.component, 'language');
  assert.equal(first.prefix, 'model.');
  assert.equal(first.family, 'qwen2');
  assert.equal(first.confidence, 'exact');
  assert.equal(first.config, 'agrees');
  assert.ok(first.repos.includes('Qwen/Qwen2.5-7B'), first.repos.join(','));
  assert.ok(first.repos.includes('Qwen/Qwen2-7B'), 'Qwen2-7B shares every shape');
  assert.equal(new Set(first.repos).size, first.repos.length, 'no duplicate repos');
  assert.ok(first.rules.length > 0);
  assert.match(first.summary, /Qwen2\.5-7B/);
  // Every repo in the rows is one suggestedRepos offers, and the rows are plain JSON (they travel to the webview).
  const suggested = new Set(suggestedRepos(report).map((s) => s.repo));
  for (const r of rows) for (const repo of r.repos) assert.ok(suggested.has(repo), repo);
  assert.deepEqual(JSON.parse(JSON.stringify(rows)), rows);
});

test('architecture rows: layout-only matches carry no repos; at most MAX_MATCHES_PER_COMPONENT per component', () => {
  // Qwen2 layout with home-made sizes: names follow the layout, no variant has these shapes.
  const tensors = exampleTensors(catalogue, 'qwen2', 'qwen2.5-0.5b', 'model.').map((t) => ({ name: t.name, shape: t.shape.map((d) => (d === 896 ? 320 : d)) }));
  const rows = architectureRows(matchArchitecture(tensors, undefined, catalogue));
  assert.ok(rows.length > 0);
  for (const r of rows) {
    if (r.confidence === 'layout') assert.deepEqual(r.repos, []);
  }
  const perComponent = new Map<string, number>();
  for (const r of rows) perComponent.set(`${r.component}|${r.prefix}`, (perComponent.get(`${r.component}|${r.prefix}`) ?? 0) + 1);
  for (const n of perComponent.values()) assert.ok(n <= MAX_MATCHES_PER_COMPONENT);
  assert.deepEqual(architectureRows(matchArchitecture(tensors, undefined, catalogue), 1).length, perComponent.size);
});

test('architecture rows: unrelated tensors give no rows', () => {
  const rows = architectureRows(matchArchitecture([{ name: 'encoder.conv1.weight', shape: [3, 3] }, { name: 'head.bias', shape: [10] }], undefined, catalogue));
  assert.deepEqual(rows, []);
});

function baseReport(): ReviewReport {
  return {
    generated: '2026-01-01T00:00:00.000Z', tool: { name: 'weightprint', version: '0.0.0' },
    checkpoint: { name: 'm.safetensors', kind: 'file', headerHash: 'ab'.repeat(32), tensors: 1, parameters: 1, bytes: 4, files: [{ name: 'm.safetensors', size: 100, sha256: null }] },
    audit: null, findings: [], stats: null, library: [],
  };
}

test('review notes: the Architecture match section is labelled as layout, escapes names, and is absent when empty', () => {
  const report = baseReport();
  const plainMd = exportMarkdown(report);
  const plainHtml = exportHtml(report);
  assert.doesNotMatch(plainMd, /Architecture match/);
  assert.equal(exportMarkdown({ ...report, architecture: [] }), plainMd);
  assert.equal(exportHtml({ ...report, architecture: [] }), plainHtml);

  const rows = architectureRows(matchArchitecture(exampleTensors(catalogue, 'qwen2', 'qwen2.5-7b', 'model.'), { model_type: 'qwen2' }, catalogue));
  rows.push({ ...rows[0], familyName: 'Evil <script>|x', summary: 'a|b' });
  const md = exportMarkdown({ ...report, architecture: rows });
  assert.match(md, /## Architecture match \(layout only — not evidence of weight reuse\)/);
  assert.match(md, /whether weights were reused is decided only by the fingerprint evidence/);
  assert.match(md, /`Qwen\/Qwen2\.5-7B`/);
  assert.ok(md.indexOf('Architecture match') < md.indexOf('## Reference library'), 'before the library section');
  assert.doesNotMatch(md, /<script>/);
  const html = exportHtml({ ...report, architecture: rows });
  assert.match(html, /<h2 id="architecture-title">Architecture match \(layout only — not evidence of weight reuse\)<\/h2>/);
  assert.match(html, /<code>Qwen\/Qwen2\.5-7B<\/code>/);
  assert.doesNotMatch(html, /<script>/);
});
