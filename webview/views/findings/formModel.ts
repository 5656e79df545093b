// The Add/Edit finding form's logic without the DOM: the target kinds it offers, the target it builds from the
// fields' text, and which key presses mean "undo the last finding change". Unit-tested under node.
import type { ComponentName, FindingTarget } from '../../../src/shared/protocol';
import { COMPONENT_NAMES } from '../../../src/shared/findingsView';
import { t } from '../../../src/core/l10n';

export type TargetKind = FindingTarget['kind'];

export const TARGET_KINDS: readonly { kind: TargetKind; label: string }[] = [
  { kind: 'model', get label() { return t('Whole model'); } },
  { kind: 'component', get label() { return t('Component'); } },
  { kind: 'layers', get label() { return t('Layer range'); } },
  { kind: 'tensors', get label() { return t('Tensors'); } },
];

export interface FormFields {
  kind: string;
  component: string;
  from: string;
  to: string;
  /** One tensor name per line. */
  tensors: string;
}

const LAYER = /^\s*(\d{1,6})\s*$/;

/** The target the fields describe, or what is wrong with them (a sentence for the form). */
export function formTarget(f: FormFields): { target: FindingTarget } | { error: string } {
  switch (f.kind) {
    case 'model':
      return { target: { kind: 'model' } };
    case 'component':
    case 'layers': {
      if (!COMPONENT_NAMES.includes(f.component as ComponentName)) return { error: t('Choose a component.') };
      const component = f.component as ComponentName;
      if (f.kind === 'component') return { target: { kind: 'component', component } };
      const a = LAYER.exec(f.from);
      const b = LAYER.exec(f.to);
      if (!a || !b) return { error: t('Layers are whole numbers from 0, e.g. 2 to 5.') };
      const from = Number(a[1]);
      const to = Number(b[1]);
      return { target: { kind: 'layers', component, from: Math.min(from, to), to: Math.max(from, to) } };
    }
    case 'tensors': {
      const names = [...new Set(f.tensors.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))].sort();
      if (names.length === 0) return { error: t('Enter at least one tensor name (one per line).') };
      return { target: { kind: 'tensors', tensors: names } };
    }
    default:
      return { error: t('Choose what the finding is about.') };
  }
}

/** Ctrl+Z / Cmd+Z outside text fields (where it undoes typing) undoes the last finding change. */
export function isUndoKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, targetTag: string): boolean {
  if (e.key.toLowerCase() !== 'z' || !(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey) return false;
  const tag = targetTag.toUpperCase();
  return tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'VSCODE-TEXTAREA' && tag !== 'VSCODE-TEXTFIELD';
}
