/**
 * Values broken across lines: a key wrapped by an editor or a wiki (`AKIAIJACU6\n26N7QOM4XH`),
 * continued with a backslash, concatenated from string pieces (`"AKIATU2X2G" +\n "A5FWEBDYVP"`),
 * quoted or commented line by line (`> AKIAGKK\n> KDYA2BX`). Runs of token characters joined by
 * such breaks are glued together and handed to the shape detectors; a finding counts only when
 * it crosses a break (what lies on one line was found already), and is mapped back.
 */
import type { Detector, Span } from './redactionTypes';

const RUN = String.raw`[A-Za-z0-9+/=_.@-]`;
// A line break with what may surround it: a closing quote and a concatenation operator or a
// backslash before; indentation, a quote or comment marker, an operator and an opening quote after.
const BREAK = String.raw`(?:["'][ \t]*[+.&]?[ \t]*\\?|\\)?[ \t]*\r?\n[ \t]*(?:(?:>|#|\/\/|\*)[ \t]*){0,3}(?:[+.&][ \t]*)?["']?`;
// Runs of 4+ characters joined by breaks, read from the start of a run that ends a line.
const CHAIN_AT = new RegExp(String.raw`${RUN}{4,256}(?:${BREAK}${RUN}{4,256}){1,8}`, 'y');
const RUN_CHAR = new RegExp(RUN);
// What may stand between a run and the line break that ends it.
const BEFORE_BREAK = /[ \t\r\\"'+&]/;
const BREAK_RE = new RegExp(BREAK, 'g');

/** A value found split across lines, with the line breaks (and the quotes and operators around them) taken out. */
export function joinBrokenLines(value: string): string {
  return value.includes('\n') ? value.replace(BREAK_RE, '') : value;
}
// The shortest split value worth a look: an access key id has 20 characters.
const MIN_JOINED = 16;
// Text before a window that the detectors see too, for the key names a secret key needs nearby.
const CONTEXT = 160;
// A value is looked for over at most this many consecutive lines.
const MAX_LINES = 4;

/** One run of a chain: [from, to) in the text. */
interface Piece {
  from: number;
  to: number;
}

/** A shape to look for across line breaks; `context` asks for the text before the value too (a secret key needs a key name nearby). */
export interface SplitProbe {
  detect: Detector;
  context?: boolean;
  /** Skip windows shorter than this when joined. */
  minLength?: number;
}

/**
 * Probes the pieces [first, last] glued together and appends, in text offsets, the findings that
 * cross one of the glued breaks. Each detector sees the character before the first piece (for its
 * boundary check), or the line or so before it when it asked for context.
 */
function probe(text: string, pieces: readonly Piece[], first: number, last: number, probes: readonly SplitProbe[], out: Span[]): void {
  const window = pieces.slice(first, last + 1);
  const from = (window[0] as Piece).from;
  let joined = '';
  const offsets: number[] = [];
  for (const p of window) {
    offsets.push(joined.length);
    joined += text.slice(p.from, p.to);
  }
  if (joined.length < MIN_JOINED) return;
  const pieceOf = (offset: number): number => {
    let k = 0;
    while (k + 1 < offsets.length && (offsets[k + 1] as number) <= offset) k++;
    return k;
  };
  for (const { detect, context, minLength = 0 } of probes) {
    if (joined.length < minLength) continue;
    const before = text.slice(Math.max(0, from - (context ? CONTEXT : 1)), from);
    const found: Span[] = [];
    detect(before + joined, found);
    for (const span of found) {
      const start = span.start - before.length;
      const end = span.end - before.length;
      if (start < 0) continue;
      const a = pieceOf(start);
      const b = pieceOf(end - 1);
      if (a === b) continue;
      out.push({
        start: (window[a] as Piece).from + start - (offsets[a] as number),
        end: (window[b] as Piece).from + end - (offsets[b] as number),
        category: span.category,
      });
    }
  }
}

/**
 * Runs the `probes` on chains of line-broken runs in `text`, over every window of up to four
 * consecutive lines, and appends the findings that cross a break, in `text`'s offsets. Only chains
 * with a digit or an '@' are looked at: every shape that is detected split has one.
 */
export function findSplitValues(text: string, probes: readonly SplitProbe[], out: Span[]): void {
  let done = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    if (nl < done) continue;
    // Back from the line break to the start of the run that ends the line.
    let p = nl - 1;
    while (p >= 0 && nl - p < 8 && BEFORE_BREAK.test(text[p] as string)) p--;
    let start = p + 1;
    while (start > 0 && p - start < 256 && RUN_CHAR.test(text[start - 1] as string)) start--;
    if (p - start < 3) continue;
    CHAIN_AT.lastIndex = start;
    const m = CHAIN_AT.exec(text);
    if (!m) continue;
    done = start + m[0].length;
    const chain = m[0];
    if (chain.length < MIN_JOINED || !/[\d@]/.test(chain)) continue;
    const pieces: Piece[] = [];
    let pos = 0;
    for (const b of chain.matchAll(BREAK_RE)) {
      pieces.push({ from: start + pos, to: start + b.index });
      pos = b.index + b[0].length;
    }
    pieces.push({ from: start + pos, to: start + chain.length });
    for (let first = 0; first < pieces.length - 1; first++) {
      for (let last = first + 1; last < pieces.length && last - first < MAX_LINES; last++) probe(text, pieces, first, last, probes, out);
    }
  }
}
