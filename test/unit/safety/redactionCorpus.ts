/**
 * Reads the hand-written redaction corpus (test/fixtures/redaction, format in its README.md) and
 * judges leaks. Written apart from the redactor on purpose: its normalisation is the test's own,
 * so a bug shared with the detector cannot hide a leak.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the corpus lives. */
export const CORPUS_DIR = join(__dirname, '..', '..', 'fixtures', 'redaction');

/** One planted value. */
export interface Planted {
  category: string;
  claimed: boolean;
  value: string;
}

/** One carrier text with the values planted in it. */
export interface Carrier {
  id: string;
  file: string;
  planted: Planted[];
  text: string;
}

/** `\u{200B}` escapes, so invisible characters stay visible in the fixture files. */
function unescape(s: string): string {
  return s.replace(/\\u\{([0-9A-Fa-f]{1,6})\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

/** Every carrier in the corpus's `*.txt` files except negative.txt. */
export function loadCarriers(): Carrier[] {
  const carriers: Carrier[] = [];
  for (const file of readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.txt') && f !== 'negative.txt')
    .sort()) {
    const blocks = readFileSync(join(CORPUS_DIR, file), 'utf8').split(/^@@ /m).slice(1);
    for (const block of blocks) {
      const [head = '', ...rest] = block.split(/^--\n/m);
      const carrierText = rest.join('--\n');
      const [idLine = '', ...plantLines] = head.split('\n');
      const planted: Planted[] = [];
      for (const line of plantLines) {
        const m = /^\+ (\w+) (claimed|unclaimed) (.+)$/.exec(line);
        if (m) planted.push({ category: m[1]!, claimed: m[2] === 'claimed', value: unescape(m[3]!) });
        else if (line.trim() !== '') throw new Error(`${file}: bad planted line in ${idLine}: ${line}`);
      }
      // Comment lines and blank lines after a carrier belong to the file, not to the carrier.
      const lines = carrierText.split('\n');
      while (lines.length > 0 && /^(?:#.*)?$/.test(lines[lines.length - 1]!)) lines.pop();
      carriers.push({ id: idLine.trim(), file, planted, text: unescape(lines.join('\n')) });
    }
  }
  return carriers;
}

/** The ordinary documentation lines of negative.txt. */
export function loadNegativeLines(): string[] {
  return readFileSync(join(CORPUS_DIR, 'negative.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

// What a placeholder looks like in the output; it becomes a wall that no window crosses.
const PLACEHOLDER = /\[[A-Z_]+_[0-9a-f]{6}\]/g;
const WALL = '\uE000';

/**
 * Text reduced to what identifies a secret: %XX and HTML character references decoded, width
 * folded (NFKC), format characters (zero-width, soft hyphen) dropped, lower case, letters and
 * digits only. `AKIA\u200BXYZ`, `ＡＫＩＡＸＹＺ` and `akia-xyz` all become `akiaxyz`.
 */
export function normalise(text: string): string {
  return text
    .replace(PLACEHOLDER, WALL)
    .replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9A-Fa-f]{1,6});/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]{1,7});/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&(?:shy|ZeroWidthSpace|zwj|zwnj|NoBreak);|<wbr\s*\/?>/g, '')
    .replace(/&commat;/g, '@')
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\uE000]+/gu, '');
}

// A leak is any piece of the secret this long (or the whole of a shorter one) left in the output.
const WINDOW = 6;

/**
 * The pieces of a planted value that identify it: windows of its normalised form that occur
 * nowhere else in the carrier. Empty when the carrier does not hold the value (a fixture bug).
 */
export function identifyingWindows(carrier: string, value: string): string[] {
  const core = normalise(value);
  const text = normalise(carrier);
  if (!text.includes(core)) return [];
  const rest = text.split(core).join(WALL);
  const size = Math.min(WINDOW, core.length);
  const windows = new Set<string>();
  for (let i = 0; i + size <= core.length; i++) {
    const w = core.slice(i, i + size);
    if (!rest.includes(w)) windows.add(w);
  }
  return [...windows];
}

/** The identifying windows still present in the redacted output: empty means no leak. */
export function leakedWindows(output: string, windows: readonly string[]): string[] {
  const text = normalise(output);
  return windows.filter((w) => text.includes(w));
}
