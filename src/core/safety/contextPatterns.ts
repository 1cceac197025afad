/**
 * Secrets named by their surroundings rather than by `name=`: XML elements (`<password>`), .netrc
 * lines, "the password is X", PHP `define('AUTH_KEY', ...)`, Dockerfile `ENV NAME value`, Markdown
 * table cells under or beside a secret name, and command lines that take a password
 * (`mysql -pX`, `sshpass -p X`, `redis-cli -a X`, `curl -u user:X`, `docker login -p X`,
 * `ConvertTo-SecureString "X"`). Each regex is anchored on a literal and bounded.
 */
import { lowerOf } from './lowerText';
import type { Span } from './redactionTypes';
import { isSecretName, looksLikeSecretValue } from './secretNames';

/** Redacts capture group `group` of a match made with the `d` flag; `offset` is where the searched string starts in the text. */
function pushGroup(out: Span[], m: RegExpMatchArray, group: number, offset = 0, end?: number): void {
  const range = m.indices?.[group];
  if (!range || range[1] === range[0]) return;
  out.push({ start: offset + range[0], end: offset + (end ?? range[1]), category: 'token' });
}

const XML_RE = /<([A-Za-z_][\w.:-]{0,63})>[ \t]*([^<\r\n]{1,200}?)[ \t]*<\/\1>/dg;
const NETRC_RE = /\b(?:machine[ \t]+\S{1,200}|default)\s{1,40}login[ \t]+\S{1,200}\s{1,40}password[ \t]+(\S{1,200})/dg;
const DEFINE_RE = /\bdefine\([ \t]*(['"])([A-Za-z_]\w{0,63})\1[ \t]*,[ \t]*(['"])([^'"\r\n]{1,200})\3/dg;
const DOCKER_ENV_RE = /^[ \t]*ENV[ \t]+([A-Za-z_]\w{0,63})[ \t]+([^\s=][^\r\n]{0,200}?)[ \t]*\r?$/dgm;
const SECURE_STRING_RE = /ConvertTo-SecureString[ \t]+(?:-String[ \t]+)?(["'])([^"'\r\n]{1,200})\1/dgi;

// "the password is X", "password for reviewer is X", "passphrase was X", "PIN is 1234".
const PROSE_SOURCE = String.raw`\b(pass(?:word|phrase|code)|passwd|pin(?: code)?)[ \t]+(?:for[ \t]+[\w.@-]{1,40}[ \t]+)?(?:is|was|remains|is set to|will be)[ \t]+(?:(["'\`])([^"'\`\r\n]{1,64})\2|([^\s"'\`]{1,64}))([ \t]+\w+)?`;
const PROSE_RE = new RegExp(PROSE_SOURCE, 'dgi');
// Case-sensitive, for the lower-cased text (faster); the values are then read from the text itself.
const PROSE_LOWER_RE = new RegExp(PROSE_SOURCE, 'dg');
// What follows a number that is a rule, not a password: "is 8 characters", "is 12-64 chars".
const UNIT_WORDS = /^[ \t]+(?:characters?|chars?|digits?|letters?|bytes?|long|minutes?|hours?|days?|times?|or|to|and)$/i;

/** An unquoted word after "password is" is a password when it has a digit, a symbol or inner capitals. */
function looksLikeProsePassword(value: string, pin: boolean): boolean {
  if (pin) return /^\d{4,12}$/.test(value);
  if (!looksLikeSecretValue(value, false)) return false;
  if (/^\d+(?:[-–.,]\d+)*$/.test(value)) return false;
  return /\d/.test(value) || /[^A-Za-z0-9]/.test(value) || /.[A-Z]/.test(value);
}

function findProsePasswords(text: string, lower: string, out: Span[]): void {
  const matches = lower.length === text.length ? lower.matchAll(PROSE_LOWER_RE) : text.matchAll(PROSE_RE);
  for (const m of matches) {
    // Groups of a match in the lower-cased text, read back from the text (a password keeps its case).
    for (let g = 3; g <= 4; g++) {
      const range = m.indices?.[g];
      if (range) m[g] = text.slice(range[0], range[1]);
    }
    const pin = (m[1] as string).startsWith('pin');
    const quoted = m[3];
    if (quoted !== undefined) {
      if (looksLikeSecretValue(quoted, true)) pushGroup(out, m, 3);
      continue;
    }
    const value = (m[4] as string).replace(/[.,;:)\\]+$/, '');
    if (m[5] !== undefined && UNIT_WORDS.test(m[5])) continue;
    if (looksLikeProsePassword(value, pin)) pushGroup(out, m, 4, 0, (m.indices?.[4]?.[0] ?? 0) + value.length);
  }
}

// Command lines whose password flag is not `--password`.
const MYSQL_RE = /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mariadb(?:-dump|-admin)?)\b[^\r\n|;&]{0,400}/g;
const DASH_P_RE = /(?:^|\s)-p(?:'([^'\r\n]{1,200})'|"([^"\r\n]{1,200})"|([^\s'"-][^\s]{0,199}))/dg;
const PASSWORD_FLAG_RE =
  /\b(?:sshpass[ \t]+-p|redis-cli\b[^\r\n|;&]{0,200}?[ \t](?:-a|--pass)|(?:docker|podman|nerdctl)[ \t]+login\b[^\r\n|;&]{0,200}?[ \t]-p)[ \t]+(?:'([^'\r\n]{1,200})'|"([^"\r\n]{1,200})"|([^\s'"-]\S{0,199}))/dg;
