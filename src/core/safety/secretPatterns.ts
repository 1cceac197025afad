/**
 * Detectors for credentials: AWS key pairs, PEM private keys, and tokens or passwords in common
 * formats. Each one scans the whole text once; every regex either has no ambiguous repetition or
 * a small bound, so the work stays linear in the text (a redactor runs on every chunk).
 */
import type { Span } from './redact';

// Access key ids: AKIA (long-term), ASIA (STS), ABIA/ACCA (other issuers); 20 chars, upper base32.
const ACCESS_KEY_RE = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;

/** AWS access key ids, e.g. AKIAIOSFODNN7EXAMPLE (example keys too: they are shaped like real ones). */
export function findAccessKeys(text: string, out: Span[]): void {
  for (const m of text.matchAll(ACCESS_KEY_RE)) out.push({ start: m.index, end: m.index + m[0].length, category: 'awsAccessKey' });
}

const SECRET_CANDIDATE_RE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const SECRET_CONTEXT_RE = /secret[\s_-]{0,3}(?:access[\s_-]{0,3})?key|(?:AKIA|ASIA)[A-Z0-9]{16}/i;
// How far from a 40-char candidate a key name or an access key id may be (UTF-16 units).
const SECRET_CONTEXT_BEFORE = 240;
const SECRET_CONTEXT_AFTER = 120;

/**
 * AWS secret access keys: 40 base64 characters, mixed case with a digit, '/' or '+', within a few
 * lines of an access key id or a name like "aws_secret_access_key". Git SHA-1s (hex) never count.
 */
export function findSecretKeys(text: string, out: Span[]): void {
  for (const m of text.matchAll(SECRET_CANDIDATE_RE)) {
    const value = m[0];
    if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9/+]/.test(value)) continue;
    const start = m.index;
    const window = text.slice(Math.max(0, start - SECRET_CONTEXT_BEFORE), Math.min(text.length, start + 40 + SECRET_CONTEXT_AFTER));
    if (SECRET_CONTEXT_RE.test(window)) out.push({ start, end: start + 40, category: 'awsSecretKey' });
  }
}

const PEM_BEGIN_RE = /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY( BLOCK)?-----/g;
// One line of a PEM body (base64) or header ("Proc-Type: 4,ENCRYPTED"); a blank line ends the body.
const PEM_BODY_LINE_RE = /[ \t]{0,8}(?:[A-Za-z0-9+/=]{1,128}|[A-Za-z-]{1,40}: [^\r\n\\]{0,200})[ \t]{0,8}(?:\r?\n|\\n|$)/y;

const PEM_MATERIAL_RE = /[A-Za-z0-9+/]{16}/;

/**
 * PEM and PGP private key blocks, from BEGIN to the matching END. A block without an END (a key
 * cut short) is redacted through its last base64 line. JSON-escaped blocks ("\n") count too.
 */
