import assert from 'node:assert/strict';
import { meterKnowledgeBase } from '../../../src/core/metering/meteredPorts';
import { testMeter } from '../../helpers/testMeter';
import type { Chunk } from '../../../src/core/chunk';
import { BedrockDocsError } from '../../../src/core/errors';
import type { SearchHit } from '../../../src/core/index/hybridIndex';
import type { Logger } from '../../../src/core/ports';
import type { Retriever } from '../../../src/core/rag/ask';
import { BackendRetriever } from '../../../src/core/retrieval/backendRetriever';
import type { RetrieveCallOptions } from '../../../src/core/retrieval/backendRetriever';
import type { Reranker } from '../../../src/core/retrieval/rerank';

const chunk = (id: string, text = `text of ${id}`): Chunk => ({
  id,
  path: id.split('#')[0]!,
  fileType: 'markdown',
  title: id,
  breadcrumb: [],
  startLine: 1,
  endLine: 2,
  text,
});
const hit = (id: string, score = 1): SearchHit => ({ chunk: chunk(id), score });

/** A Retriever that returns fixed hits (cut to k) and remembers how it was called. */
class StubRetriever implements Retriever {
  calls: Array<{ query: string; options: RetrieveCallOptions }> = [];
  constructor(private readonly hits: SearchHit[] | (() => never)) {}
  async retrieve(query: string, options: RetrieveCallOptions): Promise<SearchHit[]> {
    this.calls.push({ query, options });
    if (typeof this.hits === 'function') this.hits();
    return (this.hits as SearchHit[]).slice(0, options.k);
  }
}

class RecordingLogger implements Logger {
  lines: string[] = [];
  trace(): void {}
  debug(): void {}
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
}

const failing = (code: ConstructorParameters<typeof BedrockDocsError>[0]) => () => {
  throw new BedrockDocsError(code, `${code} happened`);
};

const LOCAL = ['guide/a.md#0', 'guide/b.md#0', 'guide/c.md#0', 'guide/d.md#0'];
const KB = ['s3://docs/x.md#k1', 's3://docs/y.md#k2'];
const ask = { k: 10, mode: 'hybrid' as const };

