// Tiny DOM helpers. Every string that reaches the page goes through a text node: no innerHTML anywhere,
// so names and metadata from a checkpoint can never become markup.
import { INVISIBLE, INVISIBLE_G } from '../src/core/invisible';
import { t } from '../src/core/l10n';

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

function hex4(c: string): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}

/** A string from the checkpoint as literal text; control and bidi characters become visible `\uXXXX` marks. */
export function literal(s: string): Node {
  if (!INVISIBLE.test(s)) return document.createTextNode(s);
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of s.matchAll(INVISIBLE_G)) {
    const i = m.index ?? 0;
    if (i > last) frag.append(document.createTextNode(s.slice(last, i)));
    const mark = document.createElement('span');
    mark.className = 'ctl';
    mark.textContent = `\\u${hex4(m[0])}`;
    mark.title = t('U+{0} (invisible or control character)', hex4(m[0]));
    frag.append(mark);
    last = i + m[0].length;
  }
  if (last < s.length) frag.append(document.createTextNode(s.slice(last)));
  return frag;
}

/** The same escaping as plain text, for attributes such as title and aria-label. */
export function literalText(s: string): string {
  return s.replace(INVISIBLE_G, (c) => `\\u${hex4(c)}`);
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (/^on/i.test(k) || k === 'href' || k === 'src' || k === 'srcdoc') throw new Error(`refusing to set attribute ${k}`); // l10n-ignore: a programming error
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? literal(c) : typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Creates an element; string children become literal text. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

/** Creates a custom element (the vscode-* elements). */
export function ce(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  // The selects draw their combobox in a shadow root and name it from `label`, not from the host's aria-label.
  if (/^vscode-(single|multi)-select$/.test(tag) && typeof attrs['aria-label'] === 'string' && attrs.label === undefined) el.setAttribute('label', attrs['aria-label']);
  append(el, ...children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, ...children);
}

/** A codicon glyph (decorative). */
export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name} ${extra}`.trim(), 'aria-hidden': 'true' });
}

/** Two or more toggle buttons in a labelled group (aria-pressed), each with `data-<key>` = its value. */
export function segmented<T extends string>(label: string, key: string, options: [T, string][], current: T, changed: (v: T) => void, cls = ''): HTMLElement {
  const group = h('div', { class: `segmented ${cls}`.trim(), role: 'group', 'aria-label': label });
  for (const [value, text] of options) {
    const b = h('button', { type: 'button', class: 'segment', 'aria-pressed': String(value === current), [`data-${key}`]: value }, text);
    b.addEventListener('click', () => changed(value));
    group.append(b);
  }
  return group;
}
