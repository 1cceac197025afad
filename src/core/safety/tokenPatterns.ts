/**
 * Detectors for tokens with a recognisable shape: provider prefixes (GitHub, Slack, Stripe, Google,
 * npm, GitLab, ...), webhook URLs, JWTs, Bedrock API keys, `Bearer` and `Basic` credentials and
 * passwords in URLs. Every regex is anchored on a literal prefix or has bounded repetition.
 */
import { lowerOf } from './lowerText';
import type { Span } from './redactionTypes';

// Whole-token formats, by provider. Each starts only where a run of token characters starts, so
// a long run is scanned once. Group 1, when present, is the part to redact.
const T = String.raw`(?![A-Za-z0-9_-])`;
const PREFIXED_TOKENS = [
  String.raw`gh[pousr]_[A-Za-z0-9]{36,255}`, // GitHub classic, OAuth, user/server, refresh
  String.raw`github_pat_[A-Za-z0-9_]{22,255}`, // GitHub fine-grained
  String.raw`xox[abposre]-[A-Za-z0-9-]{10,250}`, // Slack bot/user/app-level tokens
  String.raw`xapp-\d-[A-Za-z0-9-]{10,250}`, // Slack app tokens
  String.raw`(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}`, // Stripe secret and restricted keys
  String.raw`whsec_[A-Za-z0-9]{20,100}`, // Stripe webhook signing secrets
  String.raw`AIza[0-9A-Za-z_-]{35}`, // Google API keys
  String.raw`GOCSPX-[A-Za-z0-9_-]{20,60}`, // Google OAuth client secrets
  String.raw`ya29\.[0-9A-Za-z_-]{20,2048}`, // Google OAuth access tokens
  String.raw`npm_[A-Za-z0-9]{36}`, // npm
  String.raw`gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent)-[A-Za-z0-9_-]{20,100}`, // GitLab
  String.raw`GR1348941[A-Za-z0-9_-]{20,60}`, // GitLab runner registration
  String.raw`SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}`, // SendGrid
  String.raw`sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{20,300}`, // Anthropic
  String.raw`sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,300}`, // OpenAI project/service keys
  String.raw`sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}`, // OpenAI legacy keys
  String.raw`hf_[A-Za-z0-9]{30,60}`, // Hugging Face
  String.raw`do[por]_v1_[a-f0-9]{64}`, // DigitalOcean
  String.raw`shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}`, // Shopify
  String.raw`dckr_pat_[A-Za-z0-9_-]{20,60}`, // Docker Hub
  String.raw`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{20,300}`, // PyPI
  String.raw`SK[0-9a-fA-F]{32}`, // Twilio API key SIDs
  String.raw`key-[0-9a-f]{32}`, // Mailgun
  String.raw`ATATT3[A-Za-z0-9_=-]{20,300}`, // Atlassian API tokens
  String.raw`PMAK-[0-9a-f]{24}-[0-9a-f]{34}`, // Postman
  String.raw`dapi[a-f0-9]{32}`, // Databricks
  String.raw`lin_api_[A-Za-z0-9]{40}`, // Linear
];
// Tokens in the base64 alphabet: a match starts only where a base64 run starts ('/' and '+'
// included), so "/ABSK/ABSK/ABSK..." is scanned once, not once per "ABSK".
const BASE64_TOKENS = [
  String.raw`(?:IQoJb3JpZ2lu|FwoGZXIvYXdzE)[A-Za-z0-9+/]{40,2048}={0,2}`, // AWS session tokens
  // Amazon Bedrock API keys: long-term (ABSK...) and short-term (bedrock-api-key-...).
  String.raw`ABSK[A-Za-z0-9+/]{32,2048}={0,2}`,
  String.raw`bedrock-api-key-[A-Za-z0-9+/]{32,4096}={0,2}`,
];
// `\b` rather than a lookbehind lets the regex engine skip ahead by first characters.
const PREFIXED_RE = new RegExp(String.raw`\b(?:${PREFIXED_TOKENS.join('|')})${T}`, 'g');
const BASE64_PREFIXED_RE = new RegExp(String.raw`(?<![A-Za-z0-9_+/-])(?:${BASE64_TOKENS.join('|')})(?![A-Za-z0-9+/=])`, 'g');
const BASE64_PREFIXES = ['IQoJb3JpZ2lu', 'FwoGZXIvYXdzE', 'ABSK', 'bedrock-api-key-'];

/** Tokens with a provider's prefix: GitHub, Slack, Stripe, Google, npm, GitLab, SendGrid, OpenAI, Anthropic, AWS session tokens, Bedrock API keys, ... */
export function findPrefixedTokens(text: string, out: Span[]): void {
  for (const m of text.matchAll(PREFIXED_RE)) {
    // `\b` lets a '-' stand before the token; a longer dashed word (`my-ghp_...`) is not a token.
    if (m.index > 0 && text[m.index - 1] === '-') continue;
    out.push({ start: m.index, end: m.index + m[0].length, category: 'token' });
  }
  if (BASE64_PREFIXES.some((p) => text.includes(p))) {
    for (const m of text.matchAll(BASE64_PREFIXED_RE)) out.push({ start: m.index, end: m.index + m[0].length, category: 'token' });
  }
}

