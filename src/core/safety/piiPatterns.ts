/**
 * Detectors for email addresses and phone numbers. A loose, linear regex finds candidates; a strict
 * check in code (reserved domains, digit counts, a phone word before national numbers) keeps
 * versions, dates, IP addresses, line ranges, package specs and ids out.
 */
import type { Span } from './redactionTypes';

// Letters of any script, so `josé.núñez@correo.es` and `иван@почта.рф` are redacted whole.
const L = String.raw`\p{L}\p{M}\p{N}`;
// Local part at most 64 chars (RFC 5321), labels at most 63, a top-level domain of letters or
// punycode. The lookbehind starts a match only at the start of a run, so a run without '@' is
// scanned once. An apostrophe may sit inside a local part (o'brien@...).
const EMAIL_RE = new RegExp(
  String.raw`(?<![${L}._%+'-])[${L}._%+'-]{1,64}@[${L}-]{1,63}(?:\.[${L}-]{1,63}){0,8}\.(?:\p{L}{2,24}|xn--[a-z0-9-]{1,59})(?![${L}-])`,
  'gu',
);
// "john..doe"@example.org and "ops team"@example.org: a quoted local part.
const QUOTED_EMAIL_RE = new RegExp(String.raw`"[^"\r\n\\]{1,64}"@[${L}-]{1,63}(?:\.[${L}-]{1,63}){0,8}\.\p{L}{2,24}(?![${L}-])`, 'gu');
// hannah [at] example [dot] org, li.wei (at) example.cn: the spam-proof spellings.
const SPELLED_EMAIL_RE = new RegExp(
  String.raw`(?<![${L}._%+-])[${L}._%+-]{1,64}[ \t]*[\[(]at[\])][ \t]*[${L}-]{1,63}(?:(?:[ \t]*[\[(]dot[\])][ \t]*|\.)[${L}-]{1,63}){1,8}(?![${L}-])`,
  'giu',
);
// RFC 2606 / 6761 names reserved for documentation and tests: nobody's mailbox.
const RESERVED_DOMAIN_RE = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;
// `ssh ec2-user@ec2-198-51-100-1.compute-1.amazonaws.com` names a host, not a mailbox; so do
// private names (.internal, .local). `icon@2x.png` and `logo@dark.svg` are image files.
const HOST_DOMAIN_RE = /(?:^|\.)(?:amazonaws\.com|internal|local)$|^\d+x\.|^[^.]+\.(?:png|jpe?g|gif|svg|webp|ico|bmp)$/i;
// Service accounts of source hosts: git@github.com:org/repo.git is a clone URL.
const SERVICE_LOCAL_PARTS = new Set(['git', 'hg']);

/** Whether an address is a documentation placeholder (user@example.com), a host (ec2-user@...amazonaws.com), a clone URL (git@github.com) or a file name (icon@2x.png). */
export function isNonPersonalEmail(address: string): boolean {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  return RESERVED_DOMAIN_RE.test(domain) || HOST_DOMAIN_RE.test(domain) || SERVICE_LOCAL_PARTS.has(address.slice(0, at).toLowerCase());
}

// `scheme://user:` right before a match: the "local part" is a URL password (a token) and the
// "domain" is the host, which stays readable.
const URL_USERINFO_RE = /:\/\/[^\s:/@]{0,64}:$/;

