/** The unit of retrieval: a piece of one document, with where it came from. */

export type FileType = 'markdown' | 'text' | 'rst' | 'asciidoc' | 'html' | 'pdf';

export interface Chunk {
  /** Stable within one version of a file: `${path}#${ordinal}`. */
  id: string;
  /** Relative to the indexed root, '/' separators. */
  path: string;
  fileType: FileType;
  /** Document title: first level-1 heading, HTML <title>, PDF title, else the file name. */
  title: string;
  /** Heading path from the top of the document to this chunk, e.g. ['Guide', 'Setup', 'Proxy']. */
  breadcrumb: string[];
  /** 1-based, inclusive, lines of the source file (PDF: lines of the extracted text). */
  startLine: number;
  endLine: number;
  /** PDF only: 1-based page of startLine. */
  page?: number;
  /** The chunk's text, readable as it is shown to the model and the user. */
  text: string;
  /**
   * Contextual retrieval: a short model-written note situating the chunk in its document,
   * indexed and embedded with the text (bedrockDocs.index.contextualBlurbs.*); never shown as a quote.
   */
  context?: string;
}

/** Why a discovered file was not indexed; shown to the user with the file's path. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Maps a path's extension to its type, or undefined for files the ingestion does not read. */
export function fileTypeOf(path: string): FileType | undefined {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot + 1).toLowerCase() : '';
  switch (ext) {
    case 'md':
    case 'markdown':
    case 'mdx':
      return 'markdown';
    case 'txt':
    case 'text':
      return 'text';
    case 'rst':
      return 'rst';
    case 'adoc':
    case 'asciidoc':
      return 'asciidoc';
    case 'html':
    case 'htm':
      return 'html';
    case 'pdf':
      return 'pdf';
    default:
      return undefined;
  }
}

/** "Guide > Setup > Proxy" */
export function formatBreadcrumb(breadcrumb: readonly string[]): string {
  return breadcrumb.join(' > ');
}
