/**
 * The CloudWatch publisher with the real `@aws-sdk/client-cloudwatch` against the fake's
 * PutMetricData (AWS JSON 1.0, SigV4 as `monitoring`, gzip from 10 KiB): batching, metric shapes,
 * failures logged once and never thrown, flush on dispose.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Logger } from '../../src/core/ports';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import type { CloudWatchPublisher } from '../../src/node/usage/cloudWatchPublisher';
import { createCloudWatchPublisher } from '../../src/node/usage/cloudWatchPublisher';
import { isolatedFakeEnv, setEnv } from '../fakes/envScope';
import { FAKE_ACCESS_KEY_ID, FAKE_REGION, FAKE_SECRET_ACCESS_KEY } from '../fakes/fakeCredentials';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import { signRequest } from '../fakes/sigv4';

const NAMESPACE = 'BedrockDocsAssistant/Test';
const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';

interface LogLines {
  logger: Logger;
  lines: Array<{ level: string; message: string }>;
}

function captureLog(): LogLines {
  const lines: LogLines['lines'] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

function question(over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    time: Date.now() - 60_000,
    kind: 'question',
    requests: 1,
    modelId: HAIKU,
    inputTokens: 1200,
    outputTokens: 300,
    cacheReadInputTokens: 4096,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
    latencyMs: 2300,
    costUsd: 0.0031096,
    ...over,
    purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), `timed out waiting for ${what}`);
}

describe('CloudWatch metrics (real SDK against the fake PutMetricData)', function () {
  this.timeout(30_000);
  let fake: FakeBedrock;
  let restoreEnv: () => void;
  let publisher: CloudWatchPublisher | undefined;

  before(async () => {
    fake = await startFakeBedrock();
    restoreEnv = setEnv(isolatedFakeEnv(fake));
  });
  after(async () => {
    restoreEnv();
    await fake.close();
  });
  beforeEach(() => fake.reset());
  afterEach(async () => {
    await publisher?.dispose();
    publisher = undefined;
  });

  it('sends one signed AWS JSON 1.0 PutMetricData per flushEvery records, with model and kind dimensions', async () => {
    const log = captureLog();
    publisher = await createCloudWatchPublisher({ namespace: NAMESPACE }, log.logger, { flushEvery: 3, flushAfterMs: 600_000 });
    assert.ok(publisher);
    const records = [
      question(),
      question({ inputTokens: 800, cacheReadInputTokens: 0, latencyMs: 900, costUsd: 0.0023 }),
      question({
        kind: 'indexing',
        modelId: TITAN,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadInputTokens: 0,
        embeddingTokens: 5000,
        latencyMs: 400,
        costUsd: 0.0001,
      }),
    ];
    publisher.add(records[0]!);
    publisher.add(records[1]!);
    assert.equal(publisher.pending > 0, true);
    assert.equal(fake.cloudWatch.requests.length, 0, 'nothing is sent before the batch is full');
    publisher.add(records[2]!);
    await publisher.flush();
    assert.equal(fake.cloudWatch.requests.length, 1);
    const call = fake.cloudWatch.requests[0]!;
    assert.equal(call.status, 200, JSON.stringify(call.body));
    assert.equal(call.operation, 'PutMetricData');
    assert.equal(call.headers['x-amz-target'], 'GraniteServiceVersion20100801.PutMetricData');
    assert.match(call.headers['content-type'] ?? '', /^application\/x-amz-json-1\.0/);
    assert.equal(call.headers['x-amzn-query-mode'], 'true');
    assert.deepEqual(call.signature, { valid: true, service: 'monitoring', accessKeyId: FAKE_ACCESS_KEY_ID });
    assert.equal(call.gzip, false, 'a small batch goes uncompressed');

    const q = { Model: HAIKU, Kind: 'question' };
    assert.deepEqual(
      fake.cloudWatch.datums('InputTokens', q).map((d) => d.value),
      [1200, 800],
    );
    assert.deepEqual(
      fake.cloudWatch.datums('CacheReadInputTokens', q).map((d) => d.value),
      [4096, 0],
    );
    assert.deepEqual(
      fake.cloudWatch.datums('Latency', q).map((d) => [d.value, d.unit]),
      [
        [2300, 'Milliseconds'],
        [900, 'Milliseconds'],
      ],
    );
    assert.deepEqual(
      fake.cloudWatch.datums('EstimatedCostUsd', q).map((d) => d.value),
      [0.0031096, 0.0023],
    );
    assert.deepEqual(
      fake.cloudWatch.datums('EmbeddingTokens', { Model: TITAN, Kind: 'indexing' }).map((d) => [d.value, d.unit]),
      [[5000, 'Count']],
    );
    assert.equal(fake.cloudWatch.datums('InputTokens', { Kind: 'indexing' }).length, 0, 'embedding calls publish no chat token counts');
    assert.ok(fake.cloudWatch.metrics.every((d) => d.namespace === NAMESPACE));
    const stamp = fake.cloudWatch.datums('Requests', q)[0]!.timestamp;
    assert.ok(
      Math.abs(stamp - records[0]!.time) < 1000,
      `timestamp ${stamp} is the record's time ${records[0]!.time} (epoch seconds on the wire)`,
    );
    assert.equal(fake.requests.length, 0, "CloudWatch calls stay out of Bedrock's request log");
    assert.deepEqual(
      log.lines.filter((l) => l.level === 'warn'),
      [],
    );
  });

  it('publishes an Errors datum with the error code and no latency for a failed call', async () => {
    publisher = await createCloudWatchPublisher({ namespace: NAMESPACE }, captureLog().logger, { flushEvery: 1 });
    publisher!.add(
      question({ errorCode: 'THROTTLED', inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, costUsd: 0, latencyMs: 5000 }),
    );
    await publisher!.flush();
    const errors = fake.cloudWatch.datums('Errors');
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0]!.dimensions, { Model: HAIKU, Kind: 'question', ErrorCode: 'THROTTLED' });
    assert.equal(errors[0]!.value, 1);
    assert.equal(fake.cloudWatch.datums('Latency').length, 0);
  });

  it('flushes a partial batch after flushAfterMs, and what is left on dispose', async () => {
    publisher = await createCloudWatchPublisher({ namespace: NAMESPACE }, captureLog().logger, { flushEvery: 100, flushAfterMs: 50 });
    publisher!.add(question());
    await until(() => fake.cloudWatch.requests.length === 1, 'the timed flush');
    assert.equal(fake.cloudWatch.datums('Requests').length, 1);
    publisher!.add(question({ kind: 'eval' }));
    await publisher!.dispose();
    publisher = undefined;
    assert.equal(fake.cloudWatch.datums('Requests', { Kind: 'eval' }).length, 1, 'dispose sent the buffered record');
  });

  it('gzips large batches (the SDK compresses from 10 KiB), splits at 1,000 datums, and the signature still verifies', async () => {
    publisher = await createCloudWatchPublisher({ namespace: NAMESPACE }, captureLog().logger, { flushEvery: 1000 });
    for (let i = 0; i < 200; i++) publisher!.add(question({ inputTokens: i }));
    await publisher!.flush();
    // 200 records x 7 datums (Requests, 4 token counts, Latency, cost) = 1,400: two calls.
    assert.deepEqual(
      fake.cloudWatch.requests.map((r) => [r.status, r.gzip, (r.body as { MetricData: unknown[] }).MetricData.length]),
      [
        [200, true, 1000],
        [200, true, 400],
      ],
    );
    assert.ok(fake.cloudWatch.requests.every((r) => r.signature.valid));
    assert.deepEqual(
      fake.cloudWatch.datums('InputTokens').map((d) => d.value),
      Array.from({ length: 200 }, (_, i) => i),
    );
    assert.equal(publisher!.stats.datums, 1400);
  });

  it('logs a failing CloudWatch once, never throws, drops the batch, and says when it works again', async () => {
    const log = captureLog();
    publisher = await createCloudWatchPublisher({ namespace: NAMESPACE }, log.logger, { flushEvery: 1000 });
    // Three attempts per call (maxAttempts 3): fail two whole calls.
    fake.cloudWatch.failNext('InternalServiceFault', 6);
    publisher!.add(question());
    await publisher!.flush();
    publisher!.add(question());
    await publisher!.flush();
    assert.equal(fake.cloudWatch.requests.length, 6, 'the SDK retried the 500s');
    const warnings = log.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1, JSON.stringify(log.lines));
    assert.match(warnings[0]!.message, /PutMetricData to BedrockDocsAssistant\/Test failed, 7 datums dropped/);
    assert.equal(log.lines.filter((l) => l.level === 'debug' && /failed/.test(l.message)).length, 1, 'the second failure is quiet');
    assert.deepEqual({ ...publisher!.stats }, { calls: 0, datums: 0, failures: 2, dropped: 14 });
    publisher!.add(question());
    await publisher!.flush();
    assert.equal(publisher!.stats.calls, 1);
    assert.ok(log.lines.some((l) => l.level === 'info' && /publishing to BedrockDocsAssistant\/Test again/.test(l.message)));
  });

  it('names the missing permission when CloudWatch denies access', async () => {
    const log = captureLog();
    publisher = await createCloudWatchPublisher({ namespace: NAMESPACE }, log.logger, { flushEvery: 1000 });
    fake.cloudWatch.failNext('AccessDeniedException');
    publisher!.add(question());
    await publisher!.flush();
    assert.match(
      log.lines.find((l) => l.level === 'warn')?.message ?? '',
      /AccessDenied.*\(the credentials need cloudwatch:PutMetricData\)/,
    );
  });

  it('turns itself off, logged, for a namespace CloudWatch would reject', async () => {
    const log = captureLog();
    assert.equal(await createCloudWatchPublisher({ namespace: 'AWS/Bedrock' }, log.logger), undefined);
    assert.match(log.lines.find((l) => l.level === 'warn')?.message ?? '', /namespace "AWS\/Bedrock" must not start with "AWS\/"/);
    assert.equal(fake.cloudWatch.requests.length, 0);
  });

  it('the fake rejects a request signed for another service (the signing name must be monitoring)', async () => {
    const body = Buffer.from(JSON.stringify({ Namespace: NAMESPACE, MetricData: [{ MetricName: 'Requests', Value: 1, Unit: 'Count' }] }));
    const headers: Record<string, string> = {
      host: `127.0.0.1:${fake.port}`,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
    };
    const signed = { method: 'POST', path: '/', headers: headers as Record<string, string | string[] | undefined>, body };
    signRequest(signed, { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY }, FAKE_REGION, 'bedrock');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: fake.port, method: 'POST', path: '/', headers: signed.headers as Record<string, string> },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(status, 403);
    assert.equal(fake.cloudWatch.requests[0]!.errorType, 'InvalidSignatureException');
    assert.equal(fake.cloudWatch.metrics.length, 0);
  });
});
