/**
 * Detectors for private key files: PEM and PGP blocks (markers in any case) and PuTTY `.ppk` keys.
 * Linear: each END marker is searched for at most once per kind, and bodies are read line by line
 * with bounded patterns.
 */
import type { Span } from './redactionTypes';

const PEM_BEGIN_RE = /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY( BLOCK)?-----/gi;
// One line of a PEM body (base64) or header ("Proc-Type: 4,ENCRYPTED"); a blank line ends the body.
const PEM_BODY_LINE_RE = /[ \t]{0,8}(?:[A-Za-z0-9+/=]{1,128}|[A-Za-z-]{1,40}: [^\r\n\\]{0,200})[ \t]{0,8}(?:\r?\n|\\n|$)/y;
const PEM_MATERIAL_RE = /[A-Za-z0-9+/]{16}/;

/** Where the END marker matching a BEGIN marker is, from `from`; -1 when there is none. */
function endMarkerAt(text: string, lowerText: () => string, endMarker: string, from: number): number {
  const exact = text.indexOf(endMarker, from);
  if (exact >= 0) return exact;
  // Lower-cased markers (`-----end rsa private key-----`) are as good as upper-case ones.
  return endMarker === endMarker.toLowerCase() ? -1 : lowerText().indexOf(endMarker.toLowerCase(), from);
}

/**
 * PEM and PGP private key blocks, from BEGIN to the matching END. A block without an END (a key
 * cut short) is redacted through its last base64 line. JSON-escaped blocks ("\n") count too.
 */
export function findPemKeys(text: string, out: Span[]): void {
  // Where a search for each END marker failed: later BEGINs of that kind are not searched again,
  // so many unterminated BEGINs cost one scan, not one each.
  const noEndAfter = new Map<string, number>();
  let lower: string | undefined;
  const lowerText = (): string => (lower ??= text.toLowerCase());
  let lastEnd = 0;
  for (const m of text.matchAll(PEM_BEGIN_RE)) {
    if (m.index < lastEnd) continue;
    const kind = `${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}`.toUpperCase();
    const endMarker = `-----END ${kind}-----`;
    const end = m.index < (noEndAfter.get(kind) ?? Infinity) ? endMarkerAt(text, lowerText, endMarker, m.index) : -1;
    if (end >= 0) {
      // Prose that names the markers ("must begin with -----BEGIN RSA PRIVATE KEY----- and end
      // with ...") or a template body has no key material: leave it readable.
      if (!PEM_MATERIAL_RE.test(text.slice(m.index + m[0].length, end))) continue;
      lastEnd = end + endMarker.length;
      out.push({ start: m.index, end: lastEnd, category: 'privateKey' });
      continue;
    }
    if (!noEndAfter.has(kind)) noEndAfter.set(kind, m.index);
    let pos = m.index + m[0].length;
    pos += /^(?:\r?\n|\\n)?/.exec(text.slice(pos, pos + 2))?.[0].length ?? 0;
    for (let lines = 0; lines < 200 && pos < text.length; lines++) {
      PEM_BODY_LINE_RE.lastIndex = pos;
      const line = PEM_BODY_LINE_RE.exec(text);
      if (!line) break;
      pos += line[0].length;
    }
    if (!PEM_MATERIAL_RE.test(text.slice(m.index + m[0].length, pos))) continue;
    lastEnd = pos;
    out.push({ start: m.index, end: pos, category: 'privateKey' });
  }
}

const PUTTY_RE = /PuTTY-User-Key-File-\d+:[^\r\n]{0,200}/g;
// The last line of a PuTTY key file, or a line that is not part of one.
const PUTTY_LINE_RE = /\r?\n([A-Za-z0-9-]{1,40}: [^\r\n]{0,300}|[A-Za-z0-9+/=]{1,200})/y;

/** PuTTY private key files (`.ppk`, versions 2 and 3): from the header through `Private-MAC`, or as far as the file's lines go. */
export function findPuttyKeys(text: string, out: Span[]): void {
  for (const m of text.matchAll(PUTTY_RE)) {
    let pos = m.index + m[0].length;
    for (let lines = 0; lines < 400; lines++) {
      PUTTY_LINE_RE.lastIndex = pos;
      const line = PUTTY_LINE_RE.exec(text);
      if (!line) break;
      pos += line[0].length;
      if ((line[1] as string).startsWith('Private-MAC:')) break;
    }
    out.push({ start: m.index, end: pos, category: 'privateKey' });
  }
}

/** Private keys of every kind this module knows. */
export function findPrivateKeys(text: string, out: Span[]): void {
  if (text.includes('-----') && /-----begin /i.test(text)) findPemKeys(text, out);
  if (text.includes('PuTTY-User-Key-File-')) findPuttyKeys(text, out);
}
