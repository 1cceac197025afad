/**
 * Keeps the index current while the editor is open: file changes (create, change, delete) under
 * the include globs schedule one incremental sync after a quiet period. The sync only re-reads
 * files whose size or mtime moved and re-embeds only changed text.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { describeError } from '../core/errors';
import type { SessionManager } from './sessionManager';
import type { IndexStatusBar } from './statusBar';

const QUIET_MS = 750;

export class IndexWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private again = false;

  constructor(
    private readonly sessions: SessionManager,
    private readonly status: IndexStatusBar,
    private readonly logger: Logger,
  ) {
    this.watch();
    sessions.onDidChangeSession(() => this.watch());
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const session = this.sessions.session;
    for (const folder of session.folders) {
      for (const glob of session.settings['index.include']) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
        const onEvent = () => this.schedule();
        this.watchers.push(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent));
      }
    }
  }

  /** Coalesces bursts of events (a branch switch, a formatter) into one sync. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), QUIET_MS);
  }

  private async run(): Promise<void> {
    const session = this.sessions.session;
    // Only keep an index current once the user has one: watching must not trigger embedding costs.
    if (!session.report && !(await session.wasRestored())) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = session
      .sync({ onProgress: (p) => this.status.progress(p) })
      .then((report) => {
        this.status.done(report);
        if (report.changedFiles || report.removedFiles)
          this.logger.info(`index updated: ${report.changedFiles} changed, ${report.removedFiles} removed`);
      })
      .catch((err: unknown) => this.logger.warn(`incremental index update failed: ${describeError(err)}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
    await this.running;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.dispose();
  }
}
