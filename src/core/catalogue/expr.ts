// Shape expressions of the catalogue: integers, dim names, + - * / and parentheses. Parsed once, never eval'd.
// Parse errors are messages: a reviewer's own catalogue (WEIGHTPRINT_CATALOGUE) with a bad expression is reported
// through CatalogueError, in the editor's warnings and by the CLI.
import { t } from '../l10n';

export type Expr = number | string | { op: '+' | '-' | '*' | '/'; a: Expr; b: Expr };

export function parseExpr(text: string): Expr {
  const tokens = text.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|[-+*/()])\s*/g)?.map((s) => s.trim());
  if (!tokens || tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(t('cannot parse shape expression {0}', JSON.stringify(text)));
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const factor = (): Expr => {
    const tok = tokens[i++];
    if (tok === undefined) throw new Error(t('shape expression {0} ends early', JSON.stringify(text)));
    if (tok === '(') {
      const e = sum();
      if (tokens[i++] !== ')') throw new Error(t('missing ")" in {0}', JSON.stringify(text)));
      return e;
    }
    if (/^\d+$/.test(tok)) return Number(tok);
    if (/^[A-Za-z_]/.test(tok)) return tok;
    throw new Error(t('unexpected {0} in {1}', JSON.stringify(tok), JSON.stringify(text)));
  };
  const product = (): Expr => {
    let e = factor();
    while (peek() === '*' || peek() === '/') { const op = tokens[i++] as '*' | '/'; e = { op, a: e, b: factor() }; }
    return e;
  };
  const sum = (): Expr => {
    let e = product();
    while (peek() === '+' || peek() === '-') { const op = tokens[i++] as '+' | '-'; e = { op, a: e, b: product() }; }
    return e;
  };
  const e = sum();
  if (i !== tokens.length) throw new Error(t('unexpected {0} in {1}', JSON.stringify(tokens[i]), JSON.stringify(text)));
  return e;
}

/** Value of an expression, or undefined when a dim is missing (or the result is not a non-negative integer). */
export function evaluate(e: Expr, dims: Record<string, number>): number | undefined {
  if (typeof e === 'number') return e;
  if (typeof e === 'string') return typeof dims[e] === 'number' ? dims[e] : undefined;
  const a = evaluate(e.a, dims);
  const b = evaluate(e.b, dims);
  if (a === undefined || b === undefined) return undefined;
  const v = e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : b === 0 ? NaN : a / b;
  return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}
