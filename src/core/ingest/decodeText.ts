import { BedrockDocsError } from '../errors';

const SAVE_AS_UTF8 = 'Save the file as UTF-8 text, or leave it out with bedrockDocs.index.exclude.';

/** The BAD_INPUT error every parser throws for content it cannot read; `reason` is shown to users. */
export function badInput(reason: string, hint?: string, cause?: unknown): BedrockDocsError {
  return new BedrockDocsError(
    'BAD_INPUT',
    reason,
    hint ?? 'Fix or remove the file, or leave it out with bedrockDocs.index.exclude.',
    cause === undefined ? undefined : { cause },
  );
}

// Control bytes other than tab, LF, VT, FF, CR and ESC; text files almost never hold them.
function isOddControl(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b;
}

function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.indexOf(0) !== -1) return true;
  const sample = bytes.subarray(0, 8192);
  let odd = 0;
  for (const b of sample) if (isOddControl(b)) odd++;
  return odd > sample.length * 0.05;
}

function decodeStrict(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (err) {
    throw badInput(encoding === 'utf-8' ? 'not valid UTF-8 text' : `not valid ${encoding.toUpperCase()} text`, SAVE_AS_UTF8, err);
  }
}

/**
 * Decodes a text file: UTF-8 (a BOM is dropped), or UTF-16 with a BOM. Line endings (CRLF, CR)
 * become '\n', so lines count as editors count them. Throws BAD_INPUT for binary or undecodable bytes.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    text = decodeStrict(b0 === 0xff ? 'utf-16le' : 'utf-16be', bytes);
    if (text.includes('\u0000')) throw badInput('binary content');
  } else {
    if (looksBinary(bytes)) throw badInput('binary content');
    text = decodeStrict('utf-8', bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
