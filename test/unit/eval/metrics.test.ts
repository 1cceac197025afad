import assert from 'node:assert/strict';

import { BedrockDocsError } from '../../../src/core/errors';
import {
  citationPrecision,
  hitMatches,
  judgeRetrieval,
  ndcgAtK,
  normalizeEvalPath,
  parseRelevantEntry,
  recallAtK,
  reciprocalRank,
  retrievalScores,
} from '../../../src/core/eval/metrics';
import type { ScoredHit } from '../../../src/core/eval/metrics';

const hit = (path: string, ...breadcrumb: string[]): ScoredHit => ({ path, breadcrumb });

describe('eval metrics: retrieval', () => {
  it('ranks distinct documents by their first chunk', () => {
    // Chunks a, a, b, a, c -> documents a (1), b (2), c (3).
    const j = judgeRetrieval([hit('a.md'), hit('a.md'), hit('b.md'), hit('a.md'), hit('c.md')], ['c.md']);
    assert.deepEqual(j.documents, ['a.md', 'b.md', 'c.md']);
    assert.equal(j.entries[0]?.rank, 3);
  });

  it('recall@k is the fraction of relevant documents in the first k documents', () => {
    // Documents x, r1, y, z, w, r2 with relevant {r1, r2, r3}: @5 finds r1 only -> 1/3; @6 finds r1, r2 -> 2/3.
    const hits = ['x', 'r1', 'y', 'z', 'w', 'r2'].map((p) => hit(`${p}.md`));
    const j = judgeRetrieval(hits, ['r1.md', 'r2.md', 'r3.md']);
    assert.equal(recallAtK(j, 5), 1 / 3);
    assert.equal(recallAtK(j, 6), 2 / 3);
    assert.equal(recallAtK(j, 1), 0);
  });

  it('chunks of one document do not push other documents past k', () => {
    // Ten chunks of x, then r: r is the 2nd document, so recall@2 = 1 although it is the 11th chunk.
    const hits = [...Array.from({ length: 10 }, () => hit('x.md')), hit('r.md')];
    assert.equal(retrievalScores(hits, ['r.md'], 2).recall, 1);
  });

  it('reciprocal rank uses the best-ranked relevant document', () => {
    // Relevant documents at ranks 3 and 2 -> 1/2.
    const j = judgeRetrieval([hit('a.md'), hit('r2.md'), hit('r1.md')], ['r1.md', 'r2.md']);
    assert.equal(reciprocalRank(j), 0.5);
    assert.equal(reciprocalRank(judgeRetrieval([hit('a.md')], ['r.md'])), 0);
  });

  it('nDCG@k with binary gains matches a hand computation', () => {
    // Relevant {r1, r2}; documents: r1 (1), x (2), r2 (3).
    // DCG@3 = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5; IDCG@3 = 1 + 1/log2(3) = 1.6309297535714575.
    const j = judgeRetrieval([hit('r1.md'), hit('x.md'), hit('r2.md')], ['r1.md', 'r2.md']);
    assert.ok(Math.abs(ndcgAtK(j, 3) - 1.5 / (1 + 1 / Math.log2(3))) < 1e-12);
    assert.ok(Math.abs(ndcgAtK(j, 3) - 0.9197207891481876) < 1e-12);
    // @2: DCG = 1, IDCG = 1 + 1/log2(3) -> 0.6131471927654584.
    assert.ok(Math.abs(ndcgAtK(j, 2) - 0.6131471927654584) < 1e-12);
    // One relevant document at rank 2: 1/log2(3) / 1 = 0.6309297535714575.
    assert.ok(Math.abs(ndcgAtK(judgeRetrieval([hit('x.md'), hit('r.md')], ['r.md']), 5) - 0.6309297535714575) < 1e-12);
  });

  it('nDCG counts a document once even when two of its headings are relevant', () => {
    // Both entries point into a.md, found at rank 1: DCG = 1; the ideal has one relevant document: 1.
    const j = judgeRetrieval([hit('a.md', 'Guide', 'Setup'), hit('a.md', 'Guide', 'Proxy')], ['a.md#Setup', 'a.md#Proxy']);
    assert.equal(ndcgAtK(j, 5), 1);
    assert.equal(recallAtK(j, 5), 1);
  });

  it('a path#heading entry needs a chunk under that heading, credited at the document rank', () => {
    const entry = parseRelevantEntry('guide/setup.md#Proxy Settings');
    assert.deepEqual(entry, { raw: 'guide/setup.md#Proxy Settings', path: 'guide/setup.md', heading: 'Proxy Settings' });
    // Case, Markdown escapes and inline anchors are ignored; an ancestor heading matches too.
    assert.ok(hitMatches(hit('guide/setup.md', 'Setup', 'proxy\\ settings<a name="p"></a>'), entry));
    assert.ok(hitMatches(hit('guide/setup.md', 'Proxy settings', 'HTTPS'), entry));
    // The GitHub slug of the heading works as well.
    assert.ok(hitMatches(hit('guide/setup.md', 'Proxy settings'), parseRelevantEntry('guide/setup.md#proxy-settings')));
    assert.ok(!hitMatches(hit('guide/setup.md', 'Install'), entry));
    assert.ok(!hitMatches(hit('other.md', 'Proxy settings'), entry));
    // Document a: first chunk is another section, the matching one comes after b: a is still rank 1.
    const j = judgeRetrieval([hit('guide/setup.md', 'Install'), hit('b.md'), hit('guide/setup.md', 'Proxy settings')], [entry.raw]);
    assert.equal(j.entries[0]?.rank, 1);
    // Without any matching chunk the entry is not found although the document is.
    assert.equal(judgeRetrieval([hit('guide/setup.md', 'Install')], [entry.raw]).entries[0]?.rank, null);
  });

  it('normalizes paths written with ./ or backslashes', () => {
    assert.equal(normalizeEvalPath('.\\docs\\a.md'), 'docs/a.md');
    assert.equal(retrievalScores([hit('docs/a.md')], ['./docs/a.md'], 1).recall, 1);
  });

  it('ignores duplicate relevant entries and rejects an empty relevant list', () => {
    assert.equal(retrievalScores([hit('r.md')], ['r.md', 'r.md'], 1).recall, 1);
    assert.throws(
      () => judgeRetrieval([hit('r.md')], []),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'BAD_INPUT',
    );
  });
});

describe('eval metrics: citation precision', () => {
  it('is the share of cited chunks that match a relevant entry', () => {
    // 3 cited, 2 in relevant documents -> 2/3.
    assert.equal(citationPrecision([hit('r.md'), hit('x.md'), hit('r.md', 'Other')], ['r.md']), 2 / 3);
    // A heading entry only accepts chunks of that section: 1 of 2.
    assert.equal(citationPrecision([hit('r.md', 'Setup'), hit('r.md', 'Other')], ['r.md#setup']), 0.5);
  });

  it('is undefined when nothing is cited', () => {
    assert.equal(citationPrecision([], ['r.md']), undefined);
  });
});
