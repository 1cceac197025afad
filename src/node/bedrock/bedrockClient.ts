/**
 * The one place a BedrockRuntimeClient is built: adaptive retries, a request timeout, the SDK's
 * own HTTP/2 handler, credentials or API key from awsAccess. Cached per configuration so each
 * settings generation gets exactly one client.
 */
import { createHash } from 'node:crypto';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AwsAccessSettings } from './awsAccess';
import { bedrockApiKeySource, credentialProviderFor, resolveRegion } from './awsAccess';
import type { BedrockErrorContext } from './mapBedrockError';

/** Settings plus the retry and timeout knobs of one client generation. */
export interface BedrockClientOptions extends AwsAccessSettings {
  /** Attempts per call including the first; the SDK retries throttling, 5xx and timeouts. Default 4. */
  maxAttempts?: number;
  /** Idle time in ms after which a request (or a silent stream) fails with TIMEOUT. Default 60000. */
  requestTimeoutMs?: number;
}

/** A client plus what error messages need to know about it. */
export interface BedrockConnection {
  client: BedrockRuntimeClient;
  /** Region, profile, endpoint and timeout, for mapBedrockError. */
  context: BedrockErrorContext;
  /** Cache key of this configuration (no secrets: the API key is hashed). */
  key: string;
}

const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_TIMEOUT_MS = 60_000;

const hash = (value: string | undefined) => (value ? createHash('sha256').update(value).digest('hex').slice(0, 16) : '');

async function describe(options: BedrockClientOptions, env: NodeJS.ProcessEnv) {
  const { region } = await resolveRegion(options, env);
  // The SDK reads these variables when the client is built, so they are part of the configuration.
  const envEndpoint = env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME || env.AWS_ENDPOINT_URL || undefined;
  const endpoint = options.endpoint || undefined;
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

/** Builds a new client for the options (prefer BedrockClientCache, which reuses it). */
export async function createBedrockConnection(options: BedrockClientOptions, env: NodeJS.ProcessEnv = process.env): Promise<BedrockConnection> {
  const { region, endpoint, envEndpoint, key } = await describe(options, env);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const useCallerKey = bedrockApiKeySource(options, env) === 'setting';
  const client = new BedrockRuntimeClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    credentials: credentialProviderFor(options),
    // A caller-supplied API key: the SDK already prefers AWS_BEARER_TOKEN_BEDROCK when that is set.
    ...(useCallerKey ? { token: { token: options.apiKey as string }, authSchemePreference: ['httpBearerAuth'] } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    // Options (not an instance) keep the client's default NodeHttp2Handler; one session per stream
    // as the SDK's own default does.
    requestHandler: { requestTimeout: timeoutMs, disableConcurrentStreams: true },
  });
  return {
    client,
    key,
    context: { region, profile: options.profile || undefined, endpoint: endpoint ?? envEndpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`, timeoutMs },
  };
}

/** Keeps one client per configuration key; `dispose()` closes them all (HTTP/2 sessions included). */
export class BedrockClientCache {
  private readonly connections = new Map<string, Promise<BedrockConnection>>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The client for these options, built on first use. */
  async get(options: BedrockClientOptions): Promise<BedrockConnection> {
    const { key } = await describe(options, this.env);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = createBedrockConnection(options, this.env);
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
