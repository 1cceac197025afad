/**
 * Keeps a HybridIndex in step with a document source: restores the saved snapshot (no text
 * analysis, no hashing, no embedding call), then brings it up to date incrementally (only changed
 * files are re-chunked, only unseen text is embedded), in slices that yield to the event loop, with
 * progress and cancellation. Search works between slices, on whatever is indexed so far.
 */
import type { BlurbEstimate, ContextualBlurbs } from './ingest/contextualBlurbs';
import type { Chunk, SkippedFile } from './chunk';
import { ChunkVectors } from './embedding/chunkVectors';
import { embeddingModelKey, EmbeddingCache } from './embedding/embeddingCache';
import { BedrockDocsError, describeError, isCancellation } from './errors';
import { contentHash } from './hash';
import { HybridIndex } from './index/hybridIndex';
import type { SearchHit, SearchMode } from './index/hybridIndex';
import type { SearchFilter } from './index/searchFilter';
import { throwIfAborted, TimeSlicer, yieldToEventLoop } from './index/slices';
import type { IndexedFile, IndexSnapshot } from './index/snapshot';
import { SNAPSHOT_VERSION } from './index/snapshot';
import { chunkDocument } from './ingest/chunkDocument';
import type { ChunkOptions, DocumentInput } from './ingest/chunkDocument';
import type { CallOptions, DocumentSource, Embedder, Logger, SnapshotStore } from './ports';

export { yieldToEventLoop } from './index/slices';

/** Bump when the chunker's output changes for the same input: snapshots are then re-chunked. */
export const CHUNKER_VERSION = 1;

const INSERT_SLICE = 100;
const MAX_EMBED_CHARS = 24_000;

/**
 * What the cached vectors' hashes are taken over: the chunk's local text (redaction happens in the
 * metered embedder, on the way out). Snapshots saved under another key have their hashes re-taken.
 */
const EMBEDDING_TEXT_KEY = 'local-text-v2';

export interface IndexerOptions {
  source: DocumentSource;
  chunking: ChunkOptions;
  logger: Logger;
  store?: SnapshotStore;
  /** Undefined: full-text only. */
  embedder?: Embedder;
  /** Why there is no embedder, said once in the report (e.g. the setting is off). */
  embeddingsOffReason?: string;
  embedConcurrency?: number;
  /** Embedding requests started per second at most; undefined = as fast as the quota allows. */
  embedRatePerSecond?: number;
  /** Reciprocal-rank-fusion weights of the full-text and vector lists in hybrid search (default 1 and 1). */
  fusionWeights?: { text: number; vector: number };
  /** Parses and chunks one document (default: chunkDocument in this thread; the extension uses a worker). */
  chunker?: (input: DocumentInput, options: ChunkOptions) => Promise<Chunk[]>;
  /**
   * Contextual retrieval: model-written blurbs for the chunks of changed files, before embedding.
   * `confirm` sees the cost estimate first and may decline (the run then indexes without them).
   */
  blurbs?: { writer: ContextualBlurbs; confirm?: (estimate: BlurbEstimate) => Promise<boolean> };
  /** Cached vectors no chunk uses that are kept for an undo or a move back (default 2000). */
  spareEmbeddings?: number;
}

export type SyncPhase = 'restore' | 'scan' | 'read' | 'context' | 'embed' | 'save';

export interface SyncProgress {
  phase: SyncPhase;
  done: number;
  total: number;
  path?: string;
}

export interface SyncReport {
  files: number;
  chunks: number;
  changedFiles: number;
  removedFiles: number;
  skipped: SkippedFile[];
  embedded: number;
  embeddingInputTokens: number;
  vectors: number;
  /** Chunks left without a vector this run (retried on the next sync). */
  failedEmbeddings: number;
  /** Embedding batches queued again after throttling or a passing error (then embedded or failed). */
  embeddingRetries?: number;
  /** Contextual blurbs written this run (and reused from cache, and failed), when they are on. */
  contextBlurbs?: { generated: number; reused: number; failed: number; inputTokens: number; outputTokens: number };
  /** Set when the index is full-text only, with the reason and the fix. */
  embeddingsOff?: string;
  durationMs: number;
}

