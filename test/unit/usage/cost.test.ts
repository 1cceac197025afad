import assert from 'node:assert/strict';
import { lookupModel } from '../../../src/core/models/catalog';
import type { TokenUsage } from '../../../src/core/ports';
import {
  cacheSavingsUsd,
  costOfEmbedding,
  costOfUsage,
  estimateCallCostUsd,
  roundUsd,
  totalTokens,
  uncachedCostOfUsage,
} from '../../../src/core/usage/cost';
import { makeUsageRecord } from '../../../src/core/usage/usageRecord';

const usage = (inputTokens: number, outputTokens: number, cacheReadInputTokens = 0, cacheWriteInputTokens = 0): TokenUsage => ({
  inputTokens,
  outputTokens,
  cacheReadInputTokens,
  cacheWriteInputTokens,
});
const HAIKU_GLOBAL = lookupModel('global.anthropic.claude-haiku-4-5-20251001-v1:0').prices;
const HAIKU_US = lookupModel('us.anthropic.claude-haiku-4-5-20251001-v1:0').prices;

describe('cost: one price kind at a time (hand-computed)', () => {
  // Haiku 4.5 global: $0.001 input, $0.005 output, $0.0001 cache read, $0.00125 cache write per 1k.
  it('input: 1,234 tokens x $0.001/1k = $0.001234', () => assert.equal(costOfUsage(usage(1234, 0), HAIKU_GLOBAL), 0.001234));
  it('output: 567 tokens x $0.005/1k = $0.002835', () => assert.equal(costOfUsage(usage(0, 567), HAIKU_GLOBAL), 0.002835));
  it('cache read: 8,000 tokens x $0.0001/1k = $0.0008', () => assert.equal(costOfUsage(usage(0, 0, 8000), HAIKU_GLOBAL), 0.0008));
  it('cache write: 5,000 tokens x $0.00125/1k = $0.00625', () => assert.equal(costOfUsage(usage(0, 0, 0, 5000), HAIKU_GLOBAL), 0.00625));
  it('all four add up: 0.001234 + 0.002835 + 0.0008 + 0.00625 = $0.011119', () =>
    assert.equal(costOfUsage(usage(1234, 567, 8000, 5000), HAIKU_GLOBAL), 0.011119));
  it('regional profile: 1,000 input tokens x $0.0011/1k = $0.0011', () => assert.equal(costOfUsage(usage(1000, 0), HAIKU_US), 0.0011));
  it('embeddings: 12,345 Titan V2 tokens x $0.00002/1k = $0.0002469', () => {
    assert.equal(costOfEmbedding(12_345, lookupModel('amazon.titan-embed-text-v2:0').prices), 0.0002469);
  });
});

describe('cost: unknown and zero prices', () => {
  it('is null for an unknown model with tokens, and 0 when nothing was used', () => {
    const unknown = lookupModel('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc').prices;
    assert.equal(costOfUsage(usage(10, 10), unknown), null);
    assert.equal(costOfUsage(usage(0, 0), unknown), 0);
    assert.equal(costOfEmbedding(100, null), null);
  });

  it('is null when cache tokens arrive for a model without cache prices, priced when there are none', () => {
    const claude3Haiku = lookupModel('anthropic.claude-3-haiku-20240307-v1:0').prices;
    assert.equal(costOfUsage(usage(100, 100, 50), claude3Haiku), null);
    assert.equal(costOfUsage(usage(1000, 1000), claude3Haiku), 0.0015);
  });

  it('keeps zero prices as a real $0 (a free endpoint), not unknown', () => {
    const free = { inputPer1k: 0, outputPer1k: 0, cacheReadPer1k: 0, cacheWritePer1k: 0 };
    assert.equal(costOfUsage(usage(5000, 5000, 5000, 5000), free), 0);
    assert.equal(costOfUsage(usage(5000, 5000), { inputPer1k: 0 }), null, 'output price missing');
  });
});

describe('cost: caching and estimates', () => {
  it('counts all four kinds in the total', () => assert.equal(totalTokens(usage(1, 20, 300, 4000)), 4321));

  it('prices cache tokens as plain input for the uncached cost, and savings are the difference', () => {
    // Sonnet 4.5 global: input $0.003, cache read $0.0003, cache write $0.00375 per 1k.
    const sonnet = lookupModel('global.anthropic.claude-sonnet-4-5-20250929-v1:0').prices;
    assert.equal(uncachedCostOfUsage(usage(100, 0, 10_000, 0), sonnet), 0.0303);
    assert.equal(cacheSavingsUsd(usage(100, 0, 10_000, 0), sonnet), 0.027, '10k reads: 0.03 - 0.003');
    assert.equal(cacheSavingsUsd(usage(0, 0, 0, 4000), sonnet), -0.003, 'a write alone costs 25 % more: 0.012 - 0.015');
    assert.equal(cacheSavingsUsd(usage(1, 1, 1, 1), null), null);
  });

  it('estimates a call from input and max output tokens', () => {
    assert.equal(estimateCallCostUsd(HAIKU_GLOBAL, { inputTokens: 3000, outputTokens: 2048 }), 0.01324);
    assert.equal(estimateCallCostUsd(null, { inputTokens: 1, outputTokens: 1 }), null);
  });

  it('rounds to 1e-10 USD so decimal sums compare exactly', () => {
    assert.equal(roundUsd(0.1 + 0.2), 0.3);
  });
});

describe('usage record', () => {
  it('prices chat and embedding tokens from the model, keeping counts and the error code', () => {
    const r = makeUsageRecord({
      time: 1_000,
      kind: 'question',
      model: lookupModel('global.anthropic.claude-haiku-4-5-20251001-v1:0'),
      usage: usage(1000, 100, 2000, 0),
      latencyMs: 850,
      errorCode: 'STREAM_INTERRUPTED',
      estimatedInputTokens: 2900,
    });
    assert.deepEqual(r, {
      time: 1_000,
      kind: 'question',
      purpose: 'question',
      requests: 1,
      modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      inputTokens: 1000,
      outputTokens: 100,
      cacheReadInputTokens: 2000,
      cacheWriteInputTokens: 0,
      embeddingTokens: 0,
      latencyMs: 850,
      costUsd: 0.0017,
      errorCode: 'STREAM_INTERRUPTED',
      estimatedInputTokens: 2900,
    });
    const indexing = makeUsageRecord({
      time: 2_000,
      kind: 'indexing',
      model: lookupModel('amazon.titan-embed-text-v2:0'),
      embeddingTokens: 50_000,
      latencyMs: 4000,
    });
    assert.equal(indexing.costUsd, 0.001);
    assert.equal('errorCode' in indexing, false);
    const unknown = makeUsageRecord({
      time: 3_000,
      kind: 'question',
      model: lookupModel('arn:aws:bedrock:us-east-1:1:provisioned-model/x'),
      usage: usage(1, 1),
      latencyMs: 1,
    });
    assert.equal(unknown.costUsd, null);
  });
});
