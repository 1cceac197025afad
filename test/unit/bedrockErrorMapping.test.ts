// A unit test of mapBedrockError (no server): it lives beside the adapter's e2e suites because it
// checks the same SDK error shapes they produce.
import assert from 'node:assert/strict';
import {
  AccessDeniedException,
  ModelStreamErrorException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { BedrockDocsError } from '../../src/core/errors';
import type { ErrorCode } from '../../src/core/errors';
import { suggestInferenceProfileIds } from '../../src/node/bedrock/inferenceProfiles';
import type { BedrockErrorContext } from '../../src/node/bedrock/mapBedrockError';
import { mapBedrockError, scrubSecrets } from '../../src/node/bedrock/mapBedrockError';

const meta = (httpStatusCode: number, attempts = 1) => ({ $metadata: { httpStatusCode, attempts } });

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', ...extra });
}

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const context: BedrockErrorContext = {
  modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  region: 'eu-west-1',
  profile: 'work',
  endpoint: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
};

const TABLE: Array<[label: string, error: unknown, code: ErrorCode, message: RegExp, hint: RegExp | undefined]> = [
  [
    'no credentials',
    sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
    'NO_CREDENTIALS',
    /profile "work"/,
    /aws configure sso.*bedrockDocs\.aws\.profile/,
  ],
  [
    'expired SSO session',
    sdkError(
      'CredentialsProviderError',
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    ),
    'SSO_EXPIRED',
    /profile "work"/,
    /aws sso login --profile work/,
  ],
  [
    'expired SSO token',
    sdkError('TokenProviderError', "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile."),
    'SSO_EXPIRED',
    /SSO/,
    /aws sso login --profile work/,
  ],
  [
    'expired keys',
    sdkError('ExpiredTokenException', 'The security token included in the request is expired', meta(403)),
    'CREDENTIALS_EXPIRED',
    /expired/,
    /aws sso login --profile work|new keys/,
  ],
  [
    'unknown key id',
    sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.', meta(403)),
    'ACCESS_DENIED',
    /UnrecognizedClientException/,
    /session token/,
  ],
  [
    'bad signature',
    sdkError('InvalidSignatureException', 'The request signature we calculated does not match', meta(403)),
    'ACCESS_DENIED',
    /InvalidSignatureException/,
    /clock/,
  ],
  [
    'model access',
    new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", ...meta(403) }),
    'ACCESS_DENIED',
    /anthropic\.claude-sonnet-4-5.*eu-west-1/,
    /eu-west-1\.console\.aws\.amazon\.com\/bedrock\/home\?region=eu-west-1#\/modelaccess/,
  ],
  [
    'bad API key',
    new AccessDeniedException({ message: 'Authentication failed: Please make sure your API Key is valid.', ...meta(403) }),
    'ACCESS_DENIED',
    /API key/,
    /API key/,
  ],
  [
    'needs a profile',
    new ValidationException({
      message:
        'Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
      ...meta(400),
    }),
    'MODEL_NEEDS_INFERENCE_PROFILE',
    /inference profile/,
    /`eu\.anthropic\.claude-sonnet-4-5-20250929-v1:0` or `global\.anthropic\.claude-sonnet-4-5-20250929-v1:0`/,
  ],
  [
    'invalid model id',
    new ValidationException({ message: 'The provided model identifier is invalid.', ...meta(400) }),
    'MODEL_NOT_FOUND',
    /does not know model/,
    /list-foundation-models --region eu-west-1/,
  ],
  [
    'end of life',
    new ResourceNotFoundException({ message: 'This model version has reached the end of its life.', ...meta(404) }),
    'MODEL_NOT_FOUND',
    /end of its life/,
    /eu-west-1/,
  ],
  [
    'context too long',
    new ValidationException({ message: 'Input is too long for requested model.', ...meta(400) }),
    'CONTEXT_TOO_LONG',
    /too long/,
    /topK/,
  ],
  [
    'titan too many tokens',
    new ValidationException({
      message: '400 Bad Request: Too many input tokens. Max input tokens: 8192, request input token count: 9000',
      ...meta(400),
    }),
    'CONTEXT_TOO_LONG',
    /Too many input tokens/,
    /chunkTokens/,
  ],
  [
    'other validation',
    new ValidationException({ message: 'temperature: range: 0..1', ...meta(400) }),
    'VALIDATION',
    /temperature: range/,
    /bedrockDocs\.chat/,
  ],
  [
    'throttled after retries',
    new ThrottlingException({ message: 'Too many requests, please wait before trying again.', ...meta(429, 4) }),
    'THROTTLED',
    /after 4 attempts/,
    /quota/,
  ],
  ['model not ready', sdkError('ModelNotReadyException', 'Model is not ready', meta(429)), 'MODEL_NOT_READY', /not ready/, /minute/],
  [
    '503 after retries',
    new ServiceUnavailableException({ message: 'Bedrock is unable to process your request.', ...meta(503, 4) }),
    'SERVICE_UNAVAILABLE',
    /after 4 attempts.*ServiceUnavailableException/,
    /Health Dashboard/,
  ],
  [
    'unmodeled 500',
    sdkError('InternalFailure', 'boom', { $fault: 'server', ...meta(500) }),
    'SERVICE_UNAVAILABLE',
    /InternalFailure/,
    /later/,
  ],
  ['model timeout', sdkError('ModelTimeoutException', 'took too long', meta(408)), 'TIMEOUT', /took too long/, /maxTokens/],
  [
    'request timeout',
    Object.assign(new Error('Stream timed out because of no activity for 3000 ms'), { name: 'TimeoutError' }),
    'TIMEOUT',
    /bedrock-runtime\.eu-west-1\.amazonaws\.com/,
    /network|proxy/,
  ],
  [
    'connection refused',
    nodeError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'),
    'NETWORK',
    /Cannot reach Bedrock at https:\/\/bedrock-runtime\.eu-west-1\.amazonaws\.com \(ECONNREFUSED\)/,
    /proxy/,
  ],
  [
    'DNS failure',
    nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND bedrock-runtime.eu-west-1.amazonaws.com'),
    'NETWORK',
    /ENOTFOUND/,
    /bedrockDocs\.aws\.endpoint/,
  ],
  [
    'stream error event',
    new ModelStreamErrorException({ message: 'model failed', ...meta(200) }),
    'STREAM_INTERRUPTED',
    /model failed/,
    /again/,
  ],
  ['abort', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'CANCELLED', /cancelled/, undefined],
  ['anything else', new Error('weird'), 'UNKNOWN', /weird/, undefined],
];