/** Email addresses (Unicode, quoted local parts, "[at]" spellings), except at reserved documentation domains, hosts and clone URLs. */
export function findEmails(text: string, out: Span[]): void {
  if (!text.includes('@')) {
    if (/[[(]at[\])]/i.test(text))
      for (const m of text.matchAll(SPELLED_EMAIL_RE)) out.push({ start: m.index, end: m.index + m[0].length, category: 'email' });
    return;
  }
  for (const m of text.matchAll(EMAIL_RE)) {
    // A leading apostrophe or dot is punctuation around the address ('jane@acme.io').
    const lead = /^['.]*/.exec(m[0])?.[0].length ?? 0;
    const address = m[0].slice(lead);
    const start = m.index + lead;
    if (isNonPersonalEmail(address)) continue;
    if (text[start - 1] === ':' && URL_USERINFO_RE.test(text.slice(Math.max(0, start - 72), start))) continue;
    out.push({ start, end: m.index + m[0].length, category: 'email' });
  }
  if (text.includes('"@')) {
    for (const m of text.matchAll(QUOTED_EMAIL_RE))
      if (!isNonPersonalEmail(m[0])) out.push({ start: m.index, end: m.index + m[0].length, category: 'email' });
  }
  if (/[[(]at[\])]/i.test(text))
    for (const m of text.matchAll(SPELLED_EMAIL_RE)) out.push({ start: m.index, end: m.index + m[0].length, category: 'email' });
}

// Not preceded by what makes a number part of something else: words, paths, versions, ranges.
const NUMBER_START = String.raw`(?<![\w+.\/:@#$%=-])`;
// Not followed by more of the same number (555-123-4567.8) or a word.
const NUMBER_END = String.raw`(?![\w@]|[.-]\d)`;
// North American Numbering Plan: area code and exchange start with 2-9; separators required, so
// a bare run of 10 digits (an id, a timestamp) is not a phone number.
const US_PHONE = String.raw`(?:\+?1[ .-]?)?(?:\([2-9]\d\d\)[ .-]?|[2-9]\d\d[ .-])[2-9]\d\d[ .-]\d{4}`;
const US_PHONE_RE = new RegExp(`${NUMBER_START}${US_PHONE}${NUMBER_END}`, 'g');
// International: '+' and a country code, then groups, each after a separator, a line break or
// a ")" (`+49 (0)30 1234567`, `+44 7700 900123`, `+81 3-1234-5678`); or E.164 (`+4915123456789`).
// A '+' may follow a slash or a colon (`voicemail/+49 151 2345/`, `href="tel:+1415..."`, `電話：+81`).
const INTL_PHONE_RE =
  /(?<![\p{L}\p{N}_+.@#$%=-])\+[1-9]\d{0,14}(?:[ .-]{0,2}\(\d{1,5}\)|(?:[ .-]|[ \t]*\r?\n[ \t]*|(?<=\)))\d{1,8}){0,7}(?![\p{L}\p{N}_@]|[.-]\d)/gu;
// National numbers with a trunk 0 or an 00 international prefix (`030 12345678`, `07700 900456`,
// `01 42 68 53 01`, `0049 89 12345678`): only right after a word that says it is a phone number.
const NATIONAL_PHONE_RE = /(?<![\p{L}\p{N}_+./-])0\d{1,5}(?:[ ./-]\d{2,8}){1,5}(?![\p{L}\p{N}_]|[./-]\d)/gu;
const PHONE_WORD_BEFORE =
  /(?:t[ée]l|phone|mobile|mob|cell|fax|call|t[ée]l[ée]phone|telefon|tel[ée]fono|telefone|celular|handy|whatsapp|natel|電話|携帯)[.:：]?[ \t]*(?:no\.?|number|nr\.?|#)?[ \t]*[.:：]?[ \t]*$/iu;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

function balancedParentheses(value: string): boolean {
  return (value.match(/\(/g)?.length ?? 0) === (value.match(/\)/g)?.length ?? 0);
}

/**
 * Phone numbers: US formats ((206) 555-0100, 206-555-0100, +1 206 555 0100), international ones
 * (+44 20 7946 0958, +49 (0)30 1234567, E.164), and national ones after a phone word (Tel.: 030 1234567).
 */
export function findPhones(text: string, out: Span[]): void {
  US_PHONE_RE.lastIndex = 0;
  for (let m = US_PHONE_RE.exec(text); m; m = US_PHONE_RE.exec(text)) {
    const digits = digitCount(m[0]);
    if ((digits === 10 || digits === 11) && balancedParentheses(m[0]))
      out.push({ start: m.index, end: m.index + m[0].length, category: 'phone' });
    // After a rejected candidate the scan resumes one character later: "555-0100 4111..." may hold more.
    else US_PHONE_RE.lastIndex = m.index + 1;
  }
  if (text.includes('+')) {
    for (const m of text.matchAll(INTL_PHONE_RE)) {
      // The trunk prefix "(0)" is not dialled from abroad: it does not count.
      const digits = digitCount(m[0].replace('(0)', ''));
      if (digits >= 8 && digits <= 15 && balancedParentheses(m[0]))
        out.push({ start: m.index, end: m.index + m[0].length, category: 'phone' });
    }
  }
  for (const m of text.matchAll(NATIONAL_PHONE_RE)) {
    const digits = digitCount(m[0]);
    if (digits < 9 || digits > 15) continue;
    if (PHONE_WORD_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index)))
      out.push({ start: m.index, end: m.index + m[0].length, category: 'phone' });
  }
}
