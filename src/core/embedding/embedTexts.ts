/**
 * Embeds many texts with bounded concurrency, filling the cache. Throttling is retried by the SDK
 * (adaptive mode) before it reaches here; what still fails is reported per text and retried on the
 * next sync. An error that no retry can fix (no credentials, access denied, unknown model) stops the
 * run at once and is returned as `fatal`, so the caller says it once instead of once per chunk.
 */
import { BedrockDocsError, isCancellation } from '../errors';
import type { Embedder } from '../ports';
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
}

const FATAL_CODES = new Set(['NO_CREDENTIALS', 'SSO_EXPIRED', 'CREDENTIALS_EXPIRED', 'ACCESS_DENIED', 'MODEL_NOT_FOUND', 'MODEL_NEEDS_INFERENCE_PROFILE', 'BAD_SETTING', 'NETWORK']);

/** True for errors that will fail every further call the same way. */
export function isFatalEmbeddingError(err: unknown): err is BedrockDocsError {
  return err instanceof BedrockDocsError && FATAL_CODES.has(err.code);
}

export async function embedTexts(
  jobs: readonly EmbedJob[],
  embedder: Embedder,
  cache: EmbeddingCache,
  options: { concurrency: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<EmbedRunResult> {
  const result: EmbedRunResult = { embedded: 0, inputTokens: 0, failed: [] };
  // De-duplicate by hash: the same text in two files is embedded once.
  const unique = [...new Map(jobs.filter((j) => !cache.get(j.hash)).map((j) => [j.hash, j])).values()];
  const batchSize = Math.max(1, embedder.maxBatch);
  const batches: EmbedJob[][] = [];
  for (let i = 0; i < unique.length; i += batchSize) batches.push(unique.slice(i, i + batchSize));
  let next = 0;
  let done = 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const worker = async (): Promise<void> => {
    while (next < batches.length && !stop.signal.aborted) {
      const batch = batches[next++]!;
      try {
        const { vectors, inputTokens } = await embedder.embed(
          batch.map((j) => j.text),
          'document',
          { signal: stop.signal },
        );
        batch.forEach((job, i) => cache.set(job.hash, vectors[i]!));
        result.embedded += batch.length;
        result.inputTokens += inputTokens;
      } catch (err) {
        if (stop.signal.aborted && (isCancellation(err) || options.signal?.aborted)) return;
        if (isFatalEmbeddingError(err)) {
          result.fatal ??= err;
          stop.abort(err);
          return;
        }
        const reason = err instanceof Error ? err.message : String(err);
        for (const job of batch) result.failed.push({ hash: job.hash, reason });
      }
      done += batch.length;
      options.onProgress?.(done, unique.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, batches.length) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (options.signal?.aborted) throw new BedrockDocsError('CANCELLED', 'indexing was cancelled');
  return result;
}
