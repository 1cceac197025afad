/**
 * Turns whatever the AWS SDK, the credential chain or the network throws into a BedrockDocsError
 * whose message names the model, profile, region or endpoint involved and whose hint names the
 * fix. Messages never carry credentials or signatures.
 */
import { BedrockDocsError } from '../../core/errors';
import { suggestInferenceProfileIds } from './inferenceProfiles';

/** What the failing call was about; every field is optional and only used to word the message. */
export interface BedrockErrorContext {
  modelId?: string;
  region?: string;
  /** Named AWS profile, when one is configured. */
  profile?: string;
  /** Endpoint the client talks to (override or the regional default). */
  endpoint?: string;
  /** SDK request timeout in ms, to say which limit was hit. */
  timeoutMs?: number;
  /** The caller's signal: once aborted, any failure is a cancel. */
  signal?: AbortSignal;
  /** The failure came after the answer had started streaming. */
  midStream?: boolean;
  /** Agent runtime action (`Retrieve`, `Rerank`): hints then name its IAM permission and settings. */
  operation?: 'Retrieve' | 'Rerank' | 'ApplyGuardrail';
  /** Knowledge Base a Retrieve was about: messages name it instead of a model. */
  knowledgeBaseId?: string;
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

// Patterns of secrets that can appear in SDK or service messages (canonical requests, headers).
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(AKIA|ASIA)[A-Z0-9]{12,}/g, '$1…'],
  [/Signature=[0-9a-f]{16,}/gi, 'Signature=<redacted>'],
  [/(x-amz-security-token[:=]\s*)[^\s,'"]+/gi, '$1<redacted>'],
  [/(Bearer\s+)[^\s,'"]+/gi, '$1<redacted>'],
  [/\bABSK[A-Za-z0-9+/=]{8,}/g, '<redacted API key>'],
  [/((?:aws_)?secret_?access_?key["'\s:=]+)[^\s,'"]+/gi, '$1<redacted>'],
];

/** Removes access key ids, signatures, session tokens and API keys from a text. */
export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [re, by]) => out.replace(re, by), text);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'ERR_HTTP2_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
]);

function modelAccessPage(region: string): string {
  return `https://${region}.console.aws.amazon.com/bedrock/home?region=${region}#/modelaccess`;
}

