/**
 * The one place a BedrockRuntimeClient is built: adaptive retries, a request timeout, the SDK's
 * own HTTP/2 handler, credentials or API key from awsAccess. Cached per configuration so each
 * settings generation gets exactly one client.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ClientOptions } from './clientConfig';
import { ConnectionCache, describeClient, sdkClientConfig } from './clientConfig';
import type { BedrockErrorContext } from './mapBedrockError';

/** Access settings (endpoint = the Bedrock Runtime override), retries (default 4) and timeout (default 60000 ms). */
export type BedrockClientOptions = ClientOptions;

/** A client plus what error messages need to know about it. */
export interface BedrockConnection {
  client: BedrockRuntimeClient;
  /** Region, profile, endpoint and timeout, for mapBedrockError. */
  context: BedrockErrorContext;
  /** Cache key of this configuration (no secrets: the API key is hashed). */
  key: string;
}

const ENDPOINT_ENV = 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME';

/** Builds a new client for the options (prefer BedrockClientCache, which reuses it). */
export async function createBedrockConnection(
  options: BedrockClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BedrockConnection> {
  const described = await describeClient(options, env, ENDPOINT_ENV);
  const { region, endpoint, envEndpoint, key, timeoutMs } = described;
  const client = new BedrockRuntimeClient(sdkClientConfig(options, env, described));
  return {
    client,
    key,
    context: {
      region,
      profile: options.profile || undefined,
      endpoint: endpoint ?? envEndpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`,
      timeoutMs,
    },
  };
}

/** Keeps one client per configuration key; `dispose()` closes them all (HTTP/2 sessions included). */
export class BedrockClientCache extends ConnectionCache<BedrockClientOptions, BedrockConnection> {
  constructor(env: NodeJS.ProcessEnv = process.env) {
    super(
      async (options) => (await describeClient(options, env, ENDPOINT_ENV)).key,
      (options) => createBedrockConnection(options, env),
    );
  }
}
