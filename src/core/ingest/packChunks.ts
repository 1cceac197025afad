/**
 * Packs a parsed document's blocks into chunks: section by section, whole blocks up to the token
 * budget, oversized blocks split (prose at sentences/lines/characters, code only above a hard cap),
 * consecutive chunks of one section overlapping by about `overlapTokens`.
 */
import { estimateTokens, estimateTokensUpTo } from '../tokens';
import type { Block, ParsedDocument } from './parsedDocument';
import { overlapStart, splitByBudget, trimEnd } from './splitText';

/** Sizes the packer works to, all in estimated tokens. */
export interface PackOptions {
  /** Target chunk size (tokens). */
  chunkTokens: number;
  /** Tokens carried from the end of a chunk into the next one of the same section. */
  overlapTokens: number;
  /** Code blocks up to this size (tokens) stay whole, even over `chunkTokens`. */
  maxAtomicTokens: number;
}

/** A chunk before ids and document fields are attached. */
export interface ChunkDraft {
  section: number;
  startLine: number;
  endLine: number;
  text: string;
}

interface Piece {
  start: number;
  end: number;
  tokens: number;
  /** Code: never carried partly as overlap. */
  atomic: boolean;
  /** Re-fenced code: an opening fence line added before the source text (the piece starts a chunk). */
  prefix?: string;
  /** Re-fenced code: a closing fence line added after the source text (the piece ends a chunk). */
  suffix?: string;
}

/** Consecutive blocks of one section, after heading-only sections are merged forward. */
interface Run {
  section: number;
  blocks: Block[];
}

function isPrefix(short: readonly string[], long: readonly string[]): boolean {
  return short.length < long.length && short.every((h, i) => long[i] === h);
}

// A section holding only its heading is merged into the next section when that one is nested
// under it (## Setup directly followed by ### Proxy): the deeper breadcrumb stays true for every
// line of the chunk, and no chunk is a bare heading.
function groupRuns(doc: ParsedDocument): Run[] {
  const runs: Run[] = [];
  for (const block of doc.blocks) {
    const last = runs[runs.length - 1];
    if (last && last.section === block.section) last.blocks.push(block);
    else runs.push({ section: block.section, blocks: [block] });
  }
  const merged: Run[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as Run;
    const next = runs[i + 1];
    const crumbs = doc.sections[run.section]?.breadcrumb ?? [];
    const nextCrumbs = next ? (doc.sections[next.section]?.breadcrumb ?? []) : [];
    if (next && run.blocks.every((b) => b.kind === 'heading') && isPrefix(crumbs, nextCrumbs)) {
      next.blocks.unshift(...run.blocks);
    } else {
      merged.push(run);
    }
  }
  return merged;
}

/** Turns one parsed document into chunk drafts; a new packer per document. */
export class ChunkPacker {
  constructor(
    private readonly doc: ParsedDocument,
    private readonly options: PackOptions,
  ) {}

  /** All chunks of the document, in document order. */
  pack(): ChunkDraft[] {
    const drafts: ChunkDraft[] = [];
    for (const run of groupRuns(this.doc)) {
      const pieces = run.blocks.flatMap((b) => this.expand(b));
      this.packRun(run.section, pieces, drafts);
    }
    return drafts;
  }

  private tokens(start: number, end: number): number {
    return estimateTokens(this.doc.text.slice(start, end));
  }

  private prose(start: number, end: number): Piece[] {
    return splitByBudget(this.doc.text, start, end, this.options.chunkTokens).map(([s, e]) => ({
      start: s,
      end: e,
      tokens: this.tokens(s, e),
      atomic: false,
    }));
  }

  private expand(block: Block): Piece[] {
    const { chunkTokens, maxAtomicTokens } = this.options;
    let start = block.start;
    while (this.doc.text[start] === '\n') start++;
    const end = trimEnd(this.doc.text, start, block.end);
    if (end <= start) return [];
    const atomic = block.atomic === true;
    // Containers are measured at every nesting level: stop counting once it is clear they do not fit.
    const tokens = estimateTokensUpTo(this.doc.text.slice(start, end), atomic ? maxAtomicTokens : chunkTokens);
    if (tokens <= chunkTokens || (atomic && tokens <= maxAtomicTokens)) {
      return [{ start, end, tokens, atomic }];
    }
    if (atomic) return this.splitCode(block, start, end);
    const multiLine = this.doc.text.lastIndexOf('\n', end - 1) >= start;
    if (block.children && block.children.length > 0 && multiLine) return block.children.flatMap((c) => this.expand(c));
    return this.prose(start, end);
  }

