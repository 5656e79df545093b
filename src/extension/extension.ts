// Entry point of the extension host side. Activation only registers providers and commands; checkpoints are
// read when an editor opens them.
import * as vscode from 'vscode';
import { CheckpointEditorProvider, VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from './checkpointEditor';
import { openCheckpointCommand } from './openCheckpoint';
import { PanelRegistry } from './panelRegistry';

/** Test-only command: the state of every open checkpoint panel (see panelRegistry.ts). Not in the palette. */
export const TEST_PANELS_COMMAND = 'weightprint.test.panels';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Weightprint', { log: true });
  const registry = new PanelRegistry();
  context.subscriptions.push(
    log,
    CheckpointEditorProvider.register(context, VIEW_TYPE_FILE, registry, log),
    CheckpointEditorProvider.register(context, VIEW_TYPE_INDEX, registry, log),
    vscode.commands.registerCommand('weightprint.openCheckpoint', (resource?: unknown) => openCheckpointCommand(resource)),
  );
  if (context.extensionMode === vscode.ExtensionMode.Test || process.env.WEIGHTPRINT_TEST === '1') {
    context.subscriptions.push(vscode.commands.registerCommand(TEST_PANELS_COMMAND, () => registry.snapshot()));
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions and the documents' dispose.
}
