/**
 * Values assigned to secret names: `password=...`, `"api_key": "..."`, `export AUTH_TOKEN='...'`,
 * `docker run -e MYSQL_ROOT_PASSWORD=x`, `**Password:** ...`, `--password ...`. The value only is
 * redacted; the name stays readable. Linear: names are found by a keyword regex and walked back a
 * bounded number of characters; values are read forward a bounded number.
 */
import { lowerOf } from './lowerText';
import type { Span } from './redactionTypes';
import { isSecretName, looksLikeSecretValue } from './secretNames';

// A secret-looking name right before a separator: `password=`, `"api_key":`, `token =>`,
// `**Password:**`, `secret_key_base:`, `_auth=`. Emphasis or a closing quote may stand between.
const KEY_SOURCE = String.raw`(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|_auth|key_?base)(?:\\?["'\`]|\*{1,2})?[ \t]{0,8}(?::=|=>|=(?!=)|:(?![:\/]))(?:\*{1,2})?[ \t]{0,8}`;
const KEY_RE = new RegExp(KEY_SOURCE, 'gi');
// The same, case-sensitive, for the lower-cased text: much faster to scan.
const KEY_LOWER_RE = new RegExp(KEY_SOURCE, 'g');
// Command-line flags: `--password hunter2`, `--master-user-password=secret99`.
const FLAG_RE = /(?<![\w-])--(?:[A-Za-z0-9]+-){0,6}(?:password|passwd|passphrase|secret|token|api-key|apikey)(?:=|[ \t]+)/gi;
const IDENT_CHAR = /[A-Za-z0-9_.-]/;
const MAX_IDENT = 64;
const MAX_VALUE = 200;

/** How a value is read: after a flag, after `NAME=` with no spaces (env style), or after any other separator. */
type ValueKind = 'flag' | 'env' | 'field';

// What ends an unquoted value, by kind.
const STOP: Record<ValueKind, Uint8Array> = {
  flag: charTable(' \t\r\n"\'`\\'),
  env: charTable(' \t\r\n"\'`\\;&,<>()[]{}'),
  field: charTable(' \t\r\n"\'`<>()[]{},;&|'),
};

/** A lookup table of ASCII characters, for scanning a value character by character. */
function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}
// After an env-style value, these make it an expression (`key=credentials['SecretAccessKey']`, `t=get()`).
const EXPRESSION_NEXT = /[([{]/;
// What may follow an unquoted field value: its line or field ends ("Password: The password of..." is prose).
const FIELD_END = /[\r\n,;&})\]#"'`|]/;

/** The extent of the value starting at `pos`, or undefined when there is none worth redacting. */
function valueAt(text: string, pos: number, kind: ValueKind): { start: number; end: number } | undefined {
  const c = text[pos];
  if (c === undefined) return undefined;
  const escaped = c === '\\' && (text[pos + 1] === '"' || text[pos + 1] === "'");
  // Backticks are left out on purpose: TOKEN=`curl ...` is a command, not a value.
  const quote = escaped ? text[pos + 1] : c === '"' || c === "'" ? c : undefined;
  if (quote !== undefined) {
    const start = pos + (escaped ? 2 : 1);
    for (let i = start; i < text.length && i - start <= MAX_VALUE; i++) {
      const ch = text[i];
      if (ch === '\n' || ch === '\r') return undefined;
      if (ch === quote && (escaped ? text[i - 1] === '\\' : text[i - 1] !== '\\')) return { start, end: escaped ? i - 1 : i };
    }
    return undefined;
  }
  let end = pos;
  const stop = STOP[kind];
  while (end < text.length && end - pos <= MAX_VALUE) {
    const code = text.charCodeAt(end);
    if (code < 128 && stop[code] === 1) break;
    end++;
  }
  if (end === pos || end - pos > MAX_VALUE || (kind === 'flag' && c === '-')) return undefined;
  if (kind === 'env' && EXPRESSION_NEXT.test(text[end] ?? '')) return undefined;
  if (kind === 'field') {
    let after = end;
    while (text[after] === ' ' || text[after] === '\t') after++;
    if (after < text.length && !FIELD_END.test(text[after] as string)) return undefined;
  }
  return { start: pos, end };
}

function pushValue(text: string, pos: number, kind: ValueKind, out: Span[]): void {
  const extent = valueAt(text, pos, kind);
  if (!extent) return;
  const quoted = extent.start !== pos;
  // `NAME=x` on a command line is a value however short; elsewhere a short value is more likely prose.
  const minLength = kind === 'env' ? 1 : 4;
  if (looksLikeSecretValue(text.slice(extent.start, extent.end), quoted, minLength)) out.push({ ...extent, category: 'token' });
}

/** `password=...`, `"api_key": "..."`, `export AUTH_TOKEN='...'`, `-e MYSQL_ROOT_PASSWORD=x`, `--password ...`: the value only. */
export function findAssignments(text: string, out: Span[]): void {
  const lower = lowerOf(text);
  // Lower-casing keeps offsets unless a character changes length (U+0130): then scan the text itself.
  const keys = lower.length === text.length ? lower.matchAll(KEY_LOWER_RE) : text.matchAll(KEY_RE);
  for (const m of keys) {
    let start = m.index;
    const keywordEnd = m.index + (/^[A-Za-z_]+/.exec(m[0]) as RegExpExecArray)[0].length;
    while (start > 0 && m.index - start < MAX_IDENT && IDENT_CHAR.test(text[start - 1] as string)) start--;
    if (start > 0 && IDENT_CHAR.test(text[start - 1] as string)) continue;
    // `arn:aws:secretsmanager:...:secret:name` names a secret; it does not hold one.
    if (text[start - 1] === ':' && text[m.index + m[0].trimEnd().length - 1] === ':') continue;
    if (!isSecretName(text.slice(start, keywordEnd))) continue;
    const env = m[0].length === keywordEnd - m.index + 1 && m[0].endsWith('=');
    pushValue(text, m.index + m[0].length, env ? 'env' : 'field', out);
  }
  for (const m of text.matchAll(FLAG_RE)) {
    if (isSecretName(m[0].replace(/[\s=]+$/, ''))) pushValue(text, m.index + m[0].length, 'flag', out);
  }
}
