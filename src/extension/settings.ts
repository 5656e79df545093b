// Typed access to the extension's settings.
import * as vscode from 'vscode';
import { DEFAULT_MAX_HEADER_BYTES } from '../core/format/header';

/** `weightprint.maxHeaderBytes`, read when a checkpoint is opened (scoped to that resource). */
export function maxHeaderBytes(scope?: vscode.Uri): number {
  const v = vscode.workspace.getConfiguration('weightprint', scope).get<number>('maxHeaderBytes');
  return typeof v === 'number' && Number.isFinite(v) && v >= 1024 ? Math.floor(v) : DEFAULT_MAX_HEADER_BYTES;
}
