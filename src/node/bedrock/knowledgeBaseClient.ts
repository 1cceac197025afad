/**
 * The one place a BedrockAgentRuntimeClient (Knowledge Base `Retrieve`, `Rerank`) is built, with
 * the same region, credentials, API key, retry and timeout rules as the Bedrock Runtime client.
 * The endpoint is the agent runtime's own: `bedrockDocs.aws.endpoint` names the Bedrock Runtime
 * and is not reused; AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME (or AWS_ENDPOINT_URL) is honoured by
 * the SDK itself.
 */
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { AwsAccessSettings } from './awsAccess';
import type { ClientOptions } from './clientConfig';
import { ConnectionCache, describeClient, sdkClientConfig } from './clientConfig';
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

const ENDPOINT_ENV = 'AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME';

// The shared options name the override `endpoint`; here it is the agent runtime's own.
const asClientOptions = (options: AgentRuntimeClientOptions): ClientOptions => ({ ...options, endpoint: options.agentEndpoint });

/** Builds a new agent runtime client (prefer AgentRuntimeClientCache, which reuses it). */
export async function createAgentRuntimeConnection(
  options: AgentRuntimeClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AgentRuntimeConnection> {
  const described = await describeClient(asClientOptions(options), env, ENDPOINT_ENV);
  const { region, endpoint, envEndpoint, key, timeoutMs } = described;
  const client = new BedrockAgentRuntimeClient(sdkClientConfig(asClientOptions(options), env, described));
  return {
    client,
    key,
    region,
    context: {
      region,
      profile: options.profile || undefined,
      endpoint: endpoint ?? envEndpoint ?? `https://bedrock-agent-runtime.${region}.amazonaws.com`,
      timeoutMs,
    },
  };
}

/** Keeps one agent runtime client per configuration key; `dispose()` closes them all. */
export class AgentRuntimeClientCache extends ConnectionCache<AgentRuntimeClientOptions, AgentRuntimeConnection> {
  constructor(env: NodeJS.ProcessEnv = process.env) {
    super(
      async (options) => (await describeClient(asClientOptions(options), env, ENDPOINT_ENV)).key,
      (options) => createAgentRuntimeConnection(options, env),
    );
  }
}
