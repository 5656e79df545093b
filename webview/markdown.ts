// A finding's Markdown (the subset of src/core/review/markdownLite.ts) as DOM: elements of the subset only, every piece
// of text a text node (through h(), which also shows control characters), so the text of a review file cannot add
// markup, a link or an image. Links and HTML in the text read as the characters typed.
import { parseMarkdownLite, type MdInline } from '../src/shared/markdownLite';
import { h } from './dom';

function inline(xs: readonly MdInline[]): (Node | string)[] {
  return xs.map((x) => {
    switch (x.kind) {
      case 'text': return x.text;
      case 'code': return h('code', {}, x.text);
      case 'break': return h('br');
      case 'strong': return h('strong', {}, ...inline(x.children));
      case 'em': return h('em', {}, ...inline(x.children));
    }
  });
}

/** Paragraphs and lists of `source`, ready to append. */
export function markdownNodes(source: string): HTMLElement[] {
  return parseMarkdownLite(source).map((b) => (b.kind === 'paragraph'
    ? h('p', {}, ...inline(b.children))
    : h('ul', {}, ...b.items.map((i) => h('li', {}, ...inline(i))))));
}
