// Lists of Hub models to add to a library: `weightprint library add --from <file>` and the extension's input box.
// A list file is hostile input: its size, its encoding, each line and the number of entries are checked, and a bad
// entry is a one-line error naming the file and the line. What the line said is quoted (JSON) and cut short; callers
// that print it to a terminal pass it through safeText.
import { isUnsafeFileError, readFileWithLimit } from '../format/safeRead';
import { INVISIBLE } from '../invisible';
import { t } from '../l10n';
import { RemoteError } from './errors';
import { formatHfUri, parseHfUri, type HubRef } from './hub';

/** Largest list file read (a list of 1,000 URIs is about 60 KB). */
export const MAX_MODEL_LIST_BYTES = 1 << 20;
/** Most models one list may name: a library is built in batches of this size at most. */
export const MAX_MODEL_LIST_ENTRIES = 1000;
/** Longest line: an hf:// URI with a long revision and subfolder is well under this. */
export const MAX_MODEL_LIST_LINE = 2048;

/** A list that cannot be used; `message` is "<file>:<line>: <reason>" (or "<file>: <reason>"). */
export class ModelListError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, readonly reason: string) {
    super(line === undefined ? t('{0}: {1}', file, reason) : t('{0}:{1}: {2}', file, line, reason));
    this.name = 'ModelListError';
  }
}

const quote = (s: string): string => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * One model: `hf://owner/repo[@revision][/subfolder]`, or the same without `hf://` (`owner/repo[@revision]`).
 * Throws RemoteError('bad-uri') with the reason. Another scheme (https://…) and invisible characters are refused.
 */
export function parseModelEntry(entry: string): HubRef {
  const text = entry.trim();
  // A revision may hold almost anything; a model to fetch holds no control, bidi or zero-width character.
  if (INVISIBLE.test(text)) throw new RemoteError('bad-uri', t('{0} holds an invisible or control character', quote(text)));
  if (/^hf:\/\//i.test(text)) return parseHfUri(text);
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    throw new RemoteError('bad-uri', t('{0} is not an hf:// URI or a repo id (write hf://owner/repo[@revision][/subfolder] or owner/repo)', quote(text)));
  }
  return parseHfUri(`hf://${text}`);
}

/** The models of one text: entries separated by spaces, commas or new lines (the extension's input box). */
export function splitModelEntries(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

/** The refs of `entries` in order, each once (a model listed twice is added once). */
export function uniqueRefs(refs: readonly HubRef[]): HubRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = formatHfUri(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Parses the text of a list file: one model per line (see parseModelEntry); blank lines and lines starting with `#`
 * are ignored, and so is a ` # comment` after an entry. Throws ModelListError naming `file` and the line.
 */
export function parseModelList(bytes: Uint8Array, file: string): HubRef[] {
  const fail = (reason: string, line?: number): never => { throw new ModelListError(file, line, reason); };
  if (bytes.length > MAX_MODEL_LIST_BYTES) fail(t('is {0} bytes, over the limit of {1} bytes', bytes.length, MAX_MODEL_LIST_BYTES));
  const nul = bytes.indexOf(0);
  if (nul >= 0) fail(t('holds a NUL byte (a binary file, not a list of models)'), lineOf(bytes, nul));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(t('is not UTF-8 text'));
  }
  const refs: HubRef[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.length > MAX_MODEL_LIST_LINE) fail(t('line is {0} characters long, over the limit of {1}', raw.length, MAX_MODEL_LIST_LINE), i + 1);
    const entry = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!entry) continue;
    if (/\s/.test(entry)) fail(t('one model per line: {0} holds several words', quote(entry)), i + 1);
    if (refs.length === MAX_MODEL_LIST_ENTRIES) fail(t('more than {0} models; split the list', MAX_MODEL_LIST_ENTRIES), i + 1);
    try {
      refs.push(parseModelEntry(entry));
    } catch (e) {
      fail(e instanceof RemoteError ? e.message : String(e), i + 1);
    }
  }
  if (refs.length === 0) fail(t('names no model (one hf://owner/repo or owner/repo per line)'));
  return uniqueRefs(refs);
}

/** Reads and parses a list file (a regular file of at most MAX_MODEL_LIST_BYTES). */
export async function readModelList(file: string): Promise<HubRef[]> {
  let bytes: Buffer;
  try {
    bytes = await readFileWithLimit(file, MAX_MODEL_LIST_BYTES);
  } catch (e) {
    if (isUnsafeFileError(e)) throw new ModelListError(file, undefined, e.message);
    throw new ModelListError(file, undefined, t('cannot read the list ({0})', (e as NodeJS.ErrnoException).code ?? String(e)));
  }
  return parseModelList(bytes, file);
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}
