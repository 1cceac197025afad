/**
 * Markdown structure from markdown-it's block tokens: headings make sections, top-level blocks
 * (paragraph, list, table, fence, blockquote, html) become blocks with their source line ranges.
 */
import MarkdownIt from 'markdown-it';
import { readFrontMatter } from './frontMatter';
import { LineIndex } from './lineIndex';
import type { Block, BlockKind, ParsedDocument, Section } from './parsedDocument';

// Block structure only: inline parsing (links, emphasis) is skipped for speed and runs only on
// heading text. markdown-it stops nesting at maxNesting (100); deeper lines are still covered,
// as plain blocks, by the gap filling below.
const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);

// Heading text only: a second instance with the inline rules on.
const inlineMd = new MarkdownIt('default', { html: true, linkify: false, typographer: false });

type Token = ReturnType<typeof md.parse>[number];

const KINDS: Record<string, BlockKind> = {
  paragraph_open: 'paragraph',
  bullet_list_open: 'list',
  ordered_list_open: 'list',
  list_item_open: 'listItem',
  blockquote_open: 'quote',
  table_open: 'table',
  fence: 'code',
  code_block: 'code',
  html_block: 'html',
  heading_open: 'heading',
};
const CONTAINERS = new Set(['bullet_list_open', 'ordered_list_open', 'list_item_open', 'blockquote_open']);

const MAX_HEADING_CHARS = 300;

/** Plain text of a heading's inline Markdown: emphasis, code spans and links reduced to their text. */
export function headingText(source: string): string {
  const content = source.slice(0, MAX_HEADING_CHARS).replace(/\s*\{#[\w:.-]+\}\s*$/, '');
  const parts: string[] = [];
  for (const token of inlineMd.parseInline(content, {})[0]?.children ?? []) {
    if (token.type === 'text' || token.type === 'code_inline') parts.push(token.content);
    else if (token.type === 'softbreak' || token.type === 'hardbreak') parts.push(' ');
    else if (token.type === 'image') parts.push(token.content);
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

class MarkdownWalker {
  readonly sections: Section[] = [{ breadcrumb: [] }];
  title?: string;
  private headings: Array<{ level: number; text: string }> = [];

  constructor(
    private readonly lines: LineIndex,
    private readonly tokens: Token[],
  ) {}

  /** Index of the `_close` token matching the `_open` token at `open`. */
  private closeOf(open: number): number {
    const token = this.tokens[open] as Token;
    const closeType = token.type.replace(/_open$/, '_close');
    for (let i = open + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i] as Token;
      if (t.level === token.level && t.type === closeType) return i;
    }
    return this.tokens.length - 1;
  }

  /** Last non-blank line in [first, endExclusive), or first - 1 when all are blank. */
  private lastContentLine(first: number, endExclusive: number): number {
    let last = Math.min(endExclusive, this.lines.lineCount) - 1;
    while (last >= first && /^[\s>]*$/.test(this.lines.line(last))) last--;
    return last;
  }

  private block(kind: BlockKind, first: number, last: number, section: number): Block {
    return { kind, start: this.lines.lineStart(first), end: this.lines.lineEnd(last), section };
  }

  private fenceOf(token: Token, first: number): Block['fence'] {
    if (token.type !== 'fence') return undefined;
    const openLine = this.lines.line(first);
    const at = openLine.indexOf(token.markup);
    // Keep blockquote prefixes ("> "), blank out list markers so the re-fence is not a new item.
    const prefix = at > 0 ? openLine.slice(0, at).replace(/[-*+]|\d+[.)]/g, (m) => ' '.repeat(m.length)) : '';
    return { open: prefix + openLine.slice(Math.max(at, 0)).trimEnd(), close: prefix + token.markup };
  }

  /** Blocks of the tokens in [from, to) at `level`, with uncovered non-blank lines as plain blocks. */
  collect(from: number, to: number, level: number, lineRange: [number, number] | undefined, section: number): Block[] {
    const blocks: Block[] = [];
    let coveredTo = lineRange?.[0] ?? 0;
    const fillGap = (untilLine: number): void => {
      let line = coveredTo;
      while (line < untilLine) {
        while (line < untilLine && /^[\s>]*$/.test(this.lines.line(line))) line++;
        const first = line;
        while (line < untilLine && !/^[\s>]*$/.test(this.lines.line(line))) line++;
        if (line > first) blocks.push(this.block('other', first, line - 1, section));
      }
    };
    for (let i = from; i < to; i++) {
      const token = this.tokens[i] as Token;
      if (token.level !== level || token.nesting === -1 || !token.map) continue;
      const close = token.nesting === 1 ? this.closeOf(i) : i;
      const [first, endExclusive] = token.map;
      if (first < coveredTo) {
        i = close;
        continue;
      }
      if (lineRange) fillGap(first);
      const kind = KINDS[token.type];
      const last = this.lastContentLine(first, endExclusive);
      if (kind && last >= first) {
        const block = this.block(kind, first, last, section);
        if (kind === 'code') {
          block.atomic = true;
          block.fence = this.fenceOf(token, first);
        }
        if (CONTAINERS.has(token.type)) block.children = this.collect(i + 1, close, level + 1, [first, last + 1], section);
        blocks.push(block);
      }
      coveredTo = Math.max(coveredTo, endExclusive);
      i = close;
    }
    if (lineRange) fillGap(lineRange[1]);
    return blocks;
  }

  /** Top-level walk: headings open sections; other blocks join the current one. */
  walk(): Block[] {
    const blocks: Block[] = [];
    let section = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const token = this.tokens[i] as Token;
      if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
      const close = token.nesting === 1 ? this.closeOf(i) : i;
      if (token.type === 'heading_open') {
        const level = Number(token.tag.slice(1));
        const text = headingText(this.tokens[i + 1]?.content ?? '');
        if (level === 1 && this.title === undefined && text !== '') this.title = text;
        this.headings = this.headings.filter((h) => h.level < level);
        this.headings.push({ level, text });
        this.sections.push({ breadcrumb: this.headings.map((h) => h.text).filter((t) => t !== '') });
        section = this.sections.length - 1;
      }
      blocks.push(...this.collect(i, close + 1, 0, undefined, section));
      i = close;
    }
    return blocks;
  }
}

/** Parses Markdown (front matter, if any, is not body text; its `title` is the document title). */
export function parseMarkdown(text: string): ParsedDocument {
  const lines = new LineIndex(text);
  const frontMatter = readFrontMatter((i) => (i < lines.lineCount ? lines.line(i) : undefined));
  // Front matter lines are blanked, not removed, so token line maps stay true to the file.
  const body = frontMatter ? '\n'.repeat(frontMatter.lineCount) + text.slice(lines.lineStart(frontMatter.lineCount)) : text;
  const walker = new MarkdownWalker(lines, md.parse(body, {}));
  const blocks = walker.walk();
  return {
    text,
    title: frontMatter?.title ?? walker.title,
    sections: walker.sections,
    blocks,
    lineAt: (offset) => lines.lineOf(offset) + 1,
  };
}
