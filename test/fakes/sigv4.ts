/**
 * AWS Signature Version 4, recomputed from the raw request with node:crypto, so the fake can tell a
 * correctly signed request from a tampered one. Spec:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as it arrived: the path is the raw request target (still percent-encoded, with query). */
export interface RawRequest {
  method: string;
  path: string;
  /** Lower-case names; HTTP/2 pseudo-headers (`:authority`) included. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Keys to sign or verify with; the session token travels as x-amz-security-token. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The parsed `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

// RFC 3986 unreserved characters stay; everything else is %XX (encodeURIComponent leaves !'()* alone).
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(headers: RawRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Canonical URI for every service but S3: `.`/`..` and empty segments are normalised, then the path
 * as sent (already percent-encoded once) is encoded again, so `%3A` in a model id signs as `%253A`.
 */
export function canonicalUri(rawPath: string): string {
  const path = rawPath.split('?')[0] ?? '';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

/** Canonical query: each name and value decoded, re-encoded, and sorted by name then value. */
export function canonicalQuery(rawPath: string): string {
  const q = rawPath.indexOf('?');
  if (q < 0) return '';
  const pairs = rawPath
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return [escapeUri(decode(name)), escapeUri(decode(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** Hash of the payload as signed: `x-amz-content-sha256` when sent, else SHA-256 of the body. */
export function payloadHash(request: RawRequest): string {
  return headerValue(request.headers, 'x-amz-content-sha256') ?? sha256Hex(request.body);
}

/** The canonical request string for the given signed header names (lower case, sorted by the caller). */
export function canonicalRequest(request: RawRequest, signedHeaders: string[]): string {
  const lines = signedHeaders.map((name) => {
    // Over HTTP/2 the SDK signs `:authority` when it sends no `host`; accept either spelling.
    const raw = headerValue(request.headers, name) ?? (name === 'host' ? headerValue(request.headers, ':authority') : undefined) ?? '';
    return `${name}:${raw
      .replace(/[\r\n]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  });
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.path),
    ...lines,
    '',
    signedHeaders.join(';'),
    payloadHash(request),
  ].join('\n');
}

/** The string to sign: algorithm, timestamp, scope and the hash of the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

/** kSigning = HMAC chain over date, region, service and `aws4_request`, seeded with `AWS4` + secret. */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Parses an `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header, or undefined. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || credential.length !== 5 || credential[4] !== 'aws4_request' || !signedHeaders || !signature) return undefined;
  const [accessKeyId, date, region, service] = credential as [string, string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** Signature (hex) of a request whose Authorization header would carry `parsed`'s scope and headers. */
export function computeSignature(
  request: RawRequest,
  secretAccessKey: string,
  parsed: Omit<ParsedAuthorization, 'signature' | 'accessKeyId'>,
  amzDate: string,
): string {
  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const key = deriveSigningKey(secretAccessKey, parsed.date, parsed.region, parsed.service);
  return createHmac('sha256', key)
    .update(stringToSign(amzDate, scope, canonicalRequest(request, parsed.signedHeaders)))
    .digest('hex');
}

/** Valid (with the scope's region), or the AWS error type and message to answer. */
export type SigV4Verdict =
  | { ok: true; accessKeyId: string; region: string; service: string }
  | {
      ok: false;
      errorType:
        | 'MissingAuthenticationTokenException'
        | 'IncompleteSignatureException'
        | 'UnrecognizedClientException'
        | 'InvalidSignatureException'
        | 'ExpiredTokenException';
      message: string;
      accessKeyId?: string;
    };

/** How the verifier finds secrets and which service and clock it checks against. */
export interface VerifyOptions {
  /** Secret (and expected session token) for a key id; undefined for an unknown key. */
  lookup(accessKeyId: string): (SigningCredentials & { expired?: boolean }) | undefined;
  /** Expected signing name; Bedrock signs as `bedrock`. */
  service?: string;
  /** Milliseconds since the epoch, to check the 15-minute clock-skew window; omit to skip the check. */
  now?: number;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Recomputes the request's SigV4 signature and says whether, and why not, it is valid. */
export function verifySigV4(request: RawRequest, options: VerifyOptions): SigV4Verdict {
  const header = headerValue(request.headers, 'authorization');
  if (!header) return { ok: false, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const parsed = parseAuthorization(header);
  if (!parsed)
    return {
      ok: false,
      errorType: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
    };
  const { accessKeyId } = parsed;
  const creds = options.lookup(accessKeyId);
  if (!creds)
    return {
      ok: false,
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      accessKeyId,
    };
  if (creds.expired)
    return { ok: false, errorType: 'ExpiredTokenException', message: 'The security token included in the request is expired', accessKeyId };
  const token = headerValue(request.headers, 'x-amz-security-token');
  if ((creds.sessionToken ?? undefined) !== (token ?? undefined)) {
    return {
      ok: false,
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      accessKeyId,
    };
  }
  const service = options.service ?? 'bedrock';
  if (parsed.service !== service) {
    return {
      ok: false,
      errorType: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: '${service}'. `,
      accessKeyId,
    };
  }
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate) || !parsed.signedHeaders.includes('x-amz-date')) {
    return {
      ok: false,
      errorType: 'IncompleteSignatureException',
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      accessKeyId,
    };
  }
  if (amzDate.slice(0, 8) !== parsed.date) {
    return {
      ok: false,
      errorType: 'InvalidSignatureException',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      accessKeyId,
    };
  }
  if (options.now !== undefined) {
    const signedAt = Date.UTC(
      +amzDate.slice(0, 4),
      +amzDate.slice(4, 6) - 1,
      +amzDate.slice(6, 8),
      +amzDate.slice(9, 11),
      +amzDate.slice(11, 13),
      +amzDate.slice(13, 15),
    );
    const window = 15 * 60_000;
    const stamp = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    if (signedAt < options.now - window) {
      return {
        ok: false,
        errorType: 'InvalidSignatureException',
        message: `Signature expired: ${amzDate} is now earlier than ${stamp(options.now - window)} (${stamp(options.now)} - 15 min.)`,
        accessKeyId,
      };
    }
    if (signedAt > options.now + window) {
      return {
        ok: false,
        errorType: 'InvalidSignatureException',
        message: `Signature not yet current: ${amzDate} is still later than ${stamp(options.now + window)} (${stamp(options.now)} + 15 min.)`,
        accessKeyId,
      };
    }
  }
  const declared = headerValue(request.headers, 'x-amz-content-sha256');
  if (declared && /^[0-9a-f]{64}$/.test(declared) && declared !== sha256Hex(request.body)) {
    return {
      ok: false,
      errorType: 'InvalidSignatureException',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      accessKeyId,
    };
  }
  const expected = computeSignature(request, creds.secretAccessKey, parsed, amzDate);
  const given = Buffer.from(parsed.signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8'))) {
    return { ok: false, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH, accessKeyId };
  }
  return { ok: true, accessKeyId, region: parsed.region, service: parsed.service };
}

/**
 * Signs a request the way the SDK does (for hand-made requests in tests): sets `x-amz-date`, the
 * session token when given, and `authorization` on `request.headers`, signing every header present.
 */
export function signRequest(
  request: RawRequest,
  credentials: SigningCredentials,
  region: string,
  service = 'bedrock',
  at = new Date(),
): void {
  const amzDate = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  request.headers['x-amz-date'] = amzDate;
  if (credentials.sessionToken) request.headers['x-amz-security-token'] = credentials.sessionToken;
  const signedHeaders = Object.keys(request.headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h !== 'authorization' && h !== 'user-agent')
    .sort();
  const scope = { date: amzDate.slice(0, 8), region, service, signedHeaders };
  const signature = computeSignature(request, credentials.secretAccessKey, scope, amzDate);
  request.headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope.date}/${region}/${service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
}
