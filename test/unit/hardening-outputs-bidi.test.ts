// Trojan-source characters (issue 12, class 10): every Unicode bidi control (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069) and the zero-width characters are shown as visible \uXXXX escapes in the terminal and in every notes
// format, from one set (src/core/invisible.ts) that the webview uses too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeText } from '../../src/cli/format';
import { escapeInvisible, INVISIBLE } from '../../src/core/invisible';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { escapeHtml, mdCode, mdText, visible } from '../../src/core/review/export/index';
import { tempDir } from './helpers/reviewFs';
import { runCli, writeLibrary } from './helpers/hostileOutputs';

const BIDI = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const ZERO_WIDTH = [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad];
const ALL = [...BIDI, ...ZERO_WIDTH].map((c) => String.fromCharCode(c));
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

test('the set holds every bidi control and zero-width character; each output shows them as \\uXXXX', () => {
  for (const c of ALL) {
    assert.ok(INVISIBLE.test(c), escaped(c));
    const s = `a${c}b`;
    for (const [name, out] of [['safeText', safeText(s)], ['escapeInvisible', escapeInvisible(s)], ['visible', visible(s)], ['mdText', mdText(s)],
      ['mdCode', mdCode(s)], ['html', escapeHtml(s)]] as const) {
      assert.ok(!out.includes(c), `${name} leaves ${escaped(c)} raw`);
      assert.ok(out.includes(escaped(c)), `${name} shows ${escaped(c)}`);
    }
  }
  assert.equal(safeText('plain 한국어 text'), 'plain 한국어 text', 'ordinary text is unchanged');
});

test('through the CLI: tensor names and metadata with U+061C and the other controls are escaped in the terminal and the notes', async () => {
  const dir = tempDir('wp-hard-bidi-');
  const path = join(dir, 'bidi.safetensors');
  const names = ALL.map((c, i) => `model.layers.${i}.mlp.up${c}proj.weight`);
  await writeSafetensors(path, names.map((name, i) => ({ name, dtype: 'F32', shape: [8, 8], data: encodeFloats('F32', Array.from({ length: 64 }, (_, k) => Math.sin(i * 64 + k)) ) })),
    { note: `alm\u061cmark rlo\u202eexe` });
  const lib = join(dir, 'lib');
  await writeLibrary(lib, path, `ref\u061c\u2067`);
  const [inspect, md, html] = await Promise.all([
    runCli(['inspect', path]),
    runCli(['audit', path, '--library', lib, '--notes', join(dir, 'n.md')]),
    runCli(['audit', path, '--library', lib, '--notes', join(dir, 'n.html')]),
  ]);
  for (const r of [inspect, md, html]) assert.equal(r.code, 0, r.stderr);
  assert.match(inspect.stdout, /alm\\u061cmark rlo\\u202eexe/);
  assert.match(md.stdout, /ref\\u061c\\u2067/, 'the audit table names the reference escaped');
  for (const text of [inspect.stdout, md.stdout, readFileSync(join(dir, 'n.md'), 'utf8'), readFileSync(join(dir, 'n.html'), 'utf8')]) {
    for (const c of ALL) assert.ok(!text.includes(c), `${escaped(c)} raw in output`);
  }
  const notes = readFileSync(join(dir, 'n.md'), 'utf8');
  assert.ok(notes.includes('ref\\u061c\\u2067'), 'the reference id in the notes');
  assert.ok(notes.includes(`up${escaped('\u061c')}proj`), 'a tensor name in the notes');
});
