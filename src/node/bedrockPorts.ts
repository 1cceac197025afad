/**
 * The only place the Bedrock adapters are built, and the only ports anyone gets: each one behind the
 * CallMeter (core/metering), so every call, whoever makes it, is redacted, budgeted and recorded
 * with its purpose. A layering test keeps the raw adapters out of every other file of src/.
 * Shared by the CLI and the extension. Embeddings need credentials: when they are missing the
 * embedder is left out with a reason, and the index runs full-text only.
 */
import type { BedrockDocsError } from '../core/errors';
import { describeError } from '../core/errors';
import type { CallMeter } from '../core/metering/callMeter';
import { meterChatModel, meterEmbedder, meterGuardrail, meterKnowledgeBase, meterReranker } from '../core/metering/meteredPorts';
import type { ChatModel, Embedder, GuardrailChecker } from '../core/ports';
import type { Retriever } from '../core/rag/ask';
import type { RetrievalBackend } from '../core/retrieval/backendRetriever';
import type { Reranker } from '../core/retrieval/rerank';
import type { Settings } from '../core/settings';
import { probeCredentials } from './bedrock/awsAccess';
import type { BedrockClientCache } from './bedrock/bedrockClient';
import { BedrockChatModel } from './bedrock/bedrockChatModel';
import { createEmbedder } from './bedrock/createEmbedder';
import { BedrockGuardrailChecker } from './bedrock/guardrailCheck';
import type { AgentRuntimeClientCache } from './bedrock/knowledgeBaseClient';
import { createKnowledgeBaseServices } from './bedrock/knowledgeBaseServices';

/** The metered Bedrock Runtime ports of one settings generation. */
export interface BedrockPorts {
  chat: ChatModel;
  guardrail: GuardrailChecker;
  embedder?: Embedder;
  /** Why there is no embedder (setting off, no credentials...), with the fix. */
  embeddingsOffReason?: string;
  /** Set when credentials could not be resolved: asking will fail with this. */
  credentialProblem?: BedrockDocsError;
  region: string;
}

export interface BedrockPortsOptions {
  clients: BedrockClientCache;
  meter: CallMeter;
  /** Bedrock API key from SecretStorage, if the user set one. */
  apiKey?: string;
  env?: NodeJS.ProcessEnv;
}

/** The access settings both runtime clients are configured from. */
export function accessOf(settings: Settings, apiKey: string | undefined) {
  return {
    profile: settings['aws.profile'] || undefined,
    region: settings['aws.region'] || undefined,
    endpoint: settings['aws.endpoint'] || undefined,
    apiKey,
    requestTimeoutMs: settings['request.timeoutMs'],
    maxAttempts: settings['request.maxAttempts'],
  };
}

// The agent runtime has its own endpoint: bedrockDocs.aws.endpoint names the Bedrock Runtime's.
function agentAccess(settings: Settings, apiKey: string | undefined) {
  const { endpoint: _runtimeEndpoint, ...rest } = accessOf(settings, apiKey);
  return rest;
}

/** Chat, guardrail and (credentials permitting) the embedder, all metered. */
export async function createBedrockPorts(settings: Settings, options: BedrockPortsOptions): Promise<BedrockPorts> {
  const access = accessOf(settings, options.apiKey);
  const connection = await options.clients.get(access);
  const { meter } = options;
  const chat = meterChatModel(new BedrockChatModel(connection.client, connection.context), meter);
  const guardrail = meterGuardrail(new BedrockGuardrailChecker(connection.client, connection.context), meter);
  const region = connection.context.region ?? 'us-east-1';
  const base = { chat, guardrail, region };
  if (!settings['embeddings.enabled']) {
    return { ...base, embeddingsOffReason: 'embeddings are turned off (bedrockDocs.embeddings.enabled is false)' };
  }
  try {
    await probeCredentials(access, options.env ?? process.env);
  } catch (err) {
    return { ...base, credentialProblem: err as BedrockDocsError, embeddingsOffReason: describeError(err) };
  }
  try {
    const raw = createEmbedder(connection.client, settings['embeddings.modelId'], settings['embeddings.dimensions'], connection.context);
    return { ...base, embedder: meterEmbedder(raw, meter) };
  } catch (err) {
    return { ...base, embeddingsOffReason: describeError(err) };
  }
}

/** The agent-runtime ports a retrieval setup needs (none, a Knowledge Base, a reranker), metered. */
export interface RetrievalPorts {
  knowledgeBase?: Retriever;
  reranker?: Reranker;
  /** The Knowledge Base region, for console links of s3:// sources. */
  region?: string;
}

/** Builds only what the settings ask for (no client when neither a Knowledge Base nor reranking is on). */
export async function createRetrievalPorts(
  settings: Settings,
  choice: { backend: RetrievalBackend; knowledgeBaseId: string },
  options: { clients: AgentRuntimeClientCache; meter: CallMeter; apiKey?: string },
): Promise<RetrievalPorts> {
  const kb = await createKnowledgeBaseServices(
    {
      backend: choice.backend,
      knowledgeBaseId: choice.knowledgeBaseId,
      searchType: settings['knowledgeBase.searchType'],
      filter: settings['knowledgeBase.filter'],
      rerank: settings['retrieval.rerank.enabled'],
      rerankModelId: settings['retrieval.rerank.modelId'],
    },
    { clients: options.clients, access: agentAccess(settings, options.apiKey) },
  );
  return {
    ...(kb.knowledgeBase ? { knowledgeBase: meterKnowledgeBase(kb.knowledgeBase, kb.knowledgeBase.knowledgeBaseId, options.meter) } : {}),
    ...(kb.reranker ? { reranker: meterReranker(kb.reranker, options.meter) } : {}),
    ...(kb.region ? { region: kb.region } : {}),
  };
}
