// Stable JSON: keys sorted, 2-space indent, trailing newline; the same value always gives the same bytes.

function sortValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortValue);
  if (value !== null && typeof value === 'object') {
    // Own data properties, so that a key named "__proto__" (JSON.parse makes it an ordinary key) is kept as a key
    // instead of setting the copy's prototype and vanishing from the output.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) Object.defineProperty(out, key, { value: sortValue(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** JSON with object keys sorted (arrays keep their order), 2-space indent and a trailing newline. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortValue(value), null, 2) + '\n';
}
