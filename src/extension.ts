import type * as vscode from 'vscode';
import { registerAskCommands } from './vscode/commands/askCommands';
import { registerIndexCommands } from './vscode/commands/indexCommands';
import { createLogChannel } from './vscode/logChannel';
import { SessionManager } from './vscode/sessionManager';
import { IndexStatusBar } from './vscode/statusBar';

/** Wires the services and registers commands; the index loads lazily, on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const { channel, logger } = createLogChannel();
  const sessions = new SessionManager(context, logger);
  const status = new IndexStatusBar();
  const deps = { sessions, status, logger, channel, storageUri: context.storageUri };
  context.subscriptions.push(channel, sessions, status, ...registerIndexCommands(deps), ...registerAskCommands(deps));
  logger.info(`activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {}
