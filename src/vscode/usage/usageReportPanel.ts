/**
 * The usage report: an editor webview panel built like the chat (strict CSP with a node:crypto
 * nonce, scripts and styles only from media/), fed `usage/report` messages from the tracker, live
 * while open. Inbound messages are validated against usageMessages.ts; CSV goes through a save dialog.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import { usageToCsv } from '../../core/usage/usageCsv';
import { localDayKey } from '../../core/usage/usageSummary';
import type { UsageHostMessage, UsageRange, UsageViewMessage } from '../../usageview/usageMessages';
import { parseUsageViewMessage, USAGE_PROTOCOL_VERSION } from '../../usageview/usageMessages';
import { renderWebviewHtml } from '../webviewHtml';
import { openBudgetSettings } from './budgetPrompt';
import type { UsageTracker } from './usageTracker';

/** The panel's view type (also what VS Code restores by). */
export const USAGE_PANEL_VIEW_TYPE = 'bedrockDocs.usageReport';

// Many records in a burst (an eval run) repaint the open report once.
const UPDATE_DELAY_MS = 300;

/** Owns the one usage report panel. */
export class UsageReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private range: UsageRange = '30d';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Messages posted to the webview, newest last (host tests read them). */
  readonly posted: UsageHostMessage[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tracker: UsageTracker,
    private readonly logger: Logger,
  ) {
    this.disposables.push(tracker.onDidChange(() => this.scheduleUpdate()));
  }

  /** Opens the report, or reveals it when it is open. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(USAGE_PANEL_VIEW_TYPE, 'Bedrock Docs Usage', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    const webview = panel.webview;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'usage.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'usage.css')).toString(),
      title: 'Bedrock Docs Usage',
    });
    const subscription = webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    panel.onDidDispose(() => {
      subscription.dispose();
      this.panel = undefined;
    });
    this.panel = panel;
  }

  /** Handles one raw message from the webview; malformed ones are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseUsageViewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`usage report: rejected a webview message: ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (err) {
      this.logger.error(`usage report: ${parsed.value.type} failed: ${describeError(err)}`);
    }
  }

  private async handle(m: UsageViewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.protocolVersion !== USAGE_PROTOCOL_VERSION)
          this.logger.warn(`usage report: webview protocol ${m.protocolVersion}, extension ${USAGE_PROTOCOL_VERSION}`);
        this.range = m.range;
        await this.tracker.whenLoaded();
        await this.postReport();
        return;
      case 'usage/range':
        this.range = m.range;
        await this.postReport();
        return;
      case 'usage/exportCsv':
        await this.exportCsv(m.range);
        return;
      case 'usage/openSettings':
        await openBudgetSettings();
        return;
    }
  }

  /** Saves the records of `range` as CSV where the user picks (save dialog). */
  async exportCsv(range: UsageRange): Promise<vscode.Uri | undefined> {
    await this.tracker.whenLoaded();
    const records = this.tracker.recordsIn(range);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `bedrock-docs-usage-${localDayKey(Date.now())}.csv`),
      filters: { CSV: ['csv'] },
      saveLabel: 'Export Usage',
      title: `Export ${records.length} usage records as CSV`,
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(usageToCsv(records, localDayKey)));
    this.logger.info(`usage report: exported ${records.length} records to ${target.fsPath}`);
    void vscode.window.showInformationMessage(`Bedrock Docs: exported ${records.length} usage records.`, 'Open').then((pick) => {
      if (pick === 'Open') void vscode.window.showTextDocument(target);
    });
    return target;
  }

  private scheduleUpdate(): void {
    if (!this.panel || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.postReport();
    }, UPDATE_DELAY_MS);
  }

  private async postReport(): Promise<void> {
    if (!this.panel) return;
    const message: UsageHostMessage = {
      type: 'usage/report',
      protocolVersion: USAGE_PROTOCOL_VERSION,
      report: this.tracker.report(this.range),
    };
    this.posted.push(message);
    if (this.posted.length > 20) this.posted.shift();
    await this.panel.webview.postMessage(message);
  }

  /** Whether the panel is open. */
  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
