import assert from 'node:assert/strict';
import { meterReranker } from '../../../src/core/metering/meteredPorts';
import { testMeter } from '../../helpers/testMeter';
import type { Chunk } from '../../../src/core/chunk';
import type { SearchHit } from '../../../src/core/index/hybridIndex';
import type { Reranker, RerankResult } from '../../../src/core/retrieval/rerank';
import { rerankHits, rerankText } from '../../../src/core/retrieval/rerank';

const chunk = (id: string, text: string): Chunk => ({
  id,
  path: `${id}.md`,
  fileType: 'markdown',
  title: 'Guide',
  breadcrumb: ['Guide', 'Proxy'],
  startLine: 1,
  endLine: 3,
  text,
});
const hits: SearchHit[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ chunk: chunk(id, `body ${id}`), score: 10 - i }));

function scripted(results: RerankResult[]): Reranker & { calls: Array<{ query: string; documents: string[]; topN: number }> } {
  const calls: Array<{ query: string; documents: string[]; topN: number }> = [];
  return {
    modelId: 'cohere.rerank-v3-5:0',
    maxDocuments: 1000,
    calls,
    rerank: async (query, documents, { topN }) => (calls.push({ query, documents, topN }), results),
  };
}

describe('rerankHits', () => {
  it('reorders the first topN by relevance, takes their scores, and keeps the rest after them in order', async () => {
    const reranker = scripted([
      { index: 2, relevanceScore: 0.9 },
      { index: 0, relevanceScore: 0.4 },
      { index: 1, relevanceScore: 0.1 },
    ]);
    const out = await rerankHits('proxy port', hits, reranker, { topN: 3 });
    assert.deepEqual(
      out.map((h) => [h.chunk.id, h.score]),
      [
        ['c', 0.9],
        ['a', 0.4],
        ['b', 0.1],
        ['d', 7],
        ['e', 6],
      ],
    );
    assert.equal(reranker.calls[0]?.topN, 3);
    assert.equal(reranker.calls[0]?.documents.length, 3);
  });

  it('keeps candidates the reranker left out, and sorts results that come unsorted', async () => {
    const out = await rerankHits(
      'q',
      hits,
      scripted([
        { index: 1, relevanceScore: 0.2 },
        { index: 3, relevanceScore: 0.8 },
      ]),
      { topN: 4 },
    );
    assert.deepEqual(
      out.map((h) => h.chunk.id),
      ['d', 'b', 'a', 'c', 'e'],
    );
  });

  it('sends title and section with the text, redacted like every outgoing text', async () => {
    const reranker = scripted([
      { index: 0, relevanceScore: 1 },
      { index: 1, relevanceScore: 0.5 },
    ]);
    const secretHits: SearchHit[] = [{ chunk: chunk('s', 'key AKIA123 here'), score: 1 }, hits[0]!];
    const { meter, records } = testMeter({ redact: (t) => t.replace(/AKIA\w+/g, '[key]') });
    await rerankHits('what is AKIA123', secretHits, meterReranker(reranker, meter), { topN: 2 });
    // Cohere Rerank 3.5: $2 per 1,000 queries; two documents are one query.
    assert.deepEqual(
      records.map((r) => [r.purpose, r.requests, r.costUsd]),
      [['rerank', 1, 0.002]],
    );
    assert.equal(reranker.calls[0]?.query, 'what is [key]');
    assert.equal(reranker.calls[0]?.documents[0], 'Guide > Proxy\n\nkey [key] here');
    assert.equal(rerankText(chunk('x', 'y'.repeat(20_000))).length, 8_000);
  });

  it('does not call the model for fewer than two candidates or an empty query', async () => {
    const reranker = scripted([]);
    assert.deepEqual(await rerankHits('q', hits.slice(0, 1), reranker, { topN: 10 }), hits.slice(0, 1));
    assert.deepEqual(await rerankHits('  ', hits, reranker, { topN: 10 }), hits);
    assert.equal(reranker.calls.length, 0);
  });
});
