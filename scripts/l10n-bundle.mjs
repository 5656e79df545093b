// Writes l10n/bundle.l10n.json from the messages in the code (t('…') from src/core/l10n in the extension host,
// shared modules and the webview) and lists the messages l10n/bundle.l10n.ko.json lacks or has in excess.
// `node scripts/l10n-bundle.mjs` after adding or changing a message; test/unit/l10n.test.ts fails until both agree.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MESSAGE_SOURCES = ['src/extension', 'src/shared', 'src/core', 'src/cli', 'webview'];

/**
 * Files whose English literals are a translation table themselves, not messages: the review notes' labels are chosen
 * per export (weightprint.notesLanguage, audit --lang), with the Korean table in labels.ko.ts; the parity of the two
 * tables is tested in test/unit/l10n.test.ts.
 */
export const LABEL_TABLES = ['src/core/review/labels.ts'];

/** Every translated message literal under `roots`, in first-seen order. */
export function extractMessages(root = process.cwd(), roots = MESSAGE_SOURCES) {
  const out = new Map();
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const full = join(dir, e);
      if (statSync(full).isDirectory()) walk(full);
      else if (e.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/(?:\bl10n\.t|(?<![\w.])tr?)\(\s*'((?:[^'\\\n]|\\.)*)'/g)) {
          const msg = m[1].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
          if (!out.has(msg)) out.set(msg, full.slice(root.length + 1));
        }
        // localisedRecord({ key: 'English', … }) and messageRecord({ … }): every value is a message.
        for (const m of text.matchAll(/(?:localisedRecord|messageRecord)\(\{([^)]*)\}\)/g)) {
          for (const v of m[1].matchAll(/:\s*'((?:[^'\\\n]|\\.)*)'/g)) {
            const msg = v[1].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
            if (!out.has(msg)) out.set(msg, full.slice(root.length + 1));
          }
        }
      }
    }
  };
  for (const r of roots) walk(join(root, r));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `--merge <file.json>`: adds those Korean translations to l10n/bundle.l10n.ko.json (kept sorted) first.
  const merge = process.argv.indexOf('--merge');
  if (merge > 0) {
    const koPath = 'l10n/bundle.l10n.ko.json';
    const ko = { ...JSON.parse(readFileSync(koPath, 'utf8')), ...JSON.parse(readFileSync(process.argv[merge + 1], 'utf8')) };
    writeFileSync(koPath, JSON.stringify(Object.fromEntries(Object.keys(ko).sort().map((k) => [k, ko[k]])), null, 2) + '\n');
  }
  const messages = extractMessages();
  const bundle = Object.fromEntries([...messages.keys()].sort().map((k) => [k, k]));
  writeFileSync('l10n/bundle.l10n.json', JSON.stringify(bundle, null, 2) + '\n');
  const ko = JSON.parse(readFileSync('l10n/bundle.l10n.ko.json', 'utf8'));
  const missing = Object.keys(bundle).filter((k) => !(k in ko));
  const extra = Object.keys(ko).filter((k) => !(k in bundle));
  console.log(`${Object.keys(bundle).length} messages; Korean bundle: ${missing.length} missing, ${extra.length} extra`);
  for (const k of missing) console.log(`missing: ${JSON.stringify(k)}  (${messages.get(k)})`);
  for (const k of extra) console.log(`extra: ${JSON.stringify(k)}`);
  if (missing.length || extra.length) process.exitCode = 1;
}

/** Words that are names, formats or units, the same in every language. */
const NOT_PROSE = new Set(['Weightprint', 'Markdown', 'JSON', 'CSV', 'HTML', 'SHA-256', 'NaN', 'Infinity', 'UTC', 'Hub', 'Range']);

/** Looks like words a person reads: two words, or a capitalised word (placeholders `${…}` removed). */
export function looksLikeProse(text) {
  const rest = text.trim();
  if (NOT_PROSE.has(rest)) return false;
  // A class list (`stats-line muted`) or a key name.
  if (/^[a-z0-9-]+( +[a-z0-9-]+)*$/.test(rest) && /-|^mono /.test(rest)) return false;
  if (/^[\w.-]+(\/[\w.-]+)+$/.test(rest) || /^[a-z][\w-]*:\S*$/.test(rest)) return false;
  return /[A-Za-z]{2,} +[A-Za-z]{2,}/.test(rest) || /^[A-Z][a-z]{2,}\b/.test(rest);
}

