/** Index Workspace, Clear Index, Show Log. */
import { rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { SyncReport } from '../../core/indexer';
import type { Logger } from '../../core/ports';
import { toAbortSignal } from '../abortSignal';
import { showError } from '../errorUi';
import type { SessionManager } from '../sessionManager';
import type { IndexStatusBar } from '../statusBar';
import type { UsageTracker } from '../usage/usageTracker';

export interface IndexCommandDeps {
  sessions: SessionManager;
  /** Usage accounting (status bar, budget, report): the meter's host; shown, never fed by hand. */
  usage?: UsageTracker;
  status: IndexStatusBar;
  logger: Logger;
  channel: vscode.LogOutputChannel;
  storageUri: vscode.Uri | undefined;
}

let fullTextNoticeShown = false;

/** Indexes with a cancellable progress notification; resolves to the report, or undefined when cancelled/failed. */
export async function indexWithProgress(deps: IndexCommandDeps, options: { quietSuccess?: boolean } = {}): Promise<SyncReport | undefined> {
  const session = deps.sessions.session;
  if (session.folders.length === 0) {
    void vscode.window.showWarningMessage('Bedrock Docs: open a folder to index its documentation.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    const choice = await vscode.window.showWarningMessage(
      'Bedrock Docs: this workspace is not trusted. Index its documents? Workspace settings for AWS access and models are ignored until you trust it.',
      { modal: true },
      'Index',
    );
    if (choice !== 'Index') return undefined;
  }
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Bedrock Docs: indexing', cancellable: true },
      async (progress, token) => {
        let lastPercent = 0;
        return session.sync({
          signal: toAbortSignal(token),
          onProgress: (p) => {
            deps.status.progress(p);
            const percent = p.total ? Math.floor((p.done / p.total) * 100) : 0;
            const phase = {
              restore: 'loading the saved index',
              scan: 'scanning files',
              read: 'reading',
              context: 'writing chunk context',
              embed: 'embedding',
              save: 'saving',
            }[p.phase];
            progress.report({
              message: `${phase}${p.total ? ` ${p.done}/${p.total}` : ''}`,
              increment: p.phase === 'read' ? Math.max(0, percent - lastPercent) : undefined,
            });
            if (p.phase === 'read') lastPercent = percent;
          },
        });
      },
    );
    deps.status.done(report);
    for (const s of report.skipped) deps.logger.info(`skipped ${s.path}: ${s.reason}`);
    if (report.embeddingsOff && !fullTextNoticeShown) {
      fullTextNoticeShown = true;
      void vscode.window
        .showInformationMessage(`Bedrock Docs: the index is full-text only: ${report.embeddingsOff}`, 'Open Settings')
        .then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'bedrockDocs.aws');
        });
    }
    if (!options.quietSuccess) {
      const skipped = report.skipped.length ? `, ${report.skipped.length} skipped` : '';
      void vscode.window
        .showInformationMessage(
          `Bedrock Docs: indexed ${report.files} files, ${report.chunks} chunks${skipped}.`,
          ...(report.skipped.length ? ['Show Skipped'] : []),
        )
        .then((pick) => {
          if (pick) deps.channel.show(true);
        });
    }
    return report;
  } catch (err) {
    deps.status.failed(err instanceof Error ? err.message : String(err));
    await showError(err, 'indexing failed', { logger: deps.logger, retry: () => indexWithProgress(deps, options) });
    return undefined;
  }
}

/** Makes sure the index has content: restores the snapshot, or indexes with progress when there is none. */
export async function ensureIndexed(deps: IndexCommandDeps): Promise<boolean> {
  const session = deps.sessions.session;
  const indexer = await session.indexer();
  if (indexer.index.size > 0 || session.report) return true;
  return (await indexWithProgress(deps, { quietSuccess: true })) !== undefined;
}

export function registerIndexCommands(deps: IndexCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bedrockDocs.indexWorkspace', () => indexWithProgress(deps)),
    vscode.commands.registerCommand('bedrockDocs.clearIndex', async () => {
      if (deps.storageUri) await rm(vscode.Uri.joinPath(deps.storageUri, 'index').fsPath, { recursive: true, force: true });
      deps.sessions.rebuild('index cleared');
      deps.logger.info('index cleared');
      void vscode.window.showInformationMessage(
        'Bedrock Docs: the index was cleared. It is rebuilt on the next question or with "Index Workspace".',
      );
      return true;
    }),
    vscode.commands.registerCommand('bedrockDocs.showLog', () => deps.channel.show(true)),
  ];
}
