/**
 * Builds the agent-runtime ports for a settings generation: the Knowledge Base retriever (when the
 * backend uses one) and the reranker (when reranking is on), on one cached client. Shared by the CLI
 * and the extension, which pass plain values read from `bedrockDocs.*`.
 */
import type { RetrievalBackend } from '../../core/retrieval/backendRetriever';
import { parseMetadataFilter } from '../../core/retrieval/metadataFilter';
import type { AgentRuntimeClientCache, AgentRuntimeClientOptions } from './knowledgeBaseClient';
import type { KnowledgeBaseSearchType } from './knowledgeBaseRetriever';
import { KnowledgeBaseRetriever } from './knowledgeBaseRetriever';
import { BedrockReranker } from './reranker';

/** The retrieval settings that concern the agent runtime, as plain values. */
export interface KnowledgeBaseSettings {
  backend: RetrievalBackend;
  /** bedrockDocs.knowledgeBase.id; '' = none. */
  knowledgeBaseId: string;
  /** bedrockDocs.knowledgeBase.searchType: 'default' lets the Knowledge Base choose. */
  searchType: 'default' | KnowledgeBaseSearchType;
  /** bedrockDocs.knowledgeBase.filter: RetrievalFilter JSON; '' = none. */
  filter: string;
  /** bedrockDocs.retrieval.rerank.enabled */
  rerank: boolean;
  /** bedrockDocs.retrieval.rerank.modelId */
  rerankModelId: string;
}

/** What the BackendRetriever needs from AWS; both optional. */
export interface KnowledgeBaseServices {
  knowledgeBase?: KnowledgeBaseRetriever;
  reranker?: BedrockReranker;
  /** Region the agent runtime client calls; undefined when no client was needed. */
  region?: string;
}

/**
 * Builds what the settings ask for and nothing else (no client when neither is needed). Throws
 * BedrockDocsError BAD_SETTING for a malformed Knowledge Base ID or metadata filter.
 */
export async function createKnowledgeBaseServices(
  settings: KnowledgeBaseSettings,
  options: { clients: AgentRuntimeClientCache; access: AgentRuntimeClientOptions },
): Promise<KnowledgeBaseServices> {
  const wantsKb = settings.backend !== 'local' && settings.knowledgeBaseId !== '';
  if (!wantsKb && !settings.rerank) return {};
  const filter = wantsKb ? parseMetadataFilter(settings.filter) : undefined;
  const connection = await options.clients.get(options.access);
  const { region, context, client } = connection;
  const knowledgeBase = wantsKb
    ? new KnowledgeBaseRetriever(
        client,
        {
          knowledgeBaseId: settings.knowledgeBaseId,
          region,
          ...(settings.searchType !== 'default' ? { searchType: settings.searchType } : {}),
          ...(filter ? { filter } : {}),
        },
        context,
      )
    : undefined;
  const reranker = settings.rerank ? new BedrockReranker(client, settings.rerankModelId, region, context) : undefined;
  return { knowledgeBase, reranker, region };
}
