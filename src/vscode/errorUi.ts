/** Shows a core error as a notification whose buttons fix it. Never steals focus; logs the detail. */
import * as vscode from 'vscode';
import type { ErrorAction } from '../core/errorActions';
import { actionsFor, modelAccessUrl } from '../core/errorActions';
import { BedrockDocsError, describeError, isCancellation } from '../core/errors';
import type { Logger } from '../core/ports';

const LABELS: Record<ErrorAction, string> = {
  signInSso: 'Sign in with SSO',
  openSettings: 'Open Settings',
  openModelAccess: 'Open Model Access',
  retry: 'Retry',
  showLog: 'Show Log',
};

export interface ErrorUiContext {
  logger: Logger;
  profile?: string;
  region?: string;
  retry?: () => unknown;
}

/** Runs one error action; shared by notifications and the chat view. */
export async function runErrorAction(action: ErrorAction, ctx: ErrorUiContext): Promise<void> {
  switch (action) {
    case 'signInSso': {
      const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
      terminal.show();
      terminal.sendText(`aws sso login${ctx.profile ? ` --profile ${ctx.profile}` : ''}`, true);
      return;
    }
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'bedrockDocs');
      return;
    case 'openModelAccess':
      await vscode.env.openExternal(vscode.Uri.parse(modelAccessUrl(ctx.region ?? 'us-east-1')));
      return;
    case 'retry':
      await ctx.retry?.();
      return;
    case 'showLog':
      await vscode.commands.executeCommand('bedrockDocs.showLog');
      return;
  }
}

/** The last errors shown, newest last (kept for the log view and the integration tests). */
export const shownErrors: Array<{ message: string; actions: string[] }> = [];

/** Logs and shows an error (a cancel is silent). Resolves once the user picked an action or dismissed it. */
export async function showError(err: unknown, what: string, ctx: ErrorUiContext): Promise<void> {
  if (isCancellation(err)) return;
  const message = describeError(err);
  ctx.logger.error(`${what}: ${message}`);
  const actions =
    err instanceof BedrockDocsError ? actionsFor(err.code).filter((a) => a !== 'retry' || ctx.retry) : (['showLog'] as ErrorAction[]);
  shownErrors.push({ message, actions: actions.map((a) => LABELS[a]) });
  if (shownErrors.length > 20) shownErrors.shift();
  const picked = await vscode.window.showErrorMessage(`Bedrock Docs: ${what}: ${message}`, ...actions.map((a) => LABELS[a]));
  const action = actions.find((a) => LABELS[a] === picked);
  if (action) await runErrorAction(action, ctx);
}
