/** Plain text: paragraphs separated by blank lines, no headings. */
import { LineIndex } from './lineIndex';
import type { Block, BlockKind, ParsedDocument } from './parsedDocument';

/** One block per run of non-blank lines in [first, endExclusive) (0-based lines). */
export function paragraphBlocks(
  lines: LineIndex,
  first: number,
  endExclusive: number,
  section: number,
  kind: BlockKind = 'paragraph',
): Block[] {
  const blocks: Block[] = [];
  let line = first;
  while (line < endExclusive) {
    while (line < endExclusive && lines.isBlank(line)) line++;
    const start = line;
    while (line < endExclusive && !lines.isBlank(line)) line++;
    if (line > start) blocks.push({ kind, start: lines.lineStart(start), end: lines.lineEnd(line - 1), section });
  }
  return blocks;
}

/** Parses plain text into paragraph blocks of one untitled section. */
export function parsePlainText(text: string): ParsedDocument {
  const lines = new LineIndex(text);
  return {
    text,
    sections: [{ breadcrumb: [] }],
    blocks: paragraphBlocks(lines, 0, lines.lineCount, 0),
    lineAt: (offset) => lines.lineOf(offset) + 1,
  };
}
