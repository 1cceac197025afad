/**
 * The Retriever behind ask, search and eval when a Bedrock Knowledge Base is configured: the local
 * index, the Knowledge Base, or both fused by weighted reciprocal rank; then, optionally, the best
 * candidates reranked before the caller applies its context budget.
 */
import { BedrockDocsError, describeError, isCancellation } from '../errors';
import type { ErrorCode } from '../errors';
import { reciprocalRankFusion } from '../index/fusion';
import type { SearchHit, SearchMode } from '../index/hybridIndex';
import type { SearchFilter } from '../index/searchFilter';
import { hasFilter } from '../index/searchFilter';
import type { CallOptions, Logger } from '../ports';
import type { Retriever } from '../rag/ask';
import type { Reranker } from './rerank';
import { rerankHits } from './rerank';

/** `bedrockDocs.retrieval.backend`: where chunks come from. */
export type RetrievalBackend = 'local' | 'knowledgeBase' | 'both';

/** The backends, in settings order. */
export const RETRIEVAL_BACKENDS: readonly RetrievalBackend[] = ['local', 'knowledgeBase', 'both'];

/** RRF weight of each side with `both`; 0 leaves that side out. */
export interface FusionWeights {
  local: number;
  knowledgeBase: number;
}

/** Equal say for both sides. */
export const DEFAULT_FUSION_WEIGHTS: FusionWeights = { local: 1, knowledgeBase: 1 };

/** Candidates sent to the reranker when reranking is on and no count is given. */
export const DEFAULT_RERANK_TOP_N = 20;

/** The Knowledge Base returns at most this many results per Retrieve call. */
export const MAX_KNOWLEDGE_BASE_RESULTS = 100;

/** The parts and the knobs; built per settings generation by the CLI and the extension. */
export interface BackendRetrieverOptions {
  backend: RetrievalBackend;
  /** The local index (the Indexer). Needed for `local` and `both`. */
  local?: Retriever;
  /** The Knowledge Base (KnowledgeBaseRetriever). Needed for `knowledgeBase` and `both`. */
  knowledgeBase?: Retriever;
  /** Results asked from the Knowledge Base per question, at least (raised to topK and the rerank count). */
  knowledgeBaseResults?: number;
  /** With `both`: RRF weights (default 1 and 1). */
  weights?: FusionWeights;
  /** When set, the best `rerankTopN` candidates are reranked. */
  reranker?: Reranker;
  /** Candidates reranked; default DEFAULT_RERANK_TOP_N. */
  rerankTopN?: number;
  logger: Logger;
}

/** The Retriever options ask, search and eval pass (the same as Indexer.retrieve's). */
export type RetrieveCallOptions = CallOptions & { k: number; mode: SearchMode; filter?: SearchFilter; scoreThreshold?: number };

// Failures that pass: with two sources, or with reranking, one of them being briefly unavailable
// should not cost the answer. Configuration errors (access, ids, settings) still surface.
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['THROTTLED', 'SERVICE_UNAVAILABLE', 'TIMEOUT', 'NETWORK', 'MODEL_NOT_READY']);

/** True for failures likely gone on a later try: throttling, outages, timeouts, the network. */
export function isTransientFailure(err: unknown): boolean {
  return err instanceof BedrockDocsError && TRANSIENT.has(err.code);
}

interface Settled {
  hits: SearchHit[];
  error?: unknown;
}

async function settle(run: () => Promise<SearchHit[]>): Promise<Settled> {
  try {
    return { hits: await run() };
  } catch (err) {
    return { hits: [], error: err ?? new Error('retrieval failed') };
  }
}

/** Local index, Knowledge Base, or both fused; optional reranking. Implements ask's Retriever. */
export class BackendRetriever implements Retriever {
  private readonly weights: FusionWeights;
  private warnedFilter = false;

  constructor(private readonly options: BackendRetrieverOptions) {
    const weights = options.weights ?? DEFAULT_FUSION_WEIGHTS;
    if (!(weights.local >= 0 && weights.knowledgeBase >= 0) || weights.local + weights.knowledgeBase <= 0) {
      throw new BedrockDocsError(
        'BAD_SETTING',
        `Fusion weights must be 0 or more and not both 0 (got local ${weights.local}, knowledge base ${weights.knowledgeBase}).`,
        'Fix bedrockDocs.retrieval.fusionWeights.local / .knowledgeBase (1 and 1 give both an equal say).',
      );
    }
    this.weights = weights;
  }