  // Code over the hard cap: groups of whole lines up to the budget; a fenced block's pieces are
  // re-fenced with its opening and closing lines, so each piece is still valid Markdown.
  private splitCode(block: Block, start: number, end: number): Piece[] {
    const { text } = this.doc;
    const budget = this.options.chunkTokens;
    const groups: Piece[] = [];
    let groupStart = start;
    let groupTokens = 0;
    let at = start;
    while (at < end) {
      const nl = text.indexOf('\n', at);
      const lineEnd = nl === -1 || nl > end ? end : nl;
      const lineTokens = this.tokens(at, lineEnd) + 1;
      if (groupTokens > 0 && groupTokens + lineTokens > budget) {
        groups.push({ start: groupStart, end: at - 1, tokens: groupTokens, atomic: true });
        groupStart = at;
        groupTokens = 0;
      }
      if (lineTokens > budget) {
        groups.push(...this.prose(at, lineEnd).map((p) => ({ ...p, atomic: true })));
        groupStart = lineEnd + 1;
      } else {
        groupTokens += lineTokens;
      }
      at = lineEnd + 1;
    }
    if (groupTokens > 0) groups.push({ start: groupStart, end, tokens: groupTokens, atomic: true });
    const fence = block.fence;
    if (!fence) return groups;
    // A closing fence line alone would make an empty re-fenced piece: it joins the piece before.
    const tail = groups[groups.length - 1];
    const beforeTail = groups[groups.length - 2];
    if (tail && beforeTail && text.slice(tail.start, tail.end).trim() === fence.close.trim()) {
      groups.pop();
      beforeTail.end = tail.end;
      beforeTail.tokens += tail.tokens;
    }
    return groups.map((g, i) => {
      const piece: Piece = { ...g };
      if (i > 0) piece.prefix = `${fence.open}\n`;
      if (i < groups.length - 1) piece.suffix = `\n${fence.close}`;
      piece.tokens += estimateTokens((piece.prefix ?? '') + (piece.suffix ?? ''));
      return piece;
    });
  }

  private packRun(section: number, pieces: Piece[], out: ChunkDraft[]): void {
    const budget = this.options.chunkTokens;
    let current: Piece[] = [];
    let currentTokens = 0;
    for (const piece of pieces) {
      const last = current[current.length - 1];
      // A re-fenced piece's added fence lines must open or close the chunk's text.
      const fenced = piece.prefix !== undefined || last?.suffix !== undefined;
      if (last && (fenced || currentTokens + piece.tokens > budget)) {
        out.push(this.draft(section, current));
        const carried = fenced ? undefined : this.overlap(current, budget - piece.tokens);
        current = carried ? [carried] : [];
        currentTokens = carried?.tokens ?? 0;
      }
      current.push(piece);
      currentTokens += piece.tokens;
    }
    if (current.length > 0) out.push(this.draft(section, current));
  }

  /** The tail of `pieces` to repeat at the start of the next chunk, within `room` tokens. */
  private overlap(pieces: Piece[], room: number): Piece | undefined {
    const limit = Math.min(this.options.overlapTokens, room);
    if (limit <= 0) return undefined;
    const last = pieces[pieces.length - 1] as Piece;
    let start: number | undefined;
    let carried = 0;
    for (let i = pieces.length - 1; i >= 0; i--) {
      const piece = pieces[i] as Piece;
      if (piece.prefix !== undefined || piece.suffix !== undefined) break;
      if (carried + piece.tokens <= limit) {
        carried += piece.tokens;
        start = piece.start;
        continue;
      }
      if (!piece.atomic) start = overlapStart(this.doc.text, piece.start, piece.end, limit - carried) ?? start;
      break;
    }
    if (start === undefined) return undefined;
    return { start, end: last.end, tokens: this.tokens(start, last.end), atomic: false };
  }

  private draft(section: number, pieces: Piece[]): ChunkDraft {
    const first = pieces[0] as Piece;
    const last = pieces[pieces.length - 1] as Piece;
    const text = (first.prefix ?? '') + this.doc.text.slice(first.start, last.end) + (last.suffix ?? '');
    return {
      section,
      startLine: this.doc.lineAt(first.start),
      endLine: this.doc.lineAt(Math.max(first.start, last.end - 1)),
      text,
    };
  }
}
