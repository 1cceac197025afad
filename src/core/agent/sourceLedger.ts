/**
 * Numbers the passages tool results show as sources [1], [2]... across a whole agent run, so the
 * final answer's citations resolve to file and lines exactly like a non-agent answer's.
 */
import type { Chunk } from '../chunk';
import { fileTypeOf } from '../chunk';
import type { Source } from '../rag/prompt';
import type { DocExcerpt } from './docReader';

/** A passage as numbered in the run; `fresh` is false when it was shown before. */
export interface NumberedPassage {
  source: Source;
  fresh: boolean;
}

/** The chunk-shaped source of a read_doc excerpt (no breadcrumb: it is a raw line range). */
export function excerptChunk(excerpt: DocExcerpt): Chunk {
  const slash = excerpt.path.lastIndexOf('/');
  return {
    id: `${excerpt.path}:${excerpt.startLine}-${excerpt.endLine}`,
    path: excerpt.path,
    fileType: fileTypeOf(excerpt.path) ?? 'text',
    title: excerpt.path.slice(slash + 1),
    breadcrumb: [],
    startLine: excerpt.startLine,
    endLine: excerpt.endLine,
    text: excerpt.text,
  };
}

const rangeKey = (chunk: Chunk) => `${chunk.path}:${chunk.startLine}-${chunk.endLine}`;

/** Sources of one run, numbered from 1 in order of first appearance, each passage once. */
export class SourceLedger {
  private readonly list: Source[] = [];
  private readonly byKey = new Map<string, Source>();

  /** Every source so far, in number order. */
  get sources(): Source[] {
    return [...this.list];
  }

  /** The number the next new passage gets. */
  get nextNumber(): number {
    return this.list.length + 1;
  }

  /** The source a passage already is (same chunk id, or same path and lines), if any. */
  find(chunk: Chunk): Source | undefined {
    return this.byKey.get(chunk.id) ?? this.byKey.get(rangeKey(chunk));
  }

  /** Numbers a passage, or returns the number it already has. */
  add(chunk: Chunk): NumberedPassage {
    const known = this.find(chunk);
    if (known) return { source: known, fresh: false };
    const source: Source = { n: this.list.length + 1, chunk };
    this.list.push(source);
    this.byKey.set(chunk.id, source);
    this.byKey.set(rangeKey(chunk), source);
    return { source, fresh: true };
  }
}