describe('mapBedrockError', () => {
  for (const [label, error, code, message, hint] of TABLE) {
    it(`maps ${label} to ${code}`, () => {
      const mapped = mapBedrockError(error, context);
      assert.ok(mapped instanceof BedrockDocsError);
      assert.equal(mapped.code, code);
      assert.match(mapped.message, message);
      if (hint) assert.match(mapped.hint ?? '', hint);
      assert.equal(mapped.cause, error);
    });
  }

  it('passes BedrockDocsError through and treats any failure after an abort as a cancel', () => {
    const own = new BedrockDocsError('BAD_INPUT', 'x');
    assert.equal(mapBedrockError(own), own);
    const controller = new AbortController();
    controller.abort();
    assert.equal(mapBedrockError(new Error('socket hang up'), { signal: controller.signal }).code, 'CANCELLED');
  });

  it('never repeats key ids, signatures, session tokens or API keys from the service text', () => {
    const leaky = new AccessDeniedException({
      message:
        "Denied for AKIAIOSFODNN7EXAMPLE: 'POST\n/model/x/converse\nx-amz-security-token:IQoJb3JpZ2luX2VjEFAKE\nAuthorization: AWS4-HMAC-SHA256 Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024 Bearer ABSKZmFrZWtleQ=='",
      ...meta(403),
    });
    const mapped = mapBedrockError(leaky, context);
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'IQoJb3JpZ2luX2VjEFAKE', 'fe5f80f77d5fa3be', 'ABSKZmFrZWtleQ==']) {
      assert.ok(!mapped.message.includes(secret) && !(mapped.hint ?? '').includes(secret), `leaked ${secret}`);
    }
    assert.equal(
      scrubSecrets('model anthropic.claude-3-haiku-20240307-v1:0 in us-east-1'),
      'model anthropic.claude-3-haiku-20240307-v1:0 in us-east-1',
    );
  });

  it('suggests the geography profile of the region, then global; none for profile ids and ARNs', () => {
    assert.deepEqual(suggestInferenceProfileIds('amazon.nova-2-lite-v1:0', 'us-west-2'), [
      'us.amazon.nova-2-lite-v1:0',
      'global.amazon.nova-2-lite-v1:0',
    ]);
    assert.deepEqual(suggestInferenceProfileIds('amazon.nova-2-lite-v1:0', 'ap-northeast-1'), [
      'apac.amazon.nova-2-lite-v1:0',
      'global.amazon.nova-2-lite-v1:0',
    ]);
    assert.deepEqual(suggestInferenceProfileIds('amazon.nova-2-lite-v1:0', 'me-central-1'), ['global.amazon.nova-2-lite-v1:0']);
    assert.deepEqual(suggestInferenceProfileIds('us.amazon.nova-2-lite-v1:0', 'us-east-1'), []);
    assert.deepEqual(suggestInferenceProfileIds('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x', 'us-east-1'), []);
  });
});
