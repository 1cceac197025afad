/**
 * Keeps a HybridIndex in step with a document source: restores the saved snapshot, then brings it
 * up to date incrementally (only changed files are re-chunked, only unseen text is embedded), in
 * slices that yield to the event loop, with progress and cancellation.
 */
import type { Chunk, SkippedFile } from './chunk';
import { embeddingModelKey, EmbeddingCache } from './embedding/embeddingCache';
import { embedTexts } from './embedding/embedTexts';
import { BedrockDocsError, describeError, isCancellation } from './errors';
import { contentHash } from './hash';
import { HybridIndex } from './index/hybridIndex';
import type { SearchHit, SearchMode } from './index/hybridIndex';
import type { SearchFilter } from './index/searchFilter';
import type { IndexedFile, IndexSnapshot } from './index/snapshot';
import { SNAPSHOT_VERSION } from './index/snapshot';
import { chunkDocument } from './ingest/chunkDocument';
import type { ChunkOptions } from './ingest/chunkDocument';
import type { CallOptions, DocumentSource, Embedder, Logger, SnapshotStore } from './ports';

/** Bump when the chunker's output changes for the same input: snapshots are then re-chunked. */
export const CHUNKER_VERSION = 1;

const INSERT_SLICE = 100;
const MAX_EMBED_CHARS = 24_000;

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
  /** Applied to every text before it leaves the machine (local redaction). */
  outgoingText?: (text: string) => string;
}

export type SyncPhase = 'restore' | 'scan' | 'read' | 'embed' | 'save';

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
  failedEmbeddings: number;
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

/** Yields to the event loop so the extension host stays responsive between slices. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BedrockDocsError('CANCELLED', 'indexing was cancelled');
}

/** The text sent to the embedding model for a chunk: where it sits, then what it says. */
export function embeddingText(chunk: Chunk): string {
  const head = [chunk.title, ...chunk.breadcrumb.filter((b) => b !== chunk.title)].join(' > ');
  const text = head ? `${head}\n\n${chunk.text}` : chunk.text;
  return text.length > MAX_EMBED_CHARS ? text.slice(0, MAX_EMBED_CHARS) : text;
}

export class Indexer {
  readonly index: HybridIndex;
  private readonly files = new Map<string, IndexedFile>();
  private readonly cache: EmbeddingCache | undefined;
  private embedder: Embedder | undefined;
  private embeddingsOff: string | undefined;
  private readonly fingerprint: string;
  private busy: Promise<unknown> = Promise.resolve();
  private queryVectors = new Map<string, Float32Array>();

  constructor(private readonly options: IndexerOptions) {
    this.embedder = options.embedder;
    this.embeddingsOff = options.embedder ? undefined : (options.embeddingsOffReason ?? 'no embedding model configured');
    this.index = new HybridIndex({ dimensions: options.embedder?.dimensions });
    this.cache = options.embedder ? new EmbeddingCache(embeddingModelKey(options.embedder.modelId, options.embedder.dimensions), options.embedder.dimensions) : undefined;
    this.fingerprint = JSON.stringify({ v: CHUNKER_VERSION, ...options.chunking });
  }

  /** Why vectors are not used, or undefined when they are. */
  get embeddingsOffReason(): string | undefined {
    return this.embeddingsOff;
  }

  /** Files known to the index (indexed or skipped). */
  get fileCount(): number {
    return this.files.size;
  }

  /**
   * Loads the saved snapshot, if any, without any embedding call. Returns false when there was
   * none or it could not be used (then `sync` rebuilds).
   */
  async restore(options: CallOptions & { onProgress?: (p: SyncProgress) => void } = {}): Promise<boolean> {
    const store = this.options.store;
    if (!store) return false;
    let snapshot: IndexSnapshot | undefined;
    try {
      snapshot = await store.load();
    } catch (err) {
      this.options.logger.warn(`index snapshot unreadable, rebuilding: ${describeError(err)}`);
      return false;
    }
    if (!snapshot) return false;
    if (snapshot.version !== SNAPSHOT_VERSION) {
      this.options.logger.info(`index snapshot version ${snapshot.version} is not ${SNAPSHOT_VERSION}: rebuilding`);
      return false;
    }
    const loaded = this.cache?.load(snapshot.embeddings) ?? 0;
    if (snapshot.chunkingFingerprint !== this.fingerprint) {
      this.options.logger.info('chunking settings changed since the index was saved: re-chunking (embeddings of unchanged text are reused)');
      return false;
    }
    const total = snapshot.chunks.length;
    for (let i = 0; i < total; i += INSERT_SLICE) {
      throwIfAborted(options.signal);
      const slice = snapshot.chunks.slice(i, i + INSERT_SLICE);
      this.index.add(slice);
      this.attachCachedVectors(slice);
      options.onProgress?.({ phase: 'restore', done: Math.min(i + INSERT_SLICE, total), total });
      await yieldToEventLoop();
    }
    for (const file of snapshot.files) this.files.set(file.path, file);
    this.options.logger.info(`index restored: ${this.index.size} chunks from ${snapshot.files.length} files, ${loaded} cached embeddings`);
    return true;
  }

