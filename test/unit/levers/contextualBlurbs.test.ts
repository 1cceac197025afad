import assert from 'node:assert/strict';
import { meterChatModel } from '../../../src/core/metering/meteredPorts';
import { testMeter } from '../../helpers/testMeter';
import {
  BLURB_SYSTEM_PROMPT,
  blurbKey,
  blurbRequest,
  cleanBlurb,
  ContextualBlurbs,
  contextualText,
  documentWindows,
  estimateBlurbs,
} from '../../../src/core/ingest/contextualBlurbs';
import type { BlurbFile } from '../../../src/core/ingest/contextualBlurbs';
import { lookupModel } from '../../../src/core/models/catalog';
import { costOfUsage } from '../../../src/core/usage/cost';
import { estimateTokens } from '../../../src/core/tokens';
import { chunkOf, quietLogger, ScriptedChat, userText } from './leverFakes';

// Amazon Nova Micro: caches messages from 1,000 tokens a checkpoint.
const NOVA = 'us.amazon.nova-micro-v1:0';
const sentence = (topic: string, i: number) =>
  `The ${topic} service stores item ${i} in partition ${i % 7} and replicates it across three zones. `;

/** A file of `n` chunks, each about `words` sentences long. */
function fileOf(path: string, n: number, sentences: number, topic = 'storage'): BlurbFile {
  return {
    path,
    chunks: Array.from({ length: n }, (_, i) =>
      chunkOf(path, i, Array.from({ length: sentences }, (_, j) => sentence(topic, i * 100 + j)).join('')),
    ),
  };
}

const blurbFor = (request: Parameters<ScriptedChat['converseStream']>[0]) =>
  `Context for ${/<chunk>\n(.{0,40})/.exec(userText(request))?.[1] ?? '?'}`;

describe('contextual blurbs: prompt layout', () => {
  it('puts the document first, a cache point after it, then the chunk and the instruction', () => {
    const file = fileOf('big.md', 3, 60);
    const [window] = documentWindows(file);
    const { request, cached } = blurbRequest(window!, file.chunks[1]!, { modelId: NOVA });
    assert.equal(cached, true);
    const content = request.messages[0]!.content;
    assert.equal(content.length, 3);
    assert.match((content[0] as { text: string }).text, /^<document path="big.md">\n[\s\S]*item 0 [\s\S]*item 2\d\d [\s\S]*<\/document>$/);
    assert.deepEqual(content[1], { cachePoint: { type: 'default' } });
    assert.match(
      (content[2] as { text: string }).text,
      /^Here is the chunk we want to situate within the whole document\n<chunk>\nThe storage service stores item 100 /,
    );
    assert.match((content[2] as { text: string }).text, /Answer only with the succinct context/);
    assert.deepEqual(request.system, [{ text: BLURB_SYSTEM_PROMPT }]);
    assert.deepEqual(request.inferenceConfig, { maxTokens: 150, temperature: 0 });
  });

  it('places no cache point below the model minimum, for a model without caching, or when caching is off', () => {
    const small = fileOf('small.md', 2, 3);
    assert.equal(blurbRequest(documentWindows(small)[0]!, small.chunks[0]!, { modelId: NOVA }).cached, false);
    const big = fileOf('big.md', 3, 60);
    const window = documentWindows(big)[0]!;
    assert.equal(blurbRequest(window, big.chunks[0]!, { modelId: 'meta.llama3-1-8b-instruct-v1:0' }).cached, false);
    assert.equal(blurbRequest(window, big.chunks[0]!, { modelId: NOVA, caching: false }).cached, false);
    const request = blurbRequest(window, big.chunks[0]!, { modelId: NOVA, caching: false }).request;
    assert.ok(request.messages[0]!.content.every((b) => !('cachePoint' in b)));
  });

  it('splits a long document into windows of whole chunks, each under the cap', () => {
    const file = fileOf('long.md', 10, 20);
    const perChunk = estimateTokens(file.chunks[0]!.text);
    const windows = documentWindows(file, perChunk * 3 + 10);
    assert.ok(windows.length >= 4, `${windows.length} windows`);
    assert.deepEqual(
      windows.flatMap((w) => w.chunks.map((c) => c.id)),
      file.chunks.map((c) => c.id),
    );
    for (const w of windows) assert.ok(estimateTokens(w.text) <= perChunk * 3 + 10 + 4);
    assert.deepEqual(
      documentWindows(file).map((w) => w.chunks.length),
      [10],
      'a document under the cap is one window',
    );
  });

  it('cleans a blurb to one bounded paragraph and indexes it before the chunk text', () => {
    assert.equal(cleanBlurb('  Context:  This section\n\nof the guide explains limits. '), 'This section of the guide explains limits.');
    assert.ok(cleanBlurb('word '.repeat(400)).length <= 800);
    const chunk = chunkOf('a.md', 0, 'Body text.');
    assert.equal(contextualText({ ...chunk, context: 'About quotas.' }), 'About quotas.\n\nBody text.');
    assert.equal(contextualText(chunk), 'Body text.');
  });
});

