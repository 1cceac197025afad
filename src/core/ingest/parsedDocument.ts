/**
 * The shape every format parser produces and the packer consumes: one readable text, blocks that
 * are ranges of it, and the heading sections the blocks belong to.
 */

/** What a block is; headings matter to section merging, the rest is informative. */
export type BlockKind = 'heading' | 'paragraph' | 'list' | 'listItem' | 'table' | 'code' | 'quote' | 'html' | 'other';

/** A structural unit of a document: a contiguous range of `ParsedDocument.text`. */
export interface Block {
  /** Offset of the block's first character in `ParsedDocument.text`. */
  start: number;
  /** Offset just past the block's last character (exclusive). */
  end: number;
  /** Index into `ParsedDocument.sections`; the blocks of one section are consecutive. */
  section: number;
  kind: BlockKind;
  /** Code: kept whole up to the hard cap, split only at line boundaries above it. */
  atomic?: boolean;
  /** Marker lines that re-fence each piece when an atomic block over the hard cap is split. */
  fence?: { open: string; close: string };
  /** Ordered, non-overlapping sub-blocks covering the block's text (list items, quoted blocks). */
  children?: Block[];
}

/** A heading section (or a PDF page): where a chunk sits in the document. */
export interface Section {
  /** Heading texts from the top of the document down to this section. */
  breadcrumb: string[];
  /** PDF only: 1-based page number. */
  page?: number;
}

/** What a parser hands to the packer. */
export interface ParsedDocument {
  /** The readable text chunks are cut from: the normalised source, or text extracted from HTML/PDF. */
  text: string;
  /** Title found in the document itself (front matter, first h1, <title>, PDF metadata). */
  title?: string;
  sections: Section[];
  blocks: Block[];
  /** 1-based source line of the character at `offset` in `text`. */
  lineAt(offset: number): number;
}