export interface RetrieveOptions extends CallOptions {
  k: number;
  mode: SearchMode;
  filter?: SearchFilter;
  scoreThreshold?: number;
}

type Progress = CallOptions & { onProgress?: (p: SyncProgress) => void };

/** The text sent to the embedding model for a chunk: where it sits, then what it says. */
export function embeddingText(chunk: Chunk): string {
  const head = [chunk.title, ...chunk.breadcrumb.filter((b) => b !== chunk.title)].join(' > ');
  const body = chunk.context ? `${chunk.context}\n\n${chunk.text}` : chunk.text;
  const text = head ? `${head}\n\n${body}` : body;
  return text.length > MAX_EMBED_CHARS ? text.slice(0, MAX_EMBED_CHARS) : text;
}

export class Indexer {
  readonly index: HybridIndex;
  private readonly files = new Map<string, IndexedFile>();
  private readonly cache: EmbeddingCache | undefined;
  /** Chunks that still need a vector (only tracked while there is an embedder). */
  private readonly vectors: ChunkVectors | undefined;
  private embedder: Embedder | undefined;
  private embeddingsOff: string | undefined;
  private readonly fingerprint: string;
  private busy: Promise<unknown> = Promise.resolve();
  // Whether the index differs from the saved snapshot: a sync that changed nothing skips the save.
  private dirty = true;
  private queryVectors = new Map<string, Float32Array>();

  constructor(private options: IndexerOptions) {
    this.embedder = options.embedder;
    this.embeddingsOff = options.embedder ? undefined : (options.embeddingsOffReason ?? 'no embedding model configured');
    this.index = new HybridIndex({ dimensions: options.embedder?.dimensions });
    const rows = this.index.vectorRows;
    this.cache =
      options.embedder && rows
        ? new EmbeddingCache(embeddingModelKey(options.embedder.modelId, options.embedder.dimensions), options.embedder.dimensions, rows)
        : undefined;
    this.vectors = this.cache ? new ChunkVectors(this.index, this.cache, (chunk) => embeddingText(chunk)) : undefined;
    // Turning blurbs on (or changing their model) changes every chunk's indexed text: re-chunk.
    this.fingerprint = JSON.stringify({
      v: CHUNKER_VERSION,
      ...options.chunking,
      ...(options.blurbs ? { blurbs: options.blurbs.writer.modelId } : {}),
    });
  }

  /** Why vectors are not used, or undefined when they are. */
  get embeddingsOffReason(): string | undefined {
    return this.embeddingsOff;
  }

  /** Files known to the index (indexed or skipped). */
  get fileCount(): number {
    return this.files.size;
  }

  /** Chunks waiting for a vector (failed or not embedded yet); the next sync embeds them. */
  get pendingEmbeddings(): number {
    return this.vectors?.size ?? 0;
  }

