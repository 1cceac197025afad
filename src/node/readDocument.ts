/** Reads a discovered document's bytes for ingestion, with the same limits discovery applied. */
import { readFile } from 'node:fs/promises';
import { BedrockDocsError, isCancellation } from '../core/errors';
import type { DiscoveredFile } from './discoverFiles';
import { describeFsError } from './discoverFiles';

/** Limits for one read. */
export interface ReadDocumentOptions {
  /** Refuse a file that grew past this since discovery (KiB; bedrockDocs.index.maxFileSizeKB). */
  maxFileSizeKB?: number;
  signal?: AbortSignal;
}

/**
 * The file's bytes. Throws BAD_INPUT ("cannot read: permission denied (EACCES)", "larger than
 * ...") for a file that cannot be read, CANCELLED when the signal aborts.
 */
export async function readDocumentBytes(file: Pick<DiscoveredFile, 'absPath'>, options: ReadDocumentOptions = {}): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.absPath, { signal: options.signal });
  } catch (err) {
    if (isCancellation(err) || options.signal?.aborted) {
      throw new BedrockDocsError('CANCELLED', 'Reading was cancelled', undefined, { cause: err });
    }
    throw new BedrockDocsError(
      'BAD_INPUT',
      `cannot read: ${describeFsError(err)}`,
      'Check that the file exists and that you can read it.',
      { cause: err },
    );
  }
  const limit = options.maxFileSizeKB;
  if (limit !== undefined && bytes.byteLength > limit * 1024) {
    throw new BedrockDocsError(
      'BAD_INPUT',
      `larger than bedrockDocs.index.maxFileSizeKB (${limit} KiB)`,
      'Raise bedrockDocs.index.maxFileSizeKB to index it.',
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
