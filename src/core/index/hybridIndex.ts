/**
 * The hybrid index: Orama holds the chunks and resolves metadata filters; its full-text side is our
 * BM25F engine (plugged in as an Orama index component); vectors live beside it in a VectorStore;
 * hybrid results are fused by reciprocal rank. `add`/`remove` are synchronous and cheap per call:
 * callers insert in slices and yield between them (Orama's insert blocks the event loop); the
 * snapshot methods (`exportState`, `restore`) slice themselves.
 */
import { create, getByID, insert, remove, search as oramaSearch } from '@orama/orama';
import type { AnyOrama } from '@orama/orama';
import type { Chunk } from '../chunk';
import { BedrockDocsError } from '../errors';
import { createTextIndexComponent, TEXT_PROPERTY, textFieldsOf } from './oramaTextComponent';
import type { TextSide } from './oramaTextComponent';
import type { SearchFilter } from './searchFilter';
import { fileEntry, sharedList, sharedString } from './fileEntry';
import type { FileEntry } from './fileEntry';
import { documentCount, documentIdOf, idsWhere, internalIdOf } from './oramaInternals';
import { oramaWhere } from './oramaWhere';
import { rankHits } from './rankHits';
import type { TimeSlicer } from './slices';
import type { Bm25fParams } from './textEngine';
import { TextEngine } from './textEngine';
import type { TextIndexState } from './textIndexState';
import { exportTextIndex, loadTextIndex } from './textIndexState';
import type { VectorRows } from './vectorRows';
import { VectorStore } from './vectorStore';

export type SearchMode = 'fulltext' | 'vector' | 'hybrid';

export interface SearchRequest {
  /** The query text, filters already parsed out. */
  text: string;
  mode: SearchMode;
  k: number;
  filter?: SearchFilter;
  /** The query's embedding; without it, vector mode returns nothing and hybrid is full-text. */
  queryVector?: Float32Array;
  /** Drop hits below this fraction of the best score (0 keeps all). */
  scoreThreshold?: number;
  /** RRF weights of the two lists in hybrid mode. */
  textWeight?: number;
  vectorWeight?: number;
  /** Vector candidates re-scored exactly after the SimHash pre-scan (default: the index's). */
  vectorRescore?: number;
}

export interface SearchHit {
  chunk: Chunk;
  /** BM25F (full-text), cosine (vector) or RRF (hybrid): comparable within one result list. */
  score: number;
  textRank?: number;
  vectorRank?: number;
}

export interface HybridIndexOptions {
  /** Vector size; undefined = no vectors (full-text only). */
  dimensions?: number;
  text?: Partial<Bm25fParams>;
  /** Candidates taken from each side before fusion or filtering by threshold. */
  candidates?: number;
  /** Score factor for changelogs and release notes, which match many questions but rarely answer them. */
  changelogFactor?: number;
  /** Vector candidates re-scored exactly after the SimHash pre-scan (default DEFAULT_RESCORE). */
  vectorRescore?: number;
}

// Stored Orama document: the chunk plus the folders it sits in (for prefix filters).
type StoredChunk = Chunk & { dirs: string[] };

const SCHEMA = { [TEXT_PROPERTY]: 'string', path: 'enum', fileType: 'enum', dirs: 'enum[]' } as const;
// Moved to rankHits.ts with the rest of the result shaping; importers from here keep working.
export { isChangelogPath } from './rankHits';

export class HybridIndex {
  readonly dimensions: number | undefined;
  private readonly engine: TextEngine;
  private readonly vectors: VectorStore | undefined;
  private readonly db: AnyOrama;
  private readonly files = new Map<string, FileEntry>();
  private readonly pending = new Map<string, StoredChunk>();
  private readonly candidates: number;
  private readonly changelogFactor: number;
  private readonly rescore: number | undefined;
  // While a restore inserts documents whose text index is loaded from the snapshot.
  private textMuted = false;

  constructor(options: HybridIndexOptions = {}) {
    this.dimensions = options.dimensions;
    this.candidates = options.candidates ?? 100;
    this.changelogFactor = options.changelogFactor ?? 0.5;
    this.rescore = options.vectorRescore;
    this.engine = new TextEngine(options.text);
    this.vectors = options.dimensions ? new VectorStore(options.dimensions) : undefined;
    const engine = this.engine;
    const text: TextSide = {
      add: (docId, fields) => {
        if (!this.textMuted) engine.add(docId, fields);
      },
      remove: (docId, fields) => engine.remove(docId, fields),
      search: (query, k, allowed) => engine.search(query, k, allowed),
    };
    const component = createTextIndexComponent(text, (id) => this.pending.get(id) ?? this.stored(id), 400);
    this.db = create({ schema: SCHEMA, sort: { enabled: false }, components: { index: component } }) as AnyOrama;
  }

  /** Chunks indexed. */
  get size(): number {
    return documentCount(this.db);
  }

  /** Chunks that have a vector. */
  get vectorCount(): number {
    return this.vectors?.size ?? 0;
  }

