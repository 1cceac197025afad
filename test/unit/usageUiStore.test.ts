import assert from 'node:assert/strict';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockDocsError } from '../../src/core/errors';
import type { Logger } from '../../src/core/ports';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { cliUsagePath, recordCliUsage, UsageStore } from '../../src/node/usage/usageStore';

function rec(i: number, over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    time: 1_767_600_000_000 + i,
    kind: 'question',
    requests: 1,
    modelId: 'us.amazon.nova-lite-v1:0',
    inputTokens: i,
    outputTokens: 2 * i,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
    latencyMs: 100 + i,
    costUsd: i / 1e6,
    ...over,
    purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
  };
}

describe('UsageStore (JSONL usage ledger on disk)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'usage-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back exactly what was appended, creating the folder, oldest first', async () => {
    const store = new UsageStore(join(dir, 'nested', 'usage.jsonl'));
    const records = [
      rec(1),
      rec(2, { costUsd: null, errorCode: 'THROTTLED' }),
      rec(3, { kind: 'indexing', embeddingTokens: 5000, estimatedInputTokens: 7 }),
    ];
    for (const r of records) await store.append(r);
    assert.deepEqual((await store.read()).records, records);
    const text = await readFile(store.path, 'utf8');
    assert.equal(text.split('\n').length, 4, 'one line per record and a final newline');
  });

  it('keeps every line whole when many appends race', async () => {
    const store = new UsageStore(join(dir, 'usage.jsonl'));
    await Promise.all(Array.from({ length: 60 }, (_, i) => store.append(rec(i))));
    const log = await store.read();
    assert.equal(log.records.length, 60);
    assert.equal(log.skippedLines, 0);
    assert.deepEqual(
      log.records.map((r) => r.inputTokens),
      Array.from({ length: 60 }, (_, i) => i),
      'in call order',
    );
  });

  it('fences off a torn last line, so the next record is not swallowed', async () => {
    const store = new UsageStore(join(dir, 'usage.jsonl'));
    await store.append(rec(1));
    await appendFile(store.path, '{"v":1,"time":176760');
    assert.deepEqual(await store.read(), { records: [rec(1)], skippedLines: 0, tornTail: true });
    await store.append(rec(2));
    const log = await store.read();
    assert.deepEqual(log.records, [rec(1), rec(2)]);
    assert.equal(log.skippedLines, 1, 'the torn line is now a complete bad line');
    assert.equal(log.tornTail, false);
  });

  it('reads a missing ledger as empty, and an unreadable one as a coded error naming the file', async () => {
    assert.deepEqual(await new UsageStore(join(dir, 'none.jsonl')).read(), { records: [], skippedLines: 0, tornTail: false });
    await mkdir(join(dir, 'a-directory.jsonl'));
    await assert.rejects(
      new UsageStore(join(dir, 'a-directory.jsonl')).read(),
      (err: unknown) =>
        err instanceof BedrockDocsError &&
        err.code === 'BAD_INPUT' &&
        /a-directory\.jsonl/.test(err.message) &&
        /move it away/.test(err.hint ?? ''),
    );
  });

  it('recordCliUsage writes <cacheDir>/usage.jsonl and never throws, logging why it could not', async () => {
    await recordCliUsage(join(dir, '.bedrock-docs'), rec(5));
    assert.deepEqual((await new UsageStore(cliUsagePath(join(dir, '.bedrock-docs'))).read()).records, [rec(5)]);
    await writeFile(join(dir, 'not-a-dir'), 'x');
    const warnings: string[] = [];
    const logger: Logger = {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => void warnings.push(m),
      error: () => undefined,
    };
    await recordCliUsage(join(dir, 'not-a-dir'), rec(6), logger);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not record usage in .*not-a-dir\/usage\.jsonl/);
  });
});
