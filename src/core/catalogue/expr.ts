// Shape expressions of the catalogue: integers, dim names, + - * / and parentheses. Parsed once, never eval'd.

export type Expr = number | string | { op: '+' | '-' | '*' | '/'; a: Expr; b: Expr };

export function parseExpr(text: string): Expr {
  const tokens = text.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|[-+*/()])\s*/g)?.map((t) => t.trim());
  if (!tokens || tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(`cannot parse shape expression ${JSON.stringify(text)}`);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const factor = (): Expr => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`shape expression ${JSON.stringify(text)} ends early`);
    if (t === '(') {
      const e = sum();
      if (tokens[i++] !== ')') throw new Error(`missing ")" in ${JSON.stringify(text)}`);
      return e;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return t;
    throw new Error(`unexpected ${JSON.stringify(t)} in ${JSON.stringify(text)}`);
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
  if (i !== tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[i])} in ${JSON.stringify(text)}`);
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
