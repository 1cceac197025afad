/**
 * The retriever a question uses, from settings: the local index, a Bedrock Knowledge Base, or both
 * fused by reciprocal rank, optionally reranked. Shared by the CLI and the extension.
 */
import type { ChatModel, Logger } from '../core/ports';
import { ExpandingRetriever } from '../core/rag/queryExpansion';
import type { Retriever } from '../core/rag/ask';
import type { RetrievalBackend } from '../core/retrieval/backendRetriever';
import { BackendRetriever } from '../core/retrieval/backendRetriever';
import type { Settings } from '../core/settings';
import { AgentRuntimeClientCache } from './bedrock/knowledgeBaseClient';
import { createKnowledgeBaseServices } from './bedrock/knowledgeBaseServices';

export interface RetrievalStack {
  retriever: Retriever;
  /** The Knowledge Base region, for console links of s3:// sources. */
  region?: string;
  dispose(): void;
}

export async function createRetrievalStack(
  settings: Settings,
  options: {
    local: Retriever;
    chat: ChatModel;
    logger: Logger;
    outgoingText?: (t: string) => string;
    apiKey?: string;
    backend?: RetrievalBackend;
    knowledgeBaseId?: string;
  },
): Promise<RetrievalStack> {
  const stack = await baseStack(settings, options);
  if (!settings['retrieval.queryExpansion.enabled']) return stack;
  // Expansion wraps the whole stack: each variant goes through the same backends and reranking.
  const retriever = new ExpandingRetriever(stack.retriever, {
    chat: options.chat,
    modelId: settings['retrieval.queryExpansion.modelId'],
    logger: options.logger,
    outgoingText: options.outgoingText,
    variantWeight: settings['retrieval.queryExpansion.weight'],
  });
  return { ...stack, retriever };
}

async function baseStack(
  settings: Settings,
  options: {
    local: Retriever;
    logger: Logger;
    outgoingText?: (t: string) => string;
    apiKey?: string;
    backend?: RetrievalBackend;
    knowledgeBaseId?: string;
  },
): Promise<RetrievalStack> {
  const backend = options.backend ?? settings['retrieval.backend'];
  const knowledgeBaseId = options.knowledgeBaseId ?? settings['knowledgeBase.id'];
  if (backend === 'local' && !settings['retrieval.rerank.enabled']) return { retriever: options.local, dispose: () => undefined };
  const clients = new AgentRuntimeClientCache();
  const kb = await createKnowledgeBaseServices(
    {
      backend,
      knowledgeBaseId,
      searchType: settings['knowledgeBase.searchType'],
      filter: settings['knowledgeBase.filter'],
      rerank: settings['retrieval.rerank.enabled'],
      rerankModelId: settings['retrieval.rerank.modelId'],
    },
    {
      clients,
      access: {
        profile: settings['aws.profile'] || undefined,
        region: settings['aws.region'] || undefined,
        apiKey: options.apiKey,
        maxAttempts: settings['request.maxAttempts'],
        requestTimeoutMs: settings['request.timeoutMs'],
      },
    },
  );
  const retriever = new BackendRetriever({
    backend,
    local: options.local,
    knowledgeBase: kb.knowledgeBase,
    knowledgeBaseResults: settings['knowledgeBase.numberOfResults'],
    weights: { local: settings['retrieval.fusionWeights.local'], knowledgeBase: settings['retrieval.fusionWeights.knowledgeBase'] },
    reranker: kb.reranker,
    rerankTopN: settings['retrieval.rerank.topN'],
    logger: options.logger,
    outgoingText: options.outgoingText,
  });
  return { retriever, region: kb.region, dispose: () => clients.dispose() };
}
