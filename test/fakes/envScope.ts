/**
 * Process environment scopes for tests that point the real SDK at the fake: set variables, get a
 * function that restores the previous values exactly.
 */
import type { FakeBedrock } from './fakeBedrock';

/** Sets (string) or deletes (undefined) variables; returns the undo. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * The fake's env with everything else that could steer the SDK removed: the developer's profile,
 * session token, API key, shared files and generic endpoint.
 */
export function isolatedFakeEnv(fake: FakeBedrock, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_BEARER_TOKEN_BEDROCK: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_AUTH_SCHEME_PREFERENCE: undefined,
    AWS_MAX_ATTEMPTS: undefined,
    AWS_RETRY_MODE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/bedrock-docs-test/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/bedrock-docs-test/credentials',
    ...fake.env,
    ...extra,
  };
}
