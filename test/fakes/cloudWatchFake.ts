/**
 * CloudWatch's PutMetricData on the fake Bedrock's port, as `@aws-sdk/client-cloudwatch` 3.x
 * speaks it: AWS JSON 1.0 (`POST /`, `content-type: application/x-amz-json-1.0`,
 * `x-amz-target: GraniteServiceVersion20100801.PutMetricData`, `x-amzn-query-mode: true`), bodies
 * gzip-compressed from 10 KiB (the operation's @requestCompression), SigV4 with the signing name
 * `monitoring`. Errors carry `__type` plus the awsQueryCompatible `x-amzn-query-error: Code;Fault`
 * header. The SDK picks the protocol in dist-es/runtimeConfig.shared.js (AwsJson1_0Protocol).
 * Point a client at it with AWS_ENDPOINT_URL_CLOUDWATCH (in `fake.env`).
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AnyRequest, AnyResponse } from './dualProtocolServer';
import type { FakeCredential } from './fakeCredentials';
import { flatHeaders } from './fakeRoutes';
import { verifySigV4 } from './sigv4';

/** The JSON 1.0 service target of CloudWatch (API version 2010-08-01). */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** True for requests meant for CloudWatch (the hook in fakeBedrock.ts routes them here). */
export function isCloudWatchRequest(headers: AnyRequest['headers']): boolean {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(CLOUDWATCH_TARGET_PREFIX);
}

/** Errors the fake answers with: HTTP status, the awsQueryError code and its fault side. */
export const CLOUDWATCH_ERRORS = {
  InvalidParameterValueException: {
    status: 400,
    query: 'InvalidParameterValue;Sender',
    message: 'The value of an input parameter is bad or out-of-range.',
  },
  MissingRequiredParameterException: {
    status: 400,
    query: 'MissingParameter;Sender',
    message: 'An input parameter that is required is missing.',
  },
  InvalidParameterCombinationException: {
    status: 400,
    query: 'InvalidParameterCombination;Sender',
    message: 'Parameters were used together that cannot be used together.',
  },
  InternalServiceFault: {
    status: 500,
    query: 'InternalServiceError;Receiver',
    message: 'Request processing has failed due to some unknown error, exception, or failure.',
  },
  AccessDeniedException: {
    status: 403,
    query: 'AccessDenied;Sender',
    message: 'User is not authorized to perform: cloudwatch:PutMetricData',
  },
  UnknownOperationException: { status: 400, query: 'UnknownOperation;Sender', message: 'Unknown operation.' },
  InvalidSignatureException: {
    status: 403,
    query: 'InvalidSignatureException;Sender',
    message: 'The request signature we calculated does not match the signature you provided.',
  },
  IncompleteSignatureException: {
    status: 403,
    query: 'IncompleteSignature;Sender',
    message: 'Authorization header requires Credential, Signature and SignedHeaders.',
  },
  MissingAuthenticationTokenException: { status: 403, query: 'MissingAuthenticationToken;Sender', message: 'Missing Authentication Token' },
  UnrecognizedClientException: {
    status: 403,
    query: 'InvalidClientTokenId;Sender',
    message: 'The security token included in the request is invalid.',
  },
  ExpiredTokenException: { status: 403, query: 'ExpiredToken;Sender', message: 'The security token included in the request is expired' },
} as const;

/** Names of the errors in CLOUDWATCH_ERRORS. */
export type CloudWatchErrorType = keyof typeof CLOUDWATCH_ERRORS;

/** One datum as CloudWatch stored it, with the namespace of its call. */
export interface StoredDatum {
  namespace: string;
  metricName: string;
  /** Dimension name -> value. */
  dimensions: Record<string, string>;
  value: number;
  unit: string;
  /** Ms since the epoch (the wire carries epoch seconds). */
  timestamp: number;
}

/** Everything the fake saw of one CloudWatch request. */
export interface RecordedCloudWatchCall {
  /** From x-amz-target, e.g. PutMetricData. */
  operation: string;
  method: string;
  path: string;
  httpVersion: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The body arrived gzip-compressed. */
  gzip: boolean;
  /** Parsed JSON after decompression, or the raw text. */
  body: unknown;
  signature: { valid: boolean; service?: string; accessKeyId?: string; errorType?: string };
  status: number;
  errorType?: CloudWatchErrorType;
  /** Ms since the epoch. */
  time: number;
}

