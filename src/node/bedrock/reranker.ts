/**
 * The Reranker port on Bedrock's `Rerank` API (agent runtime): one query, inline text documents,
 * a reranking model named by its foundation-model ARN (Amazon Rerank 1.0, Cohere Rerank 3.5).
 * API: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_Rerank.html
 */
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { RerankCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockDocsError } from '../../core/errors';
import type { CallOptions } from '../../core/ports';
import type { Reranker, RerankResult } from '../../core/retrieval/rerank';
import type { BedrockErrorContext } from './mapBedrockError';
import { mapBedrockError } from './mapBedrockError';

/** Reranking models Bedrock offers (see the rerank-supported page for their regions). */
export const RERANK_MODEL_IDS = ['cohere.rerank-v3-5:0', 'amazon.rerank-v1:0'] as const;

/** Default: Cohere Rerank 3.5 is offered in every rerank region, us-east-1 included. */
export const DEFAULT_RERANK_MODEL_ID = 'cohere.rerank-v3-5:0';

/** Sources one Rerank call accepts. */
export const MAX_RERANK_SOURCES = 1000;

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The ARN Rerank wants: an ARN passes through; a model id becomes
 * `arn:<partition>:bedrock:<region>::foundation-model/<id>`.
 */
export function rerankModelArn(modelId: string, region: string): string {
  if (modelId.startsWith('arn:')) return modelId;
  return `arn:${partitionOf(region)}:bedrock:${region}::foundation-model/${modelId}`;
}

/** Bedrock Rerank behind the core's Reranker port. */
export class BedrockReranker implements Reranker {
  readonly maxDocuments = MAX_RERANK_SOURCES;
  private readonly modelArn: string;

  /**
   * @param modelId model id (e.g. `cohere.rerank-v3-5:0`) or foundation-model ARN
   * @param region region of the client, for the model ARN
   * @param context region/profile/endpoint used to word errors (from AgentRuntimeConnection)
   */
  constructor(
    private readonly client: BedrockAgentRuntimeClient,
    readonly modelId: string,
    region: string,
    private readonly context: BedrockErrorContext = {},
  ) {
    if (modelId.trim() === '')
      throw new BedrockDocsError(
        'BAD_SETTING',
        'No rerank model is set.',
        `Set bedrockDocs.retrieval.rerank.modelId, e.g. ${DEFAULT_RERANK_MODEL_ID}, or turn reranking off.`,
      );
    this.modelArn = rerankModelArn(modelId, region);
  }

  /** Relevance of each document to the query, best first, at most `topN` of them. */
  async rerank(query: string, documents: string[], options: CallOptions & { topN: number }): Promise<RerankResult[]> {
    if (documents.length === 0) return [];
    if (documents.length > MAX_RERANK_SOURCES)
      throw new BedrockDocsError(
        'BAD_INPUT',
        `Rerank takes at most ${MAX_RERANK_SOURCES} documents, not ${documents.length}.`,
        'Lower bedrockDocs.retrieval.rerank.topN.',
      );
    const numberOfResults = Math.max(1, Math.min(options.topN, documents.length));
    try {
      const response = await this.client.send(
        new RerankCommand({
          queries: [{ type: 'TEXT', textQuery: { text: query } }],
          sources: documents.map((text) => ({ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text } } })),
          rerankingConfiguration: {
            type: 'BEDROCK_RERANKING_MODEL',
            bedrockRerankingConfiguration: { numberOfResults, modelConfiguration: { modelArn: this.modelArn } },
          },
        }),
        { abortSignal: options.signal },
      );
      return (response.results ?? []).flatMap((r) =>
        typeof r.index === 'number' && typeof r.relevanceScore === 'number' ? [{ index: r.index, relevanceScore: r.relevanceScore }] : [],
      );
    } catch (err) {
      throw mapBedrockError(err, { ...this.context, operation: 'Rerank', modelId: this.modelId, signal: options.signal });
    }
  }
}
