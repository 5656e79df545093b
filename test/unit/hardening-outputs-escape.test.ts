// Untrusted text in the notes (issue 12, class 5): review files travel through git and between colleagues, and
// reference ids come from colleagues' fingerprints. A review store with markup in every field of every finding, a
// reference id, tensor names and a checkpoint file name made of links, images, autolinks and HTML are exported by
// `weightprint audit --notes` in all four formats: the Markdown renders (markdown-it, CommonMark + GFM autolinks) to
// no link, image or HTML element; the HTML holds only the exporter's own elements and attributes; the CSV is well-formed
// without formulas; the JSON keeps every string intact.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { mdBlock, mdText } from '../../src/core/review/export/escape';
import { tempDir } from './helpers/reviewFs';
import {
  findingWith, htmlMarkupProblems, MARKUP, markdownMarkupProblems, markdownTextProblems, parseCsv, renderMarkdown, runCli, storeText, writeLibrary,
} from './helpers/hostileOutputs';

const REFERENCE_ID = 'x](javascript:alert(1))![b](https://tracker.example/b.png)';
let dir: string;
let notes: Record<'md' | 'html' | 'json' | 'csv', string>;
let findings: Record<string, unknown>[];

before(async () => {
  dir = tempDir('wp-hard-esc-');
  // A checkpoint whose file name and tensor names are markup (a file name cannot hold "/").
  const path = join(dir, '[x](javascript:alert(1)) <img src=x onerror=alert(4)>.safetensors');
  const names = MARKUP.map((m, i) => `model.layers.${i}.mlp.${m}.weight`);
  await writeSafetensors(path, names.map((name, i) => ({ name, dtype: 'F32', shape: [16, 16], data: encodeFloats('F32', Array.from({ length: 256 }, (_, k) => Math.sin(i * 256 + k * 0.37)) ) })));
  // Sidecars whose every string is markup: the claims, the tokenizer's special tokens, the config's name.
  writeFileSync(join(dir, 'README.md'), `---\nbase_model:\n${MARKUP.map((m) => `  - ${JSON.stringify(m)}`).join('\n')}\nlicense: ${JSON.stringify(MARKUP[1])}\n---\n`);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ _name_or_path: MARKUP[0], model_type: MARKUP[2], hidden_size: 16 }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: Object.fromEntries(MARKUP.map((m, i) => [m, i])), merges: [] },
    added_tokens: [{ id: MARKUP.length, content: MARKUP[3], special: true }] }));
  const lib = join(dir, 'lib');
  await writeLibrary(lib, path, REFERENCE_ID);
  const checkpoint = await openCheckpoint(path);
  findings = MARKUP.map((m, i) => findingWith(m, i, checkpoint.headerHash));
  writeFileSync(`${path}.review.json`, storeText(checkpoint.headerHash, 'x', findings));
  const formats = ['md', 'html', 'json', 'csv'] as const;
  const runs = await Promise.all(formats.map((f) => runCli(['audit', path, '--library', lib, '--notes', join(dir, `notes.${f}`)])));
  for (const r of runs) {
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /review store not used/, 'hostile text is valid text: the store is used');
  }
  notes = Object.fromEntries(formats.map((f) => [f, readFileSync(join(dir, `notes.${f}`), 'utf8')])) as typeof notes;
});

test('Markdown notes: no link, image, autolink or HTML survives from any field, the reference id or a tensor name', () => {
  const md = notes.md;
  assert.deepEqual(markdownTextProblems(md), []);
  assert.ok(md.includes('x\\](javascript:alert(1))!\\[b\\](https\\:\\//tracker.example/b.png)'), 'the reference id in the suggestion, escaped');
  const render = renderMarkdown();
  if (!render) return; // markdown-it absent: the text checks above stand alone
  const html = render(md);
  assert.deepEqual(markdownMarkupProblems(html), []);
  assert.doesNotMatch(html, /<a\b|<img\b|<script|<meta/i);
  // What the reader sees is the text itself.
  for (const shown of ['&lt;script&gt;alert(1)&lt;/script&gt;', '[click](https://evil.example/)', 'x](javascript:alert(1))![b](https://tracker.example/b.png)']) {
    assert.ok(html.includes(shown.replace(/&(?!lt;|gt;)/g, '&amp;')) || html.includes(shown), `shown as text: ${shown}`);
  }
});

