// Walks JSON bytes that scanJson has accepted, taking only the values a caller asks for: the safetensors header is
// read this way straight into tensor entries, so its memory follows the tensors, not the shape of the JSON (JSON.parse
// would build every object of a hostile header first). Skipping a value is iterative, so depth costs nothing.

/** A value the cursor did not materialise (an array or object, or an overlong string), described for messages. */
export class Opaque {
  constructor(readonly text: string) {}
}

export type Scalar = string | number | boolean | null | Opaque;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonCursor {
  i = 0;
  private readonly buf: Buffer;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The next non-whitespace byte (consumed: nothing). */
  peek(): number {
    const b = this.buf;
    while (this.i < b.length) {
      const c = b[this.i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
      this.i++;
    }
    return -1;
  }

  /** Consumes the next non-whitespace byte. */
  take(): number {
    const c = this.peek();
    this.i++;
    return c;
  }

  /** Whether the last string passed by stringEnd held an escape (a field, not an object: this runs per string). */
  private escaped = false;

  /** End (exclusive) of the string whose quote is at `start`; sets `escaped`. */
  private stringEnd(start: number): number {
    const b = this.buf;
    let escaped = false;
    let i = start + 1;
    for (;;) {
      const c = b[i];
      if (c === QUOTE) {
        this.escaped = escaped;
        return i + 1;
      }
      if (c === BACKSLASH) { escaped = true; i += 2; } else i++;
    }
  }

  /** Reads the string at the cursor. Strings longer than `maxBytes` come back as Opaque (their first characters). */
  string(maxBytes = Infinity): string | Opaque {
    this.peek();
    const start = this.i;
    const end = this.stringEnd(start);
    const escaped = this.escaped;
    this.i = end;
    if (end - start - 2 > maxBytes) return new Opaque(JSON.stringify(this.buf.toString('utf8', start + 1, start + 1 + Math.min(40, maxBytes))) + '…');
    return escaped ? (JSON.parse(this.buf.toString('utf8', start, end)) as string) : this.buf.toString('utf8', start + 1, end - 1);
  }

  /** The byte range of the string at the cursor, its quotes excluded, read past; `escaped` when it holds a backslash. */
  stringRange(): { start: number; end: number; escaped: boolean } {
    this.peek();
    const start = this.i;
    const end = this.stringEnd(start);
    this.i = end;
    return { start: start + 1, end: end - 1, escaped: this.escaped };
  }

  /** The bytes [start, end) of the input as latin1 text (for ASCII content such as base64). */
  latin1(start: number, end: number): string {
    return this.buf.toString('latin1', start, end);
  }

  /** The byte range of the value at the cursor, read past. */
  valueRange(): { start: number; end: number } {
    this.peek();
    const start = this.i;
    this.skip();
    return { start, end: this.i };
  }

  /** Skips the value at the cursor, however deep. */
  skip(): void {
    const b = this.buf;
    let depth = 0;
    do {
      const c = this.peek();
      if (c === QUOTE) { this.i = this.stringEnd(this.i); continue; }
      this.i++;
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
      else if (c !== 0x2c && c !== 0x3a) {
        // A number or literal: up to the next delimiter.
        while (this.i < b.length) {
          const d = b[this.i];
          if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
          this.i++;
        }
      }
    } while (depth > 0);
  }

  /** The value at the cursor if it is a scalar (strings up to `maxStringBytes`), else Opaque after skipping it. */
  scalar(maxStringBytes = Infinity): Scalar {
    const c = this.peek();
    if (c === QUOTE) return this.string(maxStringBytes);
    if (c === 0x7b || c === 0x5b) {
      this.skip();
      return new Opaque(c === 0x7b ? '{…}' : '[…]');
    }
    const b = this.buf;
    const start = this.i;
    // Shapes and offsets are small non-negative integers: read them without making a string first.
    let value = 0;
    let digitsOnly = true;
    while (this.i < b.length) {
      const d = b[this.i];
      if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
      if (d >= 0x30 && d <= 0x39) value = value * 10 + (d - 0x30);
      else digitsOnly = false;
      this.i++;
    }
    const length = this.i - start;
    // Up to 15 digits the sum is exact; a leading zero (valid only as "0") goes the slow way, as JSON says.
    if (digitsOnly && length > 0 && length <= 15 && (b[start] !== 0x30 || length === 1)) return value;
    const token = b.toString('latin1', start, this.i);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    return Number(token);
  }

  /**
   * An array of scalars at the cursor, or the scalar or Opaque that is there instead. An array of more than
   * `maxItems` items is skipped past and returned as Opaque.
   */
  scalarArray(maxItems: number): Scalar[] | Scalar {
    if (this.peek() !== 0x5b) return this.scalar(64);
    const start = this.i;
    this.i++;
    const out: Scalar[] = [];
    if (this.peek() === 0x5d) { this.i++; return out; }
    for (;;) {
      if (out.length === maxItems) {
        this.i = start;
        this.skip();
        return new Opaque(`[${maxItems}+ …]`);
      }
      out.push(this.scalar(64));
      if (this.take() === 0x5d) return out;
    }
  }

  /** Calls `item` for each item of the array at the cursor, with the cursor on it; `item` must consume it. */
  items(item: (index: number) => void): void {
    this.take(); // [
    if (this.peek() === 0x5d) { this.i++; return; }
    for (let index = 0; ; index++) {
      item(index);
      if (this.take() === 0x5d) return;
    }
  }

  /**
   * Calls `member` for each key of the object at the cursor, with the cursor on the value; `member` must consume
   * the value (read or skip it). The key's offset is the offset of its opening quote.
   */
  members(member: (key: string, keyOffset: number) => void): void {
    this.take(); // {
    if (this.peek() === 0x7d) { this.i++; return; }
    for (;;) {
      this.peek();
      const keyOffset = this.i;
      const key = this.string() as string;
      this.take(); // :
      member(key, keyOffset);
      if (this.take() === 0x7d) return;
    }
  }
}
