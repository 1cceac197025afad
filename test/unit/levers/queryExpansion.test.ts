import assert from 'node:assert/strict';
import { meterChatModel } from '../../../src/core/metering/meteredPorts';
import { testMeter } from '../../helpers/testMeter';
import type { SearchHit } from '../../../src/core/index/hybridIndex';
import type { Retriever } from '../../../src/core/rag/ask';
import { EXPANSION_WEIGHT, ExpandingRetriever, parseVariants } from '../../../src/core/rag/queryExpansion';
import type { QueryExpansion } from '../../../src/core/rag/queryExpansion';
import { chunkOf, quietLogger, ScriptedChat, userText } from './leverFakes';

const MODEL = 'us.amazon.nova-micro-v1:0';

/** A retriever over fixed lists: query -> ranked paths; records each query. */
function listRetriever(
  lists: Record<string, string[]>,
): Retriever & { queries: Array<{ query: string; k: number; scoreThreshold?: number }> } {
  const queries: Array<{ query: string; k: number; scoreThreshold?: number }> = [];
  return {
    queries,
    async retrieve(query, options) {
      queries.push({ query, k: options.k, scoreThreshold: options.scoreThreshold });
      const paths = lists[query] ?? [];
      return paths.slice(0, options.k).map((p, i): SearchHit => ({ chunk: chunkOf(p, 0, `text of ${p}`), score: 10 - i, textRank: i + 1 }));
    },
  };
}

const paths = (hits: SearchHit[]) => hits.map((h) => h.chunk.path);

describe('query expansion: parsing the model reply', () => {
  it('takes one query a line, without markers, labels, quotes, repeats or the question itself', () => {
    const reply = [
      'Keywords: limit quota maximum lambda',
      '1. "What is the Lambda timeout limit?"',
      '- how many seconds can a function run',
      'How long can a Lambda function run?',
      '',
      '* limit quota maximum lambda',
      'extra fourth',
    ].join('\n');
    assert.deepEqual(parseVariants(reply, 'How long can a Lambda function run?', 3), [
      'limit quota maximum lambda',
      'What is the Lambda timeout limit?',
      'how many seconds can a function run',
    ]);
  });

  it('returns nothing for an empty or echo-only reply', () => {
    assert.deepEqual(parseVariants('\n  \n', 'q', 3), []);
    assert.deepEqual(parseVariants('Is EBS encrypted?', 'is ebs encrypted', 3), []);
  });
});

