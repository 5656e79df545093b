// Escaping untrusted strings (tensor names, reference ids, rationale) for each export format.
import { escapeInvisible } from '../../invisible';

/** Control, invisible and bidi characters shown as visible text: a backslash, "u" and four hex digits. */
export function visible(s: string): string {
  return escapeInvisible(s);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and attribute values. */
export function html(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * What GFM renderers turn into links without any markup (`https://…`, `//host`, `www.…`, `name@host.tld`): the
 * characters that make them one are backslash-escaped, which renders the same text but ends the autolink.
 */
function breakAutolinks(s: string): string {
  return s.replace(/:\/\//g, '\\:\\//').replace(/\b(www)\./gi, '$1\\.').replace(/(?<=[\w.+-])@(?=[\w-]+\.)/g, '\\@');
}

/**
 * Inline Markdown text: every character with a Markdown or HTML meaning is backslash-escaped (CommonMark/GFM), so no
 * link, image, autolink, emphasis or raw HTML can come out of it.
 */
export function mdText(s: string): string {
  return breakAutolinks(visible(s).replace(/[\\`*_[\]<>|~&!#]/g, (c) => '\\' + c).replace(/^([-+=.])/, '\\$1'));
}

/**
 * A Markdown code span for a name. Inside a GFM table cell `|` must be written `\|` even in code; the fence is
 * longer than any backtick run inside, padded when the name starts or ends with a backtick.
 */
export function mdCode(s: string, inTable = true): string {
  let v = visible(s);
  if (inTable) v = v.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || v.startsWith(' ') || v.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}

/**
 * Reviewer-written Markdown kept as Markdown (emphasis, lists, code), as a blockquote: control characters made visible,
 * raw HTML and `<…>` autolinks neutralised (`<` and `&` escaped), every `[` and `]` escaped so no link, image or link
 * definition forms, and bare URLs broken as in mdText; a rendered report carries no markup, link or remote image.
 * (Inside a code span of the rationale the escapes show; safety first.)
 */
export function mdBlock(s: string): string {
  const lines = s.replace(/\r\n?/g, '\n').split('\n').map((l) => breakAutolinks(visible(l).replace(/&/g, '&amp;').replace(/</g, '&lt;')
    // A bracket after an odd run of backslashes is escaped already; after an even run (or none) it gets one more.
    .replace(/(\\*)([[\]])/g, (m, bs: string, c: string) => (bs.length % 2 ? m : `${bs}\\${c}`))));
  return lines.map((l) => (l ? `> ${l}` : '>')).join('\n');
}

const CSV_FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV text cell (RFC 4180): a leading = + - @ TAB or CR gets a single quote in front (spreadsheet formula
 * injection); cells with a comma, quote, CR or LF are quoted with quotes doubled.
 */
export function csvText(s: string): string {
  const v = CSV_FORMULA.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A numeric CSV cell: shortest round-trip representation; empty for null. */
/**
 * 12 significant digits: far beyond what a reviewer reads, and it keeps exports byte-stable when a faster kernel
 * sums the same values in another order (float64 results then differ in the last one or two digits).
 */
export function stableNumber(n: number): number {
  return Number.isInteger(n) ? n : Number(n.toPrecision(12));
}

export function csvNumber(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '' : String(stableNumber(n));
}
