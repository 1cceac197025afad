/**
 * What a saved index holds: the files as they were indexed, their chunks, and the embedding cache
 * (vectors keyed by the hash of the text that was embedded, per model). Chunk vectors are found in
 * the cache on restore, so unchanged text is never embedded twice, even across renames.
 */
import type { Chunk } from '../chunk';

/** Bump when the snapshot layout changes; an older snapshot is rebuilt, not read. */
export const SNAPSHOT_VERSION = 1;

export interface IndexedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the file's bytes: decides "changed" when size or mtime moved. */
  hash: string;
  /** Why it was not chunked (binary, bad PDF, ...), when it was not. */
  skipped?: string;
}

export interface EmbeddingTable {
  /** `${modelId}:${dimensions}` */
  modelKey: string;
  dimensions: number;
  /** Content hashes, in the order of the rows of `vectors`. */
  hashes: string[];
  /** hashes.length x dimensions floats. */
  vectors: Float32Array;
}

export interface IndexSnapshot {
  version: number;
  /** Changes when chunking settings or the chunker change: the chunks are then rebuilt. */
  chunkingFingerprint: string;
  savedAt: number;
  files: IndexedFile[];
  chunks: Chunk[];
  embeddings?: EmbeddingTable;
}
