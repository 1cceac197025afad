/**
 * The CloudWatch sink as settings turn it on, off or elsewhere: `configure` replaces the publisher
 * when `usage.cloudWatch.*` or the AWS profile/region change (the old one is flushed and disposed)
 * and records added while a new publisher is being built are kept for it.
 */
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import type { UsageRecord } from '../../core/usage/usageRecord';
import type { CloudWatchSettings, MetricsSink } from './cloudWatchPublisher';
import { createCloudWatchPublisher } from './cloudWatchPublisher';

/** Builds a sink for settings; undefined when it cannot (already logged). */
export type MetricsSinkFactory = (settings: CloudWatchSettings) => Promise<MetricsSink | undefined>;

/** A MetricsSink that is a no-op while CloudWatch is off. */
export class MetricsSwitch implements MetricsSink {
  private sink: Promise<MetricsSink | undefined> = Promise.resolve(undefined);
  private key = '';

  constructor(
    private readonly logger: Logger,
    private readonly factory: MetricsSinkFactory = (settings) => createCloudWatchPublisher(settings, logger),
  ) {}

  /** Applies the settings: undefined turns publishing off. Same settings again: nothing changes. */
  configure(settings: CloudWatchSettings | undefined): void {
    const key = settings ? JSON.stringify([settings.namespace, settings.profile ?? '', settings.region ?? '']) : '';
    if (key === this.key) return;
    this.key = key;
    const previous = this.sink;
    this.sink = (async () => {
      await (await previous)?.dispose();
      if (!settings) return undefined;
      try {
        return await this.factory(settings);
      } catch (err) {
        this.logger.warn(`CloudWatch metrics are off: ${describeError(err)}`);
        return undefined;
      }
    })();
  }

  add(record: UsageRecord): void {
    if (this.key === '') return;
    void this.sink.then((s) => s?.add(record));
  }

  async flush(): Promise<void> {
    await (await this.sink)?.flush();
  }

  async dispose(): Promise<void> {
    this.key = '';
    const sink = this.sink;
    this.sink = Promise.resolve(undefined);
    await (await sink)?.dispose();
  }
}