  /** Brings the index up to date with the source. Serialised: concurrent calls run one after another. */
  sync(options: CallOptions & { onProgress?: (p: SyncProgress) => void } = {}): Promise<SyncReport> {
    const run = this.busy.then(() => this.syncNow(options));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async syncNow(options: CallOptions & { onProgress?: (p: SyncProgress) => void }): Promise<SyncReport> {
    const started = Date.now();
    const { source, logger } = this.options;
    const signal = options.signal;
    options.onProgress?.({ phase: 'scan', done: 0, total: 0 });
    const listing = await source.list({ signal });
    const skipped: SkippedFile[] = [...listing.skipped];
    const listed = new Set(listing.files.map((f) => f.path));
    let removedFiles = 0;
    for (const path of [...this.files.keys()]) {
      if (listed.has(path)) continue;
      this.index.removeFile(path);
      this.files.delete(path);
      removedFiles++;
    }
    let changedFiles = 0;
    let done = 0;
    for (const file of listing.files) {
      throwIfAborted(signal);
      options.onProgress?.({ phase: 'read', done: done++, total: listing.files.length, path: file.path });
      const known = this.files.get(file.path);
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) {
        if (known.skipped) skipped.push({ path: file.path, reason: known.skipped });
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
      if (known && known.hash === hash) {
        this.files.set(file.path, { ...known, size: file.size, mtimeMs: file.mtimeMs });
        if (known.skipped) skipped.push({ path: file.path, reason: known.skipped });
        continue;
      }
      changedFiles++;
      this.index.removeFile(file.path);
      try {
        const chunks = await chunkDocument({ path: file.path, bytes }, this.options.chunking);
        for (let i = 0; i < chunks.length; i += INSERT_SLICE) {
          this.index.add(chunks.slice(i, i + INSERT_SLICE));
          await yieldToEventLoop();
        }
        this.attachCachedVectors(chunks);
        this.files.set(file.path, { path: file.path, size: file.size, mtimeMs: file.mtimeMs, hash });
      } catch (err) {
        if (isCancellation(err)) throw err;
        const reason = err instanceof BedrockDocsError ? err.message : `could not be parsed: ${describeError(err)}`;
        skipped.push({ path: file.path, reason });
        this.files.set(file.path, { path: file.path, size: file.size, mtimeMs: file.mtimeMs, hash, skipped: reason });
      }
      await yieldToEventLoop();
    }
    const embedding = await this.embedMissing({ signal, onProgress: options.onProgress });
    await this.save(options.onProgress);
    const report: SyncReport = {
      files: this.index.filePaths().length,
      chunks: this.index.size,
      changedFiles,
      removedFiles,
      skipped,
      embedded: embedding.embedded,
      embeddingInputTokens: embedding.inputTokens,
      vectors: this.index.vectorCount,
      failedEmbeddings: embedding.failed,
      embeddingsOff: this.embeddingsOff,
      durationMs: Date.now() - started,
    };
    logger.info(
      `indexed ${report.files} files, ${report.chunks} chunks (${changedFiles} changed, ${removedFiles} removed, ${skipped.length} skipped), ` +
        `${report.embedded} embedded, ${report.vectors} vectors, ${report.durationMs} ms`,
    );
    return report;
  }

  private attachCachedVectors(chunks: readonly Chunk[]): void {
    if (!this.cache) return;
    for (const chunk of chunks) {
      const vector = this.cache.get(contentHash(this.outgoing(embeddingText(chunk))));
      if (vector) this.index.setVector(chunk.id, vector);
    }
  }

  private outgoing(text: string): string {
    return this.options.outgoingText ? this.options.outgoingText(text) : text;
  }

  private async embedMissing(options: CallOptions & { onProgress?: (p: SyncProgress) => void }): Promise<{ embedded: number; inputTokens: number; failed: number }> {
    const embedder = this.embedder;
    const cache = this.cache;
    if (!embedder || !cache) return { embedded: 0, inputTokens: 0, failed: 0 };
    const jobs: Array<{ hash: string; text: string; chunkId: string }> = [];
    for (const path of this.index.filePaths()) {
      for (const chunk of this.index.chunksOf(path)) {
        if (this.index.hasVector(chunk.id)) continue;
        const text = this.outgoing(embeddingText(chunk));
        jobs.push({ hash: contentHash(text), text, chunkId: chunk.id });
      }
    }
    if (jobs.length === 0) return { embedded: 0, inputTokens: 0, failed: 0 };
    const result = await embedTexts(jobs, embedder, cache, {
      concurrency: this.options.embedConcurrency ?? 4,
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.({ phase: 'embed', done, total }),
    });
    for (const job of jobs) {
      const vector = cache.get(job.hash);
      if (vector) this.index.setVector(job.chunkId, vector);
    }
    if (result.fatal) {
      this.embedder = undefined;
      this.embeddingsOff = describeError(result.fatal);
      this.options.logger.warn(`embeddings are off for this session, the index is full-text only: ${this.embeddingsOff}`);
    }
    if (result.failed.length > 0) {
      this.options.logger.warn(`${result.failed.length} chunks could not be embedded (retried on the next index run): ${result.failed[0]!.reason}`);
    }
    return { embedded: result.embedded, inputTokens: result.inputTokens, failed: result.failed.length };
  }

  private async save(onProgress?: (p: SyncProgress) => void): Promise<void> {
    const store = this.options.store;
    if (!store) return;
    onProgress?.({ phase: 'save', done: 0, total: 1 });
    const chunks: Chunk[] = [];
    for (const path of this.index.filePaths()) chunks.push(...this.index.chunksOf(path));
    if (this.cache) {
      const used = new Set(chunks.map((c) => contentHash(this.outgoing(embeddingText(c)))));
      this.cache.prune(used);
    }
    await store.save({
      version: SNAPSHOT_VERSION,
      chunkingFingerprint: this.fingerprint,
      savedAt: Date.now(),
      files: [...this.files.values()],
      chunks,
      embeddings: this.cache?.toTable(),
    });
    onProgress?.({ phase: 'save', done: 1, total: 1 });
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
          const text = this.outgoing(query);
          const { vectors } = await this.embedder.embed([text], 'query', { signal: options.signal });
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
    return this.index.search({ text: query, mode: options.mode, k: options.k, filter: options.filter, queryVector, scoreThreshold: options.scoreThreshold });
  }
}
