/**
 * The one place a BedrockAgentRuntimeClient (Knowledge Base `Retrieve`, `Rerank`) is built, with
 * the same region, credentials, API key, retry and timeout rules as the Bedrock Runtime client.
 * The endpoint is the agent runtime's own: `bedrockDocs.aws.endpoint` names the Bedrock Runtime
 * and is not reused; AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME (or AWS_ENDPOINT_URL) is honoured by
 * the SDK itself.
 */
import { createHash } from 'node:crypto';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { AwsAccessSettings } from './awsAccess';
import { bedrockApiKeySource, credentialProviderFor, resolveRegion } from './awsAccess';
import type { BedrockErrorContext } from './mapBedrockError';

/** Access settings (without the runtime endpoint) plus the retry and timeout knobs. */
export interface AgentRuntimeClientOptions extends Omit<AwsAccessSettings, 'endpoint'> {
  /** Agent runtime endpoint override (https, or http on loopback); empty = standard or env endpoint. */
  agentEndpoint?: string;
  /** Attempts per call including the first; default 4. */
  maxAttempts?: number;
  /** Idle time in ms after which a request fails with TIMEOUT; default 60000. */
  requestTimeoutMs?: number;
}

/** A client plus what error messages need to know about it. */
export interface AgentRuntimeConnection {
  client: BedrockAgentRuntimeClient;
  /** Region, profile, endpoint and timeout, for mapBedrockError. */
  context: BedrockErrorContext;
  /** Region the client calls (for S3 console links and model ARNs). */
  region: string;
  /** Cache key of this configuration (no secrets: the API key is hashed). */
  key: string;
}

const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_TIMEOUT_MS = 60_000;

const hash = (value: string | undefined) => (value ? createHash('sha256').update(value).digest('hex').slice(0, 16) : '');

async function describe(options: AgentRuntimeClientOptions, env: NodeJS.ProcessEnv) {
  const { region } = await resolveRegion(options, env);
  // The SDK reads these variables when the client is built, so they are part of the configuration.
  const envEndpoint = env.AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME || env.AWS_ENDPOINT_URL || undefined;
  const endpoint = options.agentEndpoint || undefined;
  const key = JSON.stringify({
    region,
    profile: options.profile || '',
    awsProfile: env.AWS_PROFILE ?? '',
    endpoint: endpoint ?? '',
    envEndpoint: envEndpoint ?? '',
    apiKey: hash(options.apiKey),
    envApiKey: hash(env.AWS_BEARER_TOKEN_BEDROCK),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    timeout: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  return { region, endpoint, envEndpoint, key };
}

/** Builds a new agent runtime client (prefer AgentRuntimeClientCache, which reuses it). */
export async function createAgentRuntimeConnection(options: AgentRuntimeClientOptions, env: NodeJS.ProcessEnv = process.env): Promise<AgentRuntimeConnection> {
  const { region, endpoint, envEndpoint, key } = await describe(options, env);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const useCallerKey = bedrockApiKeySource(options, env) === 'setting';
  const client = new BedrockAgentRuntimeClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    credentials: credentialProviderFor(options),
    // A caller-supplied API key; the SDK already prefers AWS_BEARER_TOKEN_BEDROCK when that is set.
    ...(useCallerKey ? { token: { token: options.apiKey as string }, authSchemePreference: ['httpBearerAuth'] } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    // Like the runtime client: keep the SDK's default HTTP/2 handler, one session per request.
    requestHandler: { requestTimeout: timeoutMs, disableConcurrentStreams: true },
  });
  return {
    client,
    key,
    region,
    context: { region, profile: options.profile || undefined, endpoint: endpoint ?? envEndpoint ?? `https://bedrock-agent-runtime.${region}.amazonaws.com`, timeoutMs },
  };
}

/** Keeps one agent runtime client per configuration key; `dispose()` closes them all. */
export class AgentRuntimeClientCache {
  private readonly connections = new Map<string, Promise<AgentRuntimeConnection>>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The client for these options, built on first use. */
  async get(options: AgentRuntimeClientOptions): Promise<AgentRuntimeConnection> {
    const { key } = await describe(options, this.env);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = createAgentRuntimeConnection(options, this.env);
      this.connections.set(key, connection);
      connection.catch(() => this.connections.delete(key));
    }
    return connection;
  }

  dispose(): void {
    for (const connection of this.connections.values()) connection.then((c) => c.client.destroy(), () => undefined);
    this.connections.clear();
  }
}
