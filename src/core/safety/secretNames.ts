/**
 * Which names hold secrets (`db_password`, `apiKey`, `AWS_SESSION_TOKEN`, `SharedAccessKey`) and
 * which values are real rather than placeholders, types, references or code. Shared by the
 * assignment detectors (`password=...`) and the context ones (XML elements, table cells).
 */

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
// Words that make "<word> key" a secret: api_key, AUTH_KEY, encryption-key, masterKey, APP_KEY.
const KEY_PREFIXES = new Set(['api', 'secret', 'private', 'account', 'signing', 'auth', 'encryption', 'master', 'app', 'license', 'hmac']);
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
  'max',
  'num',
  'from',
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
  'yes',
  'no',
]);

// Every secret name holds one of these; most names (table cells, tags) are ruled out by this alone.
const SECRET_HINT = /pass|pwd|secret|token|key|_auth/i;

/** True for a name whose last word says it holds a secret: db_password, apiKey, AWS_SESSION_TOKEN, SharedAccessKey, secret_key_base. */
export function isSecretName(name: string): boolean {
  if (!SECRET_HINT.test(name)) return false;
  if (name === '_auth') return true; // .npmrc
  const words = (name.match(WORD_RE) ?? []).map((w) => w.toLowerCase());
  let last = words[words.length - 1] ?? '';
  if (last === 'base' && words[words.length - 2] === 'key') {
    words.pop();
    last = 'key';
  }
  const prev = words[words.length - 2] ?? '';
  if (/(?:password|passwd|passphrase)$/.test(last) || SECRET_WORDS.has(last)) return true;
  if (last === 'token') return !words.some((w) => NOT_SECRET_TOKENS.has(w));
  if (last === 'key') {
    const third = words[words.length - 3];
    return KEY_PREFIXES.has(prev) || (prev === 'access' && (third === 'secret' || third === 'shared'));
  }
  return false;
}

const FILE_PATH_RE = /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)|\.(?:pem|key|crt|cer|p12|pfx|json|ya?ml|txt|env|jks)$/i;
const DOTTED_CODE_RE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

/** Whether a word inside a dotted value looks random (a token piece) rather than like a name. */
function randomPiece(piece: string): boolean {
  return piece.length >= 12 && /\d/.test(piece) && /[a-z]/.test(piece) && /[A-Z]/.test(piece);
}

/**
 * False for placeholders, types, references, paths and code: `${DB_PASSWORD}`, `string`,
 * `getPassword()`, `arn:aws:...`, `/etc/ssl/client.key`, `process.env.TOKEN`, and values named like
 * a secret ("db_user_password", "fakeSecretAccessKey"). `minLength` is 4 unless the context is sure.
 */
export function looksLikeSecretValue(value: string, quoted: boolean, minLength = 4): boolean {
  if (value.length < minLength || !/[A-Za-z0-9]/.test(value)) return false;
  if (/^[$%{<[(!&*]/.test(value) || /^(.)\1*$/.test(value) || value.startsWith('arn:')) return false;
  if (NOT_VALUES.has(value.toLowerCase()) || isSecretName(value)) return false;
  if (!quoted && FILE_PATH_RE.test(value)) return false;
  if (!quoted && (value.includes('(') || (DOTTED_CODE_RE.test(value) && !value.split('.').some(randomPiece)))) return false;
  return true;
}
