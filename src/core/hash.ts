import { createHash } from 'node:crypto';

/**
 * SHA-256, lower-case hex (64 chars), of a text's UTF-8 bytes or of raw bytes: the key of the
 * embedding cache and of unchanged-file checks. A string and its UTF-8 bytes hash the same.
 */
export function contentHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
