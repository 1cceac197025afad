/**
 * The CLI's side of the call meter: records go to the JSONL ledger next to the index, the month's
 * spending is read from it once (only when a budget is set), and consent to go over the budget
 * comes from a flag, never from a prompt (the CLI runs in scripts and CI).
 */
import { describeError } from '../../core/errors';
import type { CallMeterHost, OverBudgetQuestion } from '../../core/metering/callMeter';
import type { Logger } from '../../core/ports';
import { monthOfDay, spentInMonth } from '../../core/usage/budget';
import type { UsageRecord } from '../../core/usage/usageRecord';
import { localDayKey } from '../../core/usage/usageSummary';
import type { UsageLedger } from './usageStore';

/** A meter host over a ledger file. */
export class LedgerMeterHost implements CallMeterHost {
  private readonly records: UsageRecord[] = [];
  private writes: Promise<void> = Promise.resolve();
  private warned = false;

  private constructor(
    private readonly ledger: UsageLedger,
    private readonly options: { logger: Logger; allowOverBudget: boolean },
  ) {}

  /** Opens the ledger; reads it only when the month's spending matters (a budget is set). */
  static async open(
    ledger: UsageLedger,
    options: { logger: Logger; budgetSet: boolean; allowOverBudget: boolean },
  ): Promise<LedgerMeterHost> {
    const host = new LedgerMeterHost(ledger, options);
    if (options.budgetSet) {
      try {
        host.records.push(...(await ledger.read()).records);
      } catch (err) {
        options.logger.warn(`usage log unreadable, the budget counts this run only: ${describeError(err)}`);
      }
    }
    return host;
  }

  record(record: UsageRecord): void {
    this.records.push(record);
    this.writes = this.writes.then(
      () => this.ledger.append(record),
      () => this.ledger.append(record),
    );
    this.writes.catch((err) => {
      if (!this.warned) this.options.logger.warn(`could not record usage: ${describeError(err)}`);
      this.warned = true;
    });
  }

  monthSpend(now: number): { month: string; spentUsd: number; incomplete: boolean } {
    const month = monthOfDay(localDayKey(now));
    const { spentUsd, incomplete } = spentInMonth(this.records, month, localDayKey);
    return { month, spentUsd, incomplete };
  }

  async consentOverBudget(_question: OverBudgetQuestion): Promise<boolean> {
    return this.options.allowOverBudget;
  }

  /** Resolves when every record given so far is on disk (or failed to be written, and was said). */
  async flushed(): Promise<void> {
    await this.writes.catch(() => undefined);
  }
}