const CURL_USER_RE = /\b(?:curl|wget)\b[^\r\n|;&]{0,300}?(?:[ \t]-u|--user)(?:[ \t]+|=)(['"]?)([^\s:'"]{1,128}):([^\s'"]{1,200})\1/dg;

function findCommandPasswords(text: string, lower: string, out: Span[]): void {
  if (lower.includes('mysql') || lower.includes('mariadb')) {
    for (const command of text.matchAll(MYSQL_RE)) {
      for (const m of command[0].matchAll(DASH_P_RE)) {
        const group = m[1] !== undefined ? 1 : m[2] !== undefined ? 2 : 3;
        if (looksLikeSecretValue(m[group] as string, true, 1)) pushGroup(out, m, group, command.index);
      }
    }
  }
  const flagged = lower.includes('sshpass') || lower.includes('redis-cli') || lower.includes(' login');
  if (flagged)
    for (const m of text.matchAll(PASSWORD_FLAG_RE)) {
      const group = m[1] !== undefined ? 1 : m[2] !== undefined ? 2 : 3;
      if (looksLikeSecretValue(m[group] as string, true, 1)) pushGroup(out, m, group);
    }
  if (lower.includes('curl') || lower.includes('wget'))
    for (const m of text.matchAll(CURL_USER_RE)) {
      const password = m[3] as string;
      if (!/^\d+$/.test(password) && looksLikeSecretValue(password, true, 1)) pushGroup(out, m, 3);
    }
  if (lower.includes('securestring')) for (const m of text.matchAll(SECURE_STRING_RE)) pushGroup(out, m, 2);
}

// A table can only name a secret if one of these words is in the text.
const SECRET_WORD_RE = /pass|pwd|secret|token|key|_auth/;
const TABLE_ROW_RE = /^[ \t]*\|[^\r\n]*\|[ \t]*\r?$/gm;
const CELL_MARKUP = /^(?:\*\*|__|`|\*|_)+|(?:\*\*|__|`|\*|_|:)+$/g;

/** A table cell that is a secret value: one token, not a placeholder, with a digit or a symbol. */
function tableValue(cell: string): boolean {
  return !/\s/.test(cell) && looksLikeSecretValue(cell, false) && /[\d\W_]/.test(cell);
}

/** Markdown tables: a value beside a secret name (`| Password | x |`) or under a secret-name header. */
function findTableSecrets(text: string, out: Span[]): void {
  let header: boolean[] | undefined;
  let lastRowEnd = -2;
  for (const row of text.matchAll(TABLE_ROW_RE)) {
    const cells: Array<{ text: string; start: number }> = [];
    const line = row[0];
    let pos = line.indexOf('|') + 1;
    for (let bar = line.indexOf('|', pos); bar >= 0; bar = line.indexOf('|', pos)) {
      const raw = line.slice(pos, bar);
      const text = raw.trim().replace(CELL_MARKUP, '');
      cells.push({ text, start: (row.index as number) + pos + raw.indexOf(text) });
      pos = bar + 1;
    }
    // A new table starts when this row does not follow the previous one directly.
    if ((row.index as number) !== lastRowEnd + 1) header = cells.map((c) => isSecretName(c.text));
    else if (!cells.every((c) => /^:?-{2,}:?$/.test(c.text))) {
      cells.forEach((c, i) => {
        const named = header?.[i] || (i > 0 && isSecretName(cells[i - 1]?.text ?? ''));
        if (named && tableValue(c.text)) out.push({ start: c.start, end: c.start + c.text.length, category: 'token' });
      });
    }
    lastRowEnd = (row.index as number) + line.length;
  }
}

/** Every context detector. */
export function findContextSecrets(text: string, out: Span[]): void {
  if (text.includes('</')) {
    for (const m of text.matchAll(XML_RE)) {
      const value = m[2] as string;
      if (isSecretName(m[1] as string) && looksLikeSecretValue(value, true)) pushGroup(out, m, 2);
    }
  }
  if (text.includes('login') && /machine|default/.test(text))
    for (const m of text.matchAll(NETRC_RE)) if (looksLikeSecretValue(m[1] as string, true)) pushGroup(out, m, 1);
  if (text.includes('define(')) {
    for (const m of text.matchAll(DEFINE_RE)) {
      const name = m[2] as string;
      if ((isSecretName(name) || /(?:KEY|SALT)$/.test(name)) && looksLikeSecretValue(m[4] as string, true)) pushGroup(out, m, 4);
    }
  }
  if (text.includes('ENV')) {
    for (const m of text.matchAll(DOCKER_ENV_RE))
      if (isSecretName(m[1] as string) && looksLikeSecretValue(m[2] as string, false)) pushGroup(out, m, 2);
  }
  const lower = lowerOf(text);
  if (lower.includes('pass') || lower.includes('pin ')) findProsePasswords(text, lower, out);
  findCommandPasswords(text, lower, out);
  if (text.includes('|') && SECRET_WORD_RE.test(lower)) findTableSecrets(text, out);
}