describe('BackendRetriever', () => {
  let logger: RecordingLogger;
  let local: StubRetriever;
  let kb: StubRetriever;
  beforeEach(() => {
    logger = new RecordingLogger();
    local = new StubRetriever(LOCAL.map((id) => hit(id, 5)));
    kb = new StubRetriever(KB.map((id) => hit(id, 0.5)));
  });

  it('local: the local index alone, the Knowledge Base never asked', async () => {
    const r = new BackendRetriever({ backend: 'local', local, knowledgeBase: kb, logger });
    const hits = await r.retrieve('proxy', { ...ask, k: 3 });
    assert.deepEqual(
      hits.map((h) => h.chunk.id),
      LOCAL.slice(0, 3),
    );
    assert.equal(kb.calls.length, 0);
  });

  it('knowledgeBase: the Knowledge Base alone, with its own scores and the redacted query', async () => {
    const { meter, records } = testMeter({ redact: (t) => t.replace(/secret-\w+/g, '[redacted]') });
    const r = new BackendRetriever({
      backend: 'knowledgeBase',
      local,
      knowledgeBase: meterKnowledgeBase(kb, 'KB12345678', meter),
      logger,
    });
    const hits = await r.retrieve('proxy secret-123', { ...ask, filter: { pathPrefix: 'guide' } });
    assert.deepEqual(
      hits.map((h) => [h.chunk.id, h.score]),
      KB.map((id) => [id, 0.5]),
    );
    assert.equal(local.calls.length, 0);
    assert.equal(kb.calls[0]?.query, 'proxy [redacted]');
    assert.equal(kb.calls[0]?.options.filter, undefined, 'local path filters are not sent to the Knowledge Base');
    assert.match(logger.lines.join('\n'), /filters apply to the local index only/);
    assert.deepEqual(
      records.map((rec) => [rec.purpose, rec.modelId, rec.costUsd]),
      [['knowledgeBase', 'knowledge-base/KB12345678', null]],
    );
  });

  it('both, equal weights: matches a hand-computed RRF (k = 60), ties in local-first order', async () => {
    const r = new BackendRetriever({ backend: 'both', local, knowledgeBase: kb, logger });
    const hits = await r.retrieve('proxy', ask);
    // a = x = 1/61 = 0.016393 (a first: it appears first); b = y = 1/62 = 0.016129; c = 1/63; d = 1/64
    assert.deepEqual(
      hits.map((h) => h.chunk.id),
      ['guide/a.md#0', 's3://docs/x.md#k1', 'guide/b.md#0', 's3://docs/y.md#k2', 'guide/c.md#0', 'guide/d.md#0'],
    );
    assert.ok(Math.abs(hits[0]!.score - 1 / 61) < 1e-12);
    assert.ok(Math.abs(hits[5]!.score - 1 / 64) < 1e-12);
  });

  it('both, weighted: the Knowledge Base at 1.1 outranks local hits of the same rank', async () => {
    const r = new BackendRetriever({ backend: 'both', local, knowledgeBase: kb, logger, weights: { local: 1, knowledgeBase: 1.1 } });
    const hits = await r.retrieve('proxy', { ...ask, k: 4 });
    // x = 1.1/61 = 0.018033, y = 1.1/62 = 0.017742, a = 1/61 = 0.016393, b = 1/62 = 0.016129
    assert.deepEqual(
      hits.map((h) => h.chunk.id),
      ['s3://docs/x.md#k1', 's3://docs/y.md#k2', 'guide/a.md#0', 'guide/b.md#0'],
    );
    assert.ok(Math.abs(hits[1]!.score - 1.1 / 62) < 1e-12);
  });

  it('both, weight 0: that side is not even asked', async () => {
    const r = new BackendRetriever({ backend: 'both', local, knowledgeBase: kb, logger, weights: { local: 0, knowledgeBase: 1 } });
    assert.deepEqual(
      (await r.retrieve('proxy', ask)).map((h) => h.chunk.id),
      KB,
    );
    assert.equal(local.calls.length, 0);
  });

  it('asks each side deep enough for reranking and the Knowledge Base floor, at most 100 from the Knowledge Base', async () => {
    const reranker: Reranker = {
      modelId: 'm',
      maxDocuments: 1000,
      rerank: async (_q, docs) => docs.map((_, index) => ({ index, relevanceScore: 1 - index / 100 })),
    };
    await new BackendRetriever({
      backend: 'both',
      local,
      knowledgeBase: kb,
      logger,
      reranker,
      rerankTopN: 25,
      knowledgeBaseResults: 40,
    }).retrieve('q', { ...ask, k: 5 });
    assert.equal(local.calls[0]?.options.k, 25);
    assert.equal(kb.calls[0]?.options.k, 40);
    await new BackendRetriever({ backend: 'knowledgeBase', knowledgeBase: kb, logger }).retrieve('q', { ...ask, k: 150 });
    assert.equal(kb.calls[1]?.options.k, 100);
  });

  it('reranks the fused candidates before the cut to k', async () => {
    // The reranker prefers the last candidate it is shown, then the one before...
    const seen: string[][] = [];
    const reranker: Reranker = {
      modelId: 'cohere.rerank-v3-5:0',
      maxDocuments: 1000,
      rerank: async (_q, docs, { topN }) => {
        seen.push(docs);
        return docs.map((_, i) => ({ index: docs.length - 1 - i, relevanceScore: 0.9 - i * 0.1 })).slice(0, topN);
      },
    };
    const r = new BackendRetriever({ backend: 'both', local, knowledgeBase: kb, logger, reranker, rerankTopN: 4 });
    const hits = await r.retrieve('proxy', { ...ask, k: 5 });
    assert.equal(seen[0]?.length, 4);
    // fused: a x b y | c d -> reranked head: y b x a, then the tail c
    assert.deepEqual(
      hits.map((h) => h.chunk.id),
      ['s3://docs/y.md#k2', 'guide/b.md#0', 's3://docs/x.md#k1', 'guide/a.md#0', 'guide/c.md#0'],
    );
    assert.equal(hits[0]!.score, 0.9);
  });

  it('with both, answers from one side when the other is briefly unavailable, and says so', async () => {
    const r = new BackendRetriever({ backend: 'both', local, knowledgeBase: new StubRetriever(failing('THROTTLED')), logger });
    assert.deepEqual(
      (await r.retrieve('proxy', ask)).map((h) => h.chunk.id),
      LOCAL,
    );
    assert.match(logger.lines.join('\n'), /warn the Knowledge Base is unavailable.*THROTTLED happened/);
  });

  it('surfaces configuration errors, failures of the only source, and both sides failing', async () => {
    const denied = new BackendRetriever({ backend: 'both', local, knowledgeBase: new StubRetriever(failing('ACCESS_DENIED')), logger });
    await assert.rejects(denied.retrieve('q', ask), (e: unknown) => (e as BedrockDocsError).code === 'ACCESS_DENIED');
    const only = new BackendRetriever({ backend: 'knowledgeBase', knowledgeBase: new StubRetriever(failing('THROTTLED')), logger });
    await assert.rejects(only.retrieve('q', ask), (e: unknown) => (e as BedrockDocsError).code === 'THROTTLED');
    const both = new BackendRetriever({
      backend: 'both',
      local: new StubRetriever(failing('TIMEOUT')),
      knowledgeBase: new StubRetriever(failing('NETWORK')),
      logger,
    });
    await assert.rejects(both.retrieve('q', ask), (e: unknown) => (e as BedrockDocsError).code === 'NETWORK');
    const cancelled = new BackendRetriever({ backend: 'both', local, knowledgeBase: new StubRetriever(failing('CANCELLED')), logger });
    await assert.rejects(cancelled.retrieve('q', ask), (e: unknown) => (e as BedrockDocsError).code === 'CANCELLED');
  });

  it('keeps the fused order when the reranker is briefly unavailable, but not when it is misconfigured', async () => {
    const throttled: Reranker = { modelId: 'm', maxDocuments: 1000, rerank: failing('THROTTLED') };
    const hits = await new BackendRetriever({ backend: 'local', local, logger, reranker: throttled }).retrieve('q', ask);
    assert.deepEqual(
      hits.map((h) => h.chunk.id),
      LOCAL,
    );
    assert.match(logger.lines.join('\n'), /reranking with m failed/);
    const invalid: Reranker = { modelId: 'm', maxDocuments: 1000, rerank: failing('VALIDATION') };
    await assert.rejects(
      new BackendRetriever({ backend: 'local', local, logger, reranker: invalid }).retrieve('q', ask),
      (e: unknown) => (e as BedrockDocsError).code === 'VALIDATION',
    );
  });

  it('says how to fix a Knowledge Base backend without a Knowledge Base, and bad weights', async () => {
    await assert.rejects(new BackendRetriever({ backend: 'knowledgeBase', local, logger }).retrieve('q', ask), (e: unknown) => {
      assert.equal((e as BedrockDocsError).code, 'BAD_SETTING');
      assert.match((e as BedrockDocsError).hint ?? '', /bedrockDocs\.knowledgeBase\.id/);
      return true;
    });
    assert.throws(
      () => new BackendRetriever({ backend: 'both', local, knowledgeBase: kb, logger, weights: { local: 0, knowledgeBase: 0 } }),
      /not both 0/,
    );
    assert.throws(
      () => new BackendRetriever({ backend: 'both', local, knowledgeBase: kb, logger, weights: { local: -1, knowledgeBase: 1 } }),
      /0 or more/,
    );
  });
});
