/**
 * The vocabulary shared by the redactor and its detectors (kept apart so the detector files and
 * redact.ts do not import each other).
 */

/** What the redactor looks for; each one can be turned off on its own (`bedrockDocs.redaction.*`). */
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

/**
 * A detected span, [start, end) in UTF-16 code units. Detectors report spans of the text they
 * were given (the matching text, see matchText.ts); the redactor maps them back to the original.
 */
export interface Span {
  start: number;
  end: number;
  category: RedactionCategory;
}

/** A detector: scans `text` once and appends what it finds to `out`. */
export type Detector = (text: string, out: Span[]) => void;

/** One redacted span of the original text, for the preview command. The value itself is left out so a finding can be logged. */
export interface Finding extends Span {
  /** 1-based line and column (UTF-16 code units) of `start`. */
  line: number;
  column: number;
  /** What replaces the span, e.g. `[EMAIL_3f2a9c]`. */
  placeholder: string;
}
