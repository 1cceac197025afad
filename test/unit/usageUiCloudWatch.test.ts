import assert from 'node:assert/strict';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import type { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '../../src/core/ports';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { batchDatums, metricDataOf, namespaceProblem } from '../../src/node/usage/cloudWatchMetrics';
import type { CloudWatchSettings, MetricsSink, PutMetricDataClient } from '../../src/node/usage/cloudWatchPublisher';
import { CloudWatchPublisher } from '../../src/node/usage/cloudWatchPublisher';
import { MetricsSwitch } from '../../src/node/usage/metricsSwitch';

const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const quiet: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function rec(over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    time: Date.UTC(2026, 0, 5, 9),
    kind: 'question',
    requests: 1,
    modelId: HAIKU,
    inputTokens: 100,
    outputTokens: 20,
    cacheReadInputTokens: 300,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
    latencyMs: 1500,
    costUsd: 0.00023,
    ...over,
    purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
  };
}

class FakeClient implements PutMetricDataClient {
  readonly calls: PutMetricDataCommand['input'][] = [];
  destroyed = false;
  async send(command: PutMetricDataCommand): Promise<unknown> {
    this.calls.push(command.input);
    return {};
  }
  destroy(): void {
    this.destroyed = true;
  }
}

const names = (datums: ReturnType<typeof metricDataOf>) => datums.map((d) => d.MetricName);

describe('CloudWatch metrics from usage records', () => {
  it('maps a question to Requests, the four token counts, Latency and cost, with Model and Kind dimensions', () => {
    const datums = metricDataOf(rec());
    assert.deepEqual(names(datums), [
      'Requests',
      'InputTokens',
      'OutputTokens',
      'CacheReadInputTokens',
      'CacheWriteInputTokens',
      'Latency',
      'EstimatedCostUsd',
    ]);
    assert.deepEqual(
      datums.map((d) => [d.Value, d.Unit]),
      [
        [1, 'Count'],
        [100, 'Count'],
        [20, 'Count'],
        [300, 'Count'],
        [0, 'Count'],
        [1500, 'Milliseconds'],
        [0.00023, 'None'],
      ],
    );
    assert.ok(
      datums.every(
        (d) =>
          JSON.stringify(d.Dimensions) ===
          JSON.stringify([
            { Name: 'Model', Value: HAIKU },
            { Name: 'Kind', Value: 'question' },
          ]),
      ),
    );
    assert.ok(datums.every((d) => d.Timestamp?.getTime() === Date.UTC(2026, 0, 5, 9)));
  });

  it('maps embedding calls to EmbeddingTokens only, failures to Errors by code without latency, and leaves out an unknown cost', () => {
    assert.deepEqual(
      names(metricDataOf(rec({ kind: 'indexing', inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, embeddingTokens: 4000 }))),
      ['Requests', 'EmbeddingTokens', 'Latency', 'EstimatedCostUsd'],
    );
    const failed = metricDataOf(rec({ errorCode: 'THROTTLED', costUsd: null }));
    assert.deepEqual(names(failed), ['Requests', 'InputTokens', 'OutputTokens', 'CacheReadInputTokens', 'CacheWriteInputTokens', 'Errors']);
    assert.deepEqual(failed.at(-1)!.Dimensions, [
      { Name: 'Model', Value: HAIKU },
      { Name: 'Kind', Value: 'question' },
      { Name: 'ErrorCode', Value: 'THROTTLED' },
    ]);
    const longId = metricDataOf(rec({ modelId: 'x'.repeat(2000) }))[0]!.Dimensions![0]!.Value!;
    assert.equal(longId.length, 1024, 'dimension values are capped at 1,024 characters');
  });

  it('splits datums into calls of at most 1,000, in order', () => {
    const datums = Array.from({ length: 2500 }, (_, i) => ({ MetricName: 'm', Value: i }));
    assert.deepEqual(
      batchDatums(datums).map((b) => [b.length, b[0]!.Value]),
      [
        [1000, 0],
        [1000, 1000],
        [500, 2000],
      ],
    );
    assert.deepEqual(batchDatums([]), []);
  });

  it('knows which namespaces CloudWatch rejects', () => {
    assert.equal(namespaceProblem('BedrockDocsAssistant'), undefined);
    assert.equal(namespaceProblem('Team/Docs Assistant:prod #1'), undefined);
    assert.match(namespaceProblem('AWS/Bedrock') ?? '', /AWS\//);
    assert.match(namespaceProblem('') ?? '', /1-255/);
    assert.match(namespaceProblem('x'.repeat(256)) ?? '', /1-255/);
    assert.match(namespaceProblem('naïve') ?? '', /only letters/);
  });
});

describe('CloudWatchPublisher (batching, with a fake client)', () => {
  it('flushes after flushEvery records, keeps the rest buffered, and flushes them on dispose', async () => {
    const client = new FakeClient();
    const publisher = new CloudWatchPublisher({ client, namespace: 'NS', logger: quiet, flushEvery: 2, flushAfterMs: 600_000 });
    publisher.add(rec());
    assert.equal(client.calls.length, 0);
    publisher.add(rec());
    await publisher.flush();
    assert.equal(client.calls.length, 1);
    assert.equal(client.calls[0]!.Namespace, 'NS');
    assert.equal(client.calls[0]!.MetricData!.length, 14);
    publisher.add(rec({ kind: 'eval' }));
    assert.equal(publisher.pending, 7);
    await publisher.dispose();
    assert.equal(client.calls.length, 2);
    assert.equal(client.destroyed, true);
    publisher.add(rec());
    await publisher.flush();
    assert.equal(client.calls.length, 2, 'nothing is sent after dispose');
  });

  it('drops the oldest datums beyond maxBufferedDatums and counts them', async () => {
    const client = new FakeClient();
    const publisher = new CloudWatchPublisher({ client, namespace: 'NS', logger: quiet, flushEvery: 100, maxBufferedDatums: 10 });
    publisher.add(rec({ latencyMs: 1 }));
    publisher.add(rec({ latencyMs: 2 }));
    assert.equal(publisher.pending, 10);
    assert.equal(publisher.stats.dropped, 4);
    await publisher.dispose();
    const sent = client.calls[0]!.MetricData!;
    assert.equal(sent.length, 10);
    assert.deepEqual(names(sent.slice(-7)), names(metricDataOf(rec())), 'the newest record survived whole');
    assert.equal(sent.filter((d) => d.MetricName === 'Requests').length, 1, "the oldest record's first datums went");
  });

  it('swallows a throwing client: flush resolves and counts the failure', async () => {
    const warnings: string[] = [];
    const client: PutMetricDataClient = {
      send: async () => Promise.reject(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })),
    };
    const publisher = new CloudWatchPublisher({
      client,
      namespace: 'NS',
      logger: { ...quiet, warn: (m) => void warnings.push(m) },
      flushEvery: 1,
    });
    publisher.add(rec());
    await publisher.flush();
    assert.deepEqual({ ...publisher.stats }, { calls: 0, datums: 0, failures: 1, dropped: 7 });
    assert.match(warnings[0] ?? '', /TimeoutError: socket hang up/);
  });
});

