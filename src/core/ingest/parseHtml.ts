/**
 * HTML to readable text with htmlparser2: block elements become blocks (separated by a blank
 * line), h1-h6 make sections, `pre` keeps its whitespace and stays whole, script/style/nav and
 * friends are skipped. Each text node remembers its source line, so chunks cite real lines.
 */
import { Parser } from 'htmlparser2';
import { LineIndex } from './lineIndex';
import type { Block, BlockKind, ParsedDocument, Section } from './parsedDocument';

// <title> is read separately (it is the document title, not body text).
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'nav', 'svg', 'math', 'iframe', 'object', 'canvas', 'select', 'title']);
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'li',
  'main',
  'menu',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
const HEADING = /^h([1-6])$/;

interface Open {
  name: string;
  skip: boolean;
}

class HtmlCollector {
  readonly sections: Section[] = [{ breadcrumb: [] }];
  readonly blocks: Block[] = [];
  title?: string;
  firstH1?: string;
  private readonly parts: string[] = [];
  private length = 0;
  /** Parallel arrays: output offset where a text fragment starts, and its source line (1-based). */
  private readonly segStarts: number[] = [];
  private readonly segLines: number[] = [];
  private readonly stack: Open[] = [];
  private blockStart = 0;
  private blockKind: BlockKind = 'paragraph';
  /** Kind of the last block ended; the separator before the next block depends on it. */
  private previousKind: BlockKind | undefined;
  private preDepth = 0;
  private cellsInRow = 0;
  private titleText: string | undefined;
  private heading: { level: number; text: string } | undefined;
  private headings: Array<{ level: number; text: string }> = [];
  private section = 0;
  private lastChar = '\n';
  /** Whitespace characters at the end of the output, so a block's end is found without a join. */
  private trailingSpace = 0;

  constructor(private readonly source: LineIndex) {}

  get text(): string {
    return this.parts.join('');
  }

  private get skipping(): boolean {
    return this.stack[this.stack.length - 1]?.skip ?? false;
  }

  private push(fragment: string, line: number): void {
    this.segStarts.push(this.length);
    this.segLines.push(line);
    this.parts.push(fragment);
    this.length += fragment.length;
  }

  private append(fragment: string, line: number): void {
    if (fragment === '') return;
    if (this.previousKind !== undefined && this.length === this.blockStart && fragment.trim() !== '') {
      // Rows of one table and items of one list read best one per line; other blocks get a blank line.
      const tight = this.previousKind === this.blockKind && (this.blockKind === 'table' || this.blockKind === 'listItem');
      this.push(tight ? '\n' : '\n\n', line);
      this.blockStart = this.length;
      this.previousKind = undefined;
    }
    this.push(fragment, line);
    this.lastChar = fragment[fragment.length - 1] ?? this.lastChar;
    const trimmed = fragment.trimEnd().length;
    this.trailingSpace = trimmed === 0 ? this.trailingSpace + fragment.length : fragment.length - trimmed;
  }

  // Whitespace at the end of a block is never shown: remove it from the output.
  private dropTrailingSpace(): void {
    let drop = Math.min(this.trailingSpace, this.length - this.blockStart);
    while (drop > 0 && this.parts.length > 0) {
      const last = this.parts[this.parts.length - 1] as string;
      if (last.length <= drop) {
        this.parts.pop();
        this.segStarts.pop();
        this.segLines.pop();
        this.length -= last.length;
        drop -= last.length;
      } else {
        this.parts[this.parts.length - 1] = last.slice(0, last.length - drop);
        this.length -= drop;
        drop = 0;
      }
    }
    this.trailingSpace = 0;
  }

  /** Ends the current block (if it has text) and starts a new one of `kind`. */
  private flush(kind: BlockKind): void {
    if (this.length > this.blockStart) {
      this.dropTrailingSpace();
      const end = this.length;
      if (end > this.blockStart) {
        const block: Block = { kind: this.blockKind, start: this.blockStart, end, section: this.section };
        if (this.blockKind === 'code') block.atomic = true;
        this.blocks.push(block);
        this.previousKind = this.blockKind;
      }
    }
    this.blockStart = this.length;
    this.blockKind = kind;
    this.lastChar = '\n';
  }

