/**
 * The monthly budget's prompts in VS Code: a warning notification at 80 % (with buttons to the
 * report and the setting) and a modal question before a request that would go over the budget.
 */
import * as vscode from 'vscode';
import { formatCost } from '../../protocol/formatStats';
import type { BudgetAnswer, BudgetPrompt, BudgetQuestion, BudgetWarning } from './usageTracker';
import { SHOW_USAGE_COMMAND } from './usageStatusBar';

const SEND = 'Send';
const SEND_FOR_MONTH = "Send, Don't Ask Again This Month";

const spent = (b: BudgetWarning) =>
  `${formatCost(b.spentUsd)}${b.spentIncomplete ? '+' : ''} of your ${formatCost(b.budgetUsd)} monthly budget`;

/** Opens the budget setting in the Settings editor. */
export function openBudgetSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', 'bedrockDocs.usage');
}

/** The prompts behind the UsageTracker's BudgetPrompt port. */
export function createBudgetPrompt(): BudgetPrompt {
  return {
    warn(w: BudgetWarning): void {
      const what = w.share >= 1 ? 'is over' : `has reached ${Math.floor(w.share * 100)} % of`;
      // Not awaited: the request that crossed the line has finished and nothing waits for this.
      void vscode.window
        .showWarningMessage(`Bedrock Docs: spending in ${w.month} ${what} the monthly budget (${spent(w)}).`, 'Show Usage', 'Change Budget')
        .then((pick) => {
          if (pick === 'Show Usage') return vscode.commands.executeCommand(SHOW_USAGE_COMMAND);
          if (pick === 'Change Budget') return openBudgetSettings();
          return undefined;
        });
    },
    async confirm(q: BudgetQuestion): Promise<BudgetAnswer> {
      const estimate =
        q.estimateUsd === null
          ? 'Its cost is unknown (the model has no price in the catalog).'
          : `It is estimated at up to ${formatCost(q.estimateUsd)}.`;
      const message = q.alreadyExceeded
        ? 'Bedrock Docs is over its monthly budget. Send this request anyway?'
        : 'This request may take Bedrock Docs over its monthly budget. Send it?';
      const detail = `Spent so far in ${q.month}: ${spent(q)}. ${estimate} Change the limit in bedrockDocs.usage.monthlyBudgetUsd.`;
      const pick = await vscode.window.showWarningMessage(message, { modal: true, detail }, SEND, SEND_FOR_MONTH);
      return pick === SEND ? 'send' : pick === SEND_FOR_MONTH ? 'sendForMonth' : 'cancel';
    },
  };
}