test('Markdown escaping in isolation: names, ids and rationale never become links, images, autolinks or HTML', () => {
  const render = renderMarkdown();
  for (const m of [...MARKUP, REFERENCE_ID, '![](https://tracker.example/p.png)', '<http://evil.example>', '[a]: <https://evil.example>', '\\\\[x](https://e.example)']) {
    const inline = `- ${mdText(m)}`;
    const block = mdBlock(`${m}\n\n${m}`);
    assert.deepEqual(markdownTextProblems(inline), [], inline);
    if (render) {
      assert.deepEqual(markdownMarkupProblems(render(inline)), [], inline);
      assert.deepEqual(markdownMarkupProblems(render(block)), [], block);
    }
  }
  // The reviewer's Markdown keeps its emphasis and lists.
  if (render) assert.match(render(mdBlock('**bold** and\n- item')), /<strong>bold<\/strong>[\s\S]*<li>item<\/li>/);
});

test('HTML notes: only the exporter\'s own elements and attributes; no refresh, link, image or script', () => {
  const html = notes.html;
  assert.deepEqual(htmlMarkupProblems(html), []);
  assert.equal((html.match(/<meta http-equiv=/g) ?? []).length, 1, 'the CSP is the one http-equiv');
  assert.doesNotMatch(html, /http-equiv="refresh"|<a\b|<img\b|<script/i);
  assert.ok(html.includes('&lt;meta http-equiv=&quot;refresh&quot;'), 'the refresh is shown as text');
});

test('CSV notes: RFC 4180, one width, no cell that a spreadsheet runs as a formula', () => {
  const rows = parseCsv(notes.csv);
  assert.ok(rows.length > 2);
  for (const row of rows) assert.equal(row.length, rows[0].length);
  for (const cell of rows.slice(1).flat()) assert.doesNotMatch(cell, /^[=+@\t\r]/, cell);
  assert.ok(rows.some((r) => r[2].includes('<script>alert(1)</script>')), 'tensor names intact in their cell');
  const file = rows[0].indexOf('file');
  const value = rows[0].indexOf('value');
  assert.ok(rows.some((r) => r[0] === 'claim' && r[file] === 'README.md' && r[value].includes('<img src=x onerror=alert(2)>')), 'claims intact in their cell');
  assert.ok(rows.some((r) => r[0] === 'tokenizer' && r[rows[0].indexOf('reference')] === REFERENCE_ID), 'the tokenizer record names the reference');
});

test('JSON notes: every string of every finding intact (lossless)', () => {
  const doc = JSON.parse(notes.json) as { review: { findings: Record<string, unknown>[] }; library: { id: string }[] };
  const byId = new Map(doc.review.findings.map((f) => [f.id, f]));
  for (const f of findings) assert.deepEqual(byId.get(f.id as string), f);
  assert.equal(doc.library[0].id, REFERENCE_ID);
  const sidecars = (doc as unknown as { audit: { sidecars: { claims: { declared: { value: string }[] }; tokenizer: { comparisons: { reference: string; relation: string }[] } } } }).audit.sidecars;
  assert.deepEqual(sidecars.claims.declared.filter((c) => MARKUP.includes(c.value)).length, MARKUP.length + 3, 'every claim string intact');
  assert.deepEqual(sidecars.tokenizer.comparisons.map((c) => `${c.reference} ${c.relation}`), [`${REFERENCE_ID} identical`]);
});
