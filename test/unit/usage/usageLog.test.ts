import assert from 'node:assert/strict';
import { purposeOfKind } from '../../../src/core/usage/usageRecord';
import { appendSeparator, formatUsageLine, parseUsageLog } from '../../../src/core/usage/usageLog';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';

const record = (over: Partial<UsageRecord> = {}): UsageRecord => ({
  time: 1_764_000_000_000,
  kind: 'question',
  requests: 1,
  modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
  inputTokens: 10,
  outputTokens: 20,
  cacheReadInputTokens: 30,
  cacheWriteInputTokens: 40,
  embeddingTokens: 0,
  latencyMs: 1234,
  costUsd: 0.00042,
  ...over,
  purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
});

describe('usage log (JSON Lines)', () => {
  it('round-trips records, one versioned line each, unknown cost and error code included', () => {
    const records = [
      record({ estimatedInputTokens: 95 }),
      record({ kind: 'indexing', embeddingTokens: 500, costUsd: null, errorCode: 'THROTTLED' }),
    ];
    const text = records.map(formatUsageLine).join('');
    assert.equal(text.split('\n').length, 3, 'two lines and a final newline');
    assert.match(text, /^\{"v":1,/);
    assert.deepEqual(parseUsageLog(text), { records, skippedLines: 0, tornTail: false });
  });

  it('ignores a torn last line and says so', () => {
    const text = formatUsageLine(record()) + formatUsageLine(record({ time: 2 })).slice(0, 25);
    const parsed = parseUsageLog(text);
    assert.equal(parsed.records.length, 1);
    assert.equal(parsed.tornTail, true);
    assert.equal(parsed.skippedLines, 0);
  });

  it('reads a whole last line that lacks its newline', () => {
    const text = formatUsageLine(record()) + formatUsageLine(record({ time: 2 })).trimEnd();
    assert.deepEqual(
      parseUsageLog(text).records.map((r) => r.time),
      [1_764_000_000_000, 2],
    );
  });

  it('skips and counts corrupt lines, other versions and invalid values, keeping the rest', () => {
    const good = formatUsageLine(record());
    const text = [
      good,
      '{not json\n',
      '\n',
      `${JSON.stringify({ ...record(), v: 2 })}\n`,
      `${JSON.stringify({ ...record(), v: 1, inputTokens: -5 })}\n`,
      `${JSON.stringify({ ...record(), v: 1, kind: 'other' })}\n`,
      good,
    ].join('');
    const parsed = parseUsageLog(text);
    assert.equal(parsed.records.length, 2);
    assert.equal(parsed.skippedLines, 4);
    assert.equal(parsed.tornTail, false);
  });

  it('asks for a newline before appending after a torn line, and none otherwise', () => {
    assert.equal(appendSeparator(''), '');
    assert.equal(appendSeparator('...}\n'), '');
    assert.equal(appendSeparator('{"v":1,"ti'), '\n');
    // The separator keeps the next record readable after a torn line.
    const healed = `${formatUsageLine(record())}{"v":1,"ti${appendSeparator('{"v":1,"ti')}${formatUsageLine(record({ time: 3 }))}`;
    assert.deepEqual(
      parseUsageLog(healed).records.map((r) => r.time),
      [1_764_000_000_000, 3],
    );
  });
});
