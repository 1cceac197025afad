/**
 * What the Bedrock Runtime and Agent Runtime clients share: region resolution, the cache key of a
 * configuration (no secrets: API keys are hashed), the SDK config (credentials or API key,
 * adaptive retries, timeout, the SDK's own HTTP/2 handler), and a cache of one client per key.
 */
import { createHash } from 'node:crypto';
import type { AwsAccessSettings } from './awsAccess';
import { bedrockApiKeySource, credentialProviderFor, resolveRegion } from './awsAccess';

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Access settings plus retry and timeout; `endpoint` is the override for this client's service. */
export interface ClientOptions extends AwsAccessSettings {
  /** Attempts per call including the first; the SDK retries throttling, 5xx and timeouts. */
  maxAttempts?: number;
  /** Idle time in ms after which a request (or a silent stream) fails with TIMEOUT. */
  requestTimeoutMs?: number;
}

export interface DescribedClient {
  region: string;
  /** The override from settings, if any. */
  endpoint?: string;
  /** The endpoint the SDK takes from the environment (`envVar`, then AWS_ENDPOINT_URL). */
  envEndpoint?: string;
  key: string;
  timeoutMs: number;
}

const hash = (value: string | undefined) => (value ? createHash('sha256').update(value).digest('hex').slice(0, 16) : '');

/** Resolves the region and the configuration's cache key; the SDK reads the env vars at build time. */
export async function describeClient(options: ClientOptions, env: NodeJS.ProcessEnv, envVar: string): Promise<DescribedClient> {
  const { region } = await resolveRegion(options, env);
  const envEndpoint = env[envVar] || env.AWS_ENDPOINT_URL || undefined;
  const endpoint = options.endpoint || undefined;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const key = JSON.stringify({
    region,
    profile: options.profile || '',
    awsProfile: env.AWS_PROFILE ?? '',
    endpoint: endpoint ?? '',
    envEndpoint: envEndpoint ?? '',
    apiKey: hash(options.apiKey),
    envApiKey: hash(env.AWS_BEARER_TOKEN_BEDROCK),
    maxAttempts,
    timeout: timeoutMs,
  });
  return { region, endpoint, envEndpoint, key, timeoutMs };
}

/** The SDK client configuration both clients use. */
export function sdkClientConfig(options: ClientOptions, env: NodeJS.ProcessEnv, described: DescribedClient) {
  const useCallerKey = bedrockApiKeySource(options, env) === 'setting';
  return {
    region: described.region,
    ...(described.endpoint ? { endpoint: described.endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    credentials: credentialProviderFor(options),
    // A caller-supplied API key: the SDK already prefers AWS_BEARER_TOKEN_BEDROCK when that is set.
    ...(useCallerKey ? { token: { token: options.apiKey as string }, authSchemePreference: ['httpBearerAuth'] } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    // Options (not an instance) keep the client's default NodeHttp2Handler; one session per
    // stream as the SDK's own default does.
    requestHandler: { requestTimeout: described.timeoutMs, disableConcurrentStreams: true },
  };
}

/** One connection per configuration key, built on first use; `dispose()` closes them all. */
export class ConnectionCache<O, C extends { client: { destroy(): void } }> {
  private readonly connections = new Map<string, Promise<C>>();

  constructor(
    private readonly keyOf: (options: O) => Promise<string>,
    private readonly create: (options: O) => Promise<C>,
  ) {}

  async get(options: O): Promise<C> {
    const key = await this.keyOf(options);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = this.create(options);
      this.connections.set(key, connection);
      connection.catch(() => this.connections.delete(key));
    }
    return connection;
  }

  dispose(): void {
    for (const connection of this.connections.values())
      connection.then(
        (c) => c.client.destroy(),
        () => undefined,
      );
    this.connections.clear();
  }
}
