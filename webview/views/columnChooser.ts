// "Columns": which columns of the tensor table show. A disclosure with one checkbox per column (keyboard: Enter opens,
// Tab and Space choose, Escape closes); the choice is kept in the webview state.
import { h, icon } from '../dom';
import { t } from '../../src/core/l10n';
import { CHOOSABLE_COLUMNS } from './columns';

export class ColumnChooser {
  readonly element: HTMLDetailsElement;
  private readonly boxes = new Map<string, HTMLInputElement>();

  constructor(hidden: ReadonlySet<string>, private readonly changed: (hidden: Set<string>) => void) {
    const list = h('div', { class: 'column-list', role: 'group', 'aria-label': t('Columns shown') });
    for (const c of CHOOSABLE_COLUMNS) {
      const box = h('input', { type: 'checkbox', 'data-col': c.id }) as HTMLInputElement;
      box.checked = !hidden.has(c.id);
      box.addEventListener('change', () => this.changed(this.hidden()));
      this.boxes.set(c.id, box);
      list.append(h('label', { class: 'column-option' }, box, ` ${c.label}`));
    }
    this.element = h('details', { class: 'column-chooser', id: 'column-chooser' },
      h('summary', { title: t('Choose the columns of the table') }, icon('list-selection'), ` ${t('Columns')}`), list) as HTMLDetailsElement;
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.element.open) {
        this.element.open = false;
        this.element.querySelector('summary')?.focus();
        e.stopPropagation();
      }
    });
  }

  private hidden(): Set<string> {
    return new Set([...this.boxes].filter(([, b]) => !b.checked).map(([id]) => id));
  }
}
