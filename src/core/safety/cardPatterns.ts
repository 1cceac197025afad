/**
 * Payment card numbers: 13-19 digits with a known issuer prefix and a valid Luhn checksum, plain
 * or printed in the usual groups, whatever the separators (spaces, no-break spaces, dashes, dots,
 * slashes, underscores) and even broken across two lines. Numbers are read as sequences of digit
 * groups in one linear pass; a card is any run of consecutive groups that passes the checks, so
 * "Order 2024 4111 1111 1111 1111" finds the card after the year.
 */
import type { Span } from './redactionTypes';

// Digit groups joined by one separator, or by a line break (with a quote marker or indentation).
const SEPARATOR = String.raw`[ .\-\/_]|[ \t]*\r?\n[ \t]*(?:>[ \t]*)*`;
// Not inside a word or a longer number, and not the fraction of a decimal (0.4532015112830366).
const SEQUENCE_RE = new RegExp(String.raw`(?<![\p{L}\p{N}]|\d\.)\d{1,19}(?:(?:${SEPARATOR})\d{1,19}){0,24}(?![\p{L}\p{N}])`, 'gu');
const GROUP_RE = /\d+/g;

// Issuer prefixes: Visa, Mastercard (51-55, 2221-2720), Amex, Diners, Discover, JCB, UnionPay.
const CARD_PREFIX_RE = /^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6(?:011|5|4[4-9]|22)|35|62)/;
// How cards are printed when they are grouped: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4, 13-16 digit Visa.
const CARD_GROUPINGS = new Set(['4,4,4,4', '4,4,4,4,3', '4,6,5', '4,6,4', '4,4,4,1', '4,4,4,2', '4,4,4,3', '4,4,5']);

/** Luhn (mod 10) checksum of a digit string: true when it is valid. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

interface Group {
  start: number;
  end: number;
  /** The separator before this group ('' for the first one); '\n' for a line break. */
  before: string;
}

/** Whether groups [i, j] are printed the way a card is: one group, the usual grouping, or either of those broken by one line break. */
function cardShaped(groups: readonly Group[], i: number, j: number): boolean {
  const sizes: number[] = [];
  let breaks = 0;
  const merged: number[] = [];
  for (let k = i; k <= j; k++) {
    const g = groups[k] as Group;
    const size = g.end - g.start;
    sizes.push(size);
    if (k > i && g.before === '\n') {
      breaks++;
      merged[merged.length - 1] = (merged[merged.length - 1] as number) + size;
    } else merged.push(size);
  }
  if (breaks > 1) return false;
  const shaped = (s: number[]): boolean => s.length === 1 || CARD_GROUPINGS.has(s.join(','));
  return shaped(sizes) || (breaks === 1 && shaped(merged));
}

/** Whether groups [i, j] sit in a list of numbers (`22502493, 22507210\n22507234, 22551446`): a line break there is the list's, not the card's. */
function inNumberList(text: string, groups: readonly Group[], i: number, j: number): boolean {
  const before = text.slice(Math.max(0, (groups[i] as Group).start - 3), (groups[i] as Group).start);
  const after = text.slice((groups[j] as Group).end, (groups[j] as Group).end + 3);
  return /[,;][ \t]*$/.test(before) || /^[ \t]*[,;]/.test(after);
}

function isCardNumber(digits: string): boolean {
  return CARD_PREFIX_RE.test(digits) && !/^(\d)\1+$/.test(digits) && luhnValid(digits);
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/** Payment card numbers: 13-19 digits, known issuer prefix, Luhn-valid, plain or grouped. */
export function findCards(text: string, out: Span[]): void {
  for (const m of text.matchAll(SEQUENCE_RE)) {
    const seq = m[0];
    if (digitCount(seq) < 13) continue;
    const groups: Group[] = [];
    let previousEnd = 0;
    for (const g of seq.matchAll(GROUP_RE)) {
      const between = seq.slice(previousEnd, g.index);
      groups.push({ start: m.index + g.index, end: m.index + g.index + g[0].length, before: between.includes('\n') ? '\n' : between });
      previousEnd = g.index + g[0].length;
    }
    for (let i = 0; i < groups.length; i++) {
      const first = groups[i] as Group;
      // After a dot, the digits belong to a version, an address or a decimal (1.4111..., 0.4532...).
      if (first.before === '.') continue;
      // Every printed grouping starts with 4 digits; otherwise only one group, or two split by a line break.
      const size = first.end - first.start;
      const lastGroup = size === 4 ? groups.length - 1 : Math.min(groups.length - 1, i + 1);
      let digits = '';
      let split = false;
      for (let j = i; j <= lastGroup && digits.length < 19; j++) {
        const g = groups[j] as Group;
        digits += text.slice(g.start, g.end);
        if (j > i && g.before === '\n') split = true;
        if (digits.length < 13 || digits.length > 19 || groups[j + 1]?.before === '.') continue;
        if (size !== 4 && j > i && !split) continue;
        if (cardShaped(groups, i, j) && isCardNumber(digits) && !(split && inNumberList(text, groups, i, j))) {
          out.push({ start: first.start, end: g.end, category: 'creditCard' });
          i = j;
          break;
        }
      }
    }
  }
}
