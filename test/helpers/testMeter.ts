/**
 * A CallMeter over an in-memory ledger, for unit tests of code that is handed metered ports: the
 * same door production uses (core/metering), with a redactor, a budget and a consent of the test's
 * choosing, and the records it wrote.
 */
import type { CallMeterHost, OverBudgetQuestion } from '../../src/core/metering/callMeter';
import { CallMeter } from '../../src/core/metering/callMeter';
import type { UsageRecord } from '../../src/core/usage/usageRecord';

export interface TestMeter {
  meter: CallMeter;
  /** Every record written, in order (summed ones after `meter.flush()`). */
  records: UsageRecord[];
  /** Every over-budget question asked. */
  questions: OverBudgetQuestion[];
}

export function testMeter(
  options: { redact?: (text: string) => string; budgetUsd?: number | null; spentUsd?: number; consent?: boolean } = {},
): TestMeter {
  const records: UsageRecord[] = [];
  const questions: OverBudgetQuestion[] = [];
  const host: CallMeterHost = {
    record: (r) => void records.push(r),
    monthSpend: () => ({
      month: '2026-12',
      spentUsd: (options.spentUsd ?? 0) + records.reduce((s, r) => s + (r.costUsd ?? 0), 0),
      incomplete: false,
    }),
    consentOverBudget: async (q) => {
      questions.push(q);
      return options.consent ?? false;
    },
  };
  const meter = new CallMeter({
    host,
    settings: () => ({ budgetUsd: options.budgetUsd ?? null, overrides: {} }),
    redact: () => options.redact ?? ((t) => t),
  });
  return { meter, records, questions };
}
