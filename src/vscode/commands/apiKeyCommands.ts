/** A Bedrock API key, if the user prefers one to SigV4 credentials: kept in SecretStorage only. */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { SessionManager } from '../sessionManager';

export const API_KEY_SECRET = 'bedrockDocs.bedrockApiKey';

export function registerApiKeyCommands(secrets: vscode.SecretStorage, sessions: SessionManager, logger: Logger): vscode.Disposable[] {
  void secrets.get(API_KEY_SECRET).then((key) => sessions.setApiKey(key || undefined));
  return [
    secrets.onDidChange(async (e) => {
      if (e.key === API_KEY_SECRET) sessions.setApiKey((await secrets.get(API_KEY_SECRET)) || undefined);
    }),
    vscode.commands.registerCommand('bedrockDocs.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'Bedrock API key',
        prompt: "Stored in VS Code's secret storage, never in settings. Leave empty to cancel.",
        password: true,
        ignoreFocusOut: true,
      });
      if (!key) return false;
      await secrets.store(API_KEY_SECRET, key.trim());
      logger.info('Bedrock API key stored in secret storage');
      void vscode.window.showInformationMessage(
        'Bedrock Docs: the API key is stored in secret storage and used instead of AWS credentials.',
      );
      return true;
    }),
    vscode.commands.registerCommand('bedrockDocs.clearApiKey', async () => {
      await secrets.delete(API_KEY_SECRET);
      logger.info('Bedrock API key removed from secret storage');
      return true;
    }),
  ];
}
