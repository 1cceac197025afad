/**
 * Placeholders: `[EMAIL_3f2a9c]` is the category and the first 6 hex digits of
 * HMAC-SHA256(salt, category, canonical value). The salt is 32 random bytes made once per
 * installation and kept on that machine (src/node/redactionSalt.ts), so a placeholder cannot be
 * reversed by hashing guesses (a card number's middle digits, a colleague's address) without it,
 * while the same value still gets the same placeholder in every chunk and every run: answers stay
 * readable and the embedding cache, keyed by the redacted text, stays warm.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { RedactionCategory } from './redactionTypes';
import { joinBrokenLines } from './splitValues';

/** Length of a redaction salt in bytes. */
export const SALT_BYTES = 32;

const TAGS: Record<RedactionCategory, string> = {
  awsAccessKey: 'AWS_ACCESS_KEY',
  awsSecretKey: 'AWS_SECRET_KEY',
  privateKey: 'PRIVATE_KEY',
  token: 'TOKEN',
  email: 'EMAIL',
  phone: 'PHONE',
  creditCard: 'CREDIT_CARD',
};

// Hex digits of the HMAC in a placeholder: 24 bits keep answers readable; two different values
// colliding in one workspace only makes them look alike to the model.
const HASH_CHARS = 6;

/** Every placeholder this module makes, to leave them alone when text is redacted twice. */
export const PLACEHOLDER_RE = new RegExp(String.raw`\[(?:${Object.values(TAGS).join('|')})_[0-9a-f]{${HASH_CHARS}}\]`, 'g');

/**
 * One spelling per value: split lines joined, emails in lower case, numbers as their digits (a
 * phone number without its trunk "(0)" and NANP country code), access key ids in upper case.
 */
export function canonicalValue(category: RedactionCategory, value: string): string {
  const joined = joinBrokenLines(value);
  switch (category) {
    case 'email':
      return joined
        .replace(/\s*[[(]at[\])]\s*/i, '@')
        .replace(/\s*[[(]dot[\])]\s*/gi, '.')
        .toLowerCase();
    case 'creditCard':
      return joined.replace(/\D/g, '');
    case 'phone':
      return joined
        .replace('(0)', '')
        .replace(/\D/g, '')
        .replace(/^00/, '')
        .replace(/^1(?=\d{10}$)/, '');
    case 'awsAccessKey':
      return joined.replace(/\s/g, '').toUpperCase();
    default:
      return joined;
  }
}

let perProcessSalt: Uint8Array | undefined;

/** A random salt for this process only: used when no installation salt is given, never an unsalted hash. */
export function processSalt(): Uint8Array {
  perProcessSalt ??= new Uint8Array(randomBytes(SALT_BYTES));
  return perProcessSalt;
}

/** The placeholder function for one salt: same (category, value) in, same placeholder out. */
export function placeholderMaker(salt: Uint8Array): (category: RedactionCategory, value: string) => string {
  if (salt.length < 16) throw new Error(`A redaction salt needs at least 16 bytes (got ${salt.length}).`);
  const key = Buffer.from(salt);
  return (category, value) => {
    const mac = createHmac('sha256', key)
      .update(`${category}\u0000${canonicalValue(category, value)}`, 'utf8')
      .digest('hex');
    return `[${TAGS[category]}_${mac.slice(0, HASH_CHARS)}]`;
  };
}
