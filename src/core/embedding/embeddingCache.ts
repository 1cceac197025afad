/**
 * Vectors keyed by the hash of the text that was embedded, for one embedding model and size.
 * The cache and the index share one VectorRows (float16 rows, reference-counted), so a vector is
 * held once however many chunks and cache entries point at it. Restoring or re-indexing unchanged
 * text costs no call.
 */
import type { EmbeddingTable } from '../index/snapshot';
import { EMBEDDING_SEGMENT_ROWS } from '../index/snapshot';
import { SIMHASH_VERSION } from '../index/simHash';
import type { TimeSlicer } from '../index/slices';
import { VectorRows } from '../index/vectorRows';

export class EmbeddingCache {
  readonly rows: VectorRows;
  // Insertion order = age: prune keeps the newest unused entries.
  private readonly map = new Map<string, number>();

  /** @param rows shared with the index's VectorStore; a private one when omitted */
  constructor(
    readonly modelKey: string,
    readonly dimensions: number,
    rows?: VectorRows,
  ) {
    if (rows && rows.dimensions !== dimensions) throw new RangeError(`rows hold ${rows.dimensions} dimensions, the cache ${dimensions}`);
    this.rows = rows ?? new VectorRows(dimensions);
  }

  get size(): number {
    return this.map.size;
  }

  has(hash: string): boolean {
    return this.map.has(hash);
  }

  /** The cached vector (decoded from float16), or undefined. */
  get(hash: string): Float32Array | undefined {
    const row = this.map.get(hash);
    return row === undefined ? undefined : this.rows.decode(row);
  }

  /** The row holding a hash's vector, for linking it to chunks without a copy. */
  rowOf(hash: string): number | undefined {
    return this.map.get(hash);
  }

  /** Caches a vector (kept as it is when the hash is already cached); returns its row. */
  set(hash: string, vector: Float32Array): number {
    const known = this.map.get(hash);
    if (known !== undefined) return known;
    const row = this.rows.alloc(vector);
    this.map.set(hash, row);
    return row;
  }

  /**
   * Forgets vectors that no chunk uses any more, except the `spare` newest: an edit that is undone,
   * or a file moved back, then costs no call.
   */
  async prune(spare = 2000, slicer?: TimeSlicer): Promise<number> {
    const unused: string[] = [];
    let i = 0;
    for (const [hash, row] of this.map) {
      if (this.rows.refCount(row) === 1) unused.push(hash);
      if ((++i & 4095) === 0 && slicer?.due()) await slicer.pause();
    }
    const drop = unused.length - spare;
    for (let j = 0; j < drop; j++) {
      const hash = unused[j]!;
      this.rows.release(this.map.get(hash)!);
      this.map.delete(hash);
    }
    return Math.max(0, drop);
  }

  /** The cache as a table; `indexOfRow[row]` is the table index of a row (-1: not in the cache). */
  async toTable(slicer?: TimeSlicer): Promise<{ table: EmbeddingTable; indexOfRow: Int32Array }> {
    const dims = this.dimensions;
    const words = this.rows.words;
    const hashes: string[] = [];
    const vectors: Uint16Array[] = [];
    const codes: Uint32Array[] = [];
    let maxRow = -1;
    for (const row of this.map.values()) maxRow = Math.max(maxRow, row);
    const indexOfRow = new Int32Array(maxRow + 1).fill(-1);
    let segment = 0;
    for (const [hash, row] of this.map) {
      const at = hashes.length % EMBEDDING_SEGMENT_ROWS;
      if (at === 0) {
        const rows = Math.min(EMBEDDING_SEGMENT_ROWS, this.map.size - hashes.length);
        segment = vectors.length;
        vectors.push(new Uint16Array(rows * dims));
        codes.push(new Uint32Array(rows * words));
        if (slicer?.due()) await slicer.pause();
      }
      indexOfRow[row] = hashes.length;
      this.rows.copyHalf(row, vectors[segment]!, at * dims);
      this.rows.copyCode(row, codes[segment]!, at * words);
      hashes.push(hash);
      if ((at & 127) === 127 && slicer?.due()) await slicer.pause();
    }
    return { table: { modelKey: this.modelKey, dimensions: dims, hashes, vectors, codes, codeVersion: SIMHASH_VERSION }, indexOfRow };
  }

  /**
   * Loads a saved table when it belongs to this model. Returns the row of each table index (a hash
   * already cached keeps its row), or undefined when the table is for another model or malformed.
   */
  async load(table: EmbeddingTable | undefined, slicer?: TimeSlicer): Promise<Int32Array | undefined> {
    if (!table || table.modelKey !== this.modelKey || table.dimensions !== this.dimensions) return undefined;
    const dims = this.dimensions;
    const words = this.rows.words;
    const count = table.hashes.length;
    const segments = Math.ceil(count / EMBEDDING_SEGMENT_ROWS);
    const rowsIn = (s: number) => Math.min(EMBEDDING_SEGMENT_ROWS, count - s * EMBEDDING_SEGMENT_ROWS);
    if (table.vectors.length !== segments || table.vectors.some((v, s) => v.length !== rowsIn(s) * dims)) return undefined;
    const codesUsable =
      table.codeVersion === SIMHASH_VERSION &&
      table.codes?.length === segments &&
      table.codes.every((c, s) => c.length === rowsIn(s) * words);
    const rowOfIndex = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const hash = table.hashes[i]!;
      let row = this.map.get(hash);
      if (row === undefined) {
        const s = Math.floor(i / EMBEDDING_SEGMENT_ROWS);
        const at = i % EMBEDDING_SEGMENT_ROWS;
        row = this.rows.allocHalf(table.vectors[s]!, at * dims, codesUsable ? table.codes![s] : undefined, at * words);
        this.map.set(hash, row);
      }
      rowOfIndex[i] = row;
      if ((i & (codesUsable ? 255 : 15)) === 0 && slicer?.due()) await slicer.pause();
    }
    return rowOfIndex;
  }
}

/** The cache key of an embedding model configuration. */
export function embeddingModelKey(modelId: string, dimensions: number): string {
  return `${modelId}:${dimensions}`;
}
