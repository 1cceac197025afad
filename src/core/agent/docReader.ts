/**
 * The read-only view of the workspace's documents that agent mode's tools use. The adapter in
 * src/node (confinedDocReader.ts) keeps every read inside the workspace roots; tests use fakes.
 */
import type { CallOptions } from '../ports';

/** A line range of one document, as read_doc returns it. */
export interface DocExcerpt {
  /** Relative to the indexed root, '/' separators (multi-root: prefixed with the folder name). */
  path: string;
  /** 1-based, inclusive: the lines actually returned, after clamping and size caps. */
  startLine: number;
  endLine: number;
  /** Lines in the whole document (PDF: lines of the extracted text). */
  totalLines: number;
  /** Lines startLine..endLine joined by '\n'. */
  text: string;
  /** True when the range asked for was cut (past the end, over the line or character cap). */
  clamped: boolean;
}

/** What list_docs returns: matching paths, sorted, at most the limit. */
export interface DocListing {
  paths: string[];
  /** Matches before the limit was applied. */
  total: number;
}

/** Limits of one read; the adapter's own caps apply on top. */
export interface ReadRange extends CallOptions {
  startLine: number;
  endLine: number;
  /** Return no more than this many characters of text (whole lines; at least one line). */
  maxChars?: number;
}

/**
 * Read-only, confined access to workspace documents. Both methods throw a BAD_INPUT
 * BedrockDocsError for a path or glob they refuse (traversal, absolute, outside the roots, not
 * indexed, binary, too large), with a message the model can act on.
 */
export interface DocReader {
  read(path: string, range: ReadRange): Promise<DocExcerpt>;
  list(glob: string, options?: CallOptions & { limit?: number }): Promise<DocListing>;
}
