import assert from 'node:assert/strict';
import { checkBudget, crossedWarning, monthOfDay, spentInMonth } from '../../../src/core/usage/budget';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const rec = (time: number, costUsd: number | null): UsageRecord => ({
  time,
  kind: 'question',
  purpose: 'question',
  requests: 1,
  modelId: 'm',
  inputTokens: 1,
  outputTokens: 1,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  embeddingTokens: 0,
  latencyMs: 1,
  costUsd,
});

describe('monthly budget', () => {
  it('has no level without a budget', () => {
    for (const budgetUsd of [null, 0, -5]) assert.equal(checkBudget({ budgetUsd, spentUsd: 100, estimateUsd: 50 }).level, 'none');
  });

  it('is ok below 80 %, warns from 80 %, and is exceeded at 100 %', () => {
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 7.99 }).level, 'ok');
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 8 }).level, 'warn');
    assert.equal(checkBudget({ budgetUsd: 3, spentUsd: 2.4 }).level, 'warn', '80 % of $3 is $2.40 exactly');
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 10 }).level, 'exceeded');
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 2.5 }).share, 0.25);
  });

  it('says a call would exceed before it is made, and never blocks on an unknown estimate', () => {
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 9.5, estimateUsd: 0.6 }).wouldExceed, true);
    assert.equal(
      checkBudget({ budgetUsd: 10, spentUsd: 9.5, estimateUsd: 0.5 }).wouldExceed,
      false,
      'landing exactly on the budget is allowed',
    );
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 9.5, estimateUsd: null }).wouldExceed, false);
    assert.equal(checkBudget({ budgetUsd: 10, spentUsd: 12, estimateUsd: 1 }).wouldExceed, false, 'already exceeded is its own level');
  });

  it('warns once, when spending crosses 80 %', () => {
    assert.equal(crossedWarning(7.9, 8.1, 10), true);
    assert.equal(crossedWarning(8.1, 8.5, 10), false);
    assert.equal(crossedWarning(2.3, 2.4, 3), true);
    assert.equal(crossedWarning(1, 100, null), false);
  });

  it('adds up one calendar month and flags unknown costs', () => {
    const records = [
      rec(Date.UTC(2026, 9, 31, 23), 5),
      rec(Date.UTC(2026, 10, 1), 0.25),
      rec(Date.UTC(2026, 10, 29), 0.5),
      rec(Date.UTC(2026, 10, 29), null),
    ];
    assert.deepEqual(spentInMonth(records, '2026-11', utcDay), { spentUsd: 0.75, incomplete: true });
    assert.deepEqual(spentInMonth(records, '2026-10', utcDay), { spentUsd: 5, incomplete: false });
    assert.equal(monthOfDay('2026-11-29'), '2026-11');
  });
});
