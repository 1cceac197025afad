/**
 * How the extension reaches AWS: which region, which credentials (a named profile, SSO included,
 * or the default chain), which endpoint, and whether a Bedrock API key replaces SigV4.
 */
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { getProfileName, loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { BedrockDocsError } from '../../core/errors';
import { mapBedrockError } from './mapBedrockError';

/** The `bedrockDocs.aws.*` settings plus the API key the extension keeps in SecretStorage. */
export interface AwsAccessSettings {
  /** Named profile; empty or undefined = the default credential chain. */
  profile?: string;
  /** Empty or undefined = AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then us-east-1. */
  region?: string;
  /** Endpoint override (already checked by `checkEndpoint`); empty = standard or env endpoint. */
  endpoint?: string;
  /** Bedrock API key; when absent, AWS_BEARER_TOKEN_BEDROCK is honoured by the SDK itself. */
  apiKey?: string;
}

/** Where the region came from, for diagnostics. */
export type RegionSource = 'setting' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'default';

/** Region resolution order: setting, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1. */
export async function resolveRegion(
  settings: AwsAccessSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ region: string; source: RegionSource }> {
  if (settings.region) return { region: settings.region, source: 'setting' };
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  try {
    const name = getProfileName({ profile: settings.profile || undefined });
    const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
    const region = configFile[name]?.region ?? credentialsFile[name]?.region;
    if (region) return { region, source: 'profile' };
  } catch {
    // Unreadable shared files: fall through to the default, as the SDK would fail later anyway.
  }
  return { region: 'us-east-1', source: 'default' };
}

/** The credential provider for the settings: `fromIni` for a named profile, else the Node chain. */
export function credentialProviderFor(settings: AwsAccessSettings): AwsCredentialIdentityProvider {
  return settings.profile ? fromIni({ profile: settings.profile, ignoreCache: true }) : fromNodeProviderChain();
}

/** Where the effective Bedrock API key comes from, if any. */
export function bedrockApiKeySource(
  settings: AwsAccessSettings,
  env: NodeJS.ProcessEnv = process.env,
): 'setting' | 'AWS_BEARER_TOKEN_BEDROCK' | undefined {
  if (settings.apiKey) return 'setting';
  return env.AWS_BEARER_TOKEN_BEDROCK ? 'AWS_BEARER_TOKEN_BEDROCK' : undefined;
}

/** Outcome of a successful credential probe; never carries the secret parts. */
export type CredentialProbe =
  | { kind: 'apiKey'; source: 'setting' | 'AWS_BEARER_TOKEN_BEDROCK' }
  | { kind: 'sigv4'; temporary: boolean; expiration?: Date; profile?: string };

/**
 * Resolves credentials once, without calling Bedrock, to tell the user early that they are
 * missing or expired. Throws BedrockDocsError NO_CREDENTIALS or SSO_EXPIRED (with the
 * `aws sso login --profile X` hint). With AWS_EC2_METADATA_DISABLED=true the chain fails fast.
 */
export async function probeCredentials(settings: AwsAccessSettings, env: NodeJS.ProcessEnv = process.env): Promise<CredentialProbe> {
  const source = bedrockApiKeySource(settings, env);
  if (source) return { kind: 'apiKey', source };
  try {
    const identity = await credentialProviderFor(settings)();
    if (!identity.accessKeyId || !identity.secretAccessKey)
      throw new BedrockDocsError('NO_CREDENTIALS', 'The credential provider returned empty credentials.');
    if (identity.expiration && identity.expiration.getTime() <= Date.now()) {
      throw new BedrockDocsError(
        'CREDENTIALS_EXPIRED',
        `The AWS credentials${settings.profile ? ` of profile "${settings.profile}"` : ''} have expired.`,
        settings.profile ? `Run \`aws sso login --profile ${settings.profile}\` or renew the keys.` : 'Renew the temporary credentials.',
      );
    }
    return {
      kind: 'sigv4',
      temporary: Boolean(identity.sessionToken),
      expiration: identity.expiration,
      profile: settings.profile || undefined,
    };
  } catch (err) {
    const mapped = mapBedrockError(err, { profile: settings.profile || undefined, region: settings.region || undefined });
    if (mapped.code === 'UNKNOWN') {
      throw new BedrockDocsError(
        'NO_CREDENTIALS',
        `Could not resolve AWS credentials: ${mapped.message}`,
        'Configure a profile with `aws configure` or `aws configure sso` and set bedrockDocs.aws.profile to it.',
        { cause: err },
      );
    }
    throw mapped;
  }
}
