import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { RawRequest, VerifyOptions } from '../fakes/sigv4';
import { canonicalQuery, canonicalUri, computeSignature, parseAuthorization, signRequest, verifySigV4 } from '../fakes/sigv4';

// AWS's published SigV4 test suite (aws-sig-v4-test-suite, also shipped in aws-c-auth and botocore):
// key AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30T12:36:00Z, us-east-1, service "service".
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const VECTOR_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const vectorOptions: VerifyOptions = {
  lookup: (id) => (id === 'AKIDEXAMPLE' ? { accessKeyId: id, secretAccessKey: SECRET } : undefined),
  service: 'service',
  now: VECTOR_TIME,
};

function vector(method: string, path: string, signature: string): RawRequest {
  return {
    method,
    path,
    body: Buffer.alloc(0),
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    },
  };
}

const SUITE: Array<[name: string, method: string, path: string, signature: string]> = [
  ['get-vanilla', 'GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  [
    'get-vanilla-query-order-key-case',
    'GET',
    '/?Param2=value2&Param1=value1',
    'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  ],
  ['post-vanilla', 'POST', '/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
];

describe('SigV4 verifier of the fake Bedrock', () => {
  for (const [name, method, path, signature] of SUITE) {
    it(`accepts the AWS test-suite request "${name}" and recomputes its published signature`, () => {
      const request = vector(method, path, signature);
      assert.deepEqual(verifySigV4(request, vectorOptions), {
        ok: true,
        accessKeyId: 'AKIDEXAMPLE',
        region: 'us-east-1',
        service: 'service',
      });
      const parsed = parseAuthorization(request.headers.authorization as string);
      assert.ok(parsed);
      assert.equal(computeSignature(request, SECRET, parsed, '20150830T123600Z'), signature);
    });
  }

  it('rejects the test-suite request once its signature, a signed header or its body changes', () => {
    const flipped = vector('GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30');
    assert.equal(verifySigV4(flipped, vectorOptions).ok, false);
    const otherHost = vector('GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    otherHost.headers.host = 'example2.amazonaws.com';
    assert.deepEqual(pick(verifySigV4(otherHost, vectorOptions)), 'InvalidSignatureException');
    const withBody = vector('POST', '/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
    withBody.body = Buffer.from('{"injected":true}');
    assert.deepEqual(pick(verifySigV4(withBody, vectorOptions)), 'InvalidSignatureException');
  });

  it('encodes each path segment twice in the canonical URI, as Bedrock does for model ids', () => {
    // Bedrock's own error text quotes this canonical URI for the wire path .../v1%3A0/converse-stream.
    assert.equal(
      canonicalUri('/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream'),
      '/model/us.anthropic.claude-sonnet-4-20250514-v1%253A0/converse-stream',
    );
    assert.equal(
      canonicalUri('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc/converse'),
      '/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Aapplication-inference-profile%252Fabc/converse',
    );
    assert.equal(canonicalUri('/a/./b/../c//d/'), '/a/c/d/');
    assert.equal(canonicalQuery('/x?b=2&a=1&a=0&c'), 'a=0&a=1&b=2&c=');
  });

  describe('on a request signed for bedrock', () => {
    const creds = { accessKeyId: 'AKIATESTVERIFIER0001', secretAccessKey: 'test/secret/key/for/the/verifier/only' };
    const now = Date.UTC(2026, 0, 15, 10, 0, 0);
    const options: VerifyOptions = { lookup: (id) => (id === creds.accessKeyId ? creds : undefined), now };
    const signed = (mutate?: (r: RawRequest) => void, credentials: typeof creds & { sessionToken?: string } = creds) => {
      const request: RawRequest = {
        method: 'POST',
        path: '/model/amazon.titan-embed-text-v2%3A0/invoke',
        headers: { host: '127.0.0.1:8080', 'content-type': 'application/json' },
        body: Buffer.from('{"inputText":"hello"}'),
      };
      signRequest(request, credentials, 'eu-west-1', 'bedrock', new Date(now));
      mutate?.(request);
      return request;
    };

    it('accepts it untouched and reports the region of the credential scope', () => {
      assert.deepEqual(verifySigV4(signed(), options), {
        ok: true,
        accessKeyId: creds.accessKeyId,
        region: 'eu-west-1',
        service: 'bedrock',
      });
    });

    it('rejects a tampered body, header, path or method with InvalidSignatureException', () => {
      assert.equal(
        pick(
          verifySigV4(
            signed((r) => (r.body = Buffer.from('{"inputText":"hellO"}'))),
            options,
          ),
        ),
        'InvalidSignatureException',
      );
      assert.equal(
        pick(
          verifySigV4(
            signed((r) => (r.headers['content-type'] = 'text/plain')),
            options,
          ),
        ),
        'InvalidSignatureException',
      );
      assert.equal(
        pick(
          verifySigV4(
            signed((r) => (r.path = '/model/amazon.titan-embed-text-v1/invoke')),
            options,
          ),
        ),
        'InvalidSignatureException',
      );
      assert.equal(
        pick(
          verifySigV4(
            signed((r) => (r.method = 'PUT')),
            options,
          ),
        ),
        'InvalidSignatureException',
      );
    });

    it('honours an x-amz-content-sha256 header, so a body that does not match it fails', () => {
      const hash = createHash('sha256').update('{"inputText":"hello"}').digest('hex');
      const request: RawRequest = {
        method: 'POST',
        path: '/x',
        headers: { host: 'h', 'x-amz-content-sha256': hash },
        body: Buffer.from('{"inputText":"hello"}'),
      };
      signRequest(request, creds, 'us-east-1', 'bedrock', new Date(now));
      assert.equal(verifySigV4(request, options).ok, true);
      request.body = Buffer.from('{"inputText":"other"}');
      const verdict = verifySigV4(request, options);
      assert.ok(!verdict.ok && verdict.errorType === 'InvalidSignatureException' && /x-amz-content-sha256/.test(verdict.message));
    });

    it('names unknown keys, expired keys, missing session tokens, wrong services and stale dates', () => {
      assert.equal(
        pick(verifySigV4(signed(undefined, { ...creds, accessKeyId: 'AKIANOSUCHKEY0000001' }), options)),
        'UnrecognizedClientException',
      );
      const expired = { lookup: (id: string) => (id === creds.accessKeyId ? { ...creds, expired: true } : undefined), now };
      assert.equal(pick(verifySigV4(signed(), expired)), 'ExpiredTokenException');
      const withToken = { lookup: (id: string) => (id === creds.accessKeyId ? { ...creds, sessionToken: 'token-1' } : undefined), now };
      assert.equal(pick(verifySigV4(signed(), withToken)), 'UnrecognizedClientException');
      assert.equal(verifySigV4(signed(undefined, { ...creds, sessionToken: 'token-1' }), withToken).ok, true);
      assert.equal(pick(verifySigV4(signed(), { ...options, service: 'bedrock-agent' })), 'InvalidSignatureException');
      const late = verifySigV4(signed(), { ...options, now: now + 16 * 60_000 });
      assert.ok(!late.ok && /Signature expired/.test(late.message));
      assert.equal(
        pick(
          verifySigV4(
            signed((r) => delete r.headers.authorization),
            options,
          ),
        ),
        'MissingAuthenticationTokenException',
      );
    });
  });
});

function pick(verdict: ReturnType<typeof verifySigV4>): string {
  return verdict.ok ? 'ok' : verdict.errorType;
}