describe('contextual blurbs: estimate before running', () => {
  it('counts a cache write for the first chunk of a document and cache reads for the others', () => {
    const file = fileOf('big.md', 4, 60);
    const estimate = estimateBlurbs([file, fileOf('one.md', 1, 5)], { modelId: NOVA });
    assert.equal(estimate.chunks, 4, 'one-chunk files get no blurb');
    assert.equal(estimate.calls, 4);
    assert.equal(estimate.documents, 1);
    const window = documentWindows(file)[0]!;
    const docTokens = estimateTokens(BLURB_SYSTEM_PROMPT) + estimateTokens(`<document path="big.md">\n${window.text}\n</document>`);
    assert.equal(estimate.usage.cacheWriteInputTokens, docTokens);
    assert.equal(estimate.usage.cacheReadInputTokens, 3 * docTokens);
    assert.equal(estimate.usage.outputTokens, 4 * 90);
    assert.equal(estimate.usd, costOfUsage(estimate.usage, lookupModel(NOVA).prices));
    assert.ok(estimate.usd !== null && estimate.usd > 0);
  });

  it('charges the whole document to every call without caching, and says unknown without prices', () => {
    const file = fileOf('big.md', 3, 60);
    const uncached = estimateBlurbs([file], { modelId: NOVA, caching: false });
    assert.equal(uncached.usage.cacheReadInputTokens + uncached.usage.cacheWriteInputTokens, 0);
    const cached = estimateBlurbs([file], { modelId: NOVA });
    assert.ok(uncached.usd! > cached.usd!, 'caching makes the run cheaper');
    assert.equal(estimateBlurbs([file], { modelId: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc' }).usd, null);
  });

  it('leaves cached blurbs out of the estimate', async () => {
    const file = fileOf('big.md', 3, 60);
    const blurbs = new ContextualBlurbs({ chat: new ScriptedChat('ctx'), modelId: NOVA, logger: quietLogger() });
    await blurbs.contextualize([file]);
    const again = blurbs.estimate([file]);
    assert.deepEqual([again.calls, again.reused, again.usd], [0, 3, 0]);
  });
});

describe('contextual blurbs: generating and reusing', () => {
  it('writes one blurb per chunk, attaches it, and reuses it by content hash', async () => {
    const chat = new ScriptedChat(blurbFor);
    const blurbs = new ContextualBlurbs({ chat, modelId: NOVA, logger: quietLogger() });
    const files = [fileOf('a.md', 3, 30), fileOf('b.md', 2, 30, 'compute'), fileOf('solo.md', 1, 5)];
    const first = await blurbs.contextualize(files);
    assert.equal(chat.requests.length, 5);
    assert.deepEqual(first.report, {
      chunks: 5,
      generated: 5,
      reused: 0,
      failed: 0,
      usage: { inputTokens: 500, outputTokens: first.report.usage.outputTokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    });
    assert.deepEqual(
      first.chunks.map((c) => c.id),
      files.flatMap((f) => f.chunks.map((c) => c.id)),
    );
    assert.match(first.chunks.find((c) => c.id === 'a.md#1')!.context ?? '', /^Context for The storage service stores item 100 /);
    assert.equal(first.chunks.find((c) => c.id === 'solo.md#0')!.context, undefined);

    // The same text again (a re-index, a restart with the cache restored): no calls.
    const again = await new ContextualBlurbs({ chat, modelId: NOVA, logger: quietLogger(), cache: new Map(blurbs.cache) }).contextualize(
      files,
    );
    assert.equal(chat.requests.length, 5);
    assert.deepEqual([again.report.generated, again.report.reused], [0, 5]);
    assert.deepEqual(again.chunks, first.chunks);

    // An edit to b.md changes its document: its chunks are situated again, a.md's are not.
    const edited = fileOf('b.md', 2, 31, 'compute');
    const third = await blurbs.contextualize([files[0]!, edited]);
    assert.equal(chat.requests.length, 7);
    assert.ok(chat.requests.slice(5).every((r) => userText(r).includes('<document path="b.md">')));
    assert.deepEqual([third.report.generated, third.report.reused], [2, 3]);
  });

  it('keys blurbs by model, document and chunk', () => {
    const key = blurbKey(NOVA, 'doc', 'chunk');
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.notEqual(blurbKey('other-model', 'doc', 'chunk'), key);
    assert.notEqual(blurbKey(NOVA, 'doc2', 'chunk'), key);
    assert.notEqual(blurbKey(NOVA, 'doc', 'chunk2'), key);
    assert.equal(blurbKey(NOVA, 'doc', 'chunk'), key);
  });

  it('asks the chunks of one document in order, so later ones can read the cached document', async () => {
    const chat = new ScriptedChat(blurbFor);
    const file = fileOf('a.md', 4, 10);
    await new ContextualBlurbs({ chat, modelId: NOVA, logger: quietLogger(), concurrency: 4 }).contextualize([file]);
    const order = chat.requests.map((r) => /stores item (\d+) /.exec((r.messages[0]!.content.at(-1) as { text: string }).text)?.[1]);
    assert.deepEqual(order, ['0', '100', '200', '300']);
  });

  it('counts a transient failure, leaves that chunk bare and retries it on the next run', async () => {
    const chat = new ScriptedChat(blurbFor).reply({ error: 'THROTTLED' });
    const logger = quietLogger();
    const blurbs = new ContextualBlurbs({ chat, modelId: NOVA, logger });
    const file = fileOf('a.md', 2, 10);
    const first = await blurbs.contextualize([file]);
    assert.deepEqual([first.report.generated, first.report.failed], [1, 1]);
    assert.equal(first.chunks[0]!.context, undefined);
    assert.match(logger.warnings[0]!, /no blurb for a\.md#0/);
    const second = await blurbs.contextualize([file]);
    assert.deepEqual([second.report.generated, second.report.reused], [1, 1]);
    assert.ok(second.chunks.every((c) => c.context));
  });

  it('stops at a configuration error and reports it', async () => {
    const chat = new ScriptedChat(blurbFor).reply({ error: 'ACCESS_DENIED' });
    const result = await new ContextualBlurbs({ chat, modelId: NOVA, logger: quietLogger(), concurrency: 1 }).contextualize([
      fileOf('a.md', 3, 10),
      fileOf('b.md', 3, 10),
    ]);
    assert.equal(result.report.fatal?.code, 'ACCESS_DENIED');
    assert.equal(chat.requests.length, 1);
    assert.ok(result.chunks.every((c) => c.context === undefined));
  });

  it('sends redacted text and propagates a cancel', async () => {
    const chat = new ScriptedChat(blurbFor);
    const file: BlurbFile = {
      path: 'k.md',
      chunks: [chunkOf('k.md', 0, 'key AKIAABCDEFGHIJKLMNOP here'), chunkOf('k.md', 1, 'other text')],
    };
    const { meter, records } = testMeter({ redact: (t) => t.replace(/AKIA\w+/g, '[KEY]') });
    await new ContextualBlurbs({
      chat: meterChatModel(chat, meter),
      modelId: NOVA,
      logger: quietLogger(),
    }).contextualize([file]);
    assert.ok(chat.requests.every((r) => !userText(r).includes('AKIA')));
    meter.flush();
    assert.deepEqual(
      records.map((r) => [r.purpose, r.requests]),
      [['contextualBlurb', chat.requests.length]],
    );
    const cancelled = new ContextualBlurbs({
      chat: new ScriptedChat().reply({ error: 'CANCELLED' }),
      modelId: NOVA,
      logger: quietLogger(),
    });
    await assert.rejects(cancelled.contextualize([file]), (err: Error & { code?: string }) => err.code === 'CANCELLED');
  });

  it('names the keys in use so stale cache entries can be pruned', async () => {
    const blurbs = new ContextualBlurbs({ chat: new ScriptedChat(blurbFor), modelId: NOVA, logger: quietLogger() });
    const a = fileOf('a.md', 2, 10);
    await blurbs.contextualize([a, fileOf('b.md', 2, 10, 'compute')]);
    const used = blurbs.keysOf([a]);
    assert.equal(used.size, 2);
    assert.equal([...blurbs.cache.keys()].filter((k) => !used.has(k)).length, 2);
  });
});
