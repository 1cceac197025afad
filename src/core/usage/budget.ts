/**
 * The optional monthly budget (USD): a warning once spending reaches 80 %, and a "would exceed"
 * answer before a call whose estimated cost would take the month over, so the edge can ask first.
 * Months are calendar months of the caller's day keys (YYYY-MM).
 */
import { roundUsd } from './cost';
import type { UsageRecord } from './usageRecord';

/** Share of the budget at which the user is warned. */
export const BUDGET_WARN_SHARE = 0.8;

/** none: no budget set; warn: at or over 80 %; exceeded: at or over 100 %. */
export type BudgetLevel = 'none' | 'ok' | 'warn' | 'exceeded';

/** Where this month's spending stands, in USD. */
export interface BudgetStatus {
  level: BudgetLevel;
  /** USD; null when no budget is set. */
  budgetUsd: number | null;
  /** USD spent this month over priced records. */
  spentUsd: number;
  /** spent / budget (0-1+), or null without a budget. */
  share: number | null;
  /** Some record this month had an unknown cost: spentUsd is a lower bound. */
  spentIncomplete: boolean;
  /** With an estimate: the call would take spending over the budget (and it is not over yet). */
  wouldExceed: boolean;
}

// Rounded so that 80 % of $3 is $2.40, not 2.4000000000000004.
function warnLine(budgetUsd: number): number {
  return roundUsd(budgetUsd * BUDGET_WARN_SHARE);
}

/** The YYYY-MM of a day key (YYYY-MM-DD). */
export function monthOfDay(day: string): string {
  return day.slice(0, 7);
}

/** USD spent over priced records of one month, and whether any record's cost was unknown. */
export function spentInMonth(
  records: readonly UsageRecord[],
  month: string,
  dayKey: (timeMs: number) => string,
): { spentUsd: number; incomplete: boolean } {
  let spent = 0;
  let incomplete = false;
  for (const r of records) {
    if (monthOfDay(dayKey(r.time)) !== month) continue;
    if (r.costUsd === null) incomplete = true;
    else spent += r.costUsd;
  }
  return { spentUsd: roundUsd(spent), incomplete };
}

/**
 * Where spending stands against the monthly budget (null or <= 0: no budget). With
 * `estimateUsd`, also whether that call would cross it; an unknown estimate (null) never blocks.
 */
export function checkBudget(input: {
  budgetUsd: number | null;
  spentUsd: number;
  spentIncomplete?: boolean;
  estimateUsd?: number | null;
}): BudgetStatus {
  const { budgetUsd, spentUsd } = input;
  const spentIncomplete = input.spentIncomplete ?? false;
  if (budgetUsd === null || !(budgetUsd > 0))
    return { level: 'none', budgetUsd: null, spentUsd, share: null, spentIncomplete, wouldExceed: false };
  const share = spentUsd / budgetUsd;
  const level: BudgetLevel = spentUsd >= budgetUsd ? 'exceeded' : spentUsd >= warnLine(budgetUsd) ? 'warn' : 'ok';
  const estimate = input.estimateUsd ?? null;
  const wouldExceed = level !== 'exceeded' && estimate !== null && roundUsd(spentUsd + estimate) > budgetUsd;
  return { level, budgetUsd, spentUsd, share, spentIncomplete, wouldExceed };
}

/** True when spending went from below the warning share to at or above it: warn once, not per call. */
export function crossedWarning(beforeUsd: number, afterUsd: number, budgetUsd: number | null): boolean {
  if (budgetUsd === null || !(budgetUsd > 0)) return false;
  const line = warnLine(budgetUsd);
  return beforeUsd < line && afterUsd >= line;
}