  onopentag(name: string, attribs: Record<string, string>): void {
    const skip = this.skipping || SKIP.has(name) || 'hidden' in attribs || attribs['aria-hidden'] === 'true';
    this.stack.push({ name, skip });
    if (name === 'title') this.titleText = '';
    if (skip) return;
    const level = HEADING.exec(name)?.[1];
    if (level) {
      this.flush('heading');
      this.heading = { level: Number(level), text: '' };
      this.headings = this.headings.filter((h) => h.level < Number(level));
      this.sections.push({ breadcrumb: this.headings.map((h) => h.text) });
      this.section = this.sections.length - 1;
    } else if (name === 'pre') {
      if (this.preDepth++ === 0) this.flush('code');
    } else if (BLOCKS.has(name) && this.preDepth === 0) {
      this.flush(name === 'li' ? 'listItem' : name === 'tr' ? 'table' : name === 'blockquote' ? 'quote' : 'paragraph');
      if (name === 'tr') this.cellsInRow = 0;
    } else if ((name === 'td' || name === 'th') && this.cellsInRow++ > 0) {
      this.append(' | ', this.lineAt(Math.max(0, this.length - 1)));
      this.lastChar = ' ';
    } else if (name === 'br') {
      this.append('\n', this.lineAt(Math.max(0, this.length - 1)));
      this.lastChar = '\n';
    }
  }

  onclosetag(name: string): void {
    // Implied and stray end tags: pop to the matching element, ignore an unmatched one.
    let at = this.stack.length - 1;
    while (at >= 0 && this.stack[at]?.name !== name) at--;
    if (at < 0) return;
    const open = this.stack[at] as Open;
    this.stack.length = at;
    if (name === 'title' && this.titleText !== undefined) {
      this.title ??= this.titleText.replace(/\s+/g, ' ').trim() || undefined;
      this.titleText = undefined;
    }
    if (open.skip) return;
    if (HEADING.test(name) && this.heading) {
      const text = this.heading.text.replace(/\s+/g, ' ').trim();
      if (text !== '') {
        this.headings.push({ level: this.heading.level, text });
        (this.sections[this.section] as Section).breadcrumb = this.headings.map((h) => h.text);
        if (this.heading.level === 1) this.firstH1 ??= text;
      }
      this.heading = undefined;
      this.flush('paragraph');
    } else if (name === 'pre') {
      if (--this.preDepth === 0) this.flush('paragraph');
    } else if (BLOCKS.has(name) && this.preDepth === 0) {
      this.flush('paragraph');
    }
  }

  ontext(data: string, startIndex: number): void {
    if (this.titleText !== undefined) this.titleText += data;
    if (this.skipping) return;
    if (this.heading) this.heading.text += data;
    let line = this.source.lineOf(startIndex) + 1;
    if (this.preDepth > 0 && this.length === this.blockStart && data.startsWith('\n')) {
      // HTML drops the newline right after <pre>.
      data = data.slice(1);
      line++;
    }
    // One fragment per source line keeps the line mapping exact, entities or not.
    const pieces = data.split('\n');
    pieces.forEach((piece, i) => {
      if (i > 0) line++;
      if (this.preDepth > 0) {
        this.append(i > 0 ? `\n${piece}` : piece, line);
        return;
      }
      let collapsed = piece.replace(/\s+/g, ' ');
      if (i > 0 && !collapsed.startsWith(' ')) collapsed = ` ${collapsed}`;
      if (/\s/.test(this.lastChar)) collapsed = collapsed.trimStart();
      this.append(collapsed, line);
    });
  }

  /** Source line (1-based) of the output offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.segStarts.length - 1;
    if (hi < 0) return 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segLines[lo] ?? 1;
  }

  finish(): void {
    this.flush('paragraph');
  }
}

/** Parses HTML into readable text blocks; the title is <title>, else the first h1. */
const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// htmlparser2 keeps open tags in an array it unshifts into: the cost grows with the square of the
// nesting depth ('<b>' x 160,000 took 3.3 s). Real pages nest a few dozen levels deep.
const MAX_UNCLOSED_TAGS = 5_000;

/** Opening minus closing non-void tags: an upper bound on how deep the parser's stack can get. */
function unclosedTags(source: string): number {
  let open = 0;
  let close = 0;
  for (const m of source.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,20})\b[^>]{0,2000}?(\/?)>/g)) {
    if (m[1]) close++;
    else if (!m[3] && !VOID_TAGS.has(m[2]!.toLowerCase())) open++;
  }
  return open - close;
}

export function parseHtml(source: string): ParsedDocument {
  const unclosed = unclosedTags(source);
  // chunkDocument falls back to plain text for a document its parser refuses.
  if (unclosed > MAX_UNCLOSED_TAGS) throw new Error(`HTML with ${unclosed} unclosed tags`);
  const lines = new LineIndex(source);
  const collector = new HtmlCollector(lines);
  const parser: Parser = new Parser(
    {
      onopentag: (name, attribs) => collector.onopentag(name, attribs),
      onclosetag: (name) => collector.onclosetag(name),
      // startIndex is where the current event starts: for text, the first character of the text.
      ontext: (data) => collector.ontext(data, parser.startIndex),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(source);
  parser.end();
  collector.finish();
  return {
    text: collector.text,
    title: collector.title ?? collector.firstH1,
    sections: collector.sections,
    blocks: collector.blocks,
    lineAt: (offset) => collector.lineAt(offset),
  };
}