// JWT: header and payload are base64url JSON objects, so both start with "eyJ".
const JWT_RE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

// Webhook URLs whose path is the secret: Slack, Discord, Microsoft Teams.
const WEBHOOK_RE =
  /(?:hooks\.slack\.com\/(?:services|workflows|triggers)\/|discord(?:app)?\.com\/api\/webhooks\/|\.webhook\.office\.com\/webhookb2\/|outlook\.office\.com\/webhook\/)([^\s"'<>)\]`]{10,500})/g;
// `Bearer <token>` (header or prose, any case, "bearer token X" too); a placeholder has no digit and is all capitals or words.
const BEARER_RE = /\bbearer[ \t]+(?:token[ \t]*[:=]?[ \t]*)?([A-Za-z0-9._~+/-]{16,4096}=*)/gi;
// `Authorization: Basic <base64 of user:password>`.
const BASIC_RE = /\bbasic[ \t]+([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/gi;
// Password hashes in crypt(3) formats (htpasswd, /etc/shadow): crackable offline, so secret too.
const CRYPT_HASH_RE = /(?<![\w$])\$(?:apr1|2[abxy]|[156]|y|argon2(?:id|i|d)|pbkdf2[\w-]{0,16}|scrypt)\$[./A-Za-z0-9$=,+-]{8,300}/g;
// Azure SAS signatures in a URL.
const SAS_RE = /[?&]sig=([A-Za-z0-9%+/=]{20,200})/g;
// ://authority: the password is between the first ':' and the last '@' of the authority.
const URL_AUTHORITY_RE = /:\/\/([^\s/?#"'<>`]{1,300})/g;

/** Whether a bearer value is a real token rather than a placeholder such as YOUR_ACCESS_TOKEN or ACCESS-TOKEN-HERE. */
function isBearerToken(value: string): boolean {
  if (/^[A-Z_-]+$/.test(value) || /^[a-z_-]+$/.test(value)) return false;
  return /\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value) && value.length >= 20);
}

/** The text that base64 or base64url `value` encodes (padding optional), when it is printable ASCII; undefined otherwise. */
export function decodeBase64Text(value: string): string | undefined {
  const bare = value.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (typeof atob !== 'function' || bare.length % 4 === 1) return undefined;
  let decoded: string;
  try {
    decoded = atob(bare.padEnd(Math.ceil(bare.length / 4) * 4, '='));
  } catch {
    return undefined;
  }
  return /^[\x20-\x7E\t\r\n]+$/.test(decoded) ? decoded : undefined;
}

function push(out: Span[], m: RegExpMatchArray, group: number): void {
  const value = m[group] as string;
  const start = (m.index as number) + m[0].lastIndexOf(value);
  out.push({ start, end: start + value.length, category: 'token' });
}

/** JWTs, webhook URLs, bearer and Basic credentials, SAS signatures, password hashes and passwords in URLs. */
export function findShapedTokens(text: string, out: Span[]): void {
  const lower = lowerOf(text);
  if (text.includes('eyJ')) for (const m of text.matchAll(JWT_RE)) push(out, m, 0);
  if (lower.includes('hook')) for (const m of text.matchAll(WEBHOOK_RE)) push(out, m, 1);
  if (lower.includes('bearer')) for (const m of text.matchAll(BEARER_RE)) if (isBearerToken(m[1] as string)) push(out, m, 1);
  if (lower.includes('basic'))
    for (const m of text.matchAll(BASIC_RE)) if (decodeBase64Text(m[1] as string)?.includes(':')) push(out, m, 1);
  if (text.includes('sig=')) for (const m of text.matchAll(SAS_RE)) push(out, m, 1);
  if (text.includes('$')) for (const m of text.matchAll(CRYPT_HASH_RE)) push(out, m, 0);
  if (text.includes('://')) findUrlPasswords(text, out);
}

/** `scheme://user:password@host`: the password only; the host stays readable. */
function findUrlPasswords(text: string, out: Span[]): void {
  for (const m of text.matchAll(URL_AUTHORITY_RE)) {
    const authority = m[1] as string;
    const at = authority.lastIndexOf('@');
    if (at < 0) continue;
    const colon = authority.indexOf(':');
    if (colon < 0 || colon > at) continue;
    const password = authority.slice(colon + 1, at);
    if (password === '' || /^[[<$%{]/.test(password)) continue;
    const start = (m.index as number) + 3 + colon + 1;
    out.push({ start, end: start + password.length, category: 'token' });
  }
}
