/**
 * The hybrid index: Orama holds the chunks and resolves metadata filters; its full-text side is our
 * BM25F engine (plugged in as an Orama index component); vectors live beside it in a VectorStore;
 * hybrid results are fused by reciprocal rank. All methods are synchronous and cheap per call:
 * callers insert in slices and yield between them (Orama's insert blocks the event loop).
 */
import { create, getByID, insert, remove, search as oramaSearch } from '@orama/orama';
import type { AnyOrama } from '@orama/orama';
import type { Chunk, FileType } from '../chunk';
import { BedrockDocsError } from '../errors';
import { reciprocalRankFusion, RRF_K } from './fusion';
import { createTextIndexComponent, TEXT_PROPERTY } from './oramaTextComponent';
import type { SearchFilter } from './searchFilter';
import { ancestorFolders, hasFilter, matchGlob, normalizePrefix } from './searchFilter';
import type { Bm25fParams } from './textEngine';
import { TextEngine } from './textEngine';
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
}

// Stored Orama document: the chunk plus the folders it sits in (for prefix filters).
type StoredChunk = Chunk & { dirs: string[] };

const SCHEMA = { [TEXT_PROPERTY]: 'string', path: 'enum', fileType: 'enum', dirs: 'enum[]' } as const;
const CHANGELOG_FILE = /(^|\/)(changelog|changes|history|news|release[-_ ]?notes?|releases|whats[-_]?new)([-_. ]v?\d[^/]*)?(\.[a-z0-9]+)?$/i;
const CHANGELOG_FOLDER = /(^|\/)(changelogs?|release[-_ ]?notes|releases)\//i;

/** True for changelog / release-notes style paths. */
export function isChangelogPath(path: string): boolean {
  return CHANGELOG_FILE.test(path) || CHANGELOG_FOLDER.test(path);
}

export class HybridIndex {
  readonly dimensions: number | undefined;
  private readonly engine: TextEngine;
  private readonly vectors: VectorStore | undefined;
  private readonly db: AnyOrama;
  private readonly files = new Map<string, Set<string>>();
  private readonly pending = new Map<string, StoredChunk>();
  private readonly candidates: number;
  private readonly changelogFactor: number;

  constructor(options: HybridIndexOptions = {}) {
    this.dimensions = options.dimensions;
    this.candidates = options.candidates ?? 100;
    this.changelogFactor = options.changelogFactor ?? 0.5;
    this.engine = new TextEngine(options.text);
    this.vectors = options.dimensions ? new VectorStore(options.dimensions) : undefined;
    const component = createTextIndexComponent(this.engine, (id) => this.pending.get(id) ?? this.stored(id), 400);
    this.db = create({ schema: SCHEMA, sort: { enabled: false }, components: { index: component } }) as AnyOrama;
  }

  /** Chunks indexed. */
  get size(): number {
    return this.engine.size;
  }

  /** Chunks that have a vector. */
  get vectorCount(): number {
    return this.vectors?.size ?? 0;
  }

  /** Relative paths of the indexed files. */
  filePaths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** The chunks of one file, in order. */
  chunksOf(path: string): Chunk[] {
    const ids = this.files.get(path);
    if (!ids) return [];
    return [...ids].map((id) => this.stored(id)!).filter(Boolean).sort((a, b) => a.startLine - b.startLine);
  }

  getChunk(id: string): Chunk | undefined {
    return this.stored(id);
  }

  /** Inserts chunks (replacing chunks with the same id). Synchronous: pass slices of ~100-250. */
  add(chunks: readonly Chunk[]): void {
    for (const chunk of chunks) {
      if (this.stored(chunk.id)) this.removeChunk(chunk.id);
      const doc: StoredChunk = { ...chunk, dirs: ancestorFolders(chunk.path) };
      this.pending.set(chunk.id, doc);
      try {
        insert(this.db, doc as never);
      } finally {
        this.pending.delete(chunk.id);
      }
      let set = this.files.get(chunk.path);
      if (!set) this.files.set(chunk.path, (set = new Set()));
      set.add(chunk.id);
    }
  }

  /** Attaches an L2-normalised vector to a chunk. */
  setVector(chunkId: string, vector: Float32Array): void {
    if (!this.vectors) throw new BedrockDocsError('BAD_INPUT', 'this index was created without vectors');
    const internal = this.internalId(chunkId);
    if (internal === undefined) throw new BedrockDocsError('BAD_INPUT', `no chunk ${chunkId} in the index`);
    this.vectors.set(internal, vector);
  }

  hasVector(chunkId: string): boolean {
    const internal = this.internalId(chunkId);
    return internal !== undefined && !!this.vectors?.has(internal);
  }

  /** The stored vector of a chunk, if any (a copy). */
  getVector(chunkId: string): Float32Array | undefined {
    const internal = this.internalId(chunkId);
    return internal === undefined ? undefined : this.vectors?.get(internal);
  }

  /** Removes every chunk of a file; returns how many. */
  removeFile(path: string): number {
    const ids = this.files.get(path);
    if (!ids) return 0;
    const count = ids.size;
    for (const id of [...ids]) this.removeChunk(id);
    return count;
  }

