/**
 * Embedding throughput over the wire: the real SDK client and Titan adapter against the fake
 * Bedrock on 127.0.0.1, first unthrottled, then under a `rateLimit` fault (the fake throttles past
 * N requests a second), then with client-side pacing under that limit.
 */
import { EmbeddingCache } from '../../src/core/embedding/embeddingCache';
import { embedTexts } from '../../src/core/embedding/embedTexts';
import { contentHash } from '../../src/core/hash';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { TitanEmbedder } from '../../src/node/bedrock/titanEmbedder';
import { isolatedFakeEnv, setEnv } from '../../test/fakes/envScope';
import { startFakeBedrock } from '../../test/fakes/fakeBedrock';

/** One scenario's figures. */
export interface ThroughputResult {
  scenario: string;
  texts: number;
  seconds: number;
  perSecond: number;
  embedded: number;
  failed: number;
  /** Requests the fake answered with ThrottlingException (SDK retries included). */
  throttledResponses: number;
  /** Batches our embedTexts queued again after the SDK gave up. */
  requeued: number;
}

export async function benchThroughput(texts: readonly string[], limitPerSecond: number, concurrency: number): Promise<ThroughputResult[]> {
  const fake = await startFakeBedrock();
  const restoreEnv = setEnv(isolatedFakeEnv(fake));
  const clients = new BedrockClientCache();
  try {
    const connection = await clients.get({ requestTimeoutMs: 10_000 });
    const embedder = new TitanEmbedder(connection.client, { dimensions: 1024 }, connection.context);
    const jobs = [...new Map(texts.map((t) => [contentHash(t), { hash: contentHash(t), text: t }])).values()];
    const scenarios: Array<{ scenario: string; limited: boolean; pace?: number; count: number }> = [
      { scenario: 'unthrottled', limited: false, count: jobs.length },
      { scenario: `fake limit ${limitPerSecond}/s`, limited: true, count: Math.min(jobs.length, limitPerSecond * 6) },
      {
        scenario: `fake limit ${limitPerSecond}/s, paced ${Math.floor(limitPerSecond * 0.9)}/s`,
        limited: true,
        pace: Math.floor(limitPerSecond * 0.9),
        count: Math.min(jobs.length, limitPerSecond * 6),
      },
    ];
    const results: ThroughputResult[] = [];
    for (const s of scenarios) {
      fake.reset();
      if (s.limited) fake.faults.add({ type: 'rateLimit', perSecond: limitPerSecond, operation: 'InvokeModel' });
      const cache = new EmbeddingCache('bench', 1024);
      const started = performance.now();
      const run = await embedTexts(jobs.slice(0, s.count), embedder, cache, { concurrency, maxPerSecond: s.pace, retryDelayMs: 500 });
      const seconds = (performance.now() - started) / 1000;
      results.push({
        scenario: s.scenario,
        texts: s.count,
        seconds,
        perSecond: run.embedded / seconds,
        embedded: run.embedded,
        failed: run.failed.length,
        throttledResponses: fake.requests.filter((r) => r.errorType === 'ThrottlingException').length,
        requeued: run.retried,
      });
    }
    return results;
  } finally {
    clients.dispose();
    restoreEnv();
    await fake.close();
  }
}
