import assert from 'node:assert/strict';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { localDayKey } from '../../src/core/usage/usageSummary';
import { pricesLookup } from '../../src/node/usage/usagePricing';
import { migrateUsageState, parseUsageHostMessage, parseUsageViewMessage, USAGE_PROTOCOL_VERSION } from '../../src/usageview/usageMessages';
import { buildUsageReport, daysBetween, recordsInRange } from '../../src/usageview/usageReport';

const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const NOW = new Date(2026, 2, 31, 15).getTime();
const day = (month: number, date: number, hour = 10) => new Date(2026, month - 1, date, hour).getTime();

function rec(over: Partial<UsageRecord>): UsageRecord {
  return {
    time: NOW,
    kind: 'question',
    requests: 1,
    modelId: HAIKU,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
    latencyMs: 1000,
    costUsd: 0,
    ...over,
    purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
  };
}

describe('usage report data', () => {
  it('lists consecutive calendar days across month ends and daylight-saving changes', () => {
    const days = daysBetween(day(3, 1), day(4, 2));
    assert.equal(days.length, 33);
    assert.equal(days[0], '2026-03-01');
    assert.equal(days.at(-1), '2026-04-02');
    assert.equal(new Set(days).size, days.length, 'no day twice');
    for (let i = 1; i < days.length; i++) assert.ok(days[i]! > days[i - 1]!, `${days[i]} after ${days[i - 1]}`);
    assert.deepEqual(daysBetween(day(3, 5), day(3, 5, 23)), ['2026-03-05']);
    assert.deepEqual(daysBetween(day(3, 6), day(3, 5)), [], 'an end before the start is empty');
  });

  it('keeps a range to its last N calendar days, today included; "all" starts at the oldest record', () => {
    const records = [rec({ time: day(3, 24, 23) }), rec({ time: day(3, 25, 0) }), rec({ time: day(1, 2) })];
    assert.deepEqual(
      recordsInRange(records, '7d', NOW).map((r) => r.time),
      [day(3, 25, 0)],
    );
    assert.equal(recordsInRange(records, '90d', NOW).length, 3);
    const all = buildUsageReport(records, { range: 'all', now: NOW });
    assert.equal(all.days[0]!.day, '2026-01-02');
    assert.equal(all.days.at(-1)!.day, localDayKey(NOW));
    assert.equal(all.days.length, 89);
    assert.equal(buildUsageReport(records, { range: '7d', now: NOW }).days.length, 7);
  });

  it('sums each day (zeros for quiet days), each model and each kind, with latency percentiles and errors by code', () => {
    const records = [
      rec({ time: day(3, 30), inputTokens: 1000, cacheReadInputTokens: 3000, outputTokens: 100, costUsd: 0.0018, latencyMs: 800 }),
      rec({ time: day(3, 30, 11), inputTokens: 500, outputTokens: 50, costUsd: 0.00075, latencyMs: 1200 }),
      rec({ time: day(3, 31), errorCode: 'THROTTLED', latencyMs: 9000 }),
      rec({ time: day(3, 31), errorCode: 'THROTTLED', latencyMs: 9000 }),
      rec({ time: day(3, 31), errorCode: 'TIMEOUT', latencyMs: 60000 }),
      rec({
        time: day(3, 31),
        kind: 'indexing',
        modelId: 'amazon.titan-embed-text-v2:0',
        embeddingTokens: 10_000,
        costUsd: 0.0002,
        latencyMs: 300,
      }),
      rec({ time: day(3, 29), modelId: 'arn:aws:bedrock:us-east-1:1:custom-model/x', inputTokens: 10, outputTokens: 1, costUsd: null }),
    ];
    const report = buildUsageReport(records, { range: '7d', now: NOW, pricesOf: pricesLookup() });
    assert.deepEqual(
      report.days.map((d) => [d.day, d.requests]),
      [
        ['2026-03-25', 0],
        ['2026-03-26', 0],
        ['2026-03-27', 0],
        ['2026-03-28', 0],
        ['2026-03-29', 1],
        ['2026-03-30', 2],
        ['2026-03-31', 4],
      ],
    );
    assert.equal(report.days[4]!.costUsd, null, 'a day with only an unpriced call has an unknown cost');
    assert.equal(report.days[0]!.costUsd, 0, 'a quiet day cost nothing');
    assert.equal(report.total.costUsd, 0.00275);
    assert.equal(report.total.costComplete, false);
    assert.deepEqual(
      report.models.map((m) => m.modelId),
      [HAIKU, 'amazon.titan-embed-text-v2:0', 'arn:aws:bedrock:us-east-1:1:custom-model/x'],
    );
    const question = report.kinds.find((k) => k.kind === 'question')!;
    assert.deepEqual([question.requests, question.errors, question.errorRate], [6, 3, 0.5]);
    assert.deepEqual(question.errorsByCode, [
      { code: 'THROTTLED', count: 2 },
      { code: 'TIMEOUT', count: 1 },
    ]);
    assert.deepEqual(question.latency, { count: 3, p50: 1000, p95: 1200 }, 'failed calls do not count in latency');
    assert.deepEqual(report.questionLatency, question.latency);
    // 3,000 cache reads at (0.001 - 0.0001) per 1k saved versus plain input.
    assert.equal(report.cacheSavingsUsd, 0.0027);
    assert.equal(report.total.cacheHitShare, 3000 / 4510);
  });

  it('states the month against the budget, over the whole month even when the range is shorter', () => {
    const records = [rec({ time: day(3, 2), costUsd: 4 }), rec({ time: day(3, 30), costUsd: 4.5 }), rec({ time: day(2, 27), costUsd: 50 })];
    const report = buildUsageReport(records, { range: '7d', now: NOW, budgetUsd: 10 });
    assert.deepEqual(report.budget, { month: '2026-03', budgetUsd: 10, spentUsd: 8.5, share: 0.85, spentIncomplete: false, level: 'warn' });
    assert.equal(buildUsageReport(records, { range: '7d', now: NOW, budgetUsd: null }).budget, null);
    assert.equal(buildUsageReport(records, { range: '7d', now: NOW, budgetUsd: 8 }).budget?.level, 'exceeded');
  });

  it('keeps a record from a clock running ahead visible, on its own day', () => {
    const report = buildUsageReport([rec({ time: day(4, 1, 9) })], { range: '7d', now: NOW });
    assert.equal(report.days.at(-1)!.day, '2026-04-01');
    assert.equal(report.days.at(-1)!.requests, 1);
  });

  it('produces reports the webview accepts, clipping what a hand-edited ledger could make too long', () => {
    const records = [rec({ modelId: 'm'.repeat(5000), errorCode: 'E'.repeat(200), costUsd: null }), rec({ modelId: '', costUsd: 0.1 })];
    const report = buildUsageReport(records, { range: '30d', now: NOW, budgetUsd: 0.05, unreadableLines: 2 });
    const parsed = parseUsageHostMessage({ type: 'usage/report', protocolVersion: USAGE_PROTOCOL_VERSION, report });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.equal(report.models.find((m) => m.modelId.startsWith('m'))!.modelId.length, 2048);
    assert.ok(report.models.some((m) => m.modelId === '(none)'));
    assert.equal(report.kinds[0]!.errorsByCode[0]!.code.length, 64);
    assert.equal(report.unreadableLines, 2);
    const empty = buildUsageReport([], { range: 'all', now: NOW });
    assert.ok(parseUsageHostMessage({ type: 'usage/report', protocolVersion: 1, report: empty }).ok);
    assert.deepEqual(
      empty.days.map((d) => d.day),
      [localDayKey(NOW)],
    );
  });

  it('validates webview messages and migrates saved state', () => {
    assert.deepEqual(parseUsageViewMessage({ type: 'usage/range', range: '90d' }), {
      ok: true,
      value: { type: 'usage/range', range: '90d' },
    });
    const bad = parseUsageViewMessage({ type: 'usage/range', range: '365d' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /usage\/range.*range/);
    assert.equal(parseUsageViewMessage({ type: 'usage/exportCsv' }).ok, false);
    assert.equal(parseUsageViewMessage({ type: 'ready', protocolVersion: 1 }).ok, false, 'ready carries its range');
    assert.equal(parseUsageViewMessage(null).ok, false);
    assert.deepEqual(migrateUsageState(undefined), { version: 1, range: '30d', report: null });
    assert.deepEqual(migrateUsageState({ version: 1, range: '7d', report: null }), { version: 1, range: '7d', report: null });
    assert.deepEqual(migrateUsageState({ version: 2, range: '7d' }), { version: 1, range: '30d', report: null });
  });
});