  /** The vector rows, to share with an EmbeddingCache (undefined without vectors). */
  get vectorRows(): VectorRows | undefined {
    return this.vectors?.rows;
  }

  /** Relative paths of the indexed files. */
  filePaths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Number of indexed files. */
  get fileCount(): number {
    return this.files.size;
  }

  /** The chunks of one file, in order. */
  chunksOf(path: string): Chunk[] {
    return this.storedOf(path).map(toChunk);
  }

  /** Ids of the chunks of one file (unordered). */
  chunkIdsOf(path: string): string[] {
    return [...(this.files.get(path)?.ids ?? [])];
  }

  getChunk(id: string): Chunk | undefined {
    const doc = this.stored(id);
    return doc ? toChunk(doc) : undefined;
  }

  /** Inserts chunks (replacing chunks with the same id). Synchronous: pass slices of ~100-250. */
  add(chunks: readonly Chunk[]): void {
    for (const chunk of chunks) this.insertChunk(chunk);
  }

  /** Attaches an L2-normalised vector to a chunk. */
  setVector(chunkId: string, vector: Float32Array): void {
    this.requireVectors().set(this.requireDoc(chunkId), vector);
  }

  /** Points a chunk at a row of `vectorRows` (an embedding-cache entry): no copy. */
  linkVector(chunkId: string, row: number): void {
    this.requireVectors().link(this.requireDoc(chunkId), row);
  }

  /** The row of a chunk's vector in `vectorRows`, if it has one. */
  vectorRowOf(chunkId: string): number | undefined {
    const internal = this.internalId(chunkId);
    return internal === undefined ? undefined : this.vectors?.rowOf(internal);
  }

  hasVector(chunkId: string): boolean {
    const internal = this.internalId(chunkId);
    return internal !== undefined && !!this.vectors?.has(internal);
  }

  /** The stored vector of a chunk, if any (a copy, decoded from float16). */
  getVector(chunkId: string): Float32Array | undefined {
    const internal = this.internalId(chunkId);
    return internal === undefined ? undefined : this.vectors?.get(internal);
  }

  /** Removes every chunk of a file; returns how many. */
  removeFile(path: string): number {
    const entry = this.files.get(path);
    if (!entry) return 0;
    const count = entry.ids.size;
    for (const id of [...entry.ids]) this.removeChunk(id);
    return count;
  }

  removeChunk(id: string): void {
    const doc = this.stored(id);
    if (!doc) return;
    const internal = this.internalId(id);
    remove(this.db, id);
    if (internal !== undefined) this.vectors?.delete(internal);
    const entry = this.files.get(doc.path);
    entry?.ids.delete(id);
    if (entry && entry.ids.size === 0) this.files.delete(doc.path);
  }

