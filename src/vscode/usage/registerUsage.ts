/**
 * Wires usage for activate(): the ledger in global storage, the tracker, its status bar item and
 * budget prompts, the opt-in CloudWatch publisher (rebuilt when its settings change), the report
 * panel and the commands `bedrockDocs.showUsage` and `bedrockDocs.exportUsageCsv`.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { modelOverridesFromSettings } from '../../core/rag/askRequest';
import type { Settings } from '../../core/settings';
import type { CloudWatchSettings } from '../../node/usage/cloudWatchPublisher';
import { MetricsSwitch } from '../../node/usage/metricsSwitch';
import { USAGE_FILE_NAME, UsageStore } from '../../node/usage/usageStore';
import { readExtensionSettings } from '../settingsReader';
import { createBudgetPrompt } from './budgetPrompt';
import { UsageReportPanel } from './usageReportPanel';
import { SHOW_USAGE_COMMAND, UsageStatusBar } from './usageStatusBar';
import type { UsageTrackerSettings } from './usageTracker';
import { UsageTracker } from './usageTracker';

/** Command that saves all recorded usage as CSV. */
export const EXPORT_USAGE_COMMAND = 'bedrockDocs.exportUsageCsv';

/** What activate() passes in. */
export interface UsageDeps {
  logger: Logger;
}

/** What activate() gets back: push `disposables`, hand `tracker` to the chat and index commands. */
export interface UsageRegistration {
  tracker: UsageTracker;
  statusBar: UsageStatusBar;
  report: UsageReportPanel;
  disposables: vscode.Disposable[];
  /** Sends buffered CloudWatch metrics; return it from deactivate() so none are lost. */
  flush(): Promise<void>;
}

function cloudWatchSettingsOf(settings: Settings): CloudWatchSettings | undefined {
  if (!settings['usage.cloudWatch.enabled']) return undefined;
  return { namespace: settings['usage.cloudWatch.namespace'], profile: settings['aws.profile'], region: settings['aws.region'] };
}

function trackerSettingsOf(settings: Settings): UsageTrackerSettings {
  return { budgetUsd: settings['usage.monthlyBudgetUsd'], overrides: modelOverridesFromSettings(settings) };
}

/** Builds and registers everything usage needs; the ledger is read in the background. */
export function registerUsage(context: vscode.ExtensionContext, deps: UsageDeps): UsageRegistration {
  const { logger } = deps;
  let settings = readExtensionSettings().settings;
  const metrics = new MetricsSwitch(logger);
  metrics.configure(cloudWatchSettingsOf(settings));
  const statusBar = new UsageStatusBar();
  const tracker = new UsageTracker({
    ledger: new UsageStore(join(context.globalStorageUri.fsPath, USAGE_FILE_NAME)),
    prompt: createBudgetPrompt(),
    memory: context.globalState,
    logger,
    settings: () => trackerSettingsOf(settings),
    view: statusBar,
    metrics,
  });
  const report = new UsageReportPanel(context.extensionUri, tracker, logger);
  const disposables: vscode.Disposable[] = [
    statusBar,
    report,
    { dispose: () => void metrics.dispose() },
    vscode.commands.registerCommand(SHOW_USAGE_COMMAND, () => report.show()),
    vscode.commands.registerCommand(EXPORT_USAGE_COMMAND, () => report.exportCsv('all')),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!['bedrockDocs.usage', 'bedrockDocs.models', 'bedrockDocs.aws'].some((section) => e.affectsConfiguration(section))) return;
      settings = readExtensionSettings().settings;
      metrics.configure(cloudWatchSettingsOf(settings));
      void tracker.settingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      settings = readExtensionSettings().settings;
      metrics.configure(cloudWatchSettingsOf(settings));
    }),
  ];
  return { tracker, statusBar, report, disposables, flush: () => metrics.flush() };
}
