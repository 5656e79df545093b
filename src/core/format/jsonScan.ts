// A syntax check of JSON bytes run before JSON.parse. It is iterative (no recursion, so no stack overflow at any
// depth), allocates nothing but a depth stack of `maxDepth` bytes, and bounds what JSON.parse could build: nesting
// depth, values, object keys and containers. JSON.parse spends ~64 bytes on an empty object or array (a file of
// "[{},{},…]" costs ~20 bytes of memory per byte of input) and ~75 on an object key (more while a large object grows),
// against 8 to 24 bytes on a number or string.
// A problem says where (byte offset) and what, never which bytes: the file may be anything (a token, a key).
import { t } from '../l10n';

export interface JsonLimits {
  /** Deepest nesting of arrays and objects (default 64). */
  maxDepth?: number;
  /** Most values (scalars, arrays, objects, and object keys) in the document (default: no limit). */
  maxValues?: number;
  /** Most object keys (default: maxValues). */
  maxKeys?: number;
  /** Most arrays and objects (default: maxValues). */
  maxContainers?: number;
}

export interface JsonProblem {
  /** Byte offset in the scanned bytes. */
  offset: number;
  /** What is wrong, in the display language, quoting nothing from the input. */
  reason: string;
  /** 'limit': valid so far, but deeper or with more values than allowed; 'syntax': not JSON. */
  kind: 'syntax' | 'limit';
}

export const DEFAULT_MAX_JSON_DEPTH = 64;

/** Thrown by parseJsonBytes: the message is "byte N: reason". */
export class JsonSyntaxError extends Error {
  constructor(readonly offset: number, readonly reason: string, readonly kind: JsonProblem['kind'] = 'syntax') {
    super(t('byte {0}: {1}', offset, reason));
    this.name = 'JsonSyntaxError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OBJECT = 1;
const ARRAY = 2;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

class Fail {
  constructor(readonly offset: number, readonly reason: string, readonly kind: JsonProblem['kind'] = 'syntax') {}
}

/** End (exclusive) of the string starting with the quote at `i`. */
function stringEnd(b: Uint8Array, i: number): number | Fail {
  const start = i;
  const n = b.length;
  i++;
  while (i < n) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return new Fail(i, t('control character inside a string'));
    if (c === BACKSLASH) {
      const e = b[i + 1];
      if (e === 0x75 /* u */) {
        for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) return new Fail(i, t('invalid \\u escape in a string'));
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
        continue;
      }
      return new Fail(i, t('invalid escape in a string'));
    }
    i++;
  }
  return new Fail(start, t('string is not terminated'));
}

/** End (exclusive) of the number starting at `i`. */
function numberEnd(b: Uint8Array, i: number): number | Fail {
  const start = i;
  if (b[i] === 0x2d /* - */) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return new Fail(start, t('invalid number'));
  if (b[i] === 0x2e /* . */) {
    i++;
    if (!isDigit(b[i])) return new Fail(i, t('invalid number'));
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45 /* e E */) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) return new Fail(i, t('invalid number'));
    while (isDigit(b[i])) i++;
  }
  return i;
}

const LITERALS: Record<number, number[]> = {
  0x74: [0x74, 0x72, 0x75, 0x65], // true
  0x66: [0x66, 0x61, 0x6c, 0x73, 0x65], // false
  0x6e: [0x6e, 0x75, 0x6c, 0x6c], // null
};

/** Where the JSON text in `bytes` first goes wrong or over a limit, or undefined when it is valid and within them. */
export function scanJson(bytes: Uint8Array, limits: JsonLimits = {}): JsonProblem | undefined {
  const maxValues = limits.maxValues ?? Infinity;
  const r = scan(bytes, limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH, maxValues, limits.maxKeys ?? maxValues, limits.maxContainers ?? maxValues);
  return r instanceof Fail ? { offset: r.offset, reason: r.reason, kind: r.kind } : undefined;
}

function scan(b: Uint8Array, maxDepth: number, maxValues: number, maxKeys: number, maxContainers: number): Fail | undefined {
  const n = b.length;
  const stack = new Uint8Array(maxDepth);
  let depth = 0;
  let values = 0;
  let keys = 0;
  let containers = 0;
  let i = 0;
  const ws = () => { while (i < n && isWs(b[i])) i++; };
  const end = () => new Fail(i, t('unexpected end of the data'));
  /** Reads `"key" :` at i (after whitespace); undefined when done. */
  const key = (): Fail | undefined => {
    ws();
    if (i >= n) return end();
    if (b[i] !== QUOTE) return new Fail(i, t('expected a property name in double quotes'));
    const e = stringEnd(b, i);
    if (e instanceof Fail) return e;
    i = e;
    if (++values > maxValues) return new Fail(i, t('more than {0} values', maxValues), 'limit');
    if (++keys > maxKeys) return new Fail(i, t('more than {0} object keys', maxKeys), 'limit');
    ws();
    if (i >= n) return end();
    if (b[i] !== 0x3a /* : */) return new Fail(i, t('expected a colon after a property name'));
    i++;
    return undefined;
  };

  for (;;) {
    // A value is expected at i.
    ws();
    if (i >= n) return end();
    const c = b[i];
    if (++values > maxValues) return new Fail(i, t('more than {0} values', maxValues), 'limit');
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth >= maxDepth) return new Fail(i, t('nested deeper than {0} levels', maxDepth), 'limit');
      if (++containers > maxContainers) return new Fail(i, t('more than {0} arrays and objects', maxContainers), 'limit');
      stack[depth++] = c === 0x7b ? OBJECT : ARRAY;
      i++;
      ws();
      if (i < n && b[i] === (c === 0x7b ? 0x7d : 0x5d)) {
        depth--;
        i++;
      } else if (c === 0x7b) {
        const f = key();
        if (f) return f;
        continue;
      } else {
        continue;
      }
    } else if (c === QUOTE) {
      const e = stringEnd(b, i);
      if (e instanceof Fail) return e;
      i = e;
    } else if (c === 0x2d || isDigit(c)) {
      const e = numberEnd(b, i);
      if (e instanceof Fail) return e;
      i = e;
    } else if (LITERALS[c]) {
      const lit = LITERALS[c];
      for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return new Fail(i, t('unexpected character'));
      i += lit.length;
    } else {
      return new Fail(i, t('unexpected character'));
    }
    // After a value: a comma, the end of the container, or the end of the data.
    for (;;) {
      ws();
      if (depth === 0) return i < n ? new Fail(i, t('unexpected data after the JSON value')) : undefined;
      if (i >= n) return end();
      const top = stack[depth - 1];
      const cc = b[i];
      if (cc === 0x2c /* , */) {
        i++;
        if (top === OBJECT) {
          const f = key();
          if (f) return f;
        }
        break;
      }
      if (cc === (top === OBJECT ? 0x7d : 0x5d)) {
        depth--;
        i++;
        continue;
      }
      return new Fail(i, top === OBJECT ? t('expected a comma or a closing brace') : t('expected a comma or a closing bracket'));
    }
  }
}

/**
 * JSON.parse of `bytes` (UTF-8) after scanJson: a syntax error or a limit throws JsonSyntaxError with the byte offset,
 * and JSON.parse never sees nesting or value counts beyond the limits.
 */
export function parseJsonBytes(bytes: Uint8Array, limits: JsonLimits = {}): unknown {
  const problem = scanJson(bytes, limits);
  if (problem) throw new JsonSyntaxError(problem.offset, problem.reason, problem.kind);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    // Not reached for text the scan accepted; V8's own message would quote the input.
    throw new JsonSyntaxError(0, t('not valid JSON'));
  }
}
