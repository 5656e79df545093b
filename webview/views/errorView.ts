// The view for a checkpoint that could not be opened: the reason and where it was found. Never a blank page.
import type { ErrorInfo } from '../../src/shared/protocol';
import { append, h, icon } from '../dom';
import { int } from '../format';
import { t } from '../../src/core/l10n';

export function errorView(error: ErrorInfo, title = t('This checkpoint could not be opened')): HTMLElement {
  const dl = h('dl', { class: 'kv' });
  const add = (k: string, v: string) => append(dl, h('dt', {}, k), h('dd', { class: 'mono' }, v));
  if (error.file !== undefined) add(t('File'), error.file);
  if (error.tensor !== undefined) add(t('Tensor'), error.tensor);
  if (error.byteOffset !== undefined) add(t('Byte offset'), `${int(error.byteOffset)} (0x${error.byteOffset.toString(16)})`);
  if (error.code !== undefined) add(t('Code'), error.code);
  return h('section', { class: 'error-view', role: 'alert', id: 'error-view', 'aria-labelledby': 'error-title' },
    h('h1', { id: 'error-title' }, icon('error'), h('span', {}, title)),
    h('p', { class: 'error-message', id: 'error-message' }, error.message),
    dl.childNodes.length ? dl : null,
    h('p', { class: 'hint' }, t('The file was not modified. Fix the checkpoint or pick another file, then reopen it.')));
}