  removeChunk(id: string): void {
    const doc = this.stored(id);
    if (!doc) return;
    const internal = this.internalId(id);
    remove(this.db, id);
    if (internal !== undefined) this.vectors?.delete(internal);
    const set = this.files.get(doc.path);
    set?.delete(id);
    if (set && set.size === 0) this.files.delete(doc.path);
  }

  search(request: SearchRequest): SearchHit[] {
    const k = Math.max(1, request.k);
    const pool = Math.max(k, this.candidates);
    const where = this.whereOf(request.filter);
    if (where === null) return [];
    const wantText = request.mode !== 'vector' && request.text.trim() !== '';
    const wantVector = request.mode !== 'fulltext' && !!request.queryVector && !!this.vectors && this.vectors.size > 0;
    const textHits = wantText ? this.searchText(request.text, pool, where) : [];
    const vectorHits = wantVector ? this.searchVectors(request.queryVector!, pool, where) : [];
    let hits: SearchHit[];
    if (request.mode === 'hybrid' && wantText && wantVector) {
      const fused = reciprocalRankFusion(
        [
          { items: textHits, weight: request.textWeight ?? 1 },
          { items: vectorHits, weight: request.vectorWeight ?? 1 },
        ],
        (h) => h.chunk.id,
        RRF_K,
      );
      hits = fused.map((f) => ({ chunk: f.item.chunk, score: f.score, textRank: f.ranks[0], vectorRank: f.ranks[1] }));
    } else {
      hits = request.mode === 'vector' || (!wantText && wantVector) ? vectorHits : textHits;
    }
    if (this.changelogFactor !== 1 && hits.some((h) => isChangelogPath(h.chunk.path))) {
      for (const h of hits) if (isChangelogPath(h.chunk.path)) h.score *= this.changelogFactor;
      hits.sort((a, b) => b.score - a.score);
    }
    const threshold = request.scoreThreshold ?? 0;
    if (threshold > 0 && hits.length > 0) {
      const floor = hits[0]!.score * threshold;
      hits = hits.filter((h) => h.score >= floor);
    }
    return hits.slice(0, k);
  }

  private searchText(text: string, limit: number, where: Record<string, unknown> | undefined): SearchHit[] {
    const result = oramaSearch(this.db, { term: text, properties: [TEXT_PROPERTY], limit, ...(where ? { where } : {}) }) as unknown as {
      hits: Array<{ id: string; score: number; document: StoredChunk }>;
    };
    return result.hits.map((h, i) => ({ chunk: toChunk(h.document), score: h.score, textRank: i + 1 }));
  }

  private searchVectors(vector: Float32Array, limit: number, where: Record<string, unknown> | undefined): SearchHit[] {
    const allowed = where ? this.allowedIds(where) : undefined;
    const idStore = (this.db as unknown as { internalDocumentIDStore: { internalIdToId: string[] } }).internalDocumentIDStore;
    return this.vectors!.search(vector, limit, { allowed }).flatMap((h, i) => {
      const doc = this.stored(idStore.internalIdToId[h.docId - 1]!);
      return doc ? [{ chunk: toChunk(doc), score: h.score, vectorRank: i + 1 }] : [];
    });
  }

  // Orama's where-clause resolver, the same one its full-text search uses.
  private allowedIds(where: Record<string, unknown>): Set<number> {
    const db = this.db as unknown as {
      index: { searchByWhereClause: (index: unknown, tokenizer: unknown, where: unknown, language: string) => Set<number> };
      data: { index: unknown };
      tokenizer: unknown;
    };
    return db.index.searchByWhereClause(db.data.index, db.tokenizer, where, 'english');
  }

  /** Orama `where` for a filter; undefined = no filter; null = matches nothing. */
  private whereOf(filter: SearchFilter | undefined): Record<string, unknown> | undefined | null {
    if (!hasFilter(filter)) return undefined;
    const where: Record<string, unknown> = {};
    const clauses: Array<Record<string, unknown>> = [];
    if (filter.pathPrefix) {
      const prefix = normalizePrefix(filter.pathPrefix);
      if (prefix !== '') {
        if (this.files.has(prefix)) clauses.push({ path: { eq: prefix } });
        else clauses.push({ dirs: { containsAll: [prefix] } });
      }
    }
    if (filter.glob) {
      const paths = matchGlob(filter.glob, this.files.keys());
      if (paths.length === 0) return null;
      clauses.push({ path: { in: paths } });
    }
    if (filter.fileTypes && filter.fileTypes.length > 0) clauses.push({ fileType: { in: filter.fileTypes as FileType[] } });
    if (clauses.length === 0) return undefined;
    if (clauses.length === 1) return clauses[0]!;
    where.and = clauses;
    return where;
  }

  private internalId(id: string): number | undefined {
    return (this.db as unknown as { internalDocumentIDStore: { idToInternalId: Map<string, number> } }).internalDocumentIDStore.idToInternalId.get(id);
  }

  private stored(id: string): StoredChunk | undefined {
    return getByID(this.db, id) as StoredChunk | undefined;
  }
}

function toChunk(doc: StoredChunk): Chunk {
  const { dirs: _dirs, ...chunk } = doc;
  return chunk as Chunk;
}