/**
 * String literals that look like prose and are not messages (outside t('…') / vscode.l10n.t('…') / localisedRecord):
 * [file, line, text]. Lines that write to a log, imports and lines marked `l10n-ignore` are skipped.
 */
export function findHardCodedStrings(root = process.cwd(), roots = MESSAGE_SOURCES) {
  const hits = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const full = join(dir, e);
      if (statSync(full).isDirectory()) walk(full);
      else if (e.endsWith('.ts') && !LABEL_TABLES.includes(full.slice(root.length + 1))) scan(full, readFileSync(full, 'utf8'));
    }
  };
  const scan = (file, src) => {
    const lines = src.split('\n');
    const skipLine = (n) => /l10n-ignore/.test(lines[n - 2] ?? '') || /l10n-ignore|^\s*import |(\blog|\.info|\.warn|\.debug|\.trace|console\.\w+)\??\.?\(|new TypeError\(|\.className = /.test(lines[n - 1] ?? '');
    let i = 0;
    let lastSignificant = '';
    const inRecord = (pos) => {
      const before = Math.max(src.lastIndexOf('localisedRecord({', pos), src.lastIndexOf('messageRecord({', pos));
      return before >= 0 && src.indexOf('})', before) > pos;
    };
    const lineAt = (pos) => src.slice(0, pos).split('\n').length;
    /** Checks the literal starting at `start` (and literals nested in its ${…}); returns the index after it. */
    const literal = (start) => {
      const q = src[start];
      let k = start + 1;
      let text = '';
      while (k < src.length && src[k] !== q) {
        if (src[k] === '\\') { text += src.slice(k, k + 2); k += 2; continue; }
        if (q === '`' && src[k] === '$' && src[k + 1] === '{') {
          k += 2;
          let depth = 1;
          let prev = '{';
          while (k < src.length && depth > 0) {
            const ch = src[k];
            if (ch === "'" || ch === '"' || ch === '`') { k = literal(k); prev = 'x'; continue; }
            if (ch === '/' && src[k + 1] !== '/' && src[k + 1] !== '*' && /[(,=:[!&|?{};]/.test(prev)) {
              // A regular expression literal inside ${…} (it may hold quotes or backticks).
              k++;
              let cls = false;
              while (k < src.length && (src[k] !== '/' || cls)) { if (src[k] === '\\') k++; else if (src[k] === '[') cls = true; else if (src[k] === ']') cls = false; k++; }
              k++;
              prev = 'x';
              continue;
            }
            if (ch === '{') depth++;
            else if (ch === '}') depth--;
            if (!/\s/.test(ch)) prev = ch;
            k++;
          }
          text += ' ';
          continue;
        }
        text += src[k];
        k++;
      }
      const prefix = src.slice(Math.max(0, start - 40), start);
      const isMessage = /(?:\bl10n\.t|(?<![\w.])tr?)\(\s*$/.test(prefix) || inRecord(start);
      // Compared with (`e.key === 'Enter'`, `case 'Home':`) or a class name: code, not text.
      const isCode = /(===|!==|\bcase|\bclass:|className =|preserveAspectRatio'?:)\s*$/.test(prefix);
      const at = lineAt(start);
      if (!isMessage && !isCode && looksLikeProse(text) && !skipLine(at)) hits.push([file.slice(root.length + 1), at, text]);
      return k + 1;
    };
    while (i < src.length) {
      const c = src[i];
      if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
      if (c === '/' && src[i + 1] === '*') { i = src.indexOf('*/', i + 2) + 2; continue; }
      if (c === '/' && /[(,=:[!&|?{};]$|return$/.test(lastSignificant)) {
        // A regular expression literal.
        i++;
        let cls = false;
        while (i < src.length && (src[i] !== '/' || cls)) { if (src[i] === '\\') i++; else if (src[i] === '[') cls = true; else if (src[i] === ']') cls = false; i++; }
        i++;
        lastSignificant = 'x';
        continue;
      }
      if (c === "'" || c === '"' || c === '`') {
        i = literal(i);
        lastSignificant = 'x';
        continue;
      }
      if (!/\s/.test(c)) lastSignificant = (lastSignificant + c).slice(-6);
      i++;
    }
  };
  for (const r of roots) walk(join(root, r));
  return hits;
}
