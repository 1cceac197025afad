/**
 * Opt-in CloudWatch custom metrics (`bedrockDocs.usage.cloudWatch.enabled`): usage records are
 * buffered as metric datums and sent with PutMetricData in batches: after `flushEvery` records,
 * `flushAfterMs` after the first buffered one, and on dispose. Publishing never gets in the user's
 * way: a failed batch is dropped and logged (a warning the first time, then quietly until a batch
 * gets through again), and nothing is thrown to the caller.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import type { UsageRecord } from '../../core/usage/usageRecord';
import { credentialProviderFor, resolveRegion } from '../bedrock/awsAccess';
import { batchDatums, metricDataOf, namespaceProblem } from './cloudWatchMetrics';

/** Where usage records go besides the ledger; the tracker calls `add` after each record. */
export interface MetricsSink {
  add(record: UsageRecord): void;
  /** Sends what is buffered; resolves when it is sent or dropped, never rejects. */
  flush(): Promise<void>;
  /** Flushes, then releases the client. */
  dispose(): Promise<void>;
}

/** The part of CloudWatchClient the publisher uses (tests pass a fake). */
export interface PutMetricDataClient {
  send(command: PutMetricDataCommand): Promise<unknown>;
  destroy?(): void;
}

/** Batching knobs and where failures are logged. */
export interface CloudWatchPublisherOptions {
  client: PutMetricDataClient;
  namespace: string;
  logger: Logger;
  /** Records buffered before a flush; default 20. */
  flushEvery?: number;
  /** Ms after the first buffered record before a flush; default 60,000. */
  flushAfterMs?: number;
  /** Datums kept while CloudWatch is unreachable; the oldest go first. Default 10,000. */
  maxBufferedDatums?: number;
}

/** What was sent and dropped, for the log and the tests. */
export interface PublisherStats {
  /** Successful PutMetricData calls. */
  calls: number;
  /** Datums CloudWatch accepted. */
  datums: number;
  /** Failed PutMetricData calls. */
  failures: number;
  /** Datums lost to failures or a full buffer. */
  dropped: number;
}

// "AccessDenied: User is not authorized... (the credentials need cloudwatch:PutMetricData)"
function describeFailure(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  const text = typeof name === 'string' && name !== 'Error' ? `${name}: ${describeError(err)}` : describeError(err);
  return text + hintFor(name);
}

function hintFor(name: unknown): string {
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation')
    return ' (the credentials need cloudwatch:PutMetricData)';
  if (name === 'CredentialsProviderError') return ' (CloudWatch needs AWS credentials; a Bedrock API key is not enough)';
  return '';
}

/** Buffers datums and sends them in PutMetricData batches of at most 1,000. */
export class CloudWatchPublisher implements MetricsSink {
  private buffer: MetricDatum[] = [];
  private bufferedRecords = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> = Promise.resolve();
  private failing = false;
  private disposed = false;
  readonly stats: PublisherStats = { calls: 0, datums: 0, failures: 0, dropped: 0 };
  private readonly flushEvery: number;
  private readonly flushAfterMs: number;
  private readonly maxBuffered: number;

  constructor(private readonly options: CloudWatchPublisherOptions) {
    this.flushEvery = Math.max(1, options.flushEvery ?? 20);
    this.flushAfterMs = Math.max(1, options.flushAfterMs ?? 60_000);
    this.maxBuffered = Math.max(1, options.maxBufferedDatums ?? 10_000);
  }

  /** Datums waiting for the next flush. */
  get pending(): number {
    return this.buffer.length;
  }

  add(record: UsageRecord): void {
    if (this.disposed) return;
    this.buffer.push(...metricDataOf(record));
    const overflow = this.buffer.length - this.maxBuffered;
    if (overflow > 0) {
      this.buffer.splice(0, overflow);
      this.stats.dropped += overflow;
    }
    this.bufferedRecords++;
    if (this.bufferedRecords >= this.flushEvery) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushAfterMs);
      // A pending flush must not keep a CLI process alive; dispose() flushes anyway.
      this.timer.unref?.();
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const datums = this.buffer;
    this.buffer = [];
    this.bufferedRecords = 0;
    if (datums.length > 0) this.sending = this.sending.then(() => this.send(datums));
    return this.sending;
  }

  private async send(datums: MetricDatum[]): Promise<void> {
    const { client, namespace, logger } = this.options;
    for (const batch of batchDatums(datums)) {
      try {
        await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
        this.stats.calls++;
        this.stats.datums += batch.length;
        if (this.failing) logger.info(`CloudWatch metrics: publishing to ${namespace} again`);
        this.failing = false;
      } catch (err) {
        this.stats.failures++;
        this.stats.dropped += batch.length;
        const message = `CloudWatch metrics: PutMetricData to ${namespace} failed, ${batch.length} datums dropped: ${describeFailure(err)}`;
        if (this.failing) {
          logger.debug(message);
        } else {
          this.failing = true;
          logger.warn(`${message}. Later failures are logged at debug level until publishing works again.`);
        }
      }
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.flush();
    this.options.client.destroy?.();
  }
}

/** The `bedrockDocs.aws.*` and `usage.cloudWatch.*` settings a publisher needs. */
export interface CloudWatchSettings {
  /** Named profile; empty = the default credential chain. */
  profile?: string;
  /** Empty = the same resolution as Bedrock (AWS_REGION, profile, us-east-1). */
  region?: string;
  namespace: string;
}

/**
 * A publisher with a CloudWatchClient for the settings (SigV4; the endpoint comes from
 * AWS_ENDPOINT_URL_CLOUDWATCH when set), or undefined, logged, when the namespace is invalid.
 */
export async function createCloudWatchPublisher(
  settings: CloudWatchSettings,
  logger: Logger,
  options: Pick<CloudWatchPublisherOptions, 'flushEvery' | 'flushAfterMs' | 'maxBufferedDatums'> & { env?: NodeJS.ProcessEnv } = {},
): Promise<CloudWatchPublisher | undefined> {
  const problem = namespaceProblem(settings.namespace);
  if (problem) {
    logger.warn(`CloudWatch metrics are off: bedrockDocs.usage.cloudWatch.namespace "${settings.namespace}" ${problem}.`);
    return undefined;
  }
  const { env, ...batching } = options;
  const access = { profile: settings.profile || undefined, region: settings.region || undefined };
  const { region } = await resolveRegion(access, env ?? process.env);
  const client = new CloudWatchClient({
    region,
    ...(access.profile ? { profile: access.profile } : {}),
    credentials: credentialProviderFor(access),
    maxAttempts: 3,
    requestHandler: { requestTimeout: 10_000 },
  });
  logger.info(`CloudWatch metrics: publishing to namespace ${settings.namespace} in ${region}`);
  return new CloudWatchPublisher({ client, namespace: settings.namespace, logger, ...batching });
}