describe('query expansion: ExpandingRetriever', () => {
  it('fuses the original and the variants by rank, the original weighted highest', async () => {
    const inner = listRetriever({
      'max lambda run time': ['a.md', 'b.md', 'c.md'],
      'timeout quota': ['d.md', 'b.md'],
      'function execution limit': ['d.md', 'c.md'],
    });
    const chat = new ScriptedChat().reply('timeout quota\nfunction execution limit');
    const retriever = new ExpandingRetriever(inner, { chat, modelId: MODEL, logger: quietLogger() });
    const hits = await retriever.retrieve('max lambda run time', { k: 4, mode: 'fulltext' });
    assert.deepEqual(
      inner.queries.map((q) => q.query),
      ['max lambda run time', 'timeout quota', 'function execution limit'],
    );
    // b: 1/62 + w/62; d: 2w/61; c: 1/63 + w/62; a: 1/61 (w = 0.5).
    const expected = [
      ['b.md', 1 / 62 + EXPANSION_WEIGHT / 62],
      ['c.md', 1 / 63 + EXPANSION_WEIGHT / 62],
      ['a.md', 1 / 61],
      ['d.md', (2 * EXPANSION_WEIGHT) / 61],
    ].sort((x, y) => (y[1] as number) - (x[1] as number));
    assert.deepEqual(
      paths(hits),
      expected.map((e) => e[0]),
    );
    assert.ok(Math.abs(hits[0]!.score - (expected[0]![1] as number)) < 1e-12);
    assert.ok(paths(hits).includes('a.md'), 'what only the original found stays');
  });

  it('keeps the original first when a variant alone found something else', async () => {
    const inner = listRetriever({ q: ['gold.md'], v: ['other.md'] });
    const retriever = new ExpandingRetriever(inner, { chat: new ScriptedChat().reply('v'), modelId: MODEL, logger: quietLogger() });
    assert.deepEqual(paths(await retrieverHits(retriever, 'q')), ['gold.md', 'other.md']);
  });

  it('asks the model once per question: the second retrieve reads the cache', async () => {
    const inner = listRetriever({ q: ['a.md'], v: ['b.md'] });
    const chat = new ScriptedChat().reply('v');
    const seen: QueryExpansion[] = [];
    const retriever = new ExpandingRetriever(inner, { chat, modelId: MODEL, logger: quietLogger(), onExpansion: (e) => seen.push(e) });
    const first = await retrieverHits(retriever, 'q');
    const second = await retrieverHits(retriever, 'q');
    assert.equal(chat.requests.length, 1);
    assert.deepEqual(paths(second), paths(first));
    assert.deepEqual(
      seen.map((e) => [e.cached, e.variants]),
      [
        [false, ['v']],
        [true, ['v']],
      ],
    );
    assert.ok(seen[0]!.usage && seen[0]!.usage.inputTokens > 0, 'the first expansion reports its usage');
  });

  it('sends the redacted question to a deterministic request', async () => {
    const chat = new ScriptedChat().reply('v');
    const { meter, records } = testMeter({ redact: (t) => t.replace(/AKIA\w+/g, '[KEY]') });
    const retriever = new ExpandingRetriever(listRetriever({}), {
      chat: meterChatModel(chat, meter),
      modelId: MODEL,
      logger: quietLogger(),
    });
    await retrieverHits(retriever, 'why is AKIAABCDEFGHIJKLMNOP rejected?');
    const request = chat.requests[0]!;
    assert.equal(request.modelId, MODEL);
    assert.match(userText(request), /why is \[KEY\] rejected\?/);
    assert.doesNotMatch(userText(request), /AKIA/);
    assert.equal(request.inferenceConfig?.temperature, 0);
    assert.deepEqual(
      records.map((r) => r.purpose),
      ['queryExpansion'],
    );
  });

  it('sends no temperature to a model that rejects it', async () => {
    const chat = new ScriptedChat().reply('v');
    const retriever = new ExpandingRetriever(listRetriever({}), {
      chat,
      modelId: 'global.anthropic.claude-opus-4-7',
      logger: quietLogger(),
    });
    await retrieverHits(retriever, 'q');
    assert.equal(chat.requests[0]!.inferenceConfig?.temperature, undefined);
  });

  it('falls back to the original on a transient failure, and tries again next time', async () => {
    const inner = listRetriever({ q: ['a.md', 'b.md'], v: ['c.md'] });
    const chat = new ScriptedChat().reply({ error: 'THROTTLED' }, 'v');
    const logger = quietLogger();
    const retriever = new ExpandingRetriever(inner, { chat, modelId: MODEL, logger });
    assert.deepEqual(paths(await retrieverHits(retriever, 'q')), ['a.md', 'b.md']);
    assert.match(logger.warnings[0]!, /query expansion failed/);
    assert.deepEqual(paths(await retrieverHits(retriever, 'q')), ['a.md', 'b.md', 'c.md']);
    assert.equal(chat.requests.length, 2);
  });

  it('stops expanding for the session after a configuration error', async () => {
    const chat = new ScriptedChat().reply({ error: 'ACCESS_DENIED' });
    const retriever = new ExpandingRetriever(listRetriever({ q: ['a.md'] }), { chat, modelId: MODEL, logger: quietLogger() });
    await retrieverHits(retriever, 'q');
    await retrieverHits(retriever, 'another question');
    assert.equal(chat.requests.length, 1);
    assert.match(retriever.disabledReason ?? '', /ACCESS_DENIED/);
  });

  it('rethrows a cancellation', async () => {
    const chat = new ScriptedChat().reply({ error: 'CANCELLED' });
    const retriever = new ExpandingRetriever(listRetriever({ q: ['a.md'] }), { chat, modelId: MODEL, logger: quietLogger() });
    await assert.rejects(retrieverHits(retriever, 'q'), (err: Error & { code?: string }) => err.code === 'CANCELLED');
  });

  it('asks each list deeper than k, then applies k and the score threshold to the fused list', async () => {
    const inner = listRetriever({ q: ['a.md', 'b.md', 'c.md'], v: ['c.md'] });
    const retriever = new ExpandingRetriever(inner, {
      chat: new ScriptedChat().reply('v'),
      modelId: MODEL,
      logger: quietLogger(),
      depth: 25,
    });
    const hits = await retriever.retrieve('q', { k: 5, mode: 'hybrid', scoreThreshold: 0.675 });
    assert.deepEqual(
      inner.queries.map((q) => [q.k, q.scoreThreshold]),
      [
        [25, undefined],
        [25, undefined],
      ],
    );
    // c: 1/63 + 0.5/61 = 0.0241 leads; a: 1/61 is 68.1 % of it and stays, b: 1/62 is 67.0 % and goes.
    assert.deepEqual(paths(hits), ['c.md', 'a.md']);
    const top = await retriever.retrieve('q', { k: 1, mode: 'hybrid' });
    assert.deepEqual(paths(top), ['c.md']);
  });

  it('does not call the model for an empty query', async () => {
    const chat = new ScriptedChat();
    const retriever = new ExpandingRetriever(listRetriever({}), { chat, modelId: MODEL, logger: quietLogger() });
    assert.deepEqual(await retrieverHits(retriever, '  '), []);
    assert.equal(chat.requests.length, 0);
  });
});

function retrieverHits(retriever: Retriever, query: string): Promise<SearchHit[]> {
  return retriever.retrieve(query, { k: 10, mode: 'fulltext' });
}