describe('MetricsSwitch (CloudWatch on, off and reconfigured)', () => {
  function recordingFactory() {
    const made: Array<{ settings: CloudWatchSettings; added: UsageRecord[]; disposed: boolean }> = [];
    const factory = async (settings: CloudWatchSettings): Promise<MetricsSink> => {
      const sink = { settings, added: [] as UsageRecord[], disposed: false };
      made.push(sink);
      return { add: (r) => void sink.added.push(r), flush: async () => undefined, dispose: async () => void (sink.disposed = true) };
    };
    return { made, factory };
  }

  it('is a no-op while off, builds one sink per configuration, and disposes the old one on a change', async () => {
    const { made, factory } = recordingFactory();
    const metrics = new MetricsSwitch(quiet, factory);
    metrics.add(rec());
    metrics.configure({ namespace: 'A' });
    metrics.configure({ namespace: 'A' });
    metrics.add(rec());
    await metrics.flush();
    assert.equal(made.length, 1, 'the same settings reuse the sink');
    assert.equal(made[0]!.added.length, 1, 'records from before it was on are not published');
    metrics.configure({ namespace: 'B', region: 'eu-west-1' });
    metrics.add(rec({ kind: 'eval' }));
    await metrics.flush();
    assert.equal(made[0]!.disposed, true);
    assert.deepEqual(made[1]!.settings, { namespace: 'B', region: 'eu-west-1' });
    assert.equal(made[1]!.added[0]!.kind, 'eval');
    metrics.configure(undefined);
    metrics.add(rec());
    await metrics.flush();
    assert.equal(made[1]!.disposed, true);
    assert.equal(made[1]!.added.length, 1);
  });

  it('logs a sink that cannot be built and carries on', async () => {
    const warnings: string[] = [];
    const metrics = new MetricsSwitch({ ...quiet, warn: (m) => void warnings.push(m) }, async () => Promise.reject(new Error('no region')));
    metrics.configure({ namespace: 'A' });
    metrics.add(rec());
    await metrics.flush();
    await metrics.dispose();
    assert.match(warnings[0] ?? '', /CloudWatch metrics are off: no region/);
  });
});