export function findPrivateKeys(text: string, out: Span[]): void {
  // Where a search for each END marker failed: later BEGINs of that kind are not searched again,
  // so many unterminated BEGINs cost one scan, not one each.
  const noEndAfter = new Map<string, number>();
  let lastEnd = 0;
  for (const m of text.matchAll(PEM_BEGIN_RE)) {
    if (m.index < lastEnd) continue;
    const endMarker = `-----END ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`;
    const end = m.index < (noEndAfter.get(endMarker) ?? Infinity) ? text.indexOf(endMarker, m.index) : -1;
    if (end >= 0) {
      // Prose that names the markers ("must begin with -----BEGIN RSA PRIVATE KEY----- and end
      // with ...") or a template body has no key material: leave it readable.
      if (!PEM_MATERIAL_RE.test(text.slice(m.index + m[0].length, end))) continue;
      lastEnd = end + endMarker.length;
      out.push({ start: m.index, end: lastEnd, category: 'privateKey' });
      continue;
    }
    if (!noEndAfter.has(endMarker)) noEndAfter.set(endMarker, m.index);
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

// Whole-token formats; group 1, when present, is the part to redact.
const TOKEN_RES: Array<{ re: RegExp; needsDigit?: boolean }> = [
  { re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])/g },
  { re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}/g },
  { re: /(?<![A-Za-z0-9])xox[a-z]-[A-Za-z0-9-]{10,250}/g },
  // JWT: header and payload are base64url JSON objects, so both start with "eyJ".
  { re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  // Amazon Bedrock API keys: long-term (ABSK...) and short-term (bedrock-api-key-...).
  // The lookbehinds hold every character of the run that follows: a match starts only where a run
  // starts, so "/ABSK/ABSK/ABSK..." is scanned once, not once per "ABSK".
  { re: /(?<![A-Za-z0-9+/])ABSK[A-Za-z0-9+/]{32,}={0,2}/g },
  { re: /(?<![A-Za-z0-9+/-])bedrock-api-key-[A-Za-z0-9+/]{32,}={0,2}/g },
  // "Bearer <token>" in prose is a placeholder; a real token has a digit somewhere.
  { re: /\b[Bb]earer[ \t]+([A-Za-z0-9._~+/-]{16,4096}=*)/g, needsDigit: true },
  // Credentials in a URL: scheme://user:password@host
  { re: /:\/\/[^\s:/@]{1,64}:([^\s/@]{1,128})@/g },
];

/** Tokens with a recognisable shape: GitHub, Slack, JWT, Bedrock API keys, bearer tokens, URL passwords. */
export function findTokens(text: string, out: Span[]): void {
  for (const { re, needsDigit } of TOKEN_RES) {
    for (const m of text.matchAll(re)) {
      const value = m[1] ?? m[0];
      if (value.startsWith('[') || value.startsWith('<') || value.startsWith('$')) continue;
      if (needsDigit && !/\d/.test(value)) continue;
      const start = m.index + m[0].lastIndexOf(value);
      out.push({ start, end: start + value.length, category: 'token' });
    }
  }
  findAssignments(text, out);
}

