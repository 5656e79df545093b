// Typed access to the extension's settings.
import * as vscode from 'vscode';
import { DEFAULT_MAX_HEADER_BYTES } from '../core/format/header';
import { notesLanguageFor, type NotesLanguage } from '../core/review/language';

/** `weightprint.maxHeaderBytes`, read when a checkpoint is opened (scoped to that resource). */
export function maxHeaderBytes(scope?: vscode.Uri): number {
  const v = vscode.workspace.getConfiguration('weightprint', scope).get<number>('maxHeaderBytes');
  return typeof v === 'number' && Number.isFinite(v) && v >= 1024 ? Math.floor(v) : DEFAULT_MAX_HEADER_BYTES;
}

/** Default of `weightprint.statistics.autoComputeMaxBytes`: 2 GiB. */
export const DEFAULT_AUTO_COMPUTE_MAX_BYTES = 2 * 1024 ** 3;

/** `weightprint.statistics.autoComputeMaxBytes`: checkpoints with at most this much tensor data compute statistics on open. */
export function autoComputeMaxBytes(scope?: vscode.Uri): number {
  const v = vscode.workspace.getConfiguration('weightprint', scope).get<number>('statistics.autoComputeMaxBytes');
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : DEFAULT_AUTO_COMPUTE_MAX_BYTES;
}

/** `weightprint.libraryPaths` as written (expanded by libraryPaths.ts). */
export function libraryPathSetting(): string[] {
  const v = vscode.workspace.getConfiguration('weightprint').get<unknown>('libraryPaths');
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
}

/** `weightprint.notesLanguage` resolved: `auto` follows VS Code's display language (Korean → `ko`, else `en`). */
export function notesLanguage(scope?: vscode.Uri): NotesLanguage {
  return notesLanguageFor(vscode.workspace.getConfiguration('weightprint', scope).get<string>('notesLanguage'), vscode.env.language);
}
