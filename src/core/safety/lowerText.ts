/**
 * The lower-cased text, made once for all the detectors that read the same chunk: they use it for
 * cheap `includes` guards ("bearer", "mysql", "pass") before running a case-insensitive regex.
 */
let lastText: string | undefined;
let lastLower = '';

/** `text.toLowerCase()`, cached for the most recent text. */
export function lowerOf(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}
