import assert from 'node:assert/strict';
import { purposeOfKind } from '../../../src/core/usage/usageRecord';
import { usageToCsv } from '../../../src/core/usage/usageCsv';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const rec = (over: Partial<UsageRecord>): UsageRecord => ({
  time: Date.UTC(2026, 10, 29, 8, 30),
  kind: 'question',
  requests: 1,
  modelId: 'us.amazon.nova-pro-v1:0',
  inputTokens: 100,
  outputTokens: 20,
  cacheReadInputTokens: 3,
  cacheWriteInputTokens: 4,
  embeddingTokens: 0,
  latencyMs: 456,
  costUsd: 0.00015,
  ...over,
  purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
});

describe('usage CSV', () => {
  it('writes a header and one CRLF row per record, unknown cost as an empty cell', () => {
    const csv = usageToCsv([rec({}), rec({ costUsd: null, errorCode: 'THROTTLED' })], utcDay);
    const lines = csv.split('\r\n');
    assert.equal(
      lines[0],
      'time,day,kind,modelId,inputTokens,outputTokens,cacheReadInputTokens,cacheWriteInputTokens,totalTokens,embeddingTokens,latencyMs,costUsd,errorCode',
    );
    assert.equal(lines[1], '2026-11-29T08:30:00.000Z,2026-11-29,question,us.amazon.nova-pro-v1:0,100,20,3,4,127,0,456,0.00015,');
    assert.equal(lines[2], '2026-11-29T08:30:00.000Z,2026-11-29,question,us.amazon.nova-pro-v1:0,100,20,3,4,127,0,456,,THROTTLED');
    assert.equal(lines[3], '', 'ends with a line break');
  });

  it('quotes commas and quotes, and keeps text that looks like a formula as text', () => {
    const csv = usageToCsv([rec({ modelId: 'my,"model"' }), rec({ modelId: '=HYPERLINK("x")' })], utcDay);
    const lines = csv.split('\r\n');
    assert.match(lines[1]!, /,"my,""model""",/);
    assert.match(lines[2]!, /,"'=HYPERLINK\(""x""\)",/);
  });
});
