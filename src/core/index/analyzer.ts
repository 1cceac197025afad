/**
 * Text analysis for the full-text side: the same pipeline for chunks and questions so that both
 * sides agree on what a term is. Choices (each measured with the eval on aws-docs-qa):
 * - Markdown backslash escapes and HTML tags/anchors are removed before tokenizing, or `1\.25` and
 *   `single\-digit` never match a question;
 * - identifiers are kept whole AND split (camelCase, snake_case, dotted, hyphenated), so both
 *   `DescribeDBInstances` and "describe db instances" find the same chunk;
 * - generic English stop words are dropped (question words included);
 * - a light English stemmer folds plurals and verb forms.
 */
import { stemWord } from './stem';
import { STOP_WORDS } from './stopWords';

const ESCAPE = /\\([\\`*_{}[\]()#+\-.!|<>~"'$&%=:;,/?@^])/g;
const HTML_TAG = /<\/?[a-zA-Z][^<>]{0,500}>/g;
// Link and image destinations: `[text](target "title")` keeps `text`; targets are file names and
// URLs that add noise to every chunk that links somewhere.
const LINK_TARGET = /\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g;
// A word: letters/digits, joined by _ . - ' when a letter or digit follows (so "v1.2", "e-mail",
// "max_tokens", "aws.s3.Bucket" stay one raw token before they are split).
const RAW_TOKEN = /[\p{L}\p{N}]+(?:[_.\-'’][\p{L}\p{N}]+)*/gu;
const MAX_TOKEN_LENGTH = 64;
const PLAIN_WORD = /^[A-Za-z]?[a-z]*$/;

/** Removes Markdown escapes, HTML tags and anchors; keeps the words. */
export function cleanText(text: string): string {
  return text.replace(LINK_TARGET, ']').replace(HTML_TAG, ' ').replace(ESCAPE, '$1');
}

function pushTerm(out: string[], term: string): void {
  if (term.length === 0 || term.length > MAX_TOKEN_LENGTH) return;
  if (STOP_WORDS.has(term)) return;
  out.push(stemWord(term));
}

/**
 * Splits one raw token into its terms: the whole (lowercased, apostrophes dropped) and, for
 * identifiers, every part. Parts that equal the whole are not repeated.
 */
function analyzeToken(raw: string, out: string[]): void {
  if (PLAIN_WORD.test(raw)) {
    // The common case (a plain word, maybe capitalised) skips the identifier checks.
    pushTerm(out, raw.toLowerCase());
    return;
  }
  const token = raw.replace(/['’]/g, '');
  const lower = token.toLowerCase();
  const hasJoiner = /[_.-]/.test(token);
  const hasInnerCase = /[\p{Ll}\p{N}]\p{Lu}|\p{Lu}\p{Lu}\p{Ll}/u.test(token);
  const isNumber = /^[\p{N}.]+$/u.test(token);
  if (isNumber) {
    // "1.25", "2021" stay whole: splitting versions into digits only adds noise.
    pushTerm(out, lower);
    return;
  }
  if (!hasJoiner && !hasInnerCase) {
    pushTerm(out, lower);
    return;
  }
  pushTerm(out, lower);
  for (const piece of token.split(/[_.-]+/)) {
    if (piece.length === 0) continue;
    // camelCase boundaries only: "EC2Instance" -> EC2 Instance, "DBInstances" -> DB Instances;
    // letters and digits stay together ("s3", "m3", "v2").
    const pieces = piece
      .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
      .split(' ');
    for (const part of pieces) {
      const p = part.toLowerCase();
      if (p !== lower) pushTerm(out, p);
    }
  }
}

// Raw tokens repeat (Zipf): their terms are memoised, bounded so memory stays flat (~5 MB).
const memo = new Map<string, readonly string[]>();
const MEMO_LIMIT = 50_000;

/** Terms of a text, in order, duplicates kept (term frequency matters). */
export function analyze(text: string): string[] {
  const out: string[] = [];
  const cleaned = cleanText(text);
  // match() with the g flag returns plain strings: no match object per token.
  for (const raw of cleaned.match(RAW_TOKEN) ?? []) {
    let terms = memo.get(raw);
    if (!terms) {
      const fresh: string[] = [];
      analyzeToken(raw, fresh);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(raw, (terms = fresh));
    }
    for (const term of terms) out.push(term);
  }
  return out;
}

/** Terms of a path: folder and file names split like identifiers, extension dropped. */
export function analyzePath(path: string): string[] {
  const withoutExt = path.replace(/\.[a-z0-9]{1,8}$/i, '');
  return analyze(withoutExt.replace(/[/\\]+/g, ' '));
}
