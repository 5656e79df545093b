// The HTML export's rendering of a finding's Markdown (src/core/review/markdownLite.ts): every piece of text escaped,
// only the subset's own elements (p, ul/li, strong, em, code, br) written; no attribute, link or image can come out.
import { parseMarkdownLite, type MdBlock, type MdInline } from '../markdownLite';
import { html } from './escape';

function inlineHtml(xs: readonly MdInline[]): string {
  return xs.map((x) => {
    switch (x.kind) {
      case 'text': return html(x.text);
      case 'code': return `<code>${html(x.text)}</code>`;
      case 'break': return '<br>';
      case 'strong': return `<strong>${inlineHtml(x.children)}</strong>`;
      case 'em': return `<em>${inlineHtml(x.children)}</em>`;
    }
  }).join('');
}

export function markdownBlocksHtml(blocks: readonly MdBlock[]): string {
  return blocks.map((b) => (b.kind === 'paragraph'
    ? `<p>${inlineHtml(b.children)}</p>`
    : `<ul>${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</ul>`)).join('');
}

/** Reviewer-written Markdown as inert HTML. */
export function markdownHtml(source: string): string {
  return markdownBlocksHtml(parseMarkdownLite(source));
}
