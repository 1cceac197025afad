/**
 * Vectors keyed by the hash of the text that was embedded, for one embedding model and size.
 * The index and its snapshot share it: restoring or re-indexing unchanged text costs no call.
 */
import type { EmbeddingTable } from '../index/snapshot';

export class EmbeddingCache {
  private readonly map = new Map<string, Float32Array>();

  constructor(
    readonly modelKey: string,
    readonly dimensions: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(hash: string): Float32Array | undefined {
    return this.map.get(hash);
  }

  set(hash: string, vector: Float32Array): void {
    this.map.set(hash, vector);
  }

  /** Keeps only the given hashes (those still used by a chunk) plus up to `spare` others. */
  prune(keep: ReadonlySet<string>, spare = 2000): void {
    let extra = 0;
    for (const hash of [...this.map.keys()].reverse()) {
      if (keep.has(hash)) continue;
      if (extra < spare) extra++;
      else this.map.delete(hash);
    }
  }

  toTable(): EmbeddingTable {
    const hashes = [...this.map.keys()];
    const vectors = new Float32Array(hashes.length * this.dimensions);
    hashes.forEach((h, i) => vectors.set(this.map.get(h)!, i * this.dimensions));
    return { modelKey: this.modelKey, dimensions: this.dimensions, hashes, vectors };
  }

  /** Loads a saved table when it belongs to this model; returns how many vectors were loaded. */
  load(table: EmbeddingTable | undefined): number {
    if (!table || table.modelKey !== this.modelKey || table.dimensions !== this.dimensions) return 0;
    if (table.vectors.length !== table.hashes.length * this.dimensions) return 0;
    table.hashes.forEach((h, i) => this.map.set(h, table.vectors.subarray(i * this.dimensions, (i + 1) * this.dimensions)));
    return table.hashes.length;
  }
}

/** The cache key of an embedding model configuration. */
export function embeddingModelKey(modelId: string, dimensions: number): string {
  return `${modelId}:${dimensions}`;
}