  /**
   * Loads the saved snapshot, if any, without any embedding call. Returns false when there was
   * none or it could not be used (then `sync` rebuilds, reusing the cached embeddings it could read).
   */
  restore(options: Progress = {}): Promise<boolean> {
    const run = this.busy.then(() => this.restoreNow(options));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async restoreNow(options: Progress): Promise<boolean> {
    const { store, logger } = this.options;
    if (!store) return false;
    const slicer = new TimeSlicer(undefined, options.signal);
    let snapshot: IndexSnapshot | undefined;
    try {
      snapshot = await store.load();
    } catch (err) {
      logger.warn(`index snapshot unreadable, rebuilding: ${describeError(err)}`);
      return false;
    }
    if (!snapshot) return false;
    // Cached embeddings outlive any other change: a rebuild still reuses them.
    const rowOfIndex = this.cache ? await this.cache.load(snapshot.embeddings, slicer) : undefined;
    if (snapshot.version !== SNAPSHOT_VERSION) {
      logger.info(
        `index snapshot version ${snapshot.version} is not ${SNAPSHOT_VERSION}: rebuilding (${rowOfIndex?.length ?? 0} cached embeddings kept)`,
      );
      return false;
    }
    if (snapshot.chunkingFingerprint !== this.fingerprint) {
      logger.info('chunking settings changed since the index was saved: re-chunking (embeddings of unchanged text are reused)');
      return false;
    }
    if (this.index.size > 0) {
      logger.debug('index already holds chunks: the snapshot is not restored over them');
      return false;
    }
    const { chunks } = snapshot;
    const total = chunks.length;
    const { textLoaded } = await this.index.restore(chunks, snapshot.textIndex, slicer, (done) =>
      options.onProgress?.({ phase: 'restore', done, total }),
    );
    if (!textLoaded) logger.info('the saved text index was missing or stale: re-analysed the chunks');
    await this.vectors?.relinkSnapshot(snapshot, rowOfIndex, EMBEDDING_TEXT_KEY, slicer);
    for (const file of snapshot.files) this.files.set(file.path, file);
    this.dirty = false;
    options.onProgress?.({ phase: 'restore', done: total, total });
    logger.info(
      `index restored: ${this.index.size} chunks from ${snapshot.files.length} files, ${this.index.vectorCount} with vectors, ${this.cache?.size ?? 0} cached embeddings`,
    );
    return true;
  }

  /** Brings the index up to date with the source. Serialised: concurrent calls run one after another. */
  sync(options: Progress = {}): Promise<SyncReport> {
    const run = this.busy.then(() => this.syncNow(options));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async syncNow(options: Progress): Promise<SyncReport> {
    const started = Date.now();
    const { source, logger } = this.options;
    const signal = options.signal;
    const slicer = new TimeSlicer(undefined, signal);
    options.onProgress?.({ phase: 'scan', done: 0, total: 0 });
    const listing = await source.list({ signal });
    const skipped: SkippedFile[] = [...listing.skipped];
    const listed = new Set(listing.files.map((f) => f.path));
    let removedFiles = 0;
    for (const path of [...this.files.keys()]) {
      if (listed.has(path)) continue;
      this.removeFile(path);
      this.files.delete(path);
      removedFiles++;
      this.dirty = true;
      await slicer.tick();
    }
    let changedFiles = 0;
    const changedPaths: string[] = [];
    let done = 0;
    for (const file of listing.files) {
      throwIfAborted(signal);
      options.onProgress?.({ phase: 'read', done: done++, total: listing.files.length, path: file.path });
      const known = this.files.get(file.path);
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) {
        if (known.skipped) skipped.push({ path: file.path, reason: known.skipped });
        await slicer.tick();
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await source.read(file.path, { signal });
      } catch (err) {
        if (isCancellation(err)) throw err;
        skipped.push({ path: file.path, reason: `unreadable: ${describeError(err)}` });
        continue;
      }
      const hash = contentHash(bytes);
      this.dirty = true;
      if (known && known.hash === hash) {
        this.files.set(file.path, { ...known, size: file.size, mtimeMs: file.mtimeMs });
        if (known.skipped) skipped.push({ path: file.path, reason: known.skipped });
        continue;
      }
      changedFiles++;
      this.removeFile(file.path);
      try {
        const chunks = await (this.options.chunker ?? chunkDocument)({ path: file.path, bytes }, { ...this.options.chunking, signal });
        for (let i = 0; i < chunks.length; i += INSERT_SLICE) {
          const slice = chunks.slice(i, i + INSERT_SLICE);
          this.index.add(slice);
          this.vectors?.attach(slice);
          await yieldToEventLoop();
        }
        this.files.set(file.path, { path: file.path, size: file.size, mtimeMs: file.mtimeMs, hash });
        changedPaths.push(file.path);
      } catch (err) {
        if (isCancellation(err)) throw err;
        const reason = err instanceof BedrockDocsError ? err.message : `could not be parsed: ${describeError(err)}`;
        skipped.push({ path: file.path, reason });
        this.files.set(file.path, { path: file.path, size: file.size, mtimeMs: file.mtimeMs, hash, skipped: reason });
      }
      await yieldToEventLoop();
    }
    const contextBlurbs = await this.writeBlurbs(changedPaths, options);
    let embedding: { embedded: number; inputTokens: number; failed: number; retries: number };
    try {
      embedding = await this.embedMissing(options, slicer);
    } catch (err) {
      // Vectors paid for before the cancel are kept: save them, then report the cancel.
      if (isCancellation(err))
        await this.save().catch((e: unknown) => logger.warn(`could not save the index after a cancel: ${describeError(e)}`));
      throw err;
    }
    if (embedding.embedded > 0) this.dirty = true;
    if (this.dirty) await this.save(options.onProgress);
    const report: SyncReport = {
      files: this.index.fileCount,
      chunks: this.index.size,
      changedFiles,
      removedFiles,
      skipped,
      embedded: embedding.embedded,
      embeddingInputTokens: embedding.inputTokens,
      vectors: this.index.vectorCount,
      failedEmbeddings: embedding.failed,
      embeddingRetries: embedding.retries,
      ...(contextBlurbs ? { contextBlurbs } : {}),
      embeddingsOff: this.embeddingsOff,
      durationMs: Date.now() - started,
    };
    logger.info(
      `indexed ${report.files} files, ${report.chunks} chunks (${changedFiles} changed, ${removedFiles} removed, ${skipped.length} skipped), ` +
        `${report.embedded} embedded, ${report.vectors} vectors, ${report.durationMs} ms`,
    );
    return report;
  }

  private removeFile(path: string): void {
    this.vectors?.forget(path);
    this.index.removeFile(path);
  }

  /** Writes contextual blurbs for the chunks of changed files and re-indexes those chunks with them. */
  private async writeBlurbs(paths: readonly string[], options: Progress): Promise<SyncReport['contextBlurbs']> {
    const blurbs = this.options.blurbs;
    if (!blurbs || paths.length === 0) return undefined;
    const files = paths.map((path) => ({ path, chunks: this.index.chunksOf(path) }));
    const estimate = blurbs.writer.estimate(files);
    if (estimate.calls > 0 && blurbs.confirm && !(await blurbs.confirm(estimate))) {
      this.options.logger.info(
        `contextual blurbs declined (${estimate.calls} calls, ${estimate.usd === null ? 'cost unknown' : `about $${estimate.usd.toFixed(2)}`})`,
      );
      return undefined;
    }
    const { chunks, report } = await blurbs.writer.contextualize(files, {
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.({ phase: 'context', done, total }),
    });
    const withContext = chunks.filter((c) => c.context);
    for (let i = 0; i < withContext.length; i += INSERT_SLICE) {
      const slice = withContext.slice(i, i + INSERT_SLICE);
      this.index.add(slice);
      this.vectors?.attach(slice);
      await yieldToEventLoop();
    }
    if (report.fatal) this.options.logger.warn(`contextual blurbs stopped: ${describeError(report.fatal)}`);
    if (report.failed) this.options.logger.warn(`${report.failed} contextual blurbs failed; they are retried on the next index run`);
    return {
      generated: report.generated,
      reused: report.reused,
      failed: report.failed,
      inputTokens: report.usage.inputTokens + report.usage.cacheReadInputTokens + report.usage.cacheWriteInputTokens,
      outputTokens: report.usage.outputTokens,
    };
  }

  private async embedMissing(
    options: Progress,
    slicer: TimeSlicer,
  ): Promise<{ embedded: number; inputTokens: number; failed: number; retries: number }> {
    const embedder = this.embedder;
    if (!embedder || !this.vectors) return { embedded: 0, inputTokens: 0, failed: 0, retries: 0 };
    const run = await this.vectors.embedPending(embedder, slicer, {
      concurrency: this.options.embedConcurrency ?? 4,
      maxPerSecond: this.options.embedRatePerSecond,
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.({ phase: 'embed', done, total }),
    });
    const { logger } = this.options;
    if (run.fatal) {
      this.embedder = undefined;
      this.embeddingsOff = describeError(run.fatal);
      logger.warn(`embeddings are off for this session, the index is full-text only: ${this.embeddingsOff}`);
    }
    if (run.failed > 0) logger.warn(`${run.failed} chunks could not be embedded (retried on the next index run): ${run.firstFailure}`);
    if (run.retries > 0)
      logger.info(`embedding: ${run.retries} batches retried after throttling or a passing error (${run.throttled} throttled)`);
    return run;
  }

  // Not cancellable: it is short, and a snapshot half-written helps nobody (the manifest is replaced last).
  private async save(onProgress?: (p: SyncProgress) => void): Promise<void> {
    const store = this.options.store;
    if (!store) return;
    onProgress?.({ phase: 'save', done: 0, total: 1 });
    const slicer = new TimeSlicer();
    if (this.cache) await this.cache.prune(this.options.spareEmbeddings ?? 2000, slicer);
    const { chunks, text } = await this.index.exportState(slicer);
    const vectors = this.cache && this.vectors ? await this.vectors.snapshotTable(chunks, slicer) : undefined;
    await store.save({
      version: SNAPSHOT_VERSION,
      chunkingFingerprint: this.fingerprint,
      savedAt: Date.now(),
      files: [...this.files.values()],
      chunks,
      embeddings: vectors?.table,
      chunkVectors: vectors?.chunkVectors,
      embeddingTextKey: EMBEDDING_TEXT_KEY,
      textIndex: text,
    });
    this.dirty = false;
    onProgress?.({ phase: 'save', done: 1, total: 1 });
  }

  /** Search and embedding knobs that need no rebuild (fusion weights, embedding pace). */
  setTuning(tuning: Pick<IndexerOptions, 'fusionWeights' | 'embedConcurrency' | 'embedRatePerSecond'>): void {
    this.options = { ...this.options, ...tuning };
  }

  /**
   * The best chunks for a query. Vector and hybrid modes embed the query (cached); when that is
   * impossible they fall back to full-text and say so in the log once.
   */
  async retrieve(query: string, options: RetrieveOptions): Promise<SearchHit[]> {
    let queryVector: Float32Array | undefined;
    if (options.mode !== 'fulltext' && this.embedder && this.index.vectorCount > 0 && query.trim() !== '') {
      queryVector = this.queryVectors.get(query);
      if (!queryVector) {
        try {
          const { vectors } = await this.embedder.embed([query], 'query', {
            signal: options.signal,
            tally: options.tally,
            purpose: 'queryEmbedding',
          });
          queryVector = vectors[0];
          if (queryVector) {
            if (this.queryVectors.size > 200) this.queryVectors = new Map();
            this.queryVectors.set(query, queryVector);
          }
        } catch (err) {
          if (isCancellation(err)) throw err;
          this.options.logger.warn(`query embedding failed, using full-text search: ${describeError(err)}`);
        }
      }
    }
    const weights = this.options.fusionWeights;
    return this.index.search({
      text: query,
      mode: options.mode,
      k: options.k,
      filter: options.filter,
      queryVector,
      scoreThreshold: options.scoreThreshold,
      ...(weights ? { textWeight: weights.text, vectorWeight: weights.vector } : {}),
    });
  }
}
