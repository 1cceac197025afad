/**
 * Secrets hidden in base64: `base64(AKID:SECRET)` pasted into a CI variable, a credentials JSON
 * encoded into a config value. Runs of 28+ base64 characters (the length of one encoded access key
 * id) that decode to printable text are searched again with the credential detectors; a run that
 * holds one is redacted whole. One pass over the text; decoding is bounded per run.
 */
import { findAccessKeys, findSecretKeys } from './awsKeyPatterns';
import { findAssignments } from './assignmentPatterns';
import { longRunsOf, MIN_RUN } from './longRuns';
import { findPrivateKeys } from './privateKeyPatterns';
import type { Detector, RedactionCategory, Span } from './redactionTypes';
import { decodeBase64Text, findPrefixedTokens } from './tokenPatterns';

// Inside a long run, '=' that is followed by more characters ends one encoded value (`key=QUtJ...==`).
const INNER_PADDING_RE = /=+(?=[^=])/g;
const MAX_ENCODED = 4096;
// What an encoded run is searched for, strongest first.
const INNER: ReadonlyArray<[RedactionCategory, Detector]> = [
  ['privateKey', findPrivateKeys],
  ['awsSecretKey', findSecretKeys],
  ['awsAccessKey', findAccessKeys],
  ['token', findPrefixedTokens],
  ['token', findAssignments],
];

/** Base64 runs that decode to text holding a key, a token or a `password=` assignment. */
export function findEncodedSecrets(text: string, out: Span[]): void {
  const runs = longRunsOf(text);
  for (let r = 0; r < runs.length; r += 2) {
    const runStart = runs[r] as number;
    const run = text.slice(runStart, runs[r + 1] as number);
    let from = 0;
    for (const pad of [...run.matchAll(INNER_PADDING_RE), undefined]) {
      const to = pad ? (pad.index as number) + pad[0].length : run.length;
      if (to - from >= MIN_RUN && to - from <= MAX_ENCODED) checkEncoded(runStart + from, run.slice(from, to), out);
      from = to;
    }
  }
}

/** Reports `value` (at `start`) when it decodes to text holding a credential. */
function checkEncoded(start: number, value: string, out: Span[]): void {
  // Encoded text has both cases; words, paths and hex do not look like that.
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || /^[0-9a-f]+$/i.test(value)) return;
  const decoded = decodeBase64Text(value);
  if (decoded === undefined) return;
  for (const [category, detect] of INNER) {
    const found: Span[] = [];
    detect(decoded, found);
    if (found.length > 0) {
      out.push({ start, end: start + value.length, category });
      return;
    }
  }
}
