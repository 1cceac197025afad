/**
 * The optional Bedrock retrieval levers through the real SDK against the fake Bedrock: query
 * expansion fused with the original search, contextual blurbs written once per content hash with
 * the document read from the prompt cache, and whole-corpus answers behind a cache point.
 */
import assert from 'node:assert/strict';
import { useFakeBedrock } from './useFakeBedrock';
import type { Chunk } from '../../src/core/chunk';
import { HybridIndex } from '../../src/core/index/hybridIndex';
import { ContextualBlurbs, contextualText } from '../../src/core/ingest/contextualBlurbs';
import type { BlurbFile } from '../../src/core/ingest/contextualBlurbs';
import type { Logger } from '../../src/core/ports';
import type { Retriever } from '../../src/core/rag/ask';
import { ExpandingRetriever } from '../../src/core/rag/queryExpansion';
import { askWholeCorpus, decideAnswerMode, estimateCorpusTokens } from '../../src/core/rag/wholeCorpus';
import { BedrockChatModel } from '../../src/node/bedrock/bedrockChatModel';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { tokensOf } from '../fakes/converseFake';
import type { FakeBedrock, RecordedRequest } from '../fakes/fakeBedrock';

const NOVA = 'us.amazon.nova-micro-v1:0';
const SONNET_37 = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const logger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function chunk(path: string, ordinal: number, title: string, heading: string, text: string): Chunk {
  return {
    id: `${path}#${ordinal}`,
    path,
    fileType: 'markdown',
    title,
    breadcrumb: [title, heading],
    startLine: ordinal * 20 + 1,
    endLine: ordinal * 20 + 15,
    text: `## ${heading}\n\n${text}`,
  };
}

/** Converse bodies the fake received, in order. */
type Body = { system?: Array<{ text?: string }>; messages: Array<{ content: Array<{ text?: string; cachePoint?: unknown }> }> };
const converseBodies = (fake: FakeBedrock): Body[] =>
  fake.requests.filter((r: RecordedRequest) => r.operation === 'ConverseStream').map((r) => r.body as Body);

