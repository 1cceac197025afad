/**
 * Detectors for personal data: email addresses, phone numbers and payment card numbers. A loose,
 * linear regex finds candidates; a strict check in code (grouping, number plan, Luhn) keeps
 * version numbers, dates, IP addresses, line ranges and ids out.
 */
import type { Span } from './redact';

// Local part at most 64 chars (RFC 5321); labels at most 63; the lookbehind starts a match only at
// the start of a run, so a long run without '@' is scanned once.
const EMAIL_RE =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
// RFC 2606 / 6761 names reserved for documentation and tests: nobody's mailbox.
const RESERVED_DOMAIN_RE = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;
// `ssh ec2-user@ec2-198-51-100-1.compute-1.amazonaws.com` names a host, not a mailbox; so do
// private names (.internal, .local). `icon@2x.png` is an image file.
const HOST_DOMAIN_RE = /(?:^|\.)(?:amazonaws\.com|internal|local)$|^\d+x\.|\.(?:png|jpe?g|gif|svg|webp|ico|bmp)$/i;

/** Whether an address is a documentation placeholder (user@example.com), a host (ec2-user@...amazonaws.com) or a file name (icon@2x.png). */
export function isNonPersonalEmail(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return RESERVED_DOMAIN_RE.test(domain) || HOST_DOMAIN_RE.test(domain);
}

// `scheme://user:` right before a match: the "local part" is a URL password (a token) and the
// "domain" is the host, which stays readable.
const URL_USERINFO_RE = /:\/\/[^\s:/@]{1,64}:$/;

/** Email addresses, except at reserved documentation domains and AWS host names. */
export function findEmails(text: string, out: Span[]): void {
  for (const m of text.matchAll(EMAIL_RE)) {
    if (isNonPersonalEmail(m[0])) continue;
    if (text[m.index - 1] === ':' && URL_USERINFO_RE.test(text.slice(Math.max(0, m.index - 72), m.index))) continue;
    out.push({ start: m.index, end: m.index + m[0].length, category: 'email' });
  }
}

// Not preceded by what makes a number part of something else: words, paths, versions, ranges.
const NUMBER_START = String.raw`(?<![\w+.\/:@#$%=-])`;
// Not followed by more of the same number (555-123-4567.8) or a word.
const NUMBER_END = String.raw`(?![\w@]|[.-]\d)`;
// North American Numbering Plan: area code and exchange start with 2-9; separators required, so
// a bare run of 10 digits (an id, a timestamp) is not a phone number.
const US_PHONE = String.raw`(?:\+?1[ .-]?)?(?:\([2-9]\d\d\)[ .-]?|[2-9]\d\d[ .-])[2-9]\d\d[ .-]\d{4}`;
// International: a '+' country code, then groups that each start with a separator or '('; or E.164.
const INTL_PHONE = String.raw`\+[1-9]\d{0,3}(?:[ .-]\(?\d{1,5}\)?|\(\d{1,5}\)){1,6}|\+[1-9]\d{7,14}`;
const PHONE_RE = new RegExp(`${NUMBER_START}(?:${US_PHONE}|${INTL_PHONE})${NUMBER_END}`, 'g');

/**
 * Matches of a candidate regex that `accept` approves. After a rejected candidate the scan resumes
 * one character later, not after it: "555-0100 4111 1111 1111 1111" holds a card after a phone.
 */
function* accepted(re: RegExp, text: string, accept: (value: string) => boolean): Generator<{ index: number; value: string }> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (accept(m[0])) yield { index: m.index, value: m[0] };
    else re.lastIndex = m.index + 1;
  }
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/** Phone numbers in US formats ((206) 555-0100, 206-555-0100, +1 206 555 0100) and international ones (+44 20 7946 0958). */
export function findPhones(text: string, out: Span[]): void {
  for (const { index, value } of accepted(PHONE_RE, text, isPhone))
    out.push({ start: index, end: index + value.length, category: 'phone' });
}

function isPhone(value: string): boolean {
  const digits = digitCount(value);
  if (value.startsWith('+') ? digits < 8 || digits > 15 : digits !== 10 && digits !== 11) return false;
  return (value.match(/\(/g)?.length ?? 0) === (value.match(/\)/g)?.length ?? 0);
}

const CARD_RE = new RegExp(`${NUMBER_START}\\d(?:[ -]?\\d){12,18}${NUMBER_END}`, 'g');
// Issuer prefixes: Visa, Mastercard (51-55, 2221-2720), Amex, Diners, Discover, JCB, UnionPay.
const CARD_PREFIX_RE = /^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6(?:011|5|4[4-9]|22)|35|62)/;
// How cards are printed when they are grouped: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
const CARD_GROUPINGS = new Set(['4,4,4,4', '4,4,4,4,3', '4,6,5', '4,6,4', '4,4,4,1', '4,4,4,2', '4,4,4,3']);

/** Luhn (mod 10) checksum of a digit string: true when it is valid. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Payment card numbers: 13-19 digits, plain or grouped with one kind of separator, known issuer prefix, Luhn-valid. */
export function findCards(text: string, out: Span[]): void {
  for (const { index, value } of accepted(CARD_RE, text, isCard))
    out.push({ start: index, end: index + value.length, category: 'creditCard' });
}

function isCard(value: string): boolean {
  const separators = new Set(value.replace(/\d/g, ''));
  if (separators.size > 1) return false;
  if (
    separators.size === 1 &&
    !CARD_GROUPINGS.has(
      value
        .split(/[ -]/)
        .map((g) => g.length)
        .join(','),
    )
  )
    return false;
  const digits = value.replace(/[ -]/g, '');
  return CARD_PREFIX_RE.test(digits) && !/^(\d)\1+$/.test(digits) && luhnValid(digits);
}
