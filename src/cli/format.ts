// Human-readable numbers for terminal output.
import { escapeInvisible } from '../core/invisible';

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

/** Terminal-safe: control, invisible and bidi characters in untrusted strings (tensor names, metadata) are shown escaped. */
export function safeText(s: string): string {
  return escapeInvisible(s);
}

/** Columns a string takes in a terminal: Hangul, CJK and fullwidth forms take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
      || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)
      || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Columns aligned by terminal width (so Korean headers line up), two spaces apart. */
export function table(rows: string[][], rightAlign: number[] = []): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  const pad = (c: string, i: number) => {
    const fill = ' '.repeat(widths[i] - displayWidth(c));
    return rightAlign.includes(i) ? fill + c : c + fill;
  };
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}
