/**
 * reStructuredText structure: section titles (underlined, or over- and underlined, with one
 * punctuation character), literal blocks after `::` and code directives kept whole, paragraphs.
 */
import { LineIndex } from './lineIndex';
import type { Block, ParsedDocument, Section } from './parsedDocument';

// Any non-alphanumeric printable ASCII character may adorn a title (docutils); one character
// repeated, at least two times.
const ADORNMENT = /^([!-/:-@[-`{-~])\1+\s*$/;
const CODE_DIRECTIVE = /^\.\.\s+(?:code-block|code|sourcecode|highlight|literalinclude|math|parsed-literal)::/;
const DIRECTIVE = /^\.\.\s+[\w:.+-]+::/;
const COMMENT_OR_TARGET = /^\.\.(?:\s|$)/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

class RstParser {
  readonly sections: Section[] = [{ breadcrumb: [] }];
  readonly blocks: Block[] = [];
  title?: string;
  private readonly styles: string[] = [];
  private headings: Array<{ level: number; text: string }> = [];
  private section = 0;

  constructor(private readonly lines: LineIndex) {}

  private line(i: number): string {
    return i < this.lines.lineCount ? this.lines.line(i) : '';
  }

  private isAdornment(i: number): boolean {
    return i < this.lines.lineCount && ADORNMENT.test(this.line(i));
  }

  /** A title at line i: [lines it takes, style, text], or undefined. */
  private titleAt(i: number): [number, string, string] | undefined {
    const prevBlank = i === 0 || this.lines.isBlank(i - 1);
    if (!prevBlank) return undefined;
    const line = this.line(i);
    if (this.isAdornment(i)) {
      const text = this.line(i + 1).trim();
      const under = this.line(i + 2).trimEnd();
      if (text !== '' && !this.isAdornment(i + 1) && this.isAdornment(i + 2) && under[0] === line[0]) {
        return [3, `over${line[0]}`, text];
      }
      return undefined;
    }
    if (line.trim() === '' || indentOf(line) > 0 || !this.isAdornment(i + 1)) return undefined;
    const underLength = this.line(i + 1).trimEnd().length;
    const text = line.trim();
    // docutils accepts a short underline with a warning; require 4+ characters then.
    if (underLength < text.length && underLength < 4) return undefined;
    return [2, `under${this.line(i + 1)[0]}`, text];
  }

  private openSection(style: string, text: string): void {
    let level = this.styles.indexOf(style);
    if (level === -1) {
      this.styles.push(style);
      level = this.styles.length - 1;
    }
    this.title ??= text;
    this.headings = this.headings.filter((h) => h.level < level);
    this.headings.push({ level, text });
    this.sections.push({ breadcrumb: this.headings.map((h) => h.text) });
    this.section = this.sections.length - 1;
  }

  /** End (exclusive) of the indented body that follows line i: indented or blank lines. */
  private indentedBodyEnd(i: number, baseIndent: number): number {
    let end = i + 1;
    let lastContent = i;
    while (end < this.lines.lineCount) {
      const line = this.line(end);
      if (line.trim() !== '') {
        if (indentOf(line) <= baseIndent) break;
        lastContent = end;
      }
      end++;
    }
    return lastContent + 1;
  }

  private push(kind: Block['kind'], first: number, endExclusive: number, atomic = false): void {
    const block: Block = { kind, start: this.lines.lineStart(first), end: this.lines.lineEnd(endExclusive - 1), section: this.section };
    if (atomic) block.atomic = true;
    this.blocks.push(block);
  }

  parse(): void {
    const count = this.lines.lineCount;
    let i = 0;
    while (i < count) {
      if (this.lines.isBlank(i)) {
        i++;
        continue;
      }
      const title = this.titleAt(i);
      if (title) {
        this.openSection(title[1], title[2]);
        this.push('heading', i, i + title[0]);
        i += title[0];
        continue;
      }
      const line = this.line(i);
      const indent = indentOf(line);
      const trimmed = line.trim();
      if (DIRECTIVE.test(trimmed)) {
        const end = this.indentedBodyEnd(i, indent);
        this.push(CODE_DIRECTIVE.test(trimmed) ? 'code' : 'other', i, end, CODE_DIRECTIVE.test(trimmed));
        i = end;
        continue;
      }
      if (COMMENT_OR_TARGET.test(trimmed)) {
        // Comments, link targets and substitution definitions are not body text.
        i = this.indentedBodyEnd(i, indent);
        continue;
      }
      // A paragraph: up to the next blank line or title.
      let end = i + 1;
      while (end < count && !this.lines.isBlank(end)) end++;
      this.push('paragraph', i, end);
      if (
        this.line(end - 1)
          .trimEnd()
          .endsWith('::')
      ) {
        // An expanded literal block: the indented lines after a paragraph ending in "::".
        let next = end;
        while (next < count && this.lines.isBlank(next)) next++;
        if (next < count && indentOf(this.line(next)) > indentOf(this.line(end - 1))) {
          const bodyEnd = this.indentedBodyEnd(next - 1, indentOf(this.line(end - 1)));
          this.push('code', next, bodyEnd, true);
          end = bodyEnd;
        }
      }
      i = end;
    }
  }
}

/** Parses reStructuredText; the first section title is the document title. */
export function parseRst(text: string): ParsedDocument {
  const lines = new LineIndex(text);
  const parser = new RstParser(lines);
  parser.parse();
  return {
    text,
    title: parser.title,
    sections: parser.sections,
    blocks: parser.blocks,
    lineAt: (offset) => lines.lineOf(offset) + 1,
  };
}
