// The Markdown subset of findings (src/core/review/markdownLite.ts) and the HTML export's rendering of it: bold,
// italic, code, paragraphs, line breaks and lists become elements; HTML, links and unbalanced marks stay text; the
// work is linear, so a hostile review file cannot stall the editor or the export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EMPHASIS_DEPTH, parseInline, parseMarkdownLite, type MdInline } from '../../src/core/review/markdownLite';
import { markdownHtml } from '../../src/core/review/export/markdownHtml';

const text = (s: string): MdInline => ({ kind: 'text', text: s });

test('bold, italic, code, line breaks, paragraphs and lists', () => {
  assert.deepEqual(parseInline('the **vision encoder** is *derived* from `vit_R`'), [
    text('the '), { kind: 'strong', children: [text('vision encoder')] }, text(' is '), { kind: 'em', children: [text('derived')] }, text(' from '), { kind: 'code', text: 'vit_R' },
  ]);
  assert.deepEqual(parseMarkdownLite('one\ntwo\n\n- a **b**\n- c\n\nthree'), [
    { kind: 'paragraph', children: [text('one'), { kind: 'break' }, text('two')] },
    { kind: 'list', items: [[text('a '), { kind: 'strong', children: [text('b')] }], [text('c')]] },
    { kind: 'paragraph', children: [text('three')] },
  ]);
  assert.deepEqual(parseInline('**bold *and italic* inside**'), [{ kind: 'strong', children: [text('bold '), { kind: 'em', children: [text('and italic')] }, text(' inside')] }]);
  assert.deepEqual(parseInline('``a `b` c``'), [{ kind: 'code', text: 'a `b` c' }]);
  assert.deepEqual(parseInline('`**not bold**`'), [{ kind: 'code', text: '**not bold**' }]);
  assert.deepEqual(parseInline('\\*\\*literal\\*\\* and \\`tick\\`'), [text('**literal** and `tick`')]);
  assert.equal(markdownHtml('Suggested: the language model shows **no evidence of reuse**.\n\n- one\n- two'),
    '<p>Suggested: the language model shows <strong>no evidence of reuse</strong>.</p><ul><li>one</li><li>two</li></ul>');
});

test('unbalanced and stray marks stay literal text', () => {
  assert.deepEqual(parseInline('**open only'), [text('**open only')]);
  assert.deepEqual(parseInline('close only**'), [text('close only**')]);
  assert.deepEqual(parseInline('2 * 3 * 4'), [text('2 * 3 * 4')]);
  assert.deepEqual(parseInline('***x***'), [text('***x***')]);
  assert.deepEqual(parseInline('`unclosed code'), [text('`unclosed code')]);
  assert.deepEqual(parseInline('**a *b** c*'), [{ kind: 'strong', children: [text('a *b')] }, text(' c*')]);
  assert.deepEqual(parseMarkdownLite(''), []);
  assert.deepEqual(parseMarkdownLite('\n\n  \n'), []);
  assert.deepEqual(parseMarkdownLite('-not a list'), [{ kind: 'paragraph', children: [text('-not a list')] }]);
});

test('HTML, links and images in the text come out as text', () => {
  assert.equal(markdownHtml('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  assert.equal(markdownHtml('**<img src=x onerror=alert(1)>**'), '<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong></p>');
  assert.equal(markdownHtml('[click](javascript:alert(1)) ![i](http://x/y.png) <https://x>'),
    '<p>[click](javascript:alert(1)) ![i](http://x/y.png) &lt;https://x&gt;</p>');
  assert.equal(markdownHtml('`<b onmouseover="x">`'), '<p><code>&lt;b onmouseover=&quot;x&quot;&gt;</code></p>');
  assert.equal(markdownHtml('a\u202Eb'), '<p>a\\u202eb</p>', 'bidi controls shown, as everywhere in the notes');
  // Only the subset's elements, never an attribute.
  for (const s of ['<a href="x">y</a>', '**"><svg onload=1>**', '*`<iframe>`*', '- <li onclick=1>']) {
    const out = markdownHtml(s);
    assert.doesNotMatch(out, /<(?!\/?(p|ul|li|strong|em|code|br)>)/, `${s} → ${out}`);
  }
});

test('nesting is capped: deeper emphasis stays literal text', () => {
  const deep = `${'**a *b '.repeat(20)}x${' c* d**'.repeat(20)}`;
  let depth = 0;
  const walk = (xs: MdInline[], d: number) => { for (const x of xs) if (x.kind === 'strong' || x.kind === 'em') { depth = Math.max(depth, d + 1); walk(x.children, d + 1); } };
  walk(parseInline(deep), 0);
  assert.ok(depth > 0 && depth <= MAX_EMPHASIS_DEPTH, `depth ${depth}`);
});

test('hostile long input: every letter kept, output proportional to the input', () => {
  // Many unmatched backtick runs of growing length, unmatched openers of both kinds, a long run of stars: each makes a
  // parser that rescans for a closing mark quadratic. This one indexes backtick runs by length and keeps one stack per
  // delimiter, so each piece of the input is visited a bounded number of times.
  const inputs = [
    Array.from({ length: 2000 }, (_, i) => '`'.repeat(1 + (i % 50))).join(' a '),
    '**a *'.repeat(20_000),
    '*'.repeat(100_000),
    `${'- item **x\n'.repeat(5000)}${'<'.repeat(50_000)}`,
  ];
  const plain = (xs: MdInline[]): string => xs.map((x) => (x.kind === 'text' || x.kind === 'code' ? x.text : x.kind === 'break' ? '' : plain(x.children))).join('');
  const letters = (x: string) => x.replace(/[^a-z<]/g, '');
  for (const s of inputs) {
    const blocks = parseMarkdownLite(s);
    const kept = blocks.map((b) => (b.kind === 'paragraph' ? plain(b.children) : b.items.map(plain).join(''))).join('');
    assert.equal(letters(kept), letters(s), 'every letter and < kept');
    assert.ok(markdownHtml(s).length < 6 * s.length + 100, 'output proportional to the input');
  }
});
