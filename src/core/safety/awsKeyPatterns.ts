/**
 * Detectors for AWS credentials: access key ids (any case), secret access keys (next to a key name
 * or an access key id, or alone when the shape and entropy say so). Each one scans the text once;
 * every regex has either no ambiguous repetition or a small bound, so the work stays linear.
 */
import { longRunsOf } from './longRuns';
import type { Span } from './redactionTypes';

// Access key ids: AKIA (long-term), ASIA (STS), ABIA/ACCA (other issuers); 20 chars. Found by the
// prefix in any case, then checked: upper case needs upper-case boundaries (so `rootAKIA...backup`
// counts), any other case needs alphanumeric boundaries (`akia...` in a lower-cased wiki page).
const ACCESS_KEY_PREFIX_RE = /a(?:kia|sia|bia|cca)/gi;
const ALNUM = /[A-Za-z0-9]/;
const UPPER_ALNUM = /[A-Z0-9]/;
const ACCESS_KEY_BODY = /^[A-Za-z0-9]{20}$/;
// An upper-case id with one space inside (a no-break space pasted into it): `ASIAGXJHWU EXG6KXXKQZ`.
const SPACED_BODY = /^[A-Z0-9]{5,19} [A-Z0-9]{1,15}$/;

/** The end of the access key id starting at `i`, or -1. */
function accessKeyAt(text: string, i: number): number {
  let value = text.slice(i, i + 20);
  let end = i + 20;
  if (!ACCESS_KEY_BODY.test(value)) {
    const spaced = text.slice(i, i + 21);
    if (!SPACED_BODY.test(spaced) || !/[0-9]/.test(spaced.slice(4))) return -1;
    value = spaced;
    end = i + 21;
  }
  const upper = value === value.toUpperCase();
  // A real id has a digit 96 % of the time; a 20-letter word like AsiaPacificSouthEast has none.
  if (!upper && !/[0-9]/.test(value)) return -1;
  const boundary = upper ? UPPER_ALNUM : ALNUM;
  const before = text[i - 1];
  const after = text[end];
  if ((before !== undefined && boundary.test(before)) || (after !== undefined && boundary.test(after))) return -1;
  return end;
}

/** AWS access key ids, e.g. AKIAIOSFODNN7EXAMPLE (example keys too: they are shaped like real ones), in any case. */
export function findAccessKeys(text: string, out: Span[]): void {
  ACCESS_KEY_PREFIX_RE.lastIndex = 0;
  for (let m = ACCESS_KEY_PREFIX_RE.exec(text); m; m = ACCESS_KEY_PREFIX_RE.exec(text)) {
    const end = accessKeyAt(text, m.index);
    if (end < 0) continue;
    out.push({ start: m.index, end, category: 'awsAccessKey' });
    ACCESS_KEY_PREFIX_RE.lastIndex = end;
  }
}

/** Whether the char code separates the [A-Za-z0-9/+] pieces of a long run: '=', '_' or '-'. */
function separates(code: number): boolean {
  return code === 61 || code === 95 || code === 45;
}
const SECRET_CONTEXT_RE = /secret[\s_-]{0,3}(?:access[\s_-]{0,3})?key|(?:AKIA|ASIA)[A-Z0-9]{16}/gi;
// How far from a 40-char candidate a key name or an access key id may be (UTF-16 units).
const SECRET_CONTEXT_BEFORE = 240;
const SECRET_CONTEXT_AFTER = 120;
// A lone candidate must stand alone: not inside a path, a host name or a longer word.
const LONE_BEFORE = /[\s"'`([|:,=>]/;
const LONE_AFTER = /[\s"'`)\]|,;<]|\.(?![A-Za-z0-9])/y;

/** Whether [start, end) is a word of its own: after a space, quote or bracket, before one or a full stop. */
function standsAlone(text: string, start: number, end: number): boolean {
  if (start > 0 && !LONE_BEFORE.test(text[start - 1] as string)) return false;
  LONE_AFTER.lastIndex = end;
  return end === text.length || LONE_AFTER.test(text);
}

/** Shannon entropy of `s` in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/**
 * Whether a 40-char value with no key name near it is random enough to be a secret key: upper and
 * lower case and a digit, high entropy (random base64 averages 4.9 bits a character; identifiers
 * and paths stay under 4.4), and little of it in lower-case words (a path like
 * `com/AWSEC2/latest/UserGuide/EBSOptimized` is mostly words). About 1 % of random keys fail this.
 */
export function looksRandom(value: string): boolean {
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
  if (entropy(value) < 4.4) return false;
  let inWords = 0;
  for (const m of value.matchAll(/[a-z]{4,}/g)) inWords += m[0].length;
  return inWords / value.length < 0.35;
}

/**
 * AWS secret access keys: 40 base64 characters, never all hex (a git SHA-1). Near an access key id
 * or a name like "aws_secret_access_key", any such value counts; alone, only a random-looking one
 * standing as a word of its own.
 */
export function findSecretKeys(text: string, out: Span[]): void {
  const runs = longRunsOf(text);
  let context: number[] | undefined;
  for (let r = 0; r < runs.length; r += 2) {
    const runEnd = runs[r + 1] as number;
    for (let start = runs[r] as number; start < runEnd;) {
      let end = start;
      while (end < runEnd && !separates(text.charCodeAt(end))) end++;
      if (end - start === 40 && text[end] !== '=') {
        // Where key names and access key ids are, found once per text (not once per candidate).
        context ??= [...text.matchAll(SECRET_CONTEXT_RE)].map((m) => m.index);
        checkSecretKey(text, start, context, out);
      }
      start = end + 1;
    }
  }
}

/** Reports the 40-char candidate at `start` when it is a secret key; `context` holds the offsets of key names and access key ids, ascending. */
function checkSecretKey(text: string, start: number, context: readonly number[], out: Span[]): void {
  const value = text.slice(start, start + 40);
  if (!/[A-Za-z]/.test(value) || /^[0-9a-fA-F]+$/.test(value) || !/[0-9/+]/.test(value)) return;
  const from = start - SECRET_CONTEXT_BEFORE;
  const to = start + 40 + SECRET_CONTEXT_AFTER;
  let lo = 0;
  let hi = context.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((context[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  const near = lo < context.length && (context[lo] as number) <= to;
  if (near || (standsAlone(text, start, start + 40) && looksRandom(value))) out.push({ start, end: start + 40, category: 'awsSecretKey' });
}
