// The Markdown subset of findings (src/core/review/markdownLite.ts), for the webview, which imports core only through here.
export { parseMarkdownLite, type MdBlock, type MdInline } from '../core/review/markdownLite';
