/**
 * Local redaction: secrets and personal data are replaced by placeholders before any text leaves
 * the machine (chunks sent for embedding, retrieved text, file names and the question sent to the
 * model). One entry point, `createRedactor({ categories, salt })`, pure and synchronous:
 *
 * - `redact(text)` returns the text with every finding replaced by `[CATEGORY_hhhhhh]`, an
 *   HMAC-SHA256 of the value under the installation's salt (placeholder.ts);
 * - `findings(text)` lists what `redact` would replace (offsets, line, column, placeholder), never
 *   the values, for the preview command.
 *
 * Detection reads a normalised copy of the text (matchText.ts: width folded, zero-width and format
 * characters dropped, %XX and HTML references decoded) and replaces the matching span of the
 * original. Values split across lines are glued back (splitValues.ts); base64 runs are decoded
 * and searched (encodedSecrets.ts). Text that was redacted already comes back unchanged.
 */
import { findAssignments } from './assignmentPatterns';
import { findAccessKeys, findSecretKeys } from './awsKeyPatterns';
import { findCards } from './cardPatterns';
import { findContextSecrets } from './contextPatterns';
import { findEncodedSecrets } from './encodedSecrets';
import { matchTextOf } from './matchText';
import { findEmails, findPhones } from './piiPatterns';
import { PLACEHOLDER_RE, placeholderMaker, processSalt } from './placeholder';
import { findPrivateKeys } from './privateKeyPatterns';
import type { Detector, Finding, RedactionCategory, Span } from './redactionTypes';
import { REDACTION_CATEGORIES } from './redactionTypes';
import type { SplitProbe } from './splitValues';
import { findSplitValues } from './splitValues';
import { findPrefixedTokens, findShapedTokens } from './tokenPatterns';

export type { Finding, RedactionCategory, Span } from './redactionTypes';
export { REDACTION_CATEGORIES } from './redactionTypes';

/** Which categories to redact (all by default) and the installation's salt for the placeholders. */
export interface RedactorOptions {
  /** `false` turns a category off; missing categories stay on. */
  categories?: Partial<Record<RedactionCategory, boolean>>;
  /**
   * The key of the placeholder HMAC: 32 random bytes kept locally (src/node/redactionSalt.ts).
   * Without it a random salt for this process is used: placeholders are then stable within the
   * process only. Never unsalted: an unsalted hash of a card number can be brute-forced.
   */
  salt?: Uint8Array;
}

/** A configured redactor; both functions are pure and may be passed around unbound. */
export interface Redactor {
  /** The text with every finding replaced by its placeholder; the same string when there is none. */
  redact(text: string): string;
  /** The spans `redact` would replace, in text order, never overlapping, offsets in the original text. */
  findings(text: string): Finding[];
}

// Which detector finds which categories (some report several: a base64 run holds a key or a token).
const DETECTORS: ReadonlyArray<{ categories: readonly RedactionCategory[]; detect: Detector }> = [
  { categories: ['privateKey'], detect: findPrivateKeys },
  { categories: ['awsSecretKey'], detect: findSecretKeys },
  { categories: ['awsAccessKey'], detect: findAccessKeys },
  { categories: ['privateKey', 'awsSecretKey', 'awsAccessKey', 'token'], detect: findEncodedSecrets },
  { categories: ['token'], detect: findPrefixedTokens },
  { categories: ['token'], detect: findShapedTokens },
  { categories: ['token'], detect: findAssignments },
  { categories: ['token'], detect: findContextSecrets },
  { categories: ['creditCard'], detect: findCards },
  { categories: ['email'], detect: findEmails },
  { categories: ['phone'], detect: findPhones },
];
// Shapes that are also looked for across line breaks.
const SPLIT_PROBES: readonly SplitProbe[] = [
  { detect: findAccessKeys },
  { detect: findSecretKeys, context: true, minLength: 40 },
  { detect: findPrefixedTokens },
  { detect: findShapedTokens },
  { detect: findEmails },
];

/** Overlapping spans become one, named by the strongest category among them. */
function merge(spans: Span[]): Span[] {
  const rank = (c: RedactionCategory): number => REDACTION_CATEGORIES.indexOf(c);
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      if (span.end > last.end) last.end = span.end;
      if (rank(span.category) < rank(last.category)) last.category = span.category;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Line starts of `text`, computed once per call that has findings. */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}

/** Spans of `text` that are placeholders already: nothing inside or across them is redacted again. */
function placeholderSpans(text: string): Array<[number, number]> {
  if (!text.includes('[')) return [];
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => [m.index, m.index + m[0].length]);
}

/** A finding before its placeholder is made: original span plus the matching text of its value. */
interface Located extends Span {
  value: string;
}

/** Builds a redactor; every category is on unless `options.categories` turns it off. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const enabled = new Set(REDACTION_CATEGORIES.filter((c) => options.categories?.[c] !== false));
  const detectors = DETECTORS.filter((d) => d.categories.some((c) => enabled.has(c))).map((d) => d.detect);
  const placeholderOf = placeholderMaker(options.salt ?? processSalt());

  const locate = (text: string): Located[] => {
    const match = matchTextOf(text);
    const spans: Span[] = [];
    for (const detect of detectors) detect(match.text, spans);
    findSplitValues(match.text, SPLIT_PROBES, spans);
    const kept = spans.filter((s) => enabled.has(s.category));
    if (kept.length === 0) return [];
    const existing = placeholderSpans(text);
    const located: Located[] = [];
    for (const span of merge(kept)) {
      const original = match.toOriginal(span.start, span.end);
      if (existing.some(([a, b]) => original.start < b && a < original.end)) continue;
      located.push({ ...original, category: span.category, value: match.text.slice(span.start, span.end) });
    }
    return located;
  };

  const findings = (text: string): Finding[] => {
    const spans = locate(text);
    if (spans.length === 0) return [];
    const at = lineLocator(text);
    return spans.map(({ start, end, category, value }) => ({
      start,
      end,
      category,
      ...at(start),
      placeholder: placeholderOf(category, value),
    }));
  };

  const redact = (text: string): string => {
    const spans = locate(text);
    if (spans.length === 0) return text;
    let out = '';
    let pos = 0;
    for (const s of spans) {
      out += text.slice(pos, s.start) + placeholderOf(s.category, s.value);
      pos = s.end;
    }
    return out + text.slice(pos);
  };
  return { redact, findings };
}

/**
 * The redactor the settings ask for (`bedrockDocs.redaction.*`). Pass the installation's salt
 * (loadOrCreateRedactionSalt in src/node/redactionSalt.ts) so placeholders stay stable across runs.
 */
export function redactorFromSettings(settings: { [K in `redaction.${RedactionCategory}`]: boolean }, salt?: Uint8Array): Redactor {
  const categories: Partial<Record<RedactionCategory, boolean>> = {};
  for (const c of REDACTION_CATEGORIES) categories[c] = settings[`redaction.${c}`];
  return createRedactor({ categories, ...(salt ? { salt } : {}) });
}
