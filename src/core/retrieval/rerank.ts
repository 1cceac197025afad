/**
 * Reranking: a cross-encoder model (Bedrock `Rerank`: Amazon Rerank 1.0, Cohere Rerank 3.5) reads
 * the question with each candidate and scores their relevance, which orders the top candidates
 * better than rank fusion can. The core sees it through the `Reranker` port.
 */
import type { Chunk } from '../chunk';
import type { SearchHit } from '../index/hybridIndex';
import type { CallOptions, MeteredCallOptions } from '../ports';

/** One scored document: `index` into the documents sent, `relevanceScore` higher is better (0-1). */
export interface RerankResult {
  index: number;
  relevanceScore: number;
}

/** A reranking model. Adapters: BedrockReranker (src/node/bedrock/reranker.ts), fakes in tests. */
export interface Reranker {
  /** Model id (or ARN) as configured, e.g. `cohere.rerank-v3-5:0`. */
  readonly modelId: string;
  /** Most documents one call accepts (Bedrock: 1000). */
  readonly maxDocuments: number;
  /**
   * Scores `documents` against `query`; returns at most `topN` results, best first. Throws
   * BedrockDocsError.
   */
  rerank(query: string, documents: string[], options: MeteredCallOptions & { topN: number }): Promise<RerankResult[]>;
}

// Rerankers read a few thousand tokens per document (Cohere Rerank 3.5: 4k with the query);
// sending more only costs bandwidth.
const MAX_DOCUMENT_CHARS = 8_000;

/** The text a reranker reads for a chunk: its title and section, then the text. */
export function rerankText(chunk: Chunk): string {
  const head = [chunk.title, ...chunk.breadcrumb.filter((b) => b !== chunk.title)].filter(Boolean).join(' > ');
  const text = head ? `${head}\n\n${chunk.text}` : chunk.text;
  return text.length > MAX_DOCUMENT_CHARS ? text.slice(0, MAX_DOCUMENT_CHARS) : text;
}

/** How many of the best hits are reranked, and what leaves the machine. */
export interface RerankHitsOptions extends CallOptions {
  /** Hits sent to the reranker (the best ones); the rest keep their order after them. */
  topN: number;
}

/**
 * Reorders the first `topN` hits by the reranker's relevance (their `score` becomes the relevance
 * score); hits beyond `topN` follow in their original order with their original scores. A hit the
 * reranker leaves out is kept after the ones it scored, so nothing retrieved is silently lost.
 */
export async function rerankHits<T extends SearchHit>(
  query: string,
  hits: readonly T[],
  reranker: Reranker,
  options: RerankHitsOptions,
): Promise<T[]> {
  const count = Math.min(options.topN, reranker.maxDocuments, hits.length);
  if (count < 2 || query.trim() === '') return [...hits];
  const head = hits.slice(0, count);
  const results = await reranker.rerank(
    query,
    head.map((h) => rerankText(h.chunk)),
    { topN: count, signal: options.signal, tally: options.tally, purpose: 'rerank' },
  );
  const used = new Set<number>();
  const reranked: T[] = [];
  // Bedrock returns results best first; sorting again costs nothing and guards other adapters.
  for (const r of [...results].sort((a, b) => b.relevanceScore - a.relevanceScore)) {
    const hit = head[r.index];
    if (!hit || used.has(r.index)) continue;
    used.add(r.index);
    reranked.push({ ...hit, score: r.relevanceScore });
  }
  const missed = head.filter((_, i) => !used.has(i));
  return [...reranked, ...missed, ...hits.slice(count)];
}
