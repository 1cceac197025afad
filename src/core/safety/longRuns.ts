/**
 * Runs of base64 and base64url characters long enough to hold a secret key or an encoded
 * credential (28+), found by one tight scan and shared by the detectors that need them (secret
 * keys, encoded credentials). One scan in plain code beats two regex passes with lookbehinds.
 */

// [A-Za-z0-9+/=_-]
const RUN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-') RUN_CHAR[c.charCodeAt(0)] = 1;

/** Shortest run kept: base64 of a 20-character access key id. */
export const MIN_RUN = 28;

let lastText: string | undefined;
let lastRuns: number[] = [];

/** Maximal runs of [A-Za-z0-9+/=_-] with at least MIN_RUN characters, as flat [start, end, start, end, ...]; cached for the most recent text. */
export function longRunsOf(text: string): readonly number[] {
  if (text === lastText) return lastRuns;
  const runs: number[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c < 128 && RUN_CHAR[c] === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= MIN_RUN) runs.push(start, i);
      start = -1;
    }
  }
  lastText = text;
  lastRuns = runs;
  return runs;
}