  /**
   * Every chunk in a stable order (files by path, chunks by line) with the text engine exported in
   * that order. The index must not change until the promise settles.
   */
  async exportState(slicer: TimeSlicer): Promise<{ chunks: Chunk[]; docIds: Int32Array; text: TextIndexState }> {
    const chunks: Chunk[] = [];
    const ids: number[] = [];
    for (const path of this.filePaths()) {
      for (const doc of this.storedOf(path)) {
        chunks.push(toChunk(doc));
        ids.push(this.internalId(doc.id)!);
      }
      if (slicer.due()) await slicer.pause();
    }
    const docIds = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) docIds[i] = ids[i]!;
    return { chunks, docIds, text: await exportTextIndex(this.engine, docIds, slicer) };
  }

  /**
   * Fills an empty index from a snapshot, in slices: the chunks go into Orama without analysis,
   * then the text engine is loaded from `text`; when it is missing or unusable the chunks are
   * analysed again. Returns each chunk's internal id and whether `text` was used. The chunk objects
   * become the stored documents (fewer allocations on a 100k restore): the caller must drop them.
   */
  async restore(
    chunks: readonly Chunk[],
    text: TextIndexState | undefined,
    slicer: TimeSlicer,
    onProgress?: (done: number) => void,
  ): Promise<{ docIds: Int32Array; textLoaded: boolean }> {
    if (this.size > 0) throw new BedrockDocsError('BAD_INPUT', 'restore needs an empty index');
    this.textMuted = true;
    try {
      for (let i = 0; i < chunks.length; i++) {
        this.insertChunk(chunks[i]!, true);
        if ((i & 63) === 63 && slicer.due()) {
          onProgress?.(i + 1);
          await slicer.pause();
        }
      }
    } finally {
      this.textMuted = false;
    }
    // A plain loop: Int32Array.from with a mapping function is ~10x slower.
    const docIds = new Int32Array(chunks.length);
    for (let i = 0; i < chunks.length; i++) {
      docIds[i] = this.internalId(chunks[i]!.id) ?? -1;
      if ((i & 4095) === 4095 && slicer.due()) await slicer.pause();
    }
    if (text) {
      try {
        await loadTextIndex(this.engine, text, docIds, slicer);
        return { docIds, textLoaded: true };
      } catch (err) {
        if (!(err instanceof BedrockDocsError) || err.code !== 'INDEX_CORRUPT') throw err;
      }
    }
    for (let i = 0; i < chunks.length; i++) {
      const doc = this.stored(chunks[i]!.id);
      if (doc && !this.engine.has(docIds[i]!)) this.engine.add(docIds[i]!, textFieldsOf(doc.text, doc));
      if ((i & 15) === 15 && slicer.due()) await slicer.pause();
    }
    return { docIds, textLoaded: false };
  }

  search(request: SearchRequest): SearchHit[] {
    const k = Math.max(1, request.k);
    const pool = Math.max(k, this.candidates);
    const where = oramaWhere(request.filter, this.files);
    if (where === null) return [];
    const wantText = request.mode !== 'vector' && request.text.trim() !== '';
    const wantVector = request.mode !== 'fulltext' && !!request.queryVector && !!this.vectors && this.vectors.size > 0;
    const textHits = wantText ? this.searchText(request.text, pool, where) : [];
    const vectorHits = wantVector ? this.searchVectors(request.queryVector!, pool, where, request.vectorRescore) : [];
    return rankHits(textHits, vectorHits, {
      k,
      fuse: request.mode === 'hybrid' && wantText && wantVector,
      vectorOnly: request.mode === 'vector' || (!wantText && wantVector),
      textWeight: request.textWeight,
      vectorWeight: request.vectorWeight,
      changelogFactor: this.changelogFactor,
      scoreThreshold: request.scoreThreshold,
    });
  }

  // `adopt`: the chunk object itself becomes the stored document (it belongs to the index then).
  private insertChunk(chunk: Chunk, adopt = false): void {
    if (this.stored(chunk.id)) this.removeChunk(chunk.id);
    let entry = this.files.get(chunk.path);
    if (!entry) this.files.set(chunk.path, (entry = fileEntry(chunk.path)));
    let doc: StoredChunk;
    if (adopt) {
      doc = Object.assign(chunk, {
        path: entry.path,
        title: sharedString(entry, chunk.title),
        breadcrumb: sharedList(entry, chunk.breadcrumb),
        dirs: entry.dirs,
      });
    } else {
      doc = {
        id: chunk.id,
        path: entry.path,
        fileType: chunk.fileType,
        title: sharedString(entry, chunk.title),
        breadcrumb: sharedList(entry, chunk.breadcrumb),
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        text: chunk.text,
        dirs: entry.dirs,
      };
      if (chunk.page !== undefined) doc.page = chunk.page;
      if (chunk.context !== undefined) doc.context = chunk.context;
    }
    this.pending.set(chunk.id, doc);
    try {
      insert(this.db, doc as never);
      entry.ids.add(chunk.id);
    } finally {
      this.pending.delete(chunk.id);
      if (entry.ids.size === 0) this.files.delete(chunk.path);
    }
  }

  private storedOf(path: string): StoredChunk[] {
    const entry = this.files.get(path);
    if (!entry) return [];
    const docs: StoredChunk[] = [];
    for (const id of entry.ids) {
      const doc = this.stored(id);
      if (doc) docs.push(doc);
    }
    return docs.sort((a, b) => a.startLine - b.startLine || a.id.localeCompare(b.id));
  }

  private searchText(text: string, limit: number, where: Record<string, unknown> | undefined): SearchHit[] {
    const result = oramaSearch(this.db, { term: text, properties: [TEXT_PROPERTY], limit, ...(where ? { where } : {}) }) as unknown as {
      hits: Array<{ id: string; score: number; document: StoredChunk }>;
    };
    return result.hits.map((h, i) => ({ chunk: toChunk(h.document), score: h.score, textRank: i + 1 }));
  }

  private searchVectors(
    vector: Float32Array,
    limit: number,
    where: Record<string, unknown> | undefined,
    rescore = this.rescore,
  ): SearchHit[] {
    const allowed = where ? idsWhere(this.db, where) : undefined;
    return this.vectors!.search(vector, limit, { allowed, rescore }).flatMap((h, i) => {
      const id = documentIdOf(this.db, h.docId);
      const doc = id === undefined ? undefined : this.stored(id);
      return doc ? [{ chunk: toChunk(doc), score: h.score, vectorRank: i + 1 }] : [];
    });
  }

  private requireVectors(): VectorStore {
    if (!this.vectors) throw new BedrockDocsError('BAD_INPUT', 'this index was created without vectors');
    return this.vectors;
  }

  private requireDoc(chunkId: string): number {
    const internal = this.stored(chunkId) ? this.internalId(chunkId) : undefined;
    if (internal === undefined) throw new BedrockDocsError('BAD_INPUT', `no chunk ${chunkId} in the index`);
    return internal;
  }

  private internalId(id: string): number | undefined {
    return internalIdOf(this.db, id);
  }

  private stored(id: string): StoredChunk | undefined {
    return getByID(this.db, id) as StoredChunk | undefined;
  }
}

// A copy for callers: the stored breadcrumb array is shared between chunks of a file.
function toChunk(doc: StoredChunk): Chunk {
  const { dirs: _dirs, ...chunk } = doc;
  return { ...chunk, breadcrumb: [...doc.breadcrumb] } as Chunk;
}