// A secret-looking name right before a separator: `password=`, `"api_key":`, `token =>`.
const KEY_RE = /(?:pass(?:word|wd|phrase)?|pwd|secret|token|key)(?:\\?["'])?[ \t]{0,8}(?::=|=>|=(?!=)|:(?![:/]))[ \t]{0,8}/gi;
// Command-line flags: `--password hunter2`, `--master-user-password=secret99`.
const FLAG_RE = /(?<![\w-])--(?:[A-Za-z0-9]+-){0,6}(?:password|passwd|passphrase|secret|token|api-key|apikey)(?:=|[ \t]+)/gi;
const IDENT_CHAR = /[A-Za-z0-9_.-]/;
const MAX_IDENT = 64;
const MAX_VALUE = 200;
const WORD_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

const SECRET_WORDS = new Set([
  'pass',
  'pwd',
  'secret',
  'clientsecret',
  'apikey',
  'secretkey',
  'privatekey',
  'accountkey',
  'signingkey',
  'secretaccesskey',
  'accesstoken',
  'authtoken',
  'refreshtoken',
  'sessiontoken',
  'apitoken',
  'bearertoken',
  'idtoken',
  'securitytoken',
]);
const KEY_PREFIXES = new Set(['api', 'secret', 'private', 'account', 'signing']);
// Tokens that are not credentials: pagination, idempotency, block and callback tokens (AWS APIs are
// full of them: NextToken, nextForwardToken, ClientToken, FirstBlockToken, ServiceToken, TaskToken).
const NOT_SECRET_TOKENS = new Set([
  'next',
  'previous',
  'prev',
  'forward',
  'backward',
  'first',
  'last',
  'block',
  'service',
  'result',
  'task',
  'starting',
  'start',
  'continuation',
  'pagination',
  'page',
  'client',
  'request',
  'idempotency',
  'marker',
  'resume',
  'cancel',
  'sync',
  'change',
  'cursor',
]);
const NOT_VALUES = new Set([
  'true',
  'false',
  'null',
  'none',
  'nil',
  'undefined',
  'required',
  'optional',
  'string',
  'str',
  'int',
  'integer',
  'number',
  'bool',
  'boolean',
  'bytes',
  'object',
  'any',
  'value',
  'example',
  'redacted',
  'hidden',
  'masked',
  'secret',
  'password',
  'token',
  'notset',
  'empty',
]);

/** True for a name whose last word says it holds a secret: db_password, apiKey, AWS_SESSION_TOKEN. */
export function isSecretName(name: string): boolean {
  const words = (name.match(WORD_RE) ?? []).map((w) => w.toLowerCase());
  const last = words[words.length - 1] ?? '';
  const prev = words[words.length - 2] ?? '';
  if (/(?:password|passwd|passphrase)$/.test(last) || SECRET_WORDS.has(last)) return true;
  if (last === 'token') return !words.some((w) => NOT_SECRET_TOKENS.has(w));
  if (last === 'key') return KEY_PREFIXES.has(prev) || (prev === 'access' && words[words.length - 3] === 'secret');
  return false;
}

/** The extent of the value starting at `pos`, or undefined when there is none worth redacting. */
function valueAt(text: string, pos: number, flag: boolean): { start: number; end: number } | undefined {
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
  const stop = flag ? /[\s"'`\\]/ : /[\s"'`<>()[\]{},;&]/;
  while (end < text.length && end - pos <= MAX_VALUE && !stop.test(text[end] as string)) end++;
  if (end === pos || end - pos > MAX_VALUE || (flag && c === '-')) return undefined;
  if (!flag) {
    // Unquoted values must end their line or field; "Password: The password of..." is prose.
    let after = end;
    while (text[after] === ' ' || text[after] === '\t') after++;
    if (after < text.length && !/[\r\n,;&})\]#]/.test(text[after] as string)) return undefined;
  }
  return { start: pos, end };
}

/**
 * False for placeholders, types, references and code: `${DB_PASSWORD}`, `string`, `getPassword()`,
 * `arn:aws:...`, and values named like a secret ("db_user_password", "fakeSecretAccessKey").
 */
function looksLikeSecretValue(value: string, quoted: boolean): boolean {
  if (value.length < 4 || !/[A-Za-z0-9]/.test(value)) return false;
  if (/^[$%{<[(!&]/.test(value) || /^(.)\1*$/.test(value) || value.startsWith('arn:')) return false;
  if (NOT_VALUES.has(value.toLowerCase()) || isSecretName(value)) return false;
  if (!quoted && (value.includes('(') || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value))) return false;
  return true;
}

function pushValue(text: string, pos: number, flag: boolean, out: Span[]): void {
  const extent = valueAt(text, pos, flag);
  if (!extent) return;
  const quoted = extent.start !== pos;
  if (looksLikeSecretValue(text.slice(extent.start, extent.end), quoted)) out.push({ ...extent, category: 'token' });
}

/** `password=...`, `"api_key": "..."`, `export AUTH_TOKEN='...'`, `--password ...`: the value only. */
function findAssignments(text: string, out: Span[]): void {
  for (const m of text.matchAll(KEY_RE)) {
    let start = m.index;
    const keywordEnd = m.index + (/^[A-Za-z]+/.exec(m[0]) as RegExpExecArray)[0].length;
    while (start > 0 && m.index - start < MAX_IDENT && IDENT_CHAR.test(text[start - 1] as string)) start--;
    if (start > 0 && IDENT_CHAR.test(text[start - 1] as string)) continue;
    if (!isSecretName(text.slice(start, keywordEnd))) continue;
    pushValue(text, m.index + m[0].length, false, out);
  }
  for (const m of text.matchAll(FLAG_RE)) {
    if (isSecretName(m[0].replace(/[\s=]+$/, ''))) pushValue(text, m.index + m[0].length, true, out);
  }
}
