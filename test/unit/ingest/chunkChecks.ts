/** Shared assertions about chunks that must hold for every document. */
import assert from 'node:assert/strict';
import type { Chunk } from '../../../src/core/chunk';

/** Source lines `first..last` (1-based, inclusive) of a text, with '\n' line breaks. */
export function sourceLines(source: string, first: number, last: number): string {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .slice(first - 1, last)
    .join('\n');
}

/** Ids are `${path}#0..n-1`, lines are inside the file and ordered, texts are non-empty. */
export function assertWellFormed(chunks: Chunk[], path: string, lineCount: number): void {
  chunks.forEach((chunk, i) => {
    assert.equal(chunk.id, `${path}#${i}`);
    assert.equal(chunk.path, path);
    assert.ok(chunk.startLine >= 1 && chunk.startLine <= chunk.endLine, `${chunk.id}: lines ${chunk.startLine}-${chunk.endLine}`);
    assert.ok(chunk.endLine <= lineCount, `${chunk.id}: endLine ${chunk.endLine} past ${lineCount} lines`);
    assert.ok(chunk.text.trim().length > 0, `${chunk.id}: empty text`);
    if (i > 0) assert.ok(chunk.startLine >= (chunks[i - 1] as Chunk).startLine, `${chunk.id}: out of order`);
  });
}

/** Every chunk's text is a slice of its source lines (whole lines unless a line was cut). */
export function assertTextFromLines(chunks: Chunk[], source: string): void {
  for (const chunk of chunks) {
    const lines = sourceLines(source, chunk.startLine, chunk.endLine);
    assert.ok(lines.includes(chunk.text), `${chunk.id}: text is not from lines ${chunk.startLine}-${chunk.endLine}`);
  }
}
