/**
 * What a saved index holds: the files as they were indexed, their chunks, the text index as flat
 * arrays (so a restart analyses no text), and the embedding cache (vectors keyed by the hash of the
 * text that was embedded, per model) with each chunk's row in it (so a restart hashes nothing and
 * embeds nothing). Unchanged text is never embedded twice, even across renames or re-chunking.
 */
import type { Chunk } from '../chunk';
import type { TextIndexState } from './textIndexState';

/** Bump when the snapshot layout changes; an older snapshot is rebuilt (its embeddings are kept). */
export const SNAPSHOT_VERSION = 2;

/**
 * Rows per segment of an EmbeddingTable (2 MB of float16 at 1024 dimensions): a 100k-row table in
 * one buffer (200 MB) made V8 stop the event loop for a full collection when it was allocated.
 */
export const EMBEDDING_SEGMENT_ROWS = 1024;

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
  /**
   * The rows (dimensions values each, IEEE float16 bits: see float16.ts) in segments of
   * EMBEDDING_SEGMENT_ROWS rows (the last may be shorter).
   */
  vectors: Uint16Array[];
  /** Each row's SimHash code (ceil(dimensions / 32) words), segmented like `vectors`; recomputed when absent. */
  codes?: Uint32Array[];
  /** SIMHASH_VERSION the codes were made with; another version's codes are recomputed. */
  codeVersion?: number;
}

export interface IndexSnapshot {
  version: number;
  /** Changes when chunking settings or the chunker change: the chunks are then rebuilt. */
  chunkingFingerprint: string;
  savedAt: number;
  files: IndexedFile[];
  chunks: Chunk[];
  embeddings?: EmbeddingTable;
  /** Per chunk (same order), its row in `embeddings`, -1 for none. */
  chunkVectors?: Int32Array;
  /**
   * Identifies the text transform applied before embedding (redaction settings): when it differs,
   * chunk vectors are matched by hashing the text again instead of through `chunkVectors`.
   */
  embeddingTextKey?: string;
  /** The text engine for `chunks`, in their order; absent or stale: the chunks are analysed again. */
  textIndex?: TextIndexState;
}
