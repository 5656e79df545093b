// JSON.parse keeps the last of duplicate keys silently; a safetensors header must not have any.
// This scanner counts the keys of the top-level object of already-valid JSON text.

export interface DuplicateKey {
  key: string;
  /** Character index of the duplicate's opening quote. */
  index: number;
}

/**
 * Returns the first duplicate top-level key, or undefined. `distinctKeys` is the number of keys JSON.parse kept:
 * when the scan counts the same number the slow path that builds a Set is skipped.
 */
export function findDuplicateTopLevelKey(text: string, distinctKeys: number): DuplicateKey | undefined {
  const keyStarts = topLevelKeyStarts(text);
  if (keyStarts.length === distinctKeys) return undefined;
  const seen = new Set<string>();
  for (const start of keyStarts) {
    const end = stringEnd(text, start);
    const key = JSON.parse(text.slice(start, end + 1)) as string;
    if (seen.has(key)) return { key, index: start };
    seen.add(key);
  }
  return undefined;
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length - 1;
    let backslashes = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

function topLevelKeyStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      if (depth === 1 && expectKey) {
        starts.push(i);
        expectKey = false;
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 1 && c === 123) expectKey = true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    } else if (c === 44 /* , */ && depth === 1) {
      expectKey = true;
    }
  }
  return starts;
}
