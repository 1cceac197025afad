/**
 * Local redaction: secrets and personal data are replaced by stable placeholders before any text
 * leaves the machine (chunks sent for embedding, retrieved text and the question sent to the
 * model). A placeholder is derived from a hash of the category and the value, e.g.
 * `[EMAIL_3f2a9c]`: the same value gets the same placeholder in every chunk and every run, so the
 * embedding cache (keyed by the redacted text) stays warm and answers stay readable.
 */
import { contentHash } from '../hash';
import { findCards, findEmails, findPhones } from './piiPatterns';
import { findAccessKeys, findPrivateKeys, findSecretKeys, findTokens } from './secretPatterns';

/** What the redactor looks for; each one can be turned off on its own. */
export type RedactionCategory = 'awsAccessKey' | 'awsSecretKey' | 'privateKey' | 'token' | 'email' | 'phone' | 'creditCard';

/** Every category, strongest first: where matches overlap, the first one here names the span. */
export const REDACTION_CATEGORIES: readonly RedactionCategory[] = [
  'privateKey',
  'awsSecretKey',
  'awsAccessKey',
  'token',
  'creditCard',
  'email',
  'phone',
];

/** A detected span of text, [start, end) in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
  category: RedactionCategory;
}

/** One redacted span, for the preview command. The value itself is left out so a finding can be logged. */
export interface Finding extends Span {
  /** 1-based line and column (UTF-16 code units) of `start`. */
  line: number;
  column: number;
  /** What replaces the span, e.g. `[EMAIL_3f2a9c]`. */
  placeholder: string;
}

/** Which categories to redact (all by default) and an optional key for the placeholder hash. */
export interface RedactorOptions {
  /** `false` turns a category off; missing categories stay on. */
  categories?: Partial<Record<RedactionCategory, boolean>>;
  /**
   * Mixed into the placeholder hash. Without it, anyone who guesses a value (a colleague's email)
   * can confirm it from its placeholder; with a per-installation secret they cannot. Changing it
   * changes every placeholder, so the embedding cache is rebuilt.
   */
  salt?: string;
}

/** A configured redactor; both functions are pure and may be passed around unbound. */
export interface Redactor {
  /** The text with every finding replaced by its placeholder; the same string when there is none. */
  redact(text: string): string;
  /** The spans `redact` would replace, in text order, never overlapping. */
  findings(text: string): Finding[];
}

const TAGS: Record<RedactionCategory, string> = {
  awsAccessKey: 'AWS_ACCESS_KEY',
  awsSecretKey: 'AWS_SECRET_KEY',
  privateKey: 'PRIVATE_KEY',
  token: 'TOKEN',
  email: 'EMAIL',
  phone: 'PHONE',
  creditCard: 'CREDIT_CARD',
};

const DETECTORS: Record<RedactionCategory, (text: string, out: Span[]) => void> = {
  awsAccessKey: findAccessKeys,
  awsSecretKey: findSecretKeys,
  privateKey: findPrivateKeys,
  token: findTokens,
  email: findEmails,
  phone: findPhones,
  creditCard: findCards,
};

// Hex digits of the hash in a placeholder: 24 bits keep answers readable; two different values
// colliding in one workspace only makes them look alike to the model.
const HASH_CHARS = 6;

/** Spellings of one value that mean the same thing hash the same (emails ignore case, numbers keep digits). */
function canonical(category: RedactionCategory, value: string): string {
  if (category === 'email') return value.toLowerCase();
  if (category === 'creditCard') return value.replace(/\D/g, '');
  // +1 206 555 0100 and (206) 555-0100 are one number.
  if (category === 'phone') return value.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  return value;
}

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

/** Builds a redactor; every category is on unless `options.categories` turns it off. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const enabled = REDACTION_CATEGORIES.filter((c) => options.categories?.[c] !== false);
  const salt = options.salt ?? '';
  const placeholderOf = (category: RedactionCategory, value: string): string => {
    const hash = contentHash(`${salt}\u0000${category}\u0000${canonical(category, value)}`).slice(0, HASH_CHARS);
    return `[${TAGS[category]}_${hash}]`;
  };
  const spansOf = (text: string): Span[] => {
    const spans: Span[] = [];
    for (const category of enabled) DETECTORS[category](text, spans);
    return spans.length === 0 ? spans : merge(spans);
  };
  const findings = (text: string): Finding[] => {
    const spans = spansOf(text);
    if (spans.length === 0) return [];
    const locate = lineLocator(text);
    return spans.map((s) => ({ ...s, ...locate(s.start), placeholder: placeholderOf(s.category, text.slice(s.start, s.end)) }));
  };
  const redact = (text: string): string => {
    const spans = spansOf(text);
    if (spans.length === 0) return text;
    let out = '';
    let pos = 0;
    for (const s of spans) {
      out += text.slice(pos, s.start) + placeholderOf(s.category, text.slice(s.start, s.end));
      pos = s.end;
    }
    return out + text.slice(pos);
  };
  return { redact, findings };
}

/** The redactor the settings ask for (`bedrockDocs.redaction.*`), as an `outgoingText` function. */
export function redactorFromSettings(settings: { [K in `redaction.${RedactionCategory}`]: boolean }): Redactor {
  const categories: Partial<Record<RedactionCategory, boolean>> = {};
  for (const c of REDACTION_CATEGORIES) categories[c] = settings[`redaction.${c}`];
  return createRedactor({ categories });
}