const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

type Problem = { type: CloudWatchErrorType; message: string };

// CloudWatch accepts datums from two weeks back to two hours ahead.
const PAST_MS = 14 * 24 * 3600_000;
const FUTURE_MS = 2 * 3600_000;

function checkPutMetricData(body: unknown, now: number): Problem | StoredDatum[] {
  const input = body as { Namespace?: unknown; MetricData?: unknown } | null;
  if (typeof input?.Namespace !== 'string')
    return { type: 'MissingRequiredParameterException', message: 'The parameter Namespace is required.' };
  const ns = input.Namespace;
  if (ns.length < 1 || ns.length > 255 || !/^[0-9A-Za-z.\-_/#: ]+$/.test(ns))
    return { type: 'InvalidParameterValueException', message: `The value ${ns} for parameter Namespace is invalid.` };
  if (ns.startsWith('AWS/'))
    return { type: 'InvalidParameterValueException', message: 'The value AWS/ for parameter Namespace is invalid.' };
  if (!Array.isArray(input.MetricData) || input.MetricData.length === 0)
    return { type: 'MissingRequiredParameterException', message: 'The parameter MetricData is required.' };
  if (input.MetricData.length > 1000)
    return { type: 'InvalidParameterValueException', message: 'The collection MetricData must not have a size greater than 1000.' };
  const out: StoredDatum[] = [];
  for (const [i, raw] of input.MetricData.entries()) {
    const d = raw as { MetricName?: unknown; Dimensions?: unknown; Value?: unknown; Unit?: unknown; Timestamp?: unknown };
    const at = `MetricData.member.${i + 1}`;
    if (typeof d.MetricName !== 'string' || d.MetricName.length < 1 || d.MetricName.length > 255)
      return { type: 'MissingRequiredParameterException', message: `The parameter ${at}.MetricName is required.` };
    if (typeof d.Value !== 'number' || !Number.isFinite(d.Value))
      return { type: 'InvalidParameterValueException', message: `The parameter ${at}.Value must be a finite number.` };
    if (d.Unit !== undefined && (typeof d.Unit !== 'string' || !UNITS.has(d.Unit)))
      return { type: 'InvalidParameterValueException', message: `The value ${String(d.Unit)} for parameter ${at}.Unit is invalid.` };
    const dims = d.Dimensions ?? [];
    if (!Array.isArray(dims) || dims.length > 30)
      return { type: 'InvalidParameterValueException', message: `The collection ${at}.Dimensions must not have a size greater than 30.` };
    const dimensions: Record<string, string> = {};
    for (const dim of dims as Array<{ Name?: unknown; Value?: unknown }>) {
      if (typeof dim.Name !== 'string' || dim.Name === '' || typeof dim.Value !== 'string' || dim.Value === '' || dim.Value.length > 1024) {
        return { type: 'InvalidParameterValueException', message: `The parameter ${at}.Dimensions has an invalid dimension.` };
      }
      dimensions[dim.Name] = dim.Value;
    }
    let timestamp = now;
    if (d.Timestamp !== undefined) {
      if (typeof d.Timestamp !== 'number')
        return { type: 'InvalidParameterValueException', message: `The parameter ${at}.Timestamp must be epoch seconds.` };
      timestamp = Math.round(d.Timestamp * 1000);
      if (timestamp < now - PAST_MS || timestamp > now + FUTURE_MS)
        return {
          type: 'InvalidParameterValueException',
          message: `The parameter ${at}.Timestamp must specify a time no more than two weeks in the past or two hours in the future.`,
        };
    }
    out.push({
      namespace: ns,
      metricName: d.MetricName,
      dimensions,
      value: d.Value,
      unit: (d.Unit as string | undefined) ?? 'None',
      timestamp,
    });
  }
  return out;
}

/** The CloudWatch half of the fake: a request log, the stored datums, and scripted failures. */
export class FakeCloudWatch {
  readonly requests: RecordedCloudWatchCall[] = [];
  readonly metrics: StoredDatum[] = [];
  private failures: CloudWatchErrorType[] = [];

  constructor(private readonly credentials: FakeCredential[]) {}

  /** The next `times` PutMetricData calls (retries included) fail with `type`. */
  failNext(type: CloudWatchErrorType, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(type);
  }

  /** Datums of one metric name, optionally only those whose dimensions include `dimensions`. */
  datums(metricName: string, dimensions: Record<string, string> = {}): StoredDatum[] {
    return this.metrics.filter((m) => m.metricName === metricName && Object.entries(dimensions).every(([k, v]) => m.dimensions[k] === v));
  }

  reset(): void {
    this.requests.length = 0;
    this.metrics.length = 0;
    this.failures = [];
  }

  /** Answers one request whose body (`raw`, as sent) has been read. */
  handle(req: AnyRequest, res: AnyResponse, raw: Buffer): void {
    const headers = flatHeaders(req.headers);
    const record: RecordedCloudWatchCall = {
      operation: (headers['x-amz-target'] ?? '').slice(CLOUDWATCH_TARGET_PREFIX.length),
      method: req.method ?? '',
      path: req.url ?? '',
      httpVersion: req.httpVersion,
      headers,
      gzip: /\bgzip\b/.test(headers['content-encoding'] ?? ''),
      body: undefined,
      signature: { valid: false },
      status: 0,
      time: Date.now(),
    };
    this.requests.push(record);
    // The signature covers the body as sent, compressed or not.
    const verdict = verifySigV4(
      { method: record.method, path: record.path, headers, body: raw },
      { lookup: (id) => this.credentials.find((c) => c.accessKeyId === id), service: 'monitoring', now: Date.now() },
    );
    record.signature = verdict.ok
      ? { valid: true, service: verdict.service, accessKeyId: verdict.accessKeyId }
      : { valid: false, errorType: verdict.errorType, ...(verdict.accessKeyId ? { accessKeyId: verdict.accessKeyId } : {}) };
    if (!verdict.ok) return this.error(res, record, { type: verdict.errorType, message: verdict.message });
    let text: string;
    try {
      text = (record.gzip ? gunzipSync(raw) : raw).toString('utf8');
    } catch {
      return this.error(res, record, { type: 'InvalidParameterValueException', message: 'The request body could not be decompressed.' });
    }
    try {
      record.body = text === '' ? undefined : JSON.parse(text);
    } catch {
      record.body = text;
      return this.error(res, record, { type: 'InvalidParameterValueException', message: 'The request body is not JSON.' });
    }
    if (record.method !== 'POST' || record.path !== '/' || !/^application\/x-amz-json-1\.0\b/.test(headers['content-type'] ?? '')) {
      return this.error(res, record, {
        type: 'UnknownOperationException',
        message: `Expected POST / with application/x-amz-json-1.0, got ${record.method} ${record.path} ${headers['content-type'] ?? ''}`,
      });
    }
    if (record.operation !== 'PutMetricData')
      return this.error(res, record, {
        type: 'UnknownOperationException',
        message: `The fake serves PutMetricData only, not ${record.operation}.`,
      });
    const scripted = this.failures.shift();
    if (scripted) return this.error(res, record, { type: scripted, message: CLOUDWATCH_ERRORS[scripted].message });
    const checked = checkPutMetricData(record.body, record.time);
    if (!Array.isArray(checked)) return this.error(res, record, checked);
    this.metrics.push(...checked);
    this.send(res, record, 200, {});
  }

  private send(res: AnyResponse, record: RecordedCloudWatchCall, status: number, json: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(json);
    record.status = status;
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': randomUUID(),
      ...extra,
    });
    res.end(text);
  }

  private error(res: AnyResponse, record: RecordedCloudWatchCall, problem: Problem): void {
    const spec = CLOUDWATCH_ERRORS[problem.type];
    record.errorType = problem.type;
    this.send(
      res,
      record,
      spec.status,
      { __type: `com.amazonaws.cloudwatch#${problem.type}`, message: problem.message },
      { 'x-amzn-query-error': spec.query },
    );
  }
}
