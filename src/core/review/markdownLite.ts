// A small Markdown subset for text from findings (the rationale): **bold**, *italic*, `code`, paragraphs, line breaks
// and "- " lists, parsed into a token tree that each view renders as inert content (the webview with text nodes, the
// HTML export with escaped text). Everything else (links, images, raw HTML, headings) stays literal text: a review file
// is untrusted. Linear in the input: code spans find their closing run through a per-length index, emphasis uses one
// stack per delimiter, and nesting is capped so the tree stays shallow whatever the text.

export type MdInline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: MdInline[] }
  | { kind: 'em'; children: MdInline[] }
  | { kind: 'break' };

export type MdBlock =
  | { kind: 'paragraph'; children: MdInline[] }
  | { kind: 'list'; items: MdInline[][] };

/** Emphasis nested deeper than this stays literal text. */
export const MAX_EMPHASIS_DEPTH = 8;

const LIST_ITEM = /^ {0,3}[-*+] +(?=\S)/;
/** ASCII punctuation a backslash makes literal (CommonMark). */
const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** Blocks of the text: runs of lines separated by blank lines, "- " (or "* ", "+ ") lines as list items. */
export function parseMarkdownLite(source: string): MdBlock[] {
  const blocks: MdBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join('\n')) });
    if (list.length) blocks.push({ kind: 'list', items: list.map(parseInline) });
    paragraph = [];
    list = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const item = LIST_ITEM.exec(line);
    if (line.trim() === '') flush();
    else if (item) {
      if (paragraph.length) flush();
      list.push(line.slice(item[0].length).trimEnd());
    } else {
      if (list.length) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}

/** A flat piece of a line before emphasis is matched: text, a code span, a line break or a run of asterisks. */
type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'break' }
  | { kind: 'delim'; length: 1 | 2; canOpen: boolean; canClose: boolean; text: string };

/** Start positions of backtick runs, by run length, so a code span's closing run is found without rescanning. */
function backtickRuns(s: string): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (let i = 0; i < s.length;) {
    if (s[i] === '\\' && i + 1 < s.length) { i += 2; continue; }
    if (s[i] !== '`') { i++; continue; }
    let j = i;
    while (s[j] === '`') j++;
    const list = runs.get(j - i) ?? [];
    list.push(i);
    runs.set(j - i, list);
    i = j;
  }
  return runs;
}

function pieces(s: string): Piece[] {
  const out: Piece[] = [];
  let text = '';
  const pushText = () => { if (text) out.push({ kind: 'text', text }); text = ''; };
  const runs = backtickRuns(s);
  const cursor = new Map<number, number>();
  const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1])) { text += s[i + 1]; i += 2; continue; }
    if (c === '\n') { pushText(); out.push({ kind: 'break' }); i++; continue; }
    if (c === '`') {
      let j = i;
      while (s[j] === '`') j++;
      const n = j - i;
      // The next run of the same length after this one closes the span; none: the run is literal text.
      const list = runs.get(n) ?? [];
      let k = cursor.get(n) ?? 0;
      while (k < list.length && list[k] <= i) k++;
      cursor.set(n, k + 1);
      if (k < list.length) {
        pushText();
        let code = s.slice(j, list[k]).replace(/\n/g, ' ');
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
        out.push({ kind: 'code', text: code });
        i = list[k] + n;
      } else {
        text += s.slice(i, j);
        i = j;
      }
      continue;
    }
    if (c === '*') {
      let j = i;
      while (s[j] === '*') j++;
      const run = s.slice(i, j);
      if (run.length <= 2) {
        pushText();
        out.push({ kind: 'delim', length: run.length as 1 | 2, canOpen: !isSpace(s[j]), canClose: !isSpace(s[i - 1]), text: run });
      } else text += run; // *** and longer: literal
      i = j;
      continue;
    }
    text += c;
    i++;
  }
  pushText();
  return out;
}

/** Inline tokens of one paragraph or list item (line breaks as `break`). */
export function parseInline(s: string): MdInline[] {
  const list = pieces(s);
  // Matched pairs: close index by open index. One stack of open delimiters per length, and their common order.
  const closeOf = new Map<number, number>();
  const open: number[] = [];
  const byLength: Record<1 | 2, number[]> = { 1: [], 2: [] };
  list.forEach((p, i) => {
    if (p.kind !== 'delim') return;
    const same = byLength[p.length];
    if (p.canClose && same.length) {
      const o = same.pop()!;
      // Openers after the matched one stay literal: they can no longer close inside this pair.
      while (open.length && open[open.length - 1] !== o) {
        const x = open.pop()!;
        const other = byLength[(list[x] as { length: 1 | 2 }).length];
        if (other[other.length - 1] === x) other.pop();
      }
      open.pop();
      closeOf.set(o, i);
    } else if (p.canOpen && open.length < MAX_EMPHASIS_DEPTH) {
      open.push(i);
      same.push(i);
    }
  });
  // Build the tree with an explicit stack (no recursion over the input).
  const root: MdInline[] = [];
  const stack: { children: MdInline[]; closeAt: number }[] = [{ children: root, closeAt: -1 }];
  const addText = (children: MdInline[], text: string) => {
    const last = children[children.length - 1];
    if (last?.kind === 'text') last.text += text;
    else children.push({ kind: 'text', text });
  };
  list.forEach((p, i) => {
    const top = stack[stack.length - 1];
    if (i === top.closeAt) { stack.pop(); return; }
    if (p.kind === 'delim') {
      const close = closeOf.get(i);
      if (close === undefined) { addText(top.children, p.text); return; }
      const node: MdInline = p.length === 2 ? { kind: 'strong', children: [] } : { kind: 'em', children: [] };
      top.children.push(node);
      stack.push({ children: node.children, closeAt: close });
    } else if (p.kind === 'text') addText(top.children, p.text);
    else top.children.push(p);
  });
  return root;
}
