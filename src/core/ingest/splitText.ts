/**
 * Cuts text that is over the chunk budget at the best boundary available: a sentence end, then a
 * line end, then whitespace, then any character (never inside a surrogate pair).
 */
import { estimateTokens } from '../tokens';

/** [start, end) offsets in the text, end exclusive. */
export type Range = [number, number];

const SENTENCE_END = new Set(['.', '!', '?', '…', ':', ';']);
const CJK_SENTENCE_END = new Set(['。', '！', '？', '；']);
const CLOSERS = new Set([')', ']', '"', "'", '”', '’', '»', '*', '_', '`']);

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\f' || ch === '\v' || ch === '\u00a0';
}

/** True when the characters before `at` end a sentence (allowing closing quotes and brackets). */
function endsSentence(text: string, at: number, floor: number): boolean {
  let k = at - 1;
  while (k > floor && (text[k] === ' ' || text[k] === '\t')) k--;
  while (k > floor && CLOSERS.has(text[k] ?? '')) k--;
  const ch = text[k] ?? '';
  return SENTENCE_END.has(ch) || CJK_SENTENCE_END.has(ch);
}

/** Moves `at` forward past whitespace, not beyond `end`. */
export function skipSpace(text: string, at: number, end: number): number {
  while (at < end && isSpace(text[at])) at++;
  return at;
}

/** Moves `end` back over whitespace, not before `start`. */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isSpace(text[end - 1])) end--;
  return end;
}

// Never cut between the two halves of a surrogate pair.
function safeCut(text: string, at: number, min: number): number {
  const c = text.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff && at - 1 > min ? at - 1 : at;
}

/**
 * Best cut in (from + half the window, to]: the furthest sentence end (at a line end or inside a
 * line), else the furthest line end, else the furthest whitespace, else `to`.
 */
function findCut(text: string, from: number, to: number): number {
  const floor = from + Math.max(1, Math.floor((to - from) / 2));
  let lineEnd: number | undefined;
  let space: number | undefined;
  for (let k = to; k > floor; k--) {
    const ch = text[k];
    if (ch === '\n' || k === text.length) {
      if (endsSentence(text, k, floor)) return k;
      lineEnd ??= k;
    } else if (ch === ' ' || ch === '\t') {
      // Only the first space of a run can follow a sentence end (and scanning every space of a
      // long run would be quadratic).
      const prev = text[k - 1];
      if (prev !== ' ' && prev !== '\t' && endsSentence(text, k, floor)) return k;
      space ??= k;
    } else if (CJK_SENTENCE_END.has(text[k - 1] ?? '')) {
      return k;
    }
  }
  return lineEnd ?? space ?? safeCut(text, to, from + 1);
}

/**
 * Splits text[start, end) into ranges of at most `budget` estimated tokens, cutting at sentence,
 * then line, then word, then character boundaries. Ranges are trimmed of surrounding whitespace.
 */
export function splitByBudget(text: string, start: number, end: number, budget: number): Range[] {
  const ranges: Range[] = [];
  let pos = skipSpace(text, start, end);
  end = trimEnd(text, pos, end);
  if (pos >= end) return ranges;
  const total = Math.max(1, estimateTokens(text.slice(pos, end)));
  const charsPerToken = (end - pos) / total;
  const window = Math.max(8, Math.floor(budget * charsPerToken * 0.95));
  while (pos < end) {
    if (end - pos <= window && estimateTokens(text.slice(pos, end)) <= budget) {
      ranges.push([pos, end]);
      break;
    }
    let span = Math.min(window, end - pos);
    let cut = findCut(text, pos, pos + span);
    // The window assumes the block's average density; shrink it where the text is denser.
    while (span > 8 && estimateTokens(text.slice(pos, cut)) > budget) {
      span = Math.floor(span * 0.75);
      cut = findCut(text, pos, pos + span);
    }
    const pieceEnd = trimEnd(text, pos, cut);
    ranges.push([pos, pieceEnd > pos ? pieceEnd : cut]);
    pos = skipSpace(text, cut, end);
    // A piece that starts on a new line starts with that line's indentation: whole source lines.
    for (let k = pos - 1; k >= cut; k--) {
      if (text[k] === '\n') {
        pos = k + 1;
        break;
      }
    }
  }
  return ranges;
}

/**
 * Where an overlap carried into the next chunk should start inside text[start, end): the earliest
 * line start or sentence start whose tail fits `budget` tokens. A line start is preferred when it
 * carries at least half as much, so chunk text stays whole source lines. Undefined when none fits.
 */
export function overlapStart(text: string, start: number, end: number, budget: number): number | undefined {
  if (budget <= 0) return undefined;
  // Only the last few characters per token can fit; do not scan a 5 MB block for candidates.
  const from = Math.max(start + 1, end - budget * 12);
  const lineStarts: number[] = [];
  const anyStarts: number[] = [];
  for (let k = from; k < end; k++) {
    const prev = text[k - 1];
    if (isSpace(text[k])) continue;
    if (prev === '\n') {
      lineStarts.push(k);
      anyStarts.push(k);
    } else if ((isSpace(prev) && endsSentence(text, k - 1, from - 1)) || CJK_SENTENCE_END.has(prev ?? '')) {
      anyStarts.push(k);
    }
  }
  const earliestFitting = (starts: number[]): number | undefined => {
    let lo = 0;
    let hi = starts.length;
    // Tails shrink as the start moves right: binary search for the first that fits.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (estimateTokens(text.slice(starts[mid], end)) <= budget) hi = mid;
      else lo = mid + 1;
    }
    return starts[lo];
  };
  const any = earliestFitting(anyStarts);
  const line = earliestFitting(lineStarts);
  if (any === undefined) return undefined;
  if (line !== undefined && estimateTokens(text.slice(line, end)) * 2 >= estimateTokens(text.slice(any, end))) return line;
  return any;
}
