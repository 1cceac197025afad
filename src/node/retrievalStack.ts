/**
 * The retriever a question uses, from settings: the local index, a Bedrock Knowledge Base, or both
 * fused by reciprocal rank, optionally reranked, optionally behind query expansion. Shared by the
 * CLI and the extension. It is given metered ports only (src/node/bedrockPorts.ts), so it never
 * redacts or counts anything itself.
 */
import type { ChatModel, Logger } from '../core/ports';
import type { Retriever } from '../core/rag/ask';
import { ExpandingRetriever } from '../core/rag/queryExpansion';
import type { RetrievalBackend } from '../core/retrieval/backendRetriever';
import { BackendRetriever } from '../core/retrieval/backendRetriever';
import type { Settings } from '../core/settings';
import type { RetrievalPorts } from './bedrockPorts';

/** The settings keys the retrieval stack is built from: a change to any of them rebuilds it (never the index). */
export const RETRIEVAL_SETTING_PREFIXES = ['retrieval.', 'knowledgeBase.'] as const;

/** The retriever for a settings generation. */
export function createRetriever(
  settings: Settings,
  parts: { local: Retriever; ports: RetrievalPorts; chat: ChatModel; logger: Logger; backend?: RetrievalBackend },
): Retriever {
  const backend = parts.backend ?? settings['retrieval.backend'];
  const stack =
    backend === 'local' && !parts.ports.reranker
      ? parts.local
      : new BackendRetriever({
          backend,
          local: parts.local,
          knowledgeBase: parts.ports.knowledgeBase,
          knowledgeBaseResults: settings['knowledgeBase.numberOfResults'],
          weights: { local: settings['retrieval.fusionWeights.local'], knowledgeBase: settings['retrieval.fusionWeights.knowledgeBase'] },
          reranker: parts.ports.reranker,
          rerankTopN: settings['retrieval.rerank.topN'],
          logger: parts.logger,
        });
  if (!settings['retrieval.queryExpansion.enabled']) return stack;
  // Expansion wraps the whole stack: each variant goes through the same backends and reranking.
  return new ExpandingRetriever(stack, {
    chat: parts.chat,
    modelId: settings['retrieval.queryExpansion.modelId'],
    logger: parts.logger,
    variantWeight: settings['retrieval.queryExpansion.weight'],
  });
}
