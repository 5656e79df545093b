// Tables looked up by strings that come from files (tensor names, dtypes, review-store values): only a table's own
// keys may answer, never Object.prototype's (`constructor`, `toString`, `__proto__`).

/** A frozen copy of `table` without a prototype: `table[key]` is undefined for every key it does not hold. */
export function lookupTable<T extends object>(table: T): Readonly<T> {
  return Object.freeze(Object.assign(Object.create(null) as T, table));
}

/** `table[key]` when `key` is one of the table's own keys, else undefined. */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
