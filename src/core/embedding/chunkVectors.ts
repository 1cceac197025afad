/**
 * Which chunks of the index still need a vector, and getting them: a chunk whose embedding text
 * (after the outgoing transform) is in the cache is linked to the cached row at once; the others
 * wait for `embedPending`, which embeds each distinct text once and links it the moment it lands,
 * so search sees vectors while the run goes on. What could not be embedded stays pending for the
 * next sync.
 */
import type { Chunk } from '../chunk';
import { contentHash } from '../hash';
import type { HybridIndex } from '../index/hybridIndex';
import type { EmbeddingTable, IndexSnapshot } from '../index/snapshot';
import type { TimeSlicer } from '../index/slices';
import type { Embedder } from '../ports';
import type { EmbeddingCache } from './embeddingCache';
import { embedTexts } from './embedTexts';
import type { EmbedRunResult, EmbedTextsOptions } from './embedTexts';

/** What an embedding pass did; `failed` counts chunks (several may share one text). */
export interface PendingRun {
  embedded: number;
  inputTokens: number;
  failed: number;
  retries: number;
  throttled: number;
  fatal?: EmbedRunResult['fatal'];
  firstFailure?: string;
}

export class ChunkVectors {
  private readonly pending = new Set<string>();

  /** @param textOf the text embedded for a chunk, as it leaves the machine */
  constructor(
    private readonly index: HybridIndex,
    private readonly cache: EmbeddingCache,
    private readonly textOf: (chunk: Chunk) => string,
  ) {}

  /** Chunks waiting for a vector. */
  get size(): number {
    return this.pending.size;
  }

  /** Links cached vectors to chunks just added; the others wait for `embedPending`. */
  attach(chunks: readonly Chunk[]): void {
    for (const chunk of chunks) this.attachOne(chunk, contentHash(this.textOf(chunk)));
  }

  /** Forgets the chunks of a file that is about to be removed from the index. */
  forget(path: string): void {
    for (const id of this.index.chunkIdsOf(path)) this.pending.delete(id);
  }

  /**
   * After a restore: links each chunk to its saved row (`rowOf[i]` for chunk i, -1 = none), or,
   * without saved rows, to the cached vector of its text's hash.
   */
  async relink(chunks: readonly Chunk[], rowOf: Int32Array | undefined, slicer: TimeSlicer): Promise<void> {
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      if (rowOf) {
        const row = rowOf[i]!;
        if (row >= 0) this.index.linkVector(chunk.id, row);
        else this.pending.add(chunk.id);
      } else {
        this.attachOne(chunk, contentHash(this.textOf(chunk)));
      }
      if ((i & 255) === 255 && slicer.due()) await slicer.pause();
    }
  }

  /** Embeds every pending chunk's text (each distinct text once) and links the vectors. */
  async embedPending(embedder: Embedder, slicer: TimeSlicer, options: Omit<EmbedTextsOptions, 'onEmbedded'>): Promise<PendingRun> {
    const none: PendingRun = { embedded: 0, inputTokens: 0, failed: 0, retries: 0, throttled: 0 };
    if (this.pending.size === 0) return none;
    const jobs: Array<{ hash: string; text: string }> = [];
    const waiting = new Map<string, string[]>();
    let i = 0;
    for (const id of [...this.pending]) {
      if ((++i & 63) === 0 && slicer.due()) await slicer.pause();
      const chunk = this.index.getChunk(id);
      if (!chunk) {
        this.pending.delete(id);
        continue;
      }
      const text = this.textOf(chunk);
      const hash = contentHash(text);
      if (this.attachOne(chunk, hash)) continue;
      const ids = waiting.get(hash);
      if (ids) ids.push(id);
      else {
        waiting.set(hash, [id]);
        jobs.push({ hash, text });
      }
    }
    if (jobs.length === 0) return none;
    const result = await embedTexts(jobs, embedder, this.cache, {
      ...options,
      onEmbedded: (hash, row) => {
        for (const id of waiting.get(hash) ?? []) {
          if (this.pending.delete(id) && this.index.getChunk(id)) this.index.linkVector(id, row);
        }
      },
    });
    return {
      embedded: result.embedded,
      inputTokens: result.inputTokens,
      failed: result.failed.reduce((n, f) => n + (waiting.get(f.hash)?.length ?? 1), 0),
      retries: result.retried,
      throttled: result.throttled,
      fatal: result.fatal,
      firstFailure: result.failed[0]?.reason,
    };
  }

  /** The cache as a snapshot table, and for each of `chunks` the table index of its vector (-1: none). */
  async snapshotTable(chunks: readonly Chunk[], slicer: TimeSlicer): Promise<{ table: EmbeddingTable; chunkVectors: Int32Array }> {
    const { table, indexOfRow } = await this.cache.toTable(slicer);
    const chunkVectors = new Int32Array(chunks.length);
    for (let i = 0; i < chunks.length; i++) {
      const row = this.index.vectorRowOf(chunks[i]!.id);
      chunkVectors[i] = row !== undefined && row < indexOfRow.length ? indexOfRow[row]! : -1;
      if ((i & 1023) === 1023 && slicer.due()) await slicer.pause();
    }
    return { table, chunkVectors };
  }

  /**
   * After a restore: links the snapshot's chunks to the rows `rowOfIndex` gave its table. The saved
   * rows are trusted only when the text was sent out the same way (`outgoingTextKey`); otherwise,
   * or without them, vectors are found by hashing the text again.
   */
  async relinkSnapshot(
    snapshot: IndexSnapshot,
    rowOfIndex: Int32Array | undefined,
    outgoingTextKey: string | undefined,
    slicer: TimeSlicer,
  ): Promise<void> {
    const { chunks, chunkVectors } = snapshot;
    let rowOf: Int32Array | undefined;
    if (rowOfIndex && chunkVectors && chunkVectors.length === chunks.length && snapshot.embeddingTextKey === outgoingTextKey) {
      rowOf = new Int32Array(chunks.length);
      for (let i = 0; i < chunks.length; i++) {
        const at = chunkVectors[i]!;
        rowOf[i] = at >= 0 && at < rowOfIndex.length ? rowOfIndex[at]! : -1;
      }
    }
    await this.relink(chunks, rowOf, slicer);
  }

  // True when a cached vector was linked; else the chunk waits.
  private attachOne(chunk: Chunk, hash: string): boolean {
    const row = this.cache.rowOf(hash);
    if (row === undefined) {
      this.pending.add(chunk.id);
      return false;
    }
    this.index.linkVector(chunk.id, row);
    this.pending.delete(chunk.id);
    return true;
  }
}
