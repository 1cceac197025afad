import assert from 'node:assert/strict';
import { purposeOfKind } from '../../../src/core/usage/usageRecord';
import { lookupModel } from '../../../src/core/models/catalog';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';
import { percentile, summarizeUsage, totalsOf } from '../../../src/core/usage/usageSummary';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 27, 12); // 2026-11-27 12:00 UTC
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const APP_PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc';

const rec = (over: Partial<UsageRecord>): UsageRecord => ({
  time: T0,
  kind: 'question',
  requests: 1,
  modelId: HAIKU,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  embeddingTokens: 0,
  latencyMs: 100,
  costUsd: 0,
  ...over,
  purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
});

describe('usage summary', () => {
  const records: UsageRecord[] = [
    rec({ time: T0, inputTokens: 5000, outputTokens: 300, cacheWriteInputTokens: 4000, costUsd: 0.0065, latencyMs: 900 }),
    rec({ time: T0 + DAY, inputTokens: 200, outputTokens: 250, cacheReadInputTokens: 4000, costUsd: 0.00165, latencyMs: 700 }),
    rec({
      time: T0 + DAY + 60_000,
      kind: 'indexing',
      modelId: 'amazon.titan-embed-text-v2:0',
      embeddingTokens: 100_000,
      costUsd: 0.002,
      latencyMs: 5000,
    }),
    rec({ time: T0 + 2 * DAY, modelId: APP_PROFILE, inputTokens: 1000, outputTokens: 100, costUsd: null, latencyMs: 1500 }),
    rec({ time: T0 + 2 * DAY + 1000, errorCode: 'THROTTLED', latencyMs: 30_000 }),
  ];
  const summary = summarizeUsage(records, {
    now: T0 + 2 * DAY + 5000,
    sessionStart: T0 + DAY,
    dayKey: utcDay,
    pricesOf: (id) => lookupModel(id).prices,
  });

  it('adds up the four token counts and embedding tokens apart', () => {
    const t = summary.total;
    assert.deepEqual(
      [t.requests, t.inputTokens, t.outputTokens, t.cacheReadInputTokens, t.cacheWriteInputTokens, t.embeddingTokens],
      [5, 6200, 650, 4000, 4000, 100_000],
    );
    assert.equal(t.totalTokens, 6200 + 650 + 4000 + 4000 + 100_000);
  });

  it('sums priced costs and flags the total as incomplete when a cost was unknown', () => {
    assert.equal(summary.total.costUsd, 0.01015);
    assert.equal(summary.total.costComplete, false);
    const onlyUnknown = totalsOf([rec({ costUsd: null, inputTokens: 5 })]);
    assert.equal(onlyUnknown.costUsd, null, 'unknown, never $0');
  });

  it('splits the session and today from the whole ledger', () => {
    assert.equal(summary.session.requests, 4);
    assert.equal(summary.today.requests, 2);
    assert.equal(summary.today.costUsd, 0, 'the priced record today cost $0; the unknown one is flagged');
    assert.equal(summary.today.costComplete, false);
  });

  it('groups by day (oldest first) and by model (most expensive first)', () => {
    assert.deepEqual(
      summary.byDay.map((d) => [d.day, d.requests]),
      [
        ['2026-11-27', 1],
        ['2026-11-28', 2],
        ['2026-11-29', 2],
      ],
    );
    assert.deepEqual(
      summary.byModel.map((m) => m.modelId),
      [HAIKU, 'amazon.titan-embed-text-v2:0', APP_PROFILE],
    );
    assert.equal(summary.byModel[0]!.costUsd, 0.00815);
  });

  it('reports the cache-hit share of input-side tokens', () => {
    assert.equal(summary.total.cacheHitShare, 4000 / (6200 + 4000 + 4000));
    assert.equal(summary.byKind.indexing.cacheHitShare, null, 'no input tokens: no share');
  });

  it('computes cache savings against paying plain input for the cached tokens', () => {
    // Haiku 4.5 global, per 1k: input 0.001, read 0.0001, write 0.00125.
    // Reads save 4000 x 0.0009/1k = 0.0036; writes cost 4000 x 0.00025/1k = 0.001 more.
    assert.equal(summary.cacheSavingsUsd, 0.0026);
    assert.equal(summarizeUsage(records, { now: T0, sessionStart: 0, dayKey: utcDay }).cacheSavingsUsd, 0, 'no prices: no claimed savings');
  });

  it('gives latency percentiles of successful questions and error rates by kind', () => {
    assert.deepEqual(summary.questionLatency, { count: 3, p50: 900, p95: 1500 });
    assert.equal(summary.byKind.question.errorRate, 1 / 4);
    assert.deepEqual(summary.byKind.question.errorsByCode, { THROTTLED: 1 });
    assert.equal(summary.byKind.indexing.errorRate, 0);
    assert.equal(summary.byKind.eval.errorRate, null, 'no calls: no rate');
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    assert.equal(percentile(values, 50), 10);
    assert.equal(percentile(values, 95), 19);
    assert.equal(percentile(values, 100), 20);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), null);
  });
});
