/**
 * A tokenizer for technical prose: identifiers are kept whole AND split into their parts, so
 * `DescribeDBInstances`, `max_connections`, `aws.s3` and `single-digit` match both the exact name
 * and the words a question uses.
 */

// A word, or words joined by `.`, `_` or `-` (a trailing sentence period is not a joiner).
const COMPOUND = /[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/gu;
const JOINERS = /[._-]+/;
// camelCase and acronym boundaries: DescribeDBInstances -> Describe, DB, Instances; EC2 -> EC, 2.
const CAMEL_PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+/gu;

/** Lower-cased tokens of `text`: each compound identifier whole, then each of its parts. */
export function tokenizeIdentifiers(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(COMPOUND)) {
    const whole = match[0];
    out.push(whole.toLowerCase());
    const parts = splitIdentifier(whole);
    if (parts.length > 1) out.push(...parts);
  }
  return out;
}

/** Lower-cased parts of one identifier split at `.`, `_`, `-` and camelCase boundaries. */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  for (const piece of identifier.split(JOINERS)) {
    if (!piece) continue;
    const camel = piece.match(CAMEL_PART);
    if (camel && camel.join('') === piece) parts.push(...camel.map((p) => p.toLowerCase()));
    else parts.push(piece.toLowerCase());
  }
  return parts;
}
