/**
 * Ingestion entry point: bytes of one file in, chunks out. Pure (no file system): the caller reads
 * the file. Every failure a user can meet is a BAD_INPUT BedrockDocsError whose message is the
 * reason to show ("not valid UTF-8 text", "encrypted PDF (needs a password)", ...).
 */
import type { Chunk, FileType } from '../chunk';
import { fileTypeOf } from '../chunk';
import { BedrockDocsError } from '../errors';
import { SETTINGS } from '../settings';
import { badInput, decodeText } from './decodeText';
import { ChunkPacker } from './packChunks';
import type { ParsedDocument } from './parsedDocument';
import { parseAsciidoc } from './parseAsciidoc';
import { parseHtml } from './parseHtml';
import { parseMarkdown } from './parseMarkdown';
import { parsePdf } from './parsePdf';
import { parsePlainText } from './parsePlainText';
import { parseRst } from './parseRst';

/** How to chunk; every field is optional and defaults to the bedrockDocs.index.* settings. */
export interface ChunkOptions {
  /** Target chunk size (tokens, estimated); default bedrockDocs.index.chunkTokens. */
  chunkTokens?: number;
  /** Tokens repeated between consecutive chunks of one section; default bedrockDocs.index.chunkOverlapTokens. */
  overlapTokens?: number;
  /** Code blocks up to this many tokens are never split; default 8 x chunkTokens. */
  maxCodeTokens?: number;
  /** Overrides the type guessed from the path's extension. */
  fileType?: FileType;
  /** Checked between PDF pages; an abort throws a CANCELLED BedrockDocsError. */
  signal?: AbortSignal;
}

/** One file's bytes and where it lives; chunkDocument does no I/O. */
export interface DocumentInput {
  /** Relative to the indexed root, '/' separators; used for chunk ids and the fallback title. */
  path: string;
  bytes: Uint8Array;
}

// Below this a chunk holds too little to retrieve anything; also guards against a zero budget.
const MIN_CHUNK_TOKENS = 16;

/** Chunk sizes with the settings' defaults filled in and kept sane (overlap under half a chunk). */
export function resolveChunkOptions(options: ChunkOptions = {}): { chunkTokens: number; overlapTokens: number; maxAtomicTokens: number } {
  const whole = (n: number | undefined, fallback: number): number => (n !== undefined && Number.isFinite(n) ? Math.floor(n) : fallback);
  const chunkTokens = Math.max(MIN_CHUNK_TOKENS, whole(options.chunkTokens, SETTINGS['index.chunkTokens'].default));
  const overlapTokens = Math.min(
    Math.max(0, whole(options.overlapTokens, SETTINGS['index.chunkOverlapTokens'].default)),
    Math.floor(chunkTokens / 2),
  );
  const maxAtomicTokens = Math.max(chunkTokens, whole(options.maxCodeTokens, chunkTokens * 8));
  return { chunkTokens, overlapTokens, maxAtomicTokens };
}

function parseText(fileType: Exclude<FileType, 'pdf'>, text: string): ParsedDocument {
  switch (fileType) {
    case 'markdown':
      return parseMarkdown(text);
    case 'rst':
      return parseRst(text);
    case 'asciidoc':
      return parseAsciidoc(text);
    case 'html':
      return parseHtml(text);
    case 'text':
      return parsePlainText(text);
  }
}

async function parse(fileType: FileType, bytes: Uint8Array, signal: AbortSignal | undefined): Promise<ParsedDocument> {
  if (fileType === 'pdf') return parsePdf(bytes, signal);
  const text = decodeText(bytes);
  try {
    return parseText(fileType, text);
  } catch {
    // A parser bug or a pathological input must not lose the file: index it as plain text.
    return parsePlainText(text);
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/**
 * Splits one document into chunks along its structure. Chunk ids are `${path}#${ordinal}`,
 * ordinals counting from 0 in document order. An empty document gives no chunks.
 */
export async function chunkDocument(input: DocumentInput, options: ChunkOptions = {}): Promise<Chunk[]> {
  const fileType = options.fileType ?? fileTypeOf(input.path);
  if (!fileType)
    throw badInput('not a supported document type', 'Index only .md, .txt, .rst, .adoc, .html and .pdf files (bedrockDocs.index.include).');
  try {
    const doc = await parse(fileType, input.bytes, options.signal);
    const drafts = new ChunkPacker(doc, resolveChunkOptions(options)).pack();
    const title = doc.title ?? baseName(input.path);
    return drafts.map((draft, ordinal) => {
      const section = doc.sections[draft.section];
      const chunk: Chunk = {
        id: `${input.path}#${ordinal}`,
        path: input.path,
        fileType,
        title,
        breadcrumb: [...(section?.breadcrumb ?? [])],
        startLine: draft.startLine,
        endLine: draft.endLine,
        text: draft.text,
      };
      if (section?.page !== undefined) chunk.page = section.page;
      return chunk;
    });
  } catch (err) {
    if (err instanceof BedrockDocsError) throw err;
    throw badInput('could not be read as a document', undefined, err);
  }
}
