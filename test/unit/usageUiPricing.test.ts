import assert from 'node:assert/strict';
import { defaultSettings } from '../../src/core/settings';
import { modelOverridesFromSettings } from '../../src/core/rag/askRequest';
import { estimateRequestUsd, priceUsageCall, pricesLookup } from '../../src/node/usage/usagePricing';

const HAIKU_GLOBAL = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc';

describe('usage pricing (catalog plus models.* settings)', () => {
  it('prices each kind of token apart: a hand-computed global Claude Haiku 4.5 call', () => {
    const record = priceUsageCall({
      kind: 'question',
      modelId: HAIKU_GLOBAL,
      usage: { inputTokens: 1500, outputTokens: 600, cacheReadInputTokens: 20_000, cacheWriteInputTokens: 4000 },
      latencyMs: 2000,
      time: 5,
    });
    // 1.5 x 0.001 + 0.6 x 0.005 + 20 x 0.0001 + 4 x 0.00125 = 0.0015 + 0.003 + 0.002 + 0.005
    assert.equal(record.costUsd, 0.0115);
    assert.equal(record.time, 5);
  });

  it('prices an ARN with the settings, and leaves it unknown (null) when a needed price is missing', () => {
    const overrides = modelOverridesFromSettings({
      ...defaultSettings(),
      'models.inputPricePer1k': 0.002,
      'models.outputPricePer1k': 0.008,
    });
    const usage = { inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
    assert.equal(priceUsageCall({ kind: 'question', modelId: ARN, usage, latencyMs: 1 }, overrides).costUsd, 0.006);
    assert.equal(
      priceUsageCall({ kind: 'question', modelId: ARN, usage: { ...usage, cacheReadInputTokens: 10 }, latencyMs: 1 }, overrides).costUsd,
      null,
      'no cache-read price set',
    );
    assert.equal(priceUsageCall({ kind: 'question', modelId: ARN, usage, latencyMs: 1 }).costUsd, null);
    assert.equal(
      priceUsageCall({ kind: 'question', modelId: ARN, latencyMs: 1, errorCode: 'ACCESS_DENIED' }).costUsd,
      0,
      'a call that used no tokens cost nothing',
    );
    assert.equal(pricesLookup(overrides)(ARN)?.inputPer1k, 0.002);
    assert.equal(pricesLookup()(ARN), null);
  });

  it('estimates a request from its prompt tokens and maxTokens, or null without prices', () => {
    // 12 x 0.001 + 4.096 x 0.005 = 0.012 + 0.02048
    assert.equal(estimateRequestUsd(HAIKU_GLOBAL, { inputTokens: 12_000, maxOutputTokens: 4096 }), 0.03248);
    assert.equal(estimateRequestUsd(ARN, { inputTokens: 12_000, maxOutputTokens: 4096 }), null);
  });
});