  /** The configured backend. */
  get backend(): RetrievalBackend {
    return this.options.backend;
  }

  /** The best `k` chunks for the query from the configured backend(s), reranked when configured. */
  async retrieve(query: string, options: RetrieveCallOptions): Promise<SearchHit[]> {
    const { backend, reranker } = this.options;
    const topN = reranker ? Math.max(1, this.options.rerankTopN ?? DEFAULT_RERANK_TOP_N) : 0;
    const depth = Math.max(options.k, topN);
    const useLocal = backend === 'local' || (backend === 'both' && this.weights.local > 0);
    const useKb = backend === 'knowledgeBase' || (backend === 'both' && this.weights.knowledgeBase > 0);
    const [local, kb] = await Promise.all([
      useLocal ? settle(() => this.local().retrieve(query, { ...options, k: depth })) : undefined,
      useKb ? settle(() => this.fromKnowledgeBase(query, depth, options)) : undefined,
    ]);
    this.checkFailures(local, kb);
    let hits: SearchHit[];
    if (useLocal && useKb) {
      const fused = reciprocalRankFusion<SearchHit>(
        [
          { items: local?.hits ?? [], weight: this.weights.local },
          { items: kb?.hits ?? [], weight: this.weights.knowledgeBase },
        ],
        (hit) => hit.chunk.id,
      );
      hits = fused.map(({ item, score }) => ({ ...item, score }));
    } else {
      hits = local?.hits ?? kb?.hits ?? [];
    }
    if (reranker && hits.length > 1) hits = await this.rerank(query, hits, reranker, topN, options.signal, options.tally);
    return hits.slice(0, options.k);
  }

  private local(): Retriever {
    if (this.options.local) return this.options.local;
    throw new BedrockDocsError(
      'BAD_SETTING',
      'The local index is not available for this retrieval backend.',
      'Set bedrockDocs.retrieval.backend to knowledgeBase, or index the workspace.',
    );
  }

  private async fromKnowledgeBase(query: string, depth: number, options: RetrieveCallOptions): Promise<SearchHit[]> {
    const kb = this.options.knowledgeBase;
    if (!kb) {
      throw new BedrockDocsError(
        'BAD_SETTING',
        `The retrieval backend is "${this.options.backend}" but no Knowledge Base is configured.`,
        'Set bedrockDocs.knowledgeBase.id to your Knowledge Base ID (10 letters and digits, shown in the Bedrock console), or set bedrockDocs.retrieval.backend to local.',
      );
    }
    if (hasFilter(options.filter) && !this.warnedFilter) {
      this.warnedFilter = true;
      this.options.logger.info(
        'path and type filters apply to the local index only; the Knowledge Base uses bedrockDocs.knowledgeBase.filter',
      );
    }
    const k = Math.min(MAX_KNOWLEDGE_BASE_RESULTS, Math.max(depth, this.options.knowledgeBaseResults ?? 0));
    return kb.retrieve(query, {
      k,
      mode: options.mode,
      scoreThreshold: options.scoreThreshold,
      signal: options.signal,
      tally: options.tally,
    });
  }

  // With `both`, one side may fail transiently and the other answers alone; any other failure,
  // a cancel, or both sides failing, is the caller's to see.
  private checkFailures(local: Settled | undefined, kb: Settled | undefined): void {
    const failed = [kb, local].filter((s): s is Settled => s?.error !== undefined);
    if (failed.length === 0) return;
    const tolerable = (s: Settled) => this.options.backend === 'both' && !isCancellation(s.error) && isTransientFailure(s.error);
    const fatal = failed.find((s) => !tolerable(s));
    if (fatal) throw fatal.error;
    if (failed.length === [local, kb].filter(Boolean).length) throw failed[0]!.error;
    const which = failed[0] === kb ? 'Knowledge Base' : 'local index';
    this.options.logger.warn(`the ${which} is unavailable, answering from the other source only: ${describeError(failed[0]!.error)}`);
  }

  private async rerank(
    query: string,
    hits: SearchHit[],
    reranker: Reranker,
    topN: number,
    signal: AbortSignal | undefined,
    tally: CallOptions['tally'],
  ): Promise<SearchHit[]> {
    try {
      return await rerankHits(query, hits, reranker, { topN, signal, tally });
    } catch (err) {
      if (isCancellation(err) || !isTransientFailure(err)) throw err;
      this.options.logger.warn(`reranking with ${reranker.modelId} failed, keeping the fused order: ${describeError(err)}`);
      return hits;
    }
  }
}
