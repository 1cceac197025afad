/** The usage status bar item (beside the index item): tokens, cost, a spinner, last latency; click opens the report. */
import * as vscode from 'vscode';
import type { UsageStatusView } from './usageTracker';
import type { UsageStatusModel } from './usageStatusText';

/** Command the item runs: the usage report. */
export const SHOW_USAGE_COMMAND = 'bedrockDocs.showUsage';

/** The status bar item the UsageTracker draws on; its tooltip is Markdown with theme icons. */
export class UsageStatusBar implements UsageStatusView, vscode.Disposable {
  // Priority 49: just right of the index item (50), both on the left.
  private readonly item = vscode.window.createStatusBarItem('bedrockDocs.usage', vscode.StatusBarAlignment.Left, 49);
  private markdown = '';

  constructor() {
    this.item.name = 'Bedrock Docs Usage';
    this.item.command = SHOW_USAGE_COMMAND;
    this.item.text = '$(graph) Usage';
    this.item.tooltip = 'Bedrock Docs: token usage and estimated cost. Click for the usage report.';
    this.item.show();
  }

  show(model: UsageStatusModel): void {
    this.item.text = model.text;
    const tooltip = new vscode.MarkdownString(model.tooltip, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: model.accessibleLabel, role: 'button' };
    this.markdown = model.tooltip;
  }

  /** The text shown (host tests read it). */
  get text(): string {
    return this.item.text;
  }

  /** The tooltip's Markdown source (host tests read it). */
  get tooltipMarkdown(): string {
    return this.markdown;
  }

  dispose(): void {
    this.item.dispose();
  }
}
