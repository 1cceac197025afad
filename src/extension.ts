import type * as vscode from 'vscode';

/** Wires the services and registers commands; nothing else (see src/vscode). */
export function activate(_context: vscode.ExtensionContext): void {
  // Filled in by the foundation work.
}

export function deactivate(): void {}