/** Maps any error from a Bedrock call to a coded BedrockDocsError (an existing one passes through). */
export function mapBedrockError(err: unknown, context: BedrockErrorContext = {}): BedrockDocsError {
  if (err instanceof BedrockDocsError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkErrorLike;
  const name = e.name ?? '';
  const raw = e.message ?? '';
  const serverMessage = scrubSecrets(raw);
  const make = (code: ConstructorParameters<typeof BedrockDocsError>[0], message: string, hint?: string) =>
    new BedrockDocsError(code, context.midStream ? `The answer stopped midway: ${message}` : message, hint, { cause: err });

  if (context.signal?.aborted || name === 'AbortError') return make('CANCELLED', 'The request was cancelled.');

  const region = context.region ?? 'us-east-1';
  const model = context.modelId ? `model ${context.modelId}` : 'the model';
  const where = `${context.knowledgeBaseId ? `knowledge base ${context.knowledgeBaseId}` : model} in ${region}`;
  const endpoint = context.endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  const profile = context.profile;
  const profileFlag = profile ? ` --profile ${profile}` : '';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const afterAttempts = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';

  // The credential chain, before any request is sent.
  if (
    name === 'CredentialsProviderError' ||
    name === 'TokenProviderError' ||
    /Could not load credentials|Could not resolve credentials/.test(raw)
  ) {
    if (/\bSSO\b|sso login|Token is expired/i.test(raw)) {
      return make(
        'SSO_EXPIRED',
        `The AWS SSO session${profile ? ` of profile "${profile}"` : ''} has expired or is missing.`,
        `Run \`aws sso login${profileFlag}\` and try again.`,
      );
    }
    const which = profile
      ? `for profile "${profile}"`
      : 'in the default chain (environment, ~/.aws files, SSO, container or instance role)';
    return make(
      'NO_CREDENTIALS',
      `No AWS credentials found ${which}.`,
      'Configure a profile with `aws configure` or `aws configure sso` and set bedrockDocs.aws.profile to it, or add a Bedrock API key.',
    );
  }
  if (
    name === 'ExpiredTokenException' ||
    name === 'ExpiredToken' ||
    name === 'RequestExpired' ||
    /security token included in the request is expired/i.test(raw)
  ) {
    return make(
      'CREDENTIALS_EXPIRED',
      `The AWS credentials${profile ? ` of profile "${profile}"` : ''} have expired.`,
      profile
        ? `Refresh them (\`aws sso login${profileFlag}\` for an SSO profile, or new keys in ~/.aws/credentials) and try again.`
        : 'Refresh the temporary credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or use a profile, and try again.',
    );
  }
  if (
    [
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'IncompleteSignatureException',
      'MissingAuthenticationTokenException',
      'SignatureDoesNotMatch',
      'InvalidClientTokenId',
    ].includes(name)
  ) {
    // The service's text can quote the canonical request: never show it.
    const hint =
      name === 'InvalidSignatureException'
        ? 'Check that the secret access key matches the key id and that the system clock is right.'
        : `Check the access key id and session token${profile ? ` of profile "${profile}"` : ' (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN)'}; temporary keys need their session token.`;
    return make('ACCESS_DENIED', `AWS rejected the credentials for ${where} (${name}).`, hint);
  }
  if (name === 'AccessDeniedException' || (status === 403 && !name)) {
    if (/API Key/i.test(raw))
      return make(
        'ACCESS_DENIED',
        `Bedrock rejected the API key for ${where}.`,
        'Create a new Bedrock API key in the Bedrock console for this region and set it again, or remove it to use AWS credentials.',
      );
    if (context.operation === 'Retrieve')
      return make(
        'ACCESS_DENIED',
        `Access denied to ${where}: ${serverMessage}`,
        `Allow bedrock:Retrieve on arn:aws:bedrock:${region}:<account>:knowledge-base/${context.knowledgeBaseId ?? '<id>'} for this identity, and check bedrockDocs.knowledgeBase.id.`,
      );
    if (context.operation === 'Rerank')
      return make(
        'ACCESS_DENIED',
        `Access denied to reranking with ${where}: ${serverMessage}`,
        `Allow bedrock:Rerank and bedrock:InvokeModel for this identity and enable the model on the Model access page (${modelAccessPage(region)}).`,
      );
    return make(
      'ACCESS_DENIED',
      `Access denied to ${where}: ${serverMessage}`,
      `Enable the model on the Bedrock console's Model access page (${modelAccessPage(region)}) and allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream for this identity.`,
    );
  }
  if (name === 'ValidationException') {
    if (context.operation === 'Retrieve')
      return make(
        'VALIDATION',
        `Bedrock rejected the Retrieve request to ${where}: ${serverMessage}`,
        'Check bedrockDocs.knowledgeBase.* (id, number of results, search type, metadata filter); HYBRID search needs a vector store that supports it.',
      );
    if (context.operation === 'Rerank')
      return make(
        'VALIDATION',
        `Bedrock rejected the Rerank request to ${where}: ${serverMessage}`,
        `Check bedrockDocs.retrieval.rerank.* and that the rerank model is offered in ${region} (Amazon Rerank 1.0 is not offered in us-east-1; Cohere Rerank 3.5 is).`,
      );
    if (/on-demand throughput isn.t supported|inference profile/i.test(raw)) {
      const ids = suggestInferenceProfileIds(context.modelId ?? '', region);
      const ids2 = ids.map((id) => `\`${id}\``).join(' or ');
      return make(
        'MODEL_NEEDS_INFERENCE_PROFILE',
        `${context.modelId ?? 'This model'} cannot be invoked on demand in ${region}; it needs an inference profile.`,
        ids.length
          ? `Set the model id to the inference profile ${ids2} (bedrockDocs.chat.modelId).`
          : 'Use the ID or ARN of an inference profile that contains this model (bedrockDocs.chat.modelId).',
      );
    }
    if (/model identifier is invalid|invalid model identifier|model id.* not (found|valid)/i.test(raw)) {
      return make(
        'MODEL_NOT_FOUND',
        `Bedrock does not know ${where}.`,
        `Check the model id in bedrockDocs.chat.modelId / bedrockDocs.embeddings.modelId; \`aws bedrock list-foundation-models --region ${region}\` lists them.`,
      );
    }
    if (/too long|too many (input )?tokens|context (length|window)|maximum context|exceeds? the maximum/i.test(raw)) {
      return make(
        'CONTEXT_TOO_LONG',
        `The request is too long for ${model}: ${serverMessage}`,
        'Lower bedrockDocs.retrieval.topK or bedrockDocs.index.chunkTokens, or start a new conversation.',
      );
    }
    return make(
      'VALIDATION',
      `Bedrock rejected the request to ${where}: ${serverMessage}`,
      'Check the bedrockDocs.chat.* settings (temperature, topP, topK, maxTokens) against what this model accepts.',
    );
  }
  if (name === 'ResourceNotFoundException') {
    if (context.knowledgeBaseId)
      return make(
        'BAD_SETTING',
        `Bedrock has no ${where}: ${serverMessage}`,
        `Check bedrockDocs.knowledgeBase.id and the region; \`aws bedrock-agent list-knowledge-bases --region ${region}\` lists them.`,
      );
    return make(
      'MODEL_NOT_FOUND',
      `Bedrock does not know ${where}: ${serverMessage}`,
      `Check the model id (and that it is offered in ${region}); \`aws bedrock list-foundation-models --region ${region}\` lists them.`,
    );
  }
  if (name === 'ModelNotReadyException') {
    return make(
      'MODEL_NOT_READY',
      `${context.modelId ?? 'The model'} is not ready to serve requests in ${region}.`,
      'Wait a minute and try again (the model is starting or scaling).',
    );
  }
  if (['ThrottlingException', 'TooManyRequestsException', 'ServiceQuotaExceededException'].includes(name) || status === 429) {
    return make(
      'THROTTLED',
      `Bedrock throttled the requests to ${where}${afterAttempts}.`,
      'Wait a minute and try again, lower bedrockDocs.embeddings.concurrency, or ask for a higher quota in Service Quotas.',
    );
  }
  if (name === 'ModelTimeoutException') {
    return make('TIMEOUT', `${context.modelId ?? 'The model'} took too long to answer.`, 'Try again, or lower bedrockDocs.chat.maxTokens.');
  }
  if (name === 'ModelStreamErrorException') {
    return make('STREAM_INTERRUPTED', `The model's stream failed: ${serverMessage}`, 'Ask again.');
  }
  if (
    ['ServiceUnavailableException', 'InternalServerException', 'InternalFailure', 'ModelErrorException'].includes(name) ||
    (status !== undefined && status >= 500) ||
    e.$fault === 'server'
  ) {
    return make(
      'SERVICE_UNAVAILABLE',
      `Bedrock failed to serve ${where}${afterAttempts} (${name || `HTTP ${status}`}).`,
      `Try again later; check the AWS Health Dashboard for Bedrock in ${region}.`,
    );
  }
  if (
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    name === 'RequestTimeoutException' ||
    e.code === 'ETIMEDOUT' ||
    /timed out/i.test(raw)
  ) {
    const limit = context.timeoutMs ? ` within ${context.timeoutMs} ms` : '';
    return make(
      'TIMEOUT',
      `No answer from Bedrock at ${endpoint}${limit}.`,
      'Check the network, proxy or VPN to the endpoint, or try again.',
    );
  }
  if ((e.code && NETWORK_CODES.has(e.code)) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo|socket hang up|ERR_HTTP2/.test(raw)) {
    return make(
      'NETWORK',
      `Cannot reach Bedrock at ${endpoint} (${e.code ?? serverMessage}).`,
      'Check the network, proxy or VPN, and bedrockDocs.aws.endpoint if it is set.',
    );
  }
  return make('UNKNOWN', `Bedrock call for ${where} failed: ${name ? `${name}: ` : ''}${serverMessage}`, undefined);
}
