// The tensor table's toolbar: filter (substring or regex), component filter, module scope, counts and
// the host's message for an invalid regular expression.
import type { ComponentName } from '../../src/shared/protocol';
import { ce, h, icon, literal, replace } from '../dom';
import { int } from '../format';
import { t } from '../../src/core/l10n';
import { COMPONENT_SHORT_LABEL } from '../../src/shared/findingsView';

export interface ToolbarValues {
  filter: string;
  regex: boolean;
  component: ComponentName | '';
  prefix: string;
}

export interface ToolbarHandlers {
  changed(values: Partial<ToolbarValues>): void;
}

type TextField = HTMLElement & { value: string; invalid: boolean };
type Toggle = HTMLElement & { checked: boolean };
type Select = HTMLElement & { value: string };

export class TensorToolbar {
  readonly element: HTMLElement;
  private readonly field: TextField;
  private readonly regex: Toggle;
  private readonly select: Select;
  private readonly scope: HTMLElement;
  private readonly count: HTMLElement;
  private readonly error: HTMLElement;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor(values: ToolbarValues, components: ComponentName[], private readonly total: number, private readonly on: ToolbarHandlers, extra: HTMLElement[] = []) {
    this.regex = ce('vscode-toolbar-button', {
      slot: 'content-after', icon: 'regex', toggleable: true, label: t('Use regular expression'), title: t('Use regular expression (Alt+R)'),
      class: 'regex-toggle',
    }) as Toggle;
    this.regex.checked = values.regex;
    const before = icon('filter');
    before.setAttribute('slot', 'content-before');
    this.field = ce('vscode-textfield', {
      class: 'filter', placeholder: t('Filter tensors by name'), 'aria-label': t('Filter tensors by name'), id: 'tensor-filter',
    }, before, this.regex) as TextField;
    this.field.value = values.filter;
    this.select = ce('vscode-single-select', { class: 'component-filter', 'aria-label': t('Component') }) as Select;
    for (const c of ['', ...components]) {
      this.select.append(ce('vscode-option', { value: c, selected: c === values.component }, c === '' ? t('All components') : COMPONENT_SHORT_LABEL[c as ComponentName] ?? c));
    }
    this.scope = h('div', { class: 'scope' });
    this.count = h('div', { class: 'count', role: 'status', 'aria-live': 'polite', id: 'tensor-count' });
    this.error = h('div', { class: 'filter-error', role: 'alert', id: 'filter-error', hidden: true });
    this.element = h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'toolbar-row' }, this.field, this.select, this.scope, this.count, ...extra),
      this.error);
    this.setScope(values.prefix);

    this.field.addEventListener('input', () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.on.changed({ filter: this.field.value }), 150);
    });
    this.field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        clearTimeout(this.debounce);
        this.on.changed({ filter: this.field.value });
      } else if (e.key === 'r' && e.altKey) {
        e.preventDefault();
        this.setRegex(!this.regex.checked);
      }
    });
    this.regex.addEventListener('change', () => this.on.changed({ regex: this.regex.checked, filter: this.field.value }));
    this.select.addEventListener('change', () => this.on.changed({ component: this.select.value as ComponentName | '' }));
  }

  focusFilter(): void {
    this.field.focus();
  }

  setRegex(on: boolean): void {
    this.regex.checked = on;
    this.on.changed({ regex: on, filter: this.field.value });
  }

  /** Sets the filter text without announcing a change (the caller applies the query). */
  setFilterText(value: string): void {
    clearTimeout(this.debounce);
    this.field.value = value;
  }

  setComponent(c: ComponentName | ''): void {
    this.select.value = c;
  }

  setScope(prefix: string): void {
    if (!prefix) {
      replace(this.scope);
      this.scope.hidden = true;
      return;
    }
    this.scope.hidden = false;
    const clear = h('button', { class: 'icon-button', type: 'button', 'aria-label': t('Show all modules'), title: t('Show all modules') }, icon('close'));
    clear.addEventListener('click', () => this.on.changed({ prefix: '' }));
    replace(this.scope, icon('list-tree'), h('span', { class: 'scope-label' }, prefix), clear);
  }

  /** Shows how many tensors match; shown < 0 while the first page is on its way. */
  setCount(shown: number): void {
    if (shown < 0) this.count.textContent = t('Loading…');
    else if (shown === this.total) this.count.textContent = t('{0} tensors', int(shown));
    else this.count.textContent = t('{0} of {1} tensors', int(shown), int(this.total));
  }

  /** The host's verdict on the filter: undefined clears the message. */
  setFilterError(message: string | undefined, kind: 'regex' | 'load' = 'regex'): void {
    const lead = kind === 'regex' ? t('Invalid regular expression: ') : t('Could not load tensors: ');
    this.field.invalid = message !== undefined && kind === 'regex';
    this.error.hidden = message === undefined;
    replace(this.error);
    // The engine's message usually names itself already ("Invalid regular expression: /(/: …").
    const prefix = message !== undefined && kind === 'regex' && message.toLowerCase().startsWith('invalid regular expression') ? '' : lead; // l10n-ignore: the engine's English message
    if (message !== undefined) this.error.append(icon('error'), h('span', {}, prefix), literal(message));
  }
}
