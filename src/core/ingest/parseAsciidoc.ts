/**
 * AsciiDoc structure: `= Title`, `== Section` ... headings; delimited blocks (`----` listings,
 * `....` literals, `++++` passthroughs, Markdown-style fences) kept whole with their `[source]`
 * and `.Title` lines; other delimited blocks (example, sidebar, quote, table) as one block each.
 */
import { LineIndex } from './lineIndex';
import type { Block, ParsedDocument, Section } from './parsedDocument';

const HEADING = /^(={1,6}|#{1,6})\s+(\S.*?)(?:\s+\1)?\s*$/;
const DELIMITER = /^(-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}|\/{4,}|--|[|!,:]={3,}|`{3,}.*)$/;
const ATTRIBUTE_LINE = /^\[[^\]]*\]$/;
const BLOCK_TITLE = /^\.[^.\s]/;
const ATTRIBUTE_ENTRY = /^:!?[\w-]+!?:(?:\s|$)/;
const LINE_COMMENT = /^\/\/(?!\/\/)/;

class AsciidocParser {
  readonly sections: Section[] = [{ breadcrumb: [] }];
  readonly blocks: Block[] = [];
  title?: string;
  private headings: Array<{ level: number; text: string }> = [];
  private section = 0;

  constructor(private readonly lines: LineIndex) {}

  private line(i: number): string {
    return i < this.lines.lineCount ? this.lines.line(i).trimEnd() : '';
  }

  private push(kind: Block['kind'], first: number, endExclusive: number): Block {
    const block: Block = { kind, start: this.lines.lineStart(first), end: this.lines.lineEnd(endExclusive - 1), section: this.section };
    this.blocks.push(block);
    return block;
  }

  private openSection(level: number, text: string): void {
    if (level === 0) this.title ??= text;
    this.headings = this.headings.filter((h) => h.level < level);
    this.headings.push({ level, text });
    this.sections.push({ breadcrumb: this.headings.map((h) => h.text) });
    this.section = this.sections.length - 1;
  }

  /** Line after the delimiter that closes the block opened at `open` (or the end of the file). */
  private closeOf(open: number, delimiter: string): number {
    const fence = delimiter.startsWith('`') ? delimiter.replace(/[^`].*$/, '') : delimiter;
    for (let i = open + 1; i < this.lines.lineCount; i++) if (this.line(i) === fence) return i + 1;
    return this.lines.lineCount;
  }

  parse(): void {
    const count = this.lines.lineCount;
    let i = 0;
    // Attribute ([source,java]) and title (.Example) lines that belong to the next block.
    let pendingFrom: number | undefined;
    while (i < count) {
      const line = this.line(i);
      if (line === '') {
        pendingFrom = undefined;
        i++;
        continue;
      }
      if (ATTRIBUTE_ENTRY.test(line) || LINE_COMMENT.test(line)) {
        i++;
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        // An anchor or style line ([[setup]], [appendix]) above a title belongs to it.
        this.openSection((heading[1] as string).length - 1, (heading[2] as string).trim());
        this.push('heading', pendingFrom ?? i, i + 1);
        pendingFrom = undefined;
        i++;
        continue;
      }
      if (ATTRIBUTE_LINE.test(line) || (BLOCK_TITLE.test(line) && !DELIMITER.test(line))) {
        pendingFrom ??= i;
        i++;
        continue;
      }
      const first = pendingFrom ?? i;
      pendingFrom = undefined;
      if (DELIMITER.test(line)) {
        const end = this.closeOf(i, line);
        const char = line[0];
        if (char === '/') {
          i = end; // comment block
          continue;
        }
        const code = char === '-' && line !== '--' ? true : char === '.' || char === '+' || char === '`';
        const block = this.push(code ? 'code' : char === '|' ? 'table' : 'other', first, end);
        if (code) {
          block.atomic = true;
          const open = this.lines.text.slice(this.lines.lineStart(first), this.lines.lineEnd(i));
          block.fence = { open, close: char === '`' ? line.replace(/[^`].*$/, '') : line };
        }
        i = end;
        continue;
      }
      let end = i + 1;
      while (end < count && this.line(end) !== '' && !DELIMITER.test(this.line(end)) && !HEADING.test(this.line(end))) end++;
      this.push('paragraph', first, end);
      i = end;
    }
  }
}

/** Parses AsciiDoc; the level-0 title (`= Title`) is the document title. */
export function parseAsciidoc(text: string): ParsedDocument {
  const lines = new LineIndex(text);
  const parser = new AsciidocParser(lines);
  parser.parse();
  return {
    text,
    title: parser.title,
    sections: parser.sections,
    blocks: parser.blocks,
    lineAt: (offset) => lines.lineOf(offset) + 1,
  };
}
