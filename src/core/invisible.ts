// Characters that are invisible or reorder the text around them ("Trojan source"): C0/C1 controls, the soft hyphen,
// line and paragraph separators, zero-width characters and every Unicode bidi control (U+061C ALM, U+200E LRM,
// U+200F RLM, U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates), plus the invisible format characters
// next to them. One set for the terminal, the review notes and the webview, which show each as a visible escape.

const CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb]';

/** One such character (no `g` flag, so `test()` keeps no state). */
export const INVISIBLE = new RegExp(CLASS);
/** The same, global: for `replace()` and `matchAll()`. */
export const INVISIBLE_G = new RegExp(CLASS, 'g');

/** Each such character as a backslash, "u" and four lower-case hex digits. */
export function escapeInvisible(s: string): string {
  return s.replace(INVISIBLE_G, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
