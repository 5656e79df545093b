// Generated checkpoints, libraries and review stores, hostile strings, a CLI runner and the checks for live markup,
// for the hardening tests of outputs and review stores (test/unit/hardening-*.test.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fingerprintPath } from '../../../src/core/fingerprint/create';
import { writeFingerprint } from '../../../src/core/fingerprint/io';
import { encodeFloats, writeSafetensors } from '../../../src/core/format/writer';
import { llamaLike } from './matchFixtures';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

export interface CliRun { code: number; stdout: string; stderr: string }

/** dist/cli.js with `args`, in English whatever the locale. */
export function runCli(args: string[], cwd = process.cwd()): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, WEIGHTPRINT_LANG: 'en' }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit 2 with one line on stderr, no stack trace, mentioning each of `mentions`. */
export function assertCleanFailure(r: CliRun, ...mentions: (string | RegExp)[]): void {
  assert.equal(r.code, 2, `exit 2, got ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\bat .*\.js:\d+|\\u000a {4}at /, 'no stack trace');
  for (const m of mentions) {
    if (typeof m === 'string') assert.ok(r.stderr.includes(m), `stderr mentions ${m}: ${r.stderr}`);
    else assert.match(r.stderr, m);
  }
}

/** A small Llama-like checkpoint (two layers, hidden 16) at `path`. */
export async function writeLlama(path: string, seed = 1): Promise<void> {
  await writeSafetensors(path, llamaLike(seed, 16, 2, 32).map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, data: encodeFloats('F32', t.data) })));
}

/** The same model as two shards plus `model.safetensors.index.json` in `folder`; returns the index path. */
export async function writeSharded(folder: string, seed = 1): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const tensors = llamaLike(seed, 16, 2, 32);
  const half = Math.ceil(tensors.length / 2);
  const shards = [tensors.slice(0, half), tensors.slice(half)];
  const weightMap: Record<string, string> = {};
  for (const [i, list] of shards.entries()) {
    const name = `model-0000${i + 1}-of-00002.safetensors`;
    await writeSafetensors(join(folder, name), list.map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, data: encodeFloats('F32', t.data) })));
    for (const t of list) weightMap[t.name] = name;
  }
  const index = join(folder, 'model.safetensors.index.json');
  writeFileSync(index, JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return index;
}

/** A library folder holding the fingerprint of `checkpoint` under `id`; returns the .wpf path. */
export async function writeLibrary(folder: string, checkpoint: string, id: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'reference.wpf');
  await writeFingerprint(path, await fingerprintPath(checkpoint, { id, hashMaxBytes: 0 }));
  return path;
}

/** Strings from files (tensor names, reference ids, findings) that must stay inert text in every export. */
export const MARKUP = [
  'x](javascript:alert(1))![b](https://tracker.example/b.png)',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '[click](https://evil.example/) ![px](https://tracker.example/p.gif)',
  '<https://evil.example/autolink> <javascript:alert(3)>',
  'www.evil.example and https://evil.example/bare and mail@evil.example',
  '`code` **bold** _em_ | pipe \\ backslash ~~del~~',
  '"quoted" \'single\' & &amp; ampersand',
  '=HYPERLINK("https://evil.example","x")',
  'rtl\u202eexe.fdp alm\u061c isolate\u2066x\u2069',
  '[ref]: https://evil.example/ref-definition',
  '\\[escaped\\](https://evil.example/escaped)',
];

/** A complete evidence snapshot (every field the schema requires), with `strings` in every string field. */
export function evidenceWith(text: string, headerHash = 'a'.repeat(64)): Record<string, unknown> {
  return {
    headerHash, reference: text, auditVerdict: 'derived', relation: text, component: 'language',
    evidence: {
      matchedTensors: 3, informativeTensors: 4, medianR: 0.9, pValue: 1e-9, log10PValue: -9, coveredParameterFraction: 0.5,
      exactTensors: 0, dtypeExactTensors: 0, permutedTensors: 0, hiddenPermutation: false,
    },
    tensors: [{ suspect: text, reference: text, relation: text, r: 0.91, log10P: -12, matched: true, exact: false, layer: 0 }],
    referencesChecked: [text, 'ref'],
    method: {
      formatVersion: 1, sampleTarget: 4096, windowCols: 64, alphaTensor: 1e-6, minEffectR: 0.3, alphaComponent: 1e-6, minMatchedTensors: 3,
      minSamples: 64, minRelativeStd: 1e-6, permutationHitAlpha: 1e-3, permutationAgreementAlpha: 1e-3, nullModel: text,
    },
    toolVersion: text,
  };
}

/** A finding as a review file holds it, with `text` in every free-text field. */
export function findingWith(text: string, i = 0, headerHash?: string): Record<string, unknown> {
  return {
    id: `${text}#${i}`.slice(0, 200), target: { kind: 'tensors', tensors: [text, `model.layers.${i}.mlp.up_proj.weight`] }, verdict: 'derived',
    confidence: 'high', rationale: `# ${text}\n\n${text}\n- ${text}`, evidence: evidenceWith(text, headerHash), reviewer: text,
    created: `2025-01-0${1 + (i % 9)}T00:00:00.000Z`, updated: `2025-01-0${1 + (i % 9)}T00:00:00.000Z`, state: 'confirmed',
  };
}

