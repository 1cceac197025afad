import assert from 'node:assert/strict';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { totalsOf } from '../../src/core/usage/usageSummary';
import type { UsageStatusInput } from '../../src/vscode/usage/usageStatusText';
import { formatCostShort, formatTokensShort, usageStatusModel } from '../../src/vscode/usage/usageStatusText';

const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';

function rec(over: Partial<UsageRecord>): UsageRecord {
  return {
    time: 1,
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

function input(over: Partial<UsageStatusInput> = {}): UsageStatusInput {
  const session = [rec({ inputTokens: 1200, cacheReadInputTokens: 8000, cacheWriteInputTokens: 2000, outputTokens: 1100, costUsd: 0.021 })];
  const today = [...session, rec({ inputTokens: 28_000, outputTokens: 2000, costUsd: 0.064 })];
  return {
    session: totalsOf(session),
    today: totalsOf(today),
    todayIndexing: totalsOf([]),
    sessionByModel: [{ modelId: HAIKU, ...totalsOf(session) }],
    sessionCacheSavingsUsd: 0.0047,
    running: 0,
    lastLatencyMs: 2400,
    budget: null,
    catalogDate: '2026-11-29',
    ...over,
  };
}

describe('usage status bar wording', () => {
  it('abbreviates token counts to a few characters', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [850, '850'],
      [999, '999'],
      [1000, '1k'],
      [1234, '1.2k'],
      [9949, '9.9k'],
      [9999, '10k'],
      [12_400, '12k'],
      [999_499, '999k'],
      [999_500, '1M'],
      [1_250_000, '1.3M'],
      [42_000_000, '42M'],
    ];
    assert.deepEqual(
      cases.map(([n]) => formatTokensShort(n)),
      cases.map(([, s]) => s),
    );
  });

  it('shows an unknown cost as "$?" and a partly unknown one as at least, never as $0', () => {
    assert.equal(formatCostShort({ costUsd: null, costComplete: false }), '$?');
    assert.equal(formatCostShort({ costUsd: 0.02, costComplete: false }), '$0.02+');
    assert.equal(formatCostShort({ costUsd: 0.0042, costComplete: true }), '$0.0042');
    const unknown = totalsOf([
      rec({ inputTokens: 500, outputTokens: 50, costUsd: null, modelId: 'arn:aws:bedrock:us-east-1:1:provisioned-model/x' }),
    ]);
    const model = usageStatusModel(
      input({
        session: unknown,
        today: unknown,
        sessionByModel: [{ modelId: 'arn:aws:bedrock:us-east-1:1:provisioned-model/x', ...unknown }],
        lastLatencyMs: null,
      }),
    );
    assert.equal(model.text, '$(graph) 500/50 $? · today 500/50 $?');
    assert.doesNotMatch(model.text, /\$0/);
    assert.match(model.tooltip, /\| Session \| 500 \| 0 \| 0 \| 50 \| unknown \|/);
    assert.match(model.tooltip, /Cost unknown for `arn:aws:bedrock:us-east-1:1:provisioned-model\/x`: .*bedrockDocs\.models\.\*PricePer1k/);
    assert.match(model.accessibleLabel, /session 500 input and 50 output tokens, cost unknown/);
  });

  it('puts session and today tokens (input side / output), cost and last latency in the text; a spinner while running', () => {
    assert.equal(usageStatusModel(input()).text, '$(graph) 11k/1.1k $0.021 · today 39k/3.1k $0.085 · 2.4 s');
    assert.match(usageStatusModel(input({ running: 1 })).text, /^\$\(loading~spin\) 11k\/1\.1k/);
    assert.match(usageStatusModel(input({ running: 1 })).tooltip, /\(a request is running\)/);
  });

  it('breaks the tooltip down by kind of token, by model, cache savings, indexing and budget', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      modelId: `model-${i}|x`,
      ...totalsOf([rec({ inputTokens: 10, costUsd: 0.001 })]),
    }));
    const model = usageStatusModel(
      input({
        sessionByModel: many,
        todayIndexing: totalsOf([rec({ kind: 'indexing', embeddingTokens: 52_000, costUsd: 0.00104 })]),
        budget: { month: '2026-01', level: 'warn', budgetUsd: 10, spentUsd: 8.5, share: 0.85, spentIncomplete: false, wouldExceed: false },
      }),
    );
    const t = model.tooltip;
    assert.match(t, /\| Session \| 1,200 \| 8,000 \| 2,000 \| 1,100 \| \$0\.021 \|/);
    assert.match(t, /\| Today \| 29,200 \| 8,000 \| 2,000 \| 3,100 \| \$0\.085 \|/);
    assert.equal((t.match(/\| `model-\d\\\|x` \|/g) ?? []).length, 6, 'six models at most, pipes escaped for the table');
    assert.match(t, /\| and 2 more \|/);
    assert.match(t, /Prompt cache: 71 % of input read from the cache this session, saving \$0\.0047\./);
    assert.match(t, /Indexing today: 52,000 embedding tokens, \$0\.001 estimated\./);
    assert.match(t, /\$\(warning\) Budget: \$8\.50 of \$10\.00 spent in 2026-01 \(85 %\)\./);
    assert.match(t, /prices checked 2026-11-29\. Click for the usage report\./);
    assert.match(t, /Last answer: 2\.4 s\./);
  });

  it('says when cache writes have so far cost more than they saved', () => {
    const t = usageStatusModel(input({ sessionCacheSavingsUsd: -0.0025 })).tooltip;
    assert.match(t, /costing \$0\.0025 more so far/);
  });

  it('leaves the cache line out when nothing was cached, and code spans cannot be broken by a backtick', () => {
    const plain = totalsOf([rec({ inputTokens: 100, outputTokens: 10, costUsd: 0.001 })]);
    const t = usageStatusModel(input({ session: plain, sessionByModel: [{ modelId: 'we`ird\nid', ...plain }] })).tooltip;
    assert.doesNotMatch(t, /Prompt cache/);
    assert.match(t, /\| `weirdid` \|/);
  });
});
