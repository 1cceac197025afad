/**
 * Chunk vectors, kept out of Orama (it stores each vector twice as number[] and scans without a
 * top-k heap: shared/reference/orama-facts.md). Each doc (Orama's internal id) points at a row of
 * a VectorRows (float16 values + SimHash code, shared with the embedding cache). A search scans the
 * codes by Hamming distance, then scores the best `rescore` candidates exactly; metadata filters
 * prune before any scoring. Recall@10 against the exact float32 scan is reported by `npm run bench`.
 */
import { VectorRows } from './vectorRows';

export interface VectorHit {
  docId: number;
  /** Cosine similarity (vectors are L2-normalised). */
  score: number;
}

/**
 * Candidates re-scored after the Hamming pre-scan. `npm run bench` measures recall@10 against the
 * exact scan on the fake server's text embeddings (1024 dimensions) for 100..800.
 */
export const DEFAULT_RESCORE = 400;

export class VectorStore {
  readonly dimensions: number;
  readonly rows: VectorRows;
  // docId -> row + 1 (0 = no vector), so a fresh array needs no fill.
  private docRow = new Int32Array(1024);
  private count = 0;
  private distances = new Uint16Array(0);

  /** @param source vector size (a private VectorRows), or rows shared with an embedding cache */
  constructor(source: number | VectorRows) {
    this.rows = typeof source === 'number' ? new VectorRows(source) : source;
    this.dimensions = this.rows.dimensions;
  }

  /** Vectors stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the doc -> row map (the rows themselves are counted by VectorRows). */
  get byteLength(): number {
    return this.docRow.byteLength + this.distances.byteLength;
  }

  has(docId: number): boolean {
    return (this.docRow[docId] ?? 0) > 0;
  }

  /** The row holding a doc's vector, if any. */
  rowOf(docId: number): number | undefined {
    const r = this.docRow[docId] ?? 0;
    return r > 0 ? r - 1 : undefined;
  }

  /** The stored vector (decoded from float16), or undefined. */
  get(docId: number): Float32Array | undefined {
    const row = this.rowOf(docId);
    return row === undefined ? undefined : this.rows.decode(row);
  }

  /** Stores an L2-normalised vector for `docId`, replacing any previous one. */
  set(docId: number, vector: Float32Array): void {
    const row = this.rows.alloc(vector);
    this.attach(docId, row);
  }

  /** Points `docId` at an existing row (taking a reference), replacing any previous vector. */
  link(docId: number, row: number): void {
    this.rows.ref(row);
    this.attach(docId, row);
  }

  delete(docId: number): void {
    const row = this.rowOf(docId);
    if (row === undefined) return;
    this.docRow[docId] = 0;
    this.count--;
    this.rows.release(row);
  }

  /**
   * Top `k` by cosine. `rescore` candidates are chosen by Hamming distance on the codes, then
   * scored exactly; `rescore: Infinity` (or >= the candidates) is the exact scan. `allowed`
   * (metadata filters) restricts the scan itself.
   */
  search(query: Float32Array, k: number, options: { allowed?: ReadonlySet<number>; rescore?: number } = {}): VectorHit[] {
    if (k <= 0 || this.count === 0) return [];
    if (query.length !== this.dimensions) throw new RangeError(`query has ${query.length} dimensions, the index ${this.dimensions}`);
    const rescore = Math.max(k, options.rescore ?? DEFAULT_RESCORE);
    const ids = this.candidateIds(options.allowed);
    const candidates = rescore >= ids.length ? ids : this.hammingCandidates(query, rescore, ids);
    const hits: VectorHit[] = [];
    for (const docId of candidates) hits.push({ docId, score: this.rows.dot(query, this.docRow[docId]! - 1) });
    hits.sort((a, b) => b.score - a.score || a.docId - b.docId);
    return hits.length > k ? hits.slice(0, k) : hits;
  }

  /** Exact top `k`: every stored vector scored. The baseline recall is measured against. */
  exactSearch(query: Float32Array, k: number, allowed?: ReadonlySet<number>): VectorHit[] {
    return this.search(query, k, { allowed, rescore: Infinity });
  }

  private attach(docId: number, row: number): void {
    if (docId >= this.docRow.length) {
      let size = this.docRow.length;
      while (size <= docId) size *= 2;
      const next = new Int32Array(size);
      next.set(this.docRow);
      this.docRow = next;
    }
    const previous = this.docRow[docId]!;
    this.docRow[docId] = row + 1;
    if (previous > 0) this.rows.release(previous - 1);
    else this.count++;
  }

  // Docs with a vector; a selective filter is walked directly instead of testing every doc.
  private candidateIds(allowed: ReadonlySet<number> | undefined): Int32Array {
    const docRow = this.docRow;
    if (allowed && allowed.size * 4 < this.count) {
      const ids = new Int32Array(allowed.size);
      let n = 0;
      for (const d of allowed) if ((docRow[d] ?? 0) > 0) ids[n++] = d;
      return ids.subarray(0, n);
    }
    const ids = new Int32Array(this.count);
    let n = 0;
    for (let d = 0; d < docRow.length; d++) if (docRow[d]! > 0 && (!allowed || allowed.has(d))) ids[n++] = d;
    return ids.subarray(0, n);
  }

  // Hamming distances are small integers (0..dimensions): a histogram finds the distance that
  // admits `n` candidates, a second pass over the distances collects them. No sort.
  private hammingCandidates(query: Float32Array, n: number, ids: Int32Array): Int32Array {
    const rows = this.rows;
    const qBits = rows.queryCode(query);
    if (this.distances.length < ids.length) this.distances = new Uint16Array(Math.max(ids.length, this.distances.length * 2));
    const dist = this.distances;
    const histogram = new Int32Array(this.dimensions + 2);
    const docRow = this.docRow;
    for (let i = 0; i < ids.length; i++) {
      const d = rows.hamming(qBits, docRow[ids[i]!]! - 1);
      dist[i] = d;
      histogram[d]!++;
    }
    let limit = 0;
    let below = 0;
    while (below + histogram[limit]! < n) below += histogram[limit++]!;
    // Every doc closer than `limit`, then docs at exactly `limit` until n.
    let atLimit = n - below;
    const out = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < ids.length && m < n; i++) {
      const d = dist[i]!;
      if (d < limit) out[m++] = ids[i]!;
      else if (d === limit && atLimit > 0) {
        out[m++] = ids[i]!;
        atLimit--;
      }
    }
    return out;
  }
}
