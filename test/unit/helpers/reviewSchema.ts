// A small JSON Schema (2020-12) validator for the subset docs/review-store.schema.json uses: type, const, enum,
// properties, required, additionalProperties (false), items, minItems, minLength, maxLength, minimum, pattern,
// oneOf and local $ref ("#" and "#/$defs/…"). Returns the list of problems (empty when valid).
type Schema = Record<string, unknown>;

function typeOk(value: unknown, t: string): boolean {
  switch (t) {
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'null': return value === null;
    default: throw new Error(`validator does not support type ${t}`);
  }
}

const SUPPORTED = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties',
  'items', 'minItems', 'minLength', 'maxLength', 'minimum', 'pattern', 'oneOf', '$ref']);

export function validate(root: Schema, value: unknown): string[] {
  const problems: string[] = [];
  const resolve = (ref: string): Schema => {
    if (ref === '#') return root;
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let s: unknown = root;
    for (const part of ref.slice(2).split('/')) s = (s as Schema)[part];
    if (!s) throw new Error(`unresolved $ref ${ref}`);
    return s as Schema;
  };
  const check = (schema: Schema, v: unknown, at: string, out: string[]): void => {
    for (const k of Object.keys(schema)) if (!SUPPORTED.has(k)) throw new Error(`validator does not support keyword ${k} at ${at}`);
    if (schema.$ref) { check(resolve(schema.$ref as string), v, at, out); return; }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeOk(v, t))) { out.push(`${at}: expected ${types.join('|')}`); return; }
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(v)) out.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) out.push(`${at}: not in enum`);
    if (typeof v === 'string') {
      if (schema.minLength !== undefined && v.length < (schema.minLength as number)) out.push(`${at}: shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && v.length > (schema.maxLength as number)) out.push(`${at}: longer than ${schema.maxLength}`);
      if (schema.pattern && !new RegExp(schema.pattern as string, 'u').test(v)) out.push(`${at}: does not match ${schema.pattern}`);
    }
    if (typeof v === 'number' && schema.minimum !== undefined && v < (schema.minimum as number)) out.push(`${at}: below ${schema.minimum}`);
    if (Array.isArray(v)) {
      if (schema.minItems !== undefined && v.length < (schema.minItems as number)) out.push(`${at}: fewer than ${schema.minItems} items`);
      if (schema.items) v.forEach((item, i) => check(schema.items as Schema, item, `${at}[${i}]`, out));
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) out.push(`${at}: missing ${r}`);
      for (const [k, val] of Object.entries(obj)) {
        if (props[k]) check(props[k], val, `${at}.${k}`, out);
        else if (schema.additionalProperties === false) out.push(`${at}: unexpected property ${k}`);
      }
    }
    if (schema.oneOf) {
      const passing = (schema.oneOf as Schema[]).filter((s) => { const o: string[] = []; check(s, v, at, o); return o.length === 0; }).length;
      if (passing !== 1) out.push(`${at}: matches ${passing} of oneOf (expected exactly 1)`);
    }
  };
  check(root, value, '$', problems);
  return problems;
}