/** The text of a review file with these findings (written as is: no validation, no sorting). */
export function storeText(headerHash: string, name: string, findings: unknown[]): string {
  return JSON.stringify({ format: 'weightprint-review', schemaVersion: 1, checkpoint: { headerHash, name }, findings }, null, 2) + '\n';
}

type MarkdownIt = { render(md: string): string; linkify: { set(o: Record<string, boolean>): void } };

let renderer: ((md: string) => string) | null | undefined;

/**
 * Markdown → HTML with markdown-it (CommonMark, GFM tables, raw HTML passed through, bare URLs, www. and e-mail
 * addresses linkified as GitHub does), or null when markdown-it is not installed (it comes with @vscode/vsce).
 */
export function renderMarkdown(): ((md: string) => string) | null {
  if (renderer !== undefined) return renderer;
  try {
    // Loaded at run time from node_modules, not bundled into the test.
    const make = createRequire(join(process.cwd(), 'package.json'))('markdown-it') as (o: Record<string, unknown>) => MarkdownIt;
    const md = make({ html: true, linkify: true });
    md.linkify.set({ fuzzyLink: false, fuzzyEmail: true });
    renderer = (text) => md.render(text);
  } catch {
    renderer = null;
  }
  return renderer;
}

/** Elements a rendering of the Markdown notes may hold: no link, image, raw HTML element or script. */
const MARKDOWN_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'pre', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'hr', 's']);
const MARKDOWN_ATTRIBUTES = new Set(['style', 'start']);

/** Elements and attributes the HTML notes are made of (inline SVG charts included). */
const HTML_TAGS = new Set([
  '!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'h1', 'h2', 'h3', 'p', 'dl', 'dt', 'dd', 'code', 'table', 'thead', 'tbody',
  'tr', 'th', 'td', 'section', 'span', 'div', 'br', 'ul', 'li', 'strong', 'figure', 'figcaption', 'svg', 'rect', 'text', 'line', 'polyline', 'circle',
  'polygon',
]);
const HTML_ATTRIBUTES = new Set([
  'lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'aria-labelledby', 'xmlns', 'width', 'height', 'viewbox', 'role', 'aria-label',
  'x', 'y', 'fill', 'text-anchor', 'transform', 'x1', 'y1', 'x2', 'y2', 'points', 'stroke', 'stroke-width', 'cx', 'cy', 'r', 'html',
  'stroke-dasharray',
]);

function markupProblems(html: string, tags: Set<string>, attributes: Set<string>): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<(\/?)([!a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const tag = m[2].toLowerCase();
    if (!tags.has(tag)) problems.push(`element <${tag}>: ${m[0].slice(0, 120)}`);
    for (const a of m[3].matchAll(/([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g)) {
      const name = a[1].toLowerCase();
      if (!attributes.has(name)) problems.push(`attribute ${name} on <${tag}>: ${m[0].slice(0, 120)}`);
      if (name === 'http-equiv' && a[2] !== '"Content-Security-Policy"') problems.push(`http-equiv ${a[2]}`);
    }
  }
  return problems;
}

/** Live markup in a rendering of the Markdown notes: any element but text structure, any link or image. */
export function markdownMarkupProblems(renderedHtml: string): string[] {
  return markupProblems(renderedHtml, MARKDOWN_TAGS, MARKDOWN_ATTRIBUTES);
}

/** Markup in the HTML notes that the exporter does not write itself (a link, an image, a script, a refresh …). */
export function htmlMarkupProblems(html: string): string[] {
  return markupProblems(html, HTML_TAGS, HTML_ATTRIBUTES);
}

/** `[`, `]`, a tag-like `<` and `://` outside code spans that no backslash escapes: what could start a link, an image or HTML. */
export function markdownTextProblems(md: string): string[] {
  const out: string[] = [];
  for (const line of md.split('\n')) {
    // Code spans (our fences are longer than any backtick run inside) show their content as text; an escaped
    // backtick opens none.
    const text = line.replace(/(?<![\\`])(`+)[\s\S]*?(?<!`)\1(?!`)/g, '');
    for (const m of text.matchAll(/(\\*)(\[|\]|<(?=[A-Za-z/!?])|:\/\/)/g)) if (m[1].length % 2 === 0) out.push(`${m[2]} in: ${line.slice(0, 160)}`);
  }
  return out;
}

/** Minimal RFC 4180 reader (CRLF records, quoted fields); throws on a bare CR or LF outside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else if (c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} outside quotes at ${i}`);
    else cell += c;
  }
  if (cell !== '' || row.length) throw new Error('the last record does not end with CRLF');
  return rows;
}
