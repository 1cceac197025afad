/**
 * Builds the Bedrock-backed ports (chat model, embedder) for a settings generation. Shared by the
 * CLI and the extension so both reach AWS the same way. Embeddings need credentials: when they are
 * missing the embedder is left out with a reason, and the index runs full-text only.
 */
import type { BedrockDocsError } from '../core/errors';
import { describeError } from '../core/errors';
import type { ChatModel, Embedder } from '../core/ports';
import type { Settings } from '../core/settings';
import { probeCredentials } from './bedrock/awsAccess';
import type { BedrockClientCache, BedrockConnection } from './bedrock/bedrockClient';
import { BedrockChatModel } from './bedrock/bedrockChatModel';
import { createEmbedder } from './bedrock/createEmbedder';

export interface BedrockServices {
  chat: ChatModel;
  /** The runtime client and its error context (for ApplyGuardrail and the like). */
  connection: BedrockConnection;
  embedder?: Embedder;
  /** Why there is no embedder (setting off, no credentials...), with the fix. */
  embeddingsOffReason?: string;
  /** Set when credentials could not be resolved: asking will fail with this. */
  credentialProblem?: BedrockDocsError;
  region: string;
}

export interface BedrockServicesOptions {
  clients: BedrockClientCache;
  /** Bedrock API key from SecretStorage, if the user set one. */
  apiKey?: string;
  /** Request timeout in ms. */
  requestTimeoutMs?: number;
  maxAttempts?: number;
  env?: NodeJS.ProcessEnv;
}

export async function createBedrockServices(settings: Settings, options: BedrockServicesOptions): Promise<BedrockServices> {
  const access = {
    profile: settings['aws.profile'] || undefined,
    region: settings['aws.region'] || undefined,
    endpoint: settings['aws.endpoint'] || undefined,
    apiKey: options.apiKey,
    requestTimeoutMs: options.requestTimeoutMs,
    maxAttempts: options.maxAttempts,
  };
  const connection = await options.clients.get(access);
  const chat = new BedrockChatModel(connection.client, connection.context);
  const region = connection.context.region ?? 'us-east-1';
  if (!settings['embeddings.enabled']) {
    return { chat, connection, region, embeddingsOffReason: 'embeddings are turned off (bedrockDocs.embeddings.enabled is false)' };
  }
  let credentialProblem: BedrockDocsError | undefined;
  try {
    await probeCredentials(access, options.env ?? process.env);
  } catch (err) {
    credentialProblem = err as BedrockDocsError;
    return { chat, connection, region, credentialProblem, embeddingsOffReason: describeError(err) };
  }
  try {
    const embedder = createEmbedder(
      connection.client,
      settings['embeddings.modelId'],
      settings['embeddings.dimensions'],
      connection.context,
    );
    return { chat, connection, region, embedder };
  } catch (err) {
    return { chat, connection, region, embeddingsOffReason: describeError(err) };
  }
}