describe('optional Bedrock levers (real SDK against the fake Bedrock)', () => {
  const fakeOf = useFakeBedrock();
  let fake: FakeBedrock;
  let clients: BedrockClientCache;
  let chat: BedrockChatModel;

  beforeEach(() => {
    fake = fakeOf();
  });
  beforeEach(async () => {
    fake.reset();
    clients = new BedrockClientCache();
    const { client, context } = await clients.get({ requestTimeoutMs: 5000 });
    chat = new BedrockChatModel(client, context);
  });
  afterEach(() => clients.dispose());

  describe('query expansion', () => {
    const docs = [
      chunk(
        'guide/limits.md',
        0,
        'Quotas and limits',
        'Request rate',
        'A workspace can make up to 500 requests per second to the tide API.',
      ),
      chunk('guide/encryption.md', 0, 'Encryption', 'Encryption at rest', 'Data at rest is encrypted with AES-256 on the Standard tier.'),
      chunk(
        'faq.md',
        0,
        'FAQ',
        'How fast is the service?',
        'Cached lookups answer with single-digit millisecond latency; the service is fast.',
      ),
      chunk('getting-started.md', 0, 'Getting started', 'Install', 'Install the tidewater command line tool and run tidewater sync.'),
    ];
    let index: HybridIndex;
    let local: Retriever;
    beforeEach(() => {
      index = new HybridIndex();
      index.add(docs);
      local = {
        retrieve: async (query, options) => index.search({ text: query, mode: options.mode, k: options.k, filter: options.filter }),
      };
    });

    it("adds what the expanded terms find to what the question finds, the question's best first", async () => {
      const question = 'How fast can the service handle calls?';
      const alone = await local.retrieve(question, { k: 5, mode: 'fulltext' });
      assert.equal(alone[0]?.chunk.path, 'faq.md');
      assert.ok(!alone.some((h) => h.chunk.path === 'guide/limits.md'), 'the question alone misses the rate limit');
      fake.script.reply({ text: 'Keywords: requests per second rate limit quota\nmaximum request rate of a workspace' });
      const retriever = new ExpandingRetriever(local, { chat, modelId: NOVA, logger });
      const hits = await retriever.retrieve(question, { k: 5, mode: 'fulltext' });
      assert.equal(hits[0]?.chunk.path, 'faq.md', "the original's top hit stays first");
      assert.ok(
        hits.some((h) => h.chunk.path === 'guide/limits.md'),
        'expansion found the rate limit',
      );
      const bodies = converseBodies(fake);
      assert.equal(bodies.length, 1);
      assert.equal(fake.requests[0]?.modelId, NOVA);
      assert.match(bodies[0]!.system?.[0]?.text ?? '', /alternative search queries/);
      assert.equal(bodies[0]!.messages[0]!.content[0]!.text, `Question: ${question}`);

      // The same question again: no second model call, the same fused list.
      const again = await retriever.retrieve(question, { k: 5, mode: 'fulltext' });
      assert.equal(converseBodies(fake).length, 1);
      assert.deepEqual(
        again.map((h) => h.chunk.id),
        hits.map((h) => h.chunk.id),
      );
    });

    it('searches with the question alone when the model is throttled', async () => {
      fake.faults.add({ type: 'throttle', operation: 'ConverseStream' });
      const { client, context } = await clients.get({ requestTimeoutMs: 5000, maxAttempts: 1 });
      const warnings: string[] = [];
      const retriever = new ExpandingRetriever(local, {
        chat: new BedrockChatModel(client, context),
        modelId: NOVA,
        logger: { ...logger, warn: (m: string) => void warnings.push(m) },
      });
      const question = 'How fast can the service handle calls?';
      const hits = await retriever.retrieve(question, { k: 5, mode: 'fulltext' });
      assert.deepEqual(
        hits.map((h) => h.chunk.id),
        (await local.retrieve(question, { k: 5, mode: 'fulltext' })).map((h) => h.chunk.id),
      );
      assert.equal(fake.requests.filter((r) => r.operation === 'ConverseStream').length, 1);
      assert.match(warnings[0] ?? '', /query expansion failed.*(throttl|Throttl|rate)/i);
    });
  });

  describe('contextual blurbs', () => {
    const sentences = (topic: string, n: number) =>
      Array.from({ length: n }, (_, i) => `The ${topic} feature keeps record ${i} for thirty days and copies it to a second zone.`).join(
        ' ',
      );
    // Each document is well over the fake's 1,024-token cache minimum (4 characters a token).
    const files = (): BlurbFile[] => [
      { path: 'storage.md', chunks: [0, 1, 2].map((i) => chunk('storage.md', i, 'Storage', `Part ${i}`, sentences(`storage ${i}`, 40))) },
      { path: 'compute.md', chunks: [0, 1].map((i) => chunk('compute.md', i, 'Compute', `Part ${i}`, sentences(`compute ${i}`, 40))) },
    ];

    it('writes each blurb once, reading the document from the prompt cache after the first chunk', async () => {
      const blurbs = new ContextualBlurbs({ chat, modelId: NOVA, logger, concurrency: 1 });
      const estimate = blurbs.estimate(files());
      assert.deepEqual([estimate.calls, estimate.documents], [5, 2]);
      const first = await blurbs.contextualize(files());
      assert.deepEqual([first.report.generated, first.report.failed], [5, 0]);
      const bodies = converseBodies(fake);
      assert.equal(bodies.length, 5);
      for (const body of bodies) {
        assert.match(body.messages[0]!.content[0]!.text ?? '', /^<document path="(storage|compute)\.md">/);
        assert.deepEqual(body.messages[0]!.content[1], { cachePoint: { type: 'default' } });
        assert.match(body.messages[0]!.content[2]!.text ?? '', /<chunk>\n## Part \d/);
      }
      // Per document: one cache write, then reads of the same prefix.
      const docTokens = (path: string) => {
        const body = bodies.find((b) => b.messages[0]!.content[0]!.text?.startsWith(`<document path="${path}">`))!;
        return tokensOf(body.system![0]!.text!) + tokensOf(body.messages[0]!.content[0]!.text!);
      };
      assert.equal(first.report.usage.cacheWriteInputTokens, docTokens('storage.md') + docTokens('compute.md'));
      assert.equal(first.report.usage.cacheReadInputTokens, 2 * docTokens('storage.md') + docTokens('compute.md'));
      assert.ok(first.chunks.every((c) => typeof c.context === 'string' && c.context.length > 0));
      assert.ok(contextualText(first.chunks[0]!).startsWith(`${first.chunks[0]!.context}\n\n## Part 0`));

      // The same content again: every blurb comes from the cache, nothing is sent.
      const again = await blurbs.contextualize(files());
      assert.equal(converseBodies(fake).length, 5);
      assert.deepEqual([again.report.generated, again.report.reused], [0, 5]);
      assert.deepEqual(again.chunks, first.chunks);
    });

    it("estimates what the run then costs, within the estimate's error", async () => {
      const blurbs = new ContextualBlurbs({ chat, modelId: NOVA, logger, concurrency: 1 });
      const estimate = blurbs.estimate(files());
      const { report } = await blurbs.contextualize(files());
      const estimatedInput = estimate.usage.inputTokens + estimate.usage.cacheReadInputTokens + estimate.usage.cacheWriteInputTokens;
      const actualInput = report.usage.inputTokens + report.usage.cacheReadInputTokens + report.usage.cacheWriteInputTokens;
      // The fake counts 4 characters a token; the estimate counts words: the same order of size.
      assert.ok(estimatedInput > actualInput * 0.5 && estimatedInput < actualInput * 2, `${estimatedInput} vs ${actualInput}`);
      assert.ok(estimate.usage.cacheReadInputTokens > estimate.usage.cacheWriteInputTokens, 'reads dominate');
    });
  });

  describe('whole corpus', () => {
    const corpus = [0, 1, 2, 3].map((i) =>
      chunk(
        `guide/part${i}.md`,
        0,
        `Part ${i}`,
        'Details',
        Array.from({ length: 30 }, (_, j) => `Setting p${i}s${j} controls retry ${j} of part ${i}.`).join(' '),
      ),
    );

    it('decides for the whole corpus, sends it behind a cache point, and reads it from the cache next time', async () => {
      const decision = decideAnswerMode({
        setting: 'auto',
        corpusTokens: estimateCorpusTokens(corpus),
        modelId: SONNET_37,
        maxOutputTokens: 512,
      });
      assert.equal(decision.mode, 'wholeCorpus');
      fake.script.reply({ text: 'Part 2 sets it with p2s3 [3].' });
      const first = await askWholeCorpus(
        { question: 'Which setting controls retry 3 of part 2?', modelId: SONNET_37, inference: { maxTokens: 512 }, corpus },
        { chat, logger },
      );
      assert.equal(first.mode, 'wholeCorpus');
      assert.deepEqual(
        first.citations.map((c) => c.path),
        ['guide/part2.md'],
      );
      assert.ok(first.usage.cacheWriteInputTokens > 1024 && first.usage.cacheReadInputTokens === 0);
      const second = await askWholeCorpus(
        { question: 'And retry 5 of part 0?', modelId: SONNET_37, inference: { maxTokens: 512 }, corpus },
        { chat, logger },
      );
      assert.equal(second.usage.cacheReadInputTokens, first.usage.cacheWriteInputTokens);
      assert.equal(second.usage.cacheWriteInputTokens, 0);
      const body = converseBodies(fake)[1]!;
      const content = body.messages[0]!.content;
      assert.match(content[0]!.text ?? '', /^<sources>\n<source n="1" path="guide\/part0\.md"/);
      assert.match(content[0]!.text ?? '', /<source n="4" path="guide\/part3\.md"/);
      assert.deepEqual(content[1], { cachePoint: { type: 'default' } });
      assert.equal(content[2]!.text, 'Question: And retry 5 of part 0?');
    });
  });
});
