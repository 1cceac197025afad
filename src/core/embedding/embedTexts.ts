/**
 * Embeds many texts in batches, paced by an AdaptiveLimiter (concurrency, optional requests per
 * second, halved on throttling), filling the cache. The SDK retries throttling per request
 * (adaptive mode) before an error reaches here; a batch that still fails for a passing reason
 * (throttling, 5xx, timeout) is queued again after a growing pause, so under a tight quota a run
 * gets slower instead of leaving chunks behind. What fails for good is reported per text and
 * retried on the next sync. An error no retry can fix (no credentials, access denied, unknown
 * model) stops the run at once and is returned as `fatal`, said once instead of once per chunk.
 */
import { BedrockDocsError, isCancellation } from '../errors';
import { TimeSlicer } from '../index/slices';
import type { Embedder } from '../ports';
import { AdaptiveLimiter, sleep as defaultSleep } from './adaptiveLimiter';
import type { EmbeddingCache } from './embeddingCache';

export interface EmbedJob {
  hash: string;
  text: string;
}

export interface EmbedRunResult {
  embedded: number;
  inputTokens: number;
  failed: Array<{ hash: string; reason: string }>;
  fatal?: BedrockDocsError;
  /** Batches queued again after a passing failure (on top of the SDK's own retries). */
  retried: number;
  /** Of those, failures that were throttling. */
  throttled: number;
}

export interface EmbedTextsOptions {
  /** Requests in flight at most. */
  concurrency: number;
  /** Requests started per second at most; undefined = as fast as the quota allows. */
  maxPerSecond?: number;
  /** Times a batch is queued again after a passing failure (default 4). */
  maxRetries?: number;
  /** Pause before the first retry of a batch (ms), doubled each time (default 1000). */
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Each vector as it lands in the cache (the Indexer links it so search sees it at once). */
  onEmbedded?: (hash: string, row: number) => void;
  /** Clock and timer (tests inject them). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const FATAL_CODES = new Set([
  'NO_CREDENTIALS',
  'SSO_EXPIRED',
  'CREDENTIALS_EXPIRED',
  'ACCESS_DENIED',
  'MODEL_NOT_FOUND',
  'MODEL_NEEDS_INFERENCE_PROFILE',
  'BAD_SETTING',
  'NETWORK',
  'BUDGET_EXCEEDED',
]);
const PASSING_CODES = new Set(['THROTTLED', 'SERVICE_UNAVAILABLE', 'TIMEOUT', 'STREAM_INTERRUPTED', 'MODEL_NOT_READY']);

/** True for errors that will fail every further call the same way. */
export function isFatalEmbeddingError(err: unknown): err is BedrockDocsError {
  return err instanceof BedrockDocsError && FATAL_CODES.has(err.code);
}

/** True for errors that a later attempt may not meet (throttling, 5xx, timeouts). */
export function isPassingEmbeddingError(err: unknown): boolean {
  return err instanceof BedrockDocsError && PASSING_CODES.has(err.code);
}

interface Batch {
  jobs: EmbedJob[];
  attempt: number;
  readyAt: number;
}

export async function embedTexts(
  jobs: readonly EmbedJob[],
  embedder: Embedder,
  cache: EmbeddingCache,
  options: EmbedTextsOptions,
): Promise<EmbedRunResult> {
  const result: EmbedRunResult = { embedded: 0, inputTokens: 0, failed: [], retried: 0, throttled: 0 };
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRetries ?? 4;
  const retryDelay = options.retryDelayMs ?? 1000;
  // An embedder that answers without I/O (a local model, a test) would otherwise keep every worker
  // in the microtask queue and the event loop blocked until the whole run ends.
  const slicer = new TimeSlicer(10);
  // De-duplicate by hash: the same text in two files is embedded once.
  const seen = new Set<string>();
  const unique: EmbedJob[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    if (!seen.has(job.hash) && !cache.has(job.hash)) unique.push(job);
    seen.add(job.hash);
    if ((i & 1023) === 1023 && slicer.due()) await slicer.pause();
  }
  seen.clear();
  const batchSize = Math.max(1, embedder.maxBatch);
  const queue: Batch[] = [];
  for (let i = 0; i < unique.length; i += batchSize) queue.push({ jobs: unique.slice(i, i + batchSize), attempt: 0, readyAt: 0 });
  queue.reverse(); // pop() from the end takes batches in order
  const retries: Batch[] = [];
  const limiter = new AdaptiveLimiter({ maxConcurrency: options.concurrency, maxPerSecond: options.maxPerSecond, now, sleep: pause });
  let done = 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const nextBatch = async (): Promise<Batch | undefined> => {
    const fresh = queue.pop();
    if (fresh) return fresh;
    retries.sort((a, b) => a.readyAt - b.readyAt);
    const retry = retries.shift();
    if (retry && retry.readyAt > now()) await pause(retry.readyAt - now(), stop.signal);
    return retry;
  };
  const fail = (batch: Batch, reason: string): void => {
    for (const job of batch.jobs) result.failed.push({ hash: job.hash, reason });
    done += batch.jobs.length;
  };
  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      if (slicer.due()) await slicer.pause();
      const batch = await nextBatch();
      if (!batch) return;
      await limiter.acquire(stop.signal);
      try {
        const { vectors, inputTokens } = await embedder.embed(
          batch.jobs.map((j) => j.text),
          'document',
          { signal: stop.signal, purpose: 'indexEmbedding' },
        );
        limiter.release('ok');
        batch.jobs.forEach((job, i) => {
          const row = cache.set(job.hash, vectors[i]!);
          options.onEmbedded?.(job.hash, row);
        });
        result.embedded += batch.jobs.length;
        result.inputTokens += inputTokens;
        done += batch.jobs.length;
      } catch (err) {
        const throttled = err instanceof BedrockDocsError && err.code === 'THROTTLED';
        limiter.release(throttled ? 'throttled' : 'error');
        if (stop.signal.aborted && (isCancellation(err) || options.signal?.aborted)) return;
        if (isFatalEmbeddingError(err)) {
          result.fatal ??= err;
          stop.abort(err);
          return;
        }
        const reason = err instanceof Error ? err.message : String(err);
        if (isPassingEmbeddingError(err) && batch.attempt < maxRetries) {
          result.retried++;
          if (throttled) result.throttled++;
          const delay = retryDelay * 2 ** batch.attempt * (0.75 + Math.random() / 2);
          retries.push({ jobs: batch.jobs, attempt: batch.attempt + 1, readyAt: now() + delay });
        } else if (
          batch.jobs.length > 1 &&
          err instanceof BedrockDocsError &&
          (err.code === 'VALIDATION' || err.code === 'CONTEXT_TOO_LONG')
        ) {
          // One bad text fails its whole batch: try the texts one by one so only it is lost.
          for (const job of batch.jobs) queue.push({ jobs: [job], attempt: batch.attempt, readyAt: 0 });
        } else {
          fail(batch, reason);
        }
      }
      options.onProgress?.(done, unique.length);
    }
  };
  try {
    const workers = Math.max(1, Math.min(options.concurrency, queue.length));
    await Promise.all(
      Array.from({ length: workers }, () =>
        worker().catch((err: unknown) => {
          if (!stop.signal.aborted) throw err;
        }),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (options.signal?.aborted) throw new BedrockDocsError('CANCELLED', 'indexing was cancelled');
  return result;
}
