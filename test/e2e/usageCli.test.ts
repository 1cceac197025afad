/**
 * `bedrock-docs usage` end to end: real ConverseStream calls against the fake Bedrock (the second
 * one reads the prompt cache), their `metadata` usage priced and appended with recordCliUsage
 * under `<dir>/.bedrock-docs/usage.jsonl`, then read back by usageCommand as JSON and as a table.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageJson } from '../../src/cli/commands/usageCommand';
import { usageCommand } from '../../src/cli/commands/usageCommand';
import type { CliIo } from '../../src/cli/cliSession';
import { BedrockDocsError } from '../../src/core/errors';
import type { ChatRequest, TokenUsage } from '../../src/core/ports';
import { BedrockChatModel } from '../../src/node/bedrock/bedrockChatModel';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { priceUsageCall } from '../../src/node/usage/usagePricing';
import { cliUsagePath, recordCliUsage } from '../../src/node/usage/usageStore';
import { isolatedFakeEnv, setEnv } from '../fakes/envScope';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';

// Global Claude Haiku 4.5, USD per 1k: input 0.001, output 0.005, cache read 0.0001, cache write 0.00125.
const MODEL = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const PRICE = { input: 0.001, output: 0.005, read: 0.0001, write: 0.00125 };
const handCost = (u: TokenUsage) =>
  (u.inputTokens * PRICE.input +
    u.outputTokens * PRICE.output +
    u.cacheReadInputTokens * PRICE.read +
    u.cacheWriteInputTokens * PRICE.write) /
  1000;
const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-9;

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTty: false, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('bedrock-docs usage (ledger written from real calls against the fake)', function () {
  this.timeout(60_000);
  let fake: FakeBedrock;
  let restoreEnv: () => void;
  let clients: BedrockClientCache;
  let tmp: string;
  let dir: string;

  before(async () => {
    fake = await startFakeBedrock({ cacheMinimumTokens: 1024 });
    restoreEnv = setEnv(isolatedFakeEnv(fake));
    tmp = await mkdtemp(join(tmpdir(), 'bdusage-'));
  });
  after(async () => {
    restoreEnv();
    await fake.close();
    await rm(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fake.reset();
    clients = new BedrockClientCache();
    dir = await mkdtemp(join(tmp, 'docs-'));
  });
  afterEach(() => clients.dispose());

  /** One streamed question with a cached system prompt; returns the metadata usage and its latency. */
  async function askOnce(question: string): Promise<{ usage: TokenUsage; latencyMs: number }> {
    const { client, context } = await clients.get({ requestTimeoutMs: 5000 });
    const model = new BedrockChatModel(client, context);
    const system = `You answer from the documentation below.\n\n${'The proxy setting lives in the extension settings file and applies to every request. '.repeat(400)}`;
    const request: ChatRequest = {
      modelId: MODEL,
      system: [{ text: system }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: question }] }],
    };
    const started = Date.now();
    let usage: TokenUsage | undefined;
    for await (const event of model.converseStream(request)) if (event.type === 'metadata') usage = event.usage;
    assert.ok(usage, 'the stream ended with a metadata event');
    return { usage, latencyMs: Date.now() - started };
  }

  it('totals the recorded metadata usage exactly, cache reads and writes apart, priced from the catalog', async () => {
    const cacheDir = join(dir, '.bedrock-docs');
    const calls = [await askOnce('Where is the proxy set?'), await askOnce('Does it apply to every request?')];
    const [first, second] = calls.map((c) => c.usage) as [TokenUsage, TokenUsage];
    assert.ok(
      first.cacheWriteInputTokens > 1024 && first.cacheReadInputTokens === 0,
      `first call writes the cache: ${JSON.stringify(first)}`,
    );
    assert.equal(second.cacheReadInputTokens, first.cacheWriteInputTokens, 'the follow-up reads what the first wrote');
    for (const c of calls)
      await recordCliUsage(cacheDir, priceUsageCall({ kind: 'question', modelId: MODEL, usage: c.usage, latencyMs: c.latencyMs }));
    await recordCliUsage(
      cacheDir,
      priceUsageCall({ kind: 'indexing', modelId: 'amazon.titan-embed-text-v2:0', embeddingTokens: 12_345, latencyMs: 80 }),
    );

    const io = capture();
    assert.equal(await usageCommand({ dir, json: true }, io), 0);
    const json = JSON.parse(io.stdout) as UsageJson;
    const sum = (k: keyof TokenUsage) => first[k] + second[k];
    assert.deepEqual(
      [json.inputTokens, json.outputTokens, json.cacheReadInputTokens, json.cacheWriteInputTokens, json.embeddingTokens, json.requests],
      [sum('inputTokens'), sum('outputTokens'), sum('cacheReadInputTokens'), sum('cacheWriteInputTokens'), 12_345, 3],
    );
    // Titan Text Embeddings V2: $0.00002 per 1k tokens.
    assert.ok(close(json.costUsd, handCost(first) + handCost(second) + (12_345 * 0.00002) / 1000), `costUsd ${json.costUsd}`);
    assert.equal(json.costComplete, true);
    const [haiku, titan] = json.byModel;
    assert.equal(haiku?.modelId, MODEL);
    assert.ok(close(haiku!.costUsd, handCost(first) + handCost(second)));
    assert.equal(titan?.embeddingTokens, 12_345);
    assert.equal(json.byDay.length, 1);
    assert.equal(json.byDay[0]!.requests, 3);
    assert.equal(json.file, cliUsagePath(cacheDir));
    assert.ok(handCost(second) < handCost(first), 'the cached follow-up costs less');
    assert.ok(json.cacheSavingsUsd > 0, 'a cache read of the whole prefix pays back the write premium');

    const text = capture();
    assert.equal(await usageCommand({ dir }, text), 0);
    assert.match(text.stdout, /Usage in .*usage\.jsonl: 3 calls/);
    assert.match(text.stdout, new RegExp(`${MODEL.replace(/\./g, '\\.')}\\s+2\\s+${sum('inputTokens').toLocaleString('en-US')}`));
    assert.match(text.stdout, /^Total\s+3\s/m);
    assert.match(text.stdout, /Prompt caching saved \$/);
  });

  it('shows an unknown price as null / "unknown", never 0, and names the settings that fix it', async () => {
    const cacheDir = join(dir, '.bedrock-docs');
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123';
    await recordCliUsage(
      cacheDir,
      priceUsageCall({
        kind: 'question',
        modelId: arn,
        usage: { inputTokens: 900, outputTokens: 100, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        latencyMs: 1000,
      }),
    );
    const io = capture();
    await usageCommand({ dir, json: true }, io);
    const json = JSON.parse(io.stdout) as UsageJson;
    assert.equal(json.costUsd, null);
    assert.equal(json.byModel[0]!.costUsd, null);
    const text = capture();
    await usageCommand({ dir }, text);
    assert.match(text.stdout, /estimated cost unknown/);
    assert.match(text.stdout, /bedrockDocs\.models\.\*PricePer1k/);
    assert.doesNotMatch(text.stdout, /\$0\.00\b/);
  });

  it('reads a ledger with a torn last line, keeps the next record whole, and honours --cache', async () => {
    const cacheDir = join(dir, 'elsewhere');
    await mkdir(cacheDir, { recursive: true });
    const record = priceUsageCall({
      kind: 'eval',
      modelId: MODEL,
      usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      latencyMs: 10,
    });
    await recordCliUsage(cacheDir, record);
    await appendFile(cliUsagePath(cacheDir), '{"v":1,"time":17');
    await recordCliUsage(cacheDir, record);
    const io = capture();
    await usageCommand({ dir, cache: 'elsewhere', json: true }, io);
    const json = JSON.parse(io.stdout) as UsageJson;
    assert.equal(json.requests, 2, await readFile(cliUsagePath(cacheDir), 'utf8'));
    assert.equal(json.unreadableLines, 1);
    assert.match(io.stderr, /1 unreadable line/);
  });

  it('prints zeros (JSON) or a note (text) before anything was recorded, and rejects a missing folder', async () => {
    const io = capture();
    assert.equal(await usageCommand({ dir, json: true }, io), 0);
    const json = JSON.parse(io.stdout) as UsageJson;
    assert.deepEqual([json.requests, json.inputTokens, json.costUsd, json.byModel, json.byDay], [0, 0, 0, [], []]);
    const text = capture();
    await usageCommand({ dir }, text);
    assert.match(text.stdout, /No usage recorded yet/);
    await assert.rejects(
      usageCommand({ dir: join(dir, 'nope') }, capture()),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'BAD_INPUT',
    );
    await writeFile(join(dir, 'file.txt'), 'x');
    await assert.rejects(
      usageCommand({ dir: join(dir, 'file.txt') }, capture()),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'BAD_INPUT',
    );
  });
});
