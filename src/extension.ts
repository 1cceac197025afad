import * as vscode from 'vscode';
import { ChatState } from './vscode/chat/chatState';
import { CHAT_VIEW_ID, ChatViews } from './vscode/chat/chatViews';
import { ConversationStore } from './vscode/chat/conversationStore';
import { registerNativeChat } from './vscode/chat/nativeChat';
import { registerApiKeyCommands } from './vscode/commands/apiKeyCommands';
import { registerAskCommands } from './vscode/commands/askCommands';
import { registerEditorCommands } from './vscode/commands/editorCommands';
import { registerEvalCommands } from './vscode/commands/evalCommands';
import { registerSafetyCommands } from './vscode/commands/safetyCommands';
import { registerIndexCommands } from './vscode/commands/indexCommands';
import { shownErrors } from './vscode/errorUi';
import { createLogChannel } from './vscode/logChannel';
import { SessionManager } from './vscode/sessionManager';
import { IndexWatcher } from './vscode/indexWatcher';
import type { UsageRegistration } from './vscode/usage/registerUsage';
import { registerUsage } from './vscode/usage/registerUsage';
import { IndexStatusBar } from './vscode/statusBar';

/** What activate() returns: handles for the integration tests, not a public API. */
export interface BedrockDocsTestingApi {
  testing: {
    sessions: SessionManager;
    status: IndexStatusBar;
    views: ChatViews;
    shownErrors: typeof shownErrors;
    usage: UsageRegistration;
  };
}

/** Wires the services and registers commands and views; the index loads lazily, on first use. */
export function activate(context: vscode.ExtensionContext): BedrockDocsTestingApi {
  const started = Date.now();
  const { channel, logger } = createLogChannel();
  const usage = registerUsage(context, { logger });
  const sessions = new SessionManager(context, logger, usage.tracker);
  const status = new IndexStatusBar();
  flushUsage = usage.flush;
  const deps = { sessions, status, logger, channel, storageUri: context.storageUri, usage: usage.tracker };
  const state = new ChatState(context.workspaceState, sessions);
  const store = new ConversationStore(context.workspaceState, () => sessions.session.settings['chat.historyLimit']);
  const views = new ChatViews(context.extensionUri, { ...deps, state, store });
  context.subscriptions.push(
    ...usage.disposables,
    channel,
    sessions,
    status,
    state,
    views,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, views, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerIndexCommands(deps),
    ...registerAskCommands(deps),
    ...registerEditorCommands(views),
    ...registerNativeChat(deps, context.extensionUri),
    ...registerApiKeyCommands(context.secrets, sessions, logger),
    ...registerSafetyCommands(sessions, logger),
    ...registerEvalCommands(deps, state, store),
    new IndexWatcher(sessions, status, logger),
  );
  logger.info(`activated in ${Date.now() - started} ms`);
  return { testing: { sessions, status, views, shownErrors, usage } };
}

let flushUsage: (() => Promise<void>) | undefined;

/** Sends buffered CloudWatch metrics, if any, before the host exits. */
export function deactivate(): Promise<void> | undefined {
  return flushUsage?.();
}
