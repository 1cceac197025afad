/**
 * The text the detectors read: the original with its disguises taken off, plus a map back to the
 * original so the redactor replaces the original span. Width is folded (NFKC: `ＡＫＩＡ` is `AKIA`,
 * no-break spaces are spaces), format characters are dropped (zero-width space and joiners, word
 * joiner, soft hyphen, BOM, variation selectors), `%XX` escapes of printable ASCII and the HTML
 * references that hide the same things (`&#64;`, `&shy;`, `<wbr>`) are decoded. Case is left alone:
 * each detector folds case where its format allows.
 *
 * Most chunks are plain ASCII with nothing to decode; they are returned as they are, with no map.
 */

/** Matching text and, when it differs from the original, how to map its offsets back. */
export interface MatchText {
  text: string;
  /** Original [start, end) of matching-text span [start, end); identity when the text was unchanged. */
  toOriginal(start: number, end: number): { start: number; end: number };
}

const IDENTITY = (start: number, end: number): { start: number; end: number } => ({ start, end });

// The places that may change: a non-ASCII unit, %XX, a character reference, <wbr>.
const SPECIAL_RE = /[\u0080-\uFFFF]|%[0-9A-Fa-f]{2}|&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,16}));|<wbr\s*\/?>/gi;
const NAMED: Record<string, number> = {
  shy: 0xad,
  ZeroWidthSpace: 0x200b,
  zwj: 0x200d,
  zwnj: 0x200c,
  NoBreak: 0x2060,
  nbsp: 0xa0,
  commat: 0x40,
  period: 0x2e,
};
const FORMAT_RE = /^[\p{Cf}\u034F\uFE00-\uFE0F\u180B-\u180F]$/u;
const LINE_SEPARATORS = new Set([0x85, 0x2028, 0x2029]);

const foldCache = new Map<number, string>();

/** What one code point becomes in the matching text: '' for format characters, its NFKC form otherwise. */
function fold(cp: number): string {
  let out = foldCache.get(cp);
  if (out === undefined) {
    const ch = String.fromCodePoint(cp);
    out = FORMAT_RE.test(ch) ? '' : LINE_SEPARATORS.has(cp) ? '\n' : ch.normalize('NFKC');
    if (foldCache.size < 4096) foldCache.set(cp, out);
  }
  return out;
}

/**
 * Segments of the matching text: from `norm[k]`, either linear (char i comes from original
 * `orig[k] + (i - norm[k])`) or collapsed (every char comes from original [orig[k], origEnd[k])).
 */
class OffsetMap {
  readonly norm: number[] = [];
  readonly orig: number[] = [];
  readonly origEnd: number[] = [];
  readonly linear: boolean[] = [];

  add(norm: number, orig: number, origEnd: number, linear: boolean): void {
    const k = this.norm.length - 1;
    // Extend the previous linear segment when this one continues it.
    if (linear && k >= 0 && this.linear[k] && orig - (this.orig[k] as number) === norm - (this.norm[k] as number)) return;
    this.norm.push(norm);
    this.orig.push(orig);
    this.origEnd.push(origEnd);
    this.linear.push(linear);
  }

  private segment(i: number): number {
    let lo = 0;
    let hi = this.norm.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.norm[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Original start of matching char i. */
  startOf(i: number): number {
    const k = this.segment(i);
    return this.linear[k] ? (this.orig[k] as number) + i - (this.norm[k] as number) : (this.orig[k] as number);
  }

  /** Original end of matching char i. */
  endOf(i: number): number {
    const k = this.segment(i);
    return this.linear[k] ? (this.orig[k] as number) + i - (this.norm[k] as number) + 1 : (this.origEnd[k] as number);
  }
}

/** The matching text of `original`; the same string, with an identity map, when nothing needs undoing. */
export function matchTextOf(original: string): MatchText {
  const map = new OffsetMap();
  let out = '';
  const emit = (s: string, from: number, to: number, linear: boolean): void => {
    if (s === '') return;
    // One character for one (full width to ASCII) keeps the map linear, so long runs cost one segment.
    map.add(out.length, from, to, linear || s.length === to - from);
    out += s;
  };
  let plainFrom = 0;
  let changed = false;
  const flushPlain = (to: number): void => {
    if (to > plainFrom) emit(original.slice(plainFrom, to), plainFrom, to, true);
  };
  // Jump from one candidate to the next: everything between them is plain ASCII.
  SPECIAL_RE.lastIndex = 0;
  for (let m = SPECIAL_RE.exec(original); m; m = SPECIAL_RE.exec(original)) {
    const i = m.index;
    const token = m[0];
    let replacement: string | undefined;
    let width = token.length;
    if (token[0] === '%') {
      const code = parseInt(token.slice(1), 16);
      if (code >= 0x21 && code <= 0x7e) replacement = String.fromCharCode(code);
    } else if (token[0] === '&') {
      const cp = m[1] ? parseInt(m[1], 10) : m[2] ? parseInt(m[2], 16) : NAMED[m[3] as string];
      if (cp !== undefined && cp > 0 && cp <= 0x10ffff) replacement = cp < 0x80 ? (cp >= 0x20 ? String.fromCharCode(cp) : ' ') : fold(cp);
    } else if (token[0] === '<') {
      replacement = '';
    } else {
      const cp = original.codePointAt(i) as number;
      width = cp > 0xffff ? 2 : 1;
      SPECIAL_RE.lastIndex = i + width;
      const folded = fold(cp);
      if (folded !== original.slice(i, i + width)) replacement = folded;
    }
    if (replacement === undefined) continue;
    changed = true;
    flushPlain(i);
    emit(replacement, i, i + width, false);
    plainFrom = i + width;
  }
  if (!changed) return { text: original, toOriginal: IDENTITY };
  flushPlain(original.length);
  return {
    text: out,
    toOriginal: (start, end) => ({ start: map.startOf(start), end: end > start ? map.endOf(end - 1) : map.startOf(start) }),
  };
}
