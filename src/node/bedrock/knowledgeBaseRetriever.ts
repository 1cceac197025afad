/**
 * A Bedrock Knowledge Base as a Retriever: one `Retrieve` call (agent runtime) per question, with
 * the configured number of results, search type (HYBRID or SEMANTIC) and metadata filter; results
 * become hits whose chunk `path` is the source URI, cited like local chunks.
 * API: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_Retrieve.html
 */
import type {
  BedrockAgentRuntimeClient,
  RetrievalFilter as SdkRetrievalFilter,
  RetrieveCommandInput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockDocsError } from '../../core/errors';
import type { Retriever } from '../../core/rag/ask';
import type { RetrieveCallOptions } from '../../core/retrieval/backendRetriever';
import { MAX_KNOWLEDGE_BASE_RESULTS } from '../../core/retrieval/backendRetriever';
import { checkKnowledgeBaseId } from '../../core/retrieval/knowledgeBaseId';
import type { KnowledgeBaseHit } from '../../core/retrieval/knowledgeBaseResults';
import { toKnowledgeBaseHits } from '../../core/retrieval/knowledgeBaseResults';
import type { RetrievalFilter } from '../../core/retrieval/metadataFilter';
import type { BedrockErrorContext } from './mapBedrockError';
import { mapBedrockError } from './mapBedrockError';

/** HYBRID (vector + keyword, where the vector store supports it) or SEMANTIC (vector only). */
export type KnowledgeBaseSearchType = 'HYBRID' | 'SEMANTIC';

/** Which Knowledge Base, and how to query it. */
export interface KnowledgeBaseRetrieverOptions {
  /** The Knowledge Base ID: up to 10 letters and digits, e.g. `KB12345678`. */
  knowledgeBaseId: string;
  /** Undefined: the Knowledge Base's own default (Bedrock picks per vector store). */
  searchType?: KnowledgeBaseSearchType;
  filter?: RetrievalFilter;
  /** Region of the Knowledge Base, for S3 console links. */
  region: string;
}

/** Retrieve against one Knowledge Base; implements ask's Retriever. */
export class KnowledgeBaseRetriever implements Retriever {
  readonly knowledgeBaseId: string;

  /** @param context region/profile/endpoint used to word errors (from AgentRuntimeConnection) */
  constructor(
    private readonly client: BedrockAgentRuntimeClient,
    private readonly options: KnowledgeBaseRetrieverOptions,
    private readonly context: BedrockErrorContext = {},
  ) {
    const problem = checkKnowledgeBaseId(options.knowledgeBaseId);
    if (problem || options.knowledgeBaseId === '') {
      throw new BedrockDocsError(
        'BAD_SETTING',
        `bedrockDocs.knowledgeBase.id: ${problem ?? 'is empty'}.`,
        'Copy the Knowledge Base ID from the Bedrock console (Knowledge Bases > your knowledge base > Knowledge Base overview).',
      );
    }
    this.knowledgeBaseId = options.knowledgeBaseId;
  }

  /**
   * The Knowledge Base's best `k` chunks (1-100) for the query, best first. `mode` and local
   * filters do not apply here; `scoreThreshold` drops hits below that fraction of the best score.
   */
  async retrieve(query: string, options: RetrieveCallOptions): Promise<KnowledgeBaseHit[]> {
    if (query.trim() === '') return [];
    const numberOfResults = Math.min(MAX_KNOWLEDGE_BASE_RESULTS, Math.max(1, Math.floor(options.k)));
    const input: RetrieveCommandInput = {
      knowledgeBaseId: this.knowledgeBaseId,
      retrievalQuery: { type: 'TEXT', text: query },
      retrievalConfiguration: {
        vectorSearchConfiguration: {
          numberOfResults,
          ...(this.options.searchType ? { overrideSearchType: this.options.searchType } : {}),
          // Our filter type is the wire union without the SDK's `$unknown` member: the same JSON.
          ...(this.options.filter ? { filter: this.options.filter as SdkRetrievalFilter } : {}),
        },
      },
    };
    let results;
    try {
      const response = await this.client.send(new RetrieveCommand(input), { abortSignal: options.signal });
      results = response.retrievalResults ?? [];
    } catch (err) {
      throw mapBedrockError(err, { ...this.context, operation: 'Retrieve', knowledgeBaseId: this.knowledgeBaseId, signal: options.signal });
    }
    const hits = toKnowledgeBaseHits(results, { knowledgeBaseId: this.knowledgeBaseId, region: this.options.region }).slice(
      0,
      numberOfResults,
    );
    const threshold = options.scoreThreshold ?? 0;
    const best = hits[0]?.score ?? 0;
    return threshold > 0 && best > 0 ? hits.filter((h) => h.score >= threshold * best) : hits;
  }
}
