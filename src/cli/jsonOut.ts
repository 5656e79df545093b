// JSON output of a size that follows the input (a checkpoint's tensors, its metadata), written in pieces: the text
// is exactly JSON.stringify(value, null, 1) + newline, but never one string in memory, and the writer waits for the
// pipe between pieces.
import type { CliIO } from './io';

/** A list whose items are made only when written (each is written whole, with JSON.stringify). */
export class LazyList<T> {
  constructor(readonly length: number, readonly at: (i: number) => T) {}
}

const FLUSH_CHARS = 1 << 20;

/** Writes `value` as JSON.stringify(value, null, 1) + '\n'; lists and objects down to `depth` levels go item by item. */
export async function writeJson(io: CliIO, value: unknown, depth = 3): Promise<void> {
  let chunk = '';
  for (const piece of pieces(value, 0, depth)) {
    chunk += piece;
    if (chunk.length >= FLUSH_CHARS) {
      io.out(chunk);
      chunk = '';
      await io.drain?.();
    }
  }
  io.out(chunk + '\n');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof LazyList) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** What JSON.stringify leaves out of objects (and writes as null in arrays). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function* pieces(value: unknown, level: number, depth: number): Generator<string> {
  const pad = (n: number) => '\n' + ' '.repeat(n);
  if (depth > 0 && (Array.isArray(value) || value instanceof LazyList)) {
    const n = value.length;
    if (n === 0) { yield '[]'; return; }
    for (let i = 0; i < n; i++) {
      const item = value instanceof LazyList ? value.at(i) : value[i];
      yield (i ? ',' : '[') + pad(level + 1);
      if (omitted(item)) yield 'null';
      else yield* pieces(item, level + 1, value instanceof LazyList ? 0 : depth - 1);
    }
    yield pad(level) + ']';
    return;
  }
  if (depth > 0 && isPlainObject(value)) {
    let first = true;
    for (const [k, v] of Object.entries(value)) {
      if (omitted(v)) continue;
      yield (first ? '{' : ',') + pad(level + 1) + JSON.stringify(k) + ': ';
      first = false;
      yield* pieces(v, level + 1, depth - 1);
    }
    yield first ? '{}' : pad(level) + '}';
    return;
  }
  yield JSON.stringify(value, null, 1).replace(/\n/g, pad(level));
}
