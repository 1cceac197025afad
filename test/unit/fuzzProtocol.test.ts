import assert from 'node:assert/strict';
import { isExtensionMessage, isWebviewMessage, parseExtensionMessage, parseWebviewMessage } from '../../src/protocol/messages';
import type { Random } from './safety/seededRandom';
import { fuzzSeed, seededRandom } from './safety/seededRandom';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One valid message of every webview -> extension type. */
const VALID: Array<Record<string, Json>> = [
  { type: 'ready', protocolVersion: 1 },
  { type: 'chat/send', requestId: 'r1', text: 'How do I rotate keys?', scope: { kind: 'all' }, modelId: 'm', agentMode: false },
  { type: 'chat/abort', requestId: 'r1' },
  { type: 'chat/retry', requestId: 'r2', turnId: 'r1', scope: { kind: 'folder', path: 'docs' }, modelId: 'm', agentMode: true },
  {
    type: 'chat/edit',
    requestId: 'r3',
    turnId: 'r1',
    text: 'And for SSO?',
    scope: { kind: 'currentFile', path: 'a.md' },
    modelId: 'm',
    agentMode: false,
  },
  { type: 'chat/new' },
  { type: 'chat/export', conversationId: 'c1' },
  { type: 'history/open', conversationId: 'c1' },
  { type: 'history/delete', conversationId: 'c1' },
  { type: 'history/clear' },
  { type: 'source/open', path: 'docs/a.md', startLine: 3, endLine: 9 },
  { type: 'code/copy', code: 'npm test' },
  { type: 'code/insert', code: '' },
  { type: 'code/newFile', code: 'x = 1', language: 'py', languageId: 'python' },
  { type: 'model/select', modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0' },
  { type: 'scope/select', scope: { kind: 'all' } },
  { type: 'scope/browse' },
  { type: 'error/action', turnId: 't1', action: { kind: 'openSettings', label: 'Open settings', setting: 'bedrockDocs.chat.modelId' } },
  { type: 'answer/rate', turnId: 't1', rating: 'up' },
  { type: 'agent/toggle', enabled: true },
];
const TYPES = VALID.map((m) => m.type as string);
const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
const ID_FIELDS = new Set(['requestId', 'turnId', 'conversationId']);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Freezes a value all the way down, so a parser that writes to its input throws. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'chat/send',
  'ready',
  '__proto__',
  'constructor',
  'toString',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'a'.repeat(40_000),
  '\u0000',
  '\ud800',
  '🎉',
  'NaN',
  '-1',
  '1e309',
];

/** A random JSON value: what JSON.parse or a structured-clone postMessage could deliver. */
function randomJson(random: Random, depth = 0): Json {
  const roll = random.int(depth > 3 ? 5 : 8);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random.bool();
    case 2:
      return random.pick([0, -1, 1.5, 2 ** 53, -0, 1e308, Number.MAX_SAFE_INTEGER, random.int(10)]);
    case 3:
    case 4:
      return random.bool(0.3) ? random.pick(TYPES) : random.pick(HOSTILE_STRINGS);
    case 5:
      return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default: {
      // JSON.parse, unlike an object literal, makes "__proto__" an own property.
      const entries = Array.from({ length: random.int(5) }, () => [
        random.pick(['type', 'requestId', 'text', 'scope', 'kind', 'path', '__proto__', 'constructor', 'x']),
        randomJson(random, depth + 1),
      ]);
      return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Json;
    }
  }
}

/** A value of a different JSON type than `value` (never null: some fields are nullable). */
function otherType(random: Random, value: Json): Json {
  const kind = (v: Json): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  const options: Json[] = [7, 'x', true, [], {}, [1], { kind: 'all' }];
  const candidates = options.filter((o) => kind(o) !== kind(value) && !(kind(value) === 'null' && kind(o) === 'object'));
  return random.pick(candidates);
}

/** Parsing is total and consistent: no throw, the guard agrees, the same answer twice, accepted values are fixed points. */
function checkConsistent(raw: unknown, context: string): boolean {
  const first = parseWebviewMessage(raw);
  const second = parseWebviewMessage(raw);
  assert.deepEqual(second, first, `${context}: same input, same answer`);
  assert.equal(isWebviewMessage(raw), first.ok, `${context}: the guard agrees with the parser`);
  if (!first.ok) {
    assert.ok(first.reason.length > 0 && first.reason.length < 2000, `${context}: a short reason`);
    return false;
  }
  assert.deepEqual(clone(first.value), first.value, `${context}: the accepted value is plain JSON`);
  const again = parseWebviewMessage(first.value);
  assert.ok(again.ok, `${context}: an accepted value is accepted again`);
  assert.deepEqual(again.value, first.value, `${context}: parsing an accepted value changes nothing`);
  return true;
}

describe('fuzz: webview message protocol', () => {
  it('accepts every valid sample (the mutations below start from them)', () => {
    for (const message of VALID) assert.ok(parseWebviewMessage(message).ok, JSON.stringify(message));
    assert.equal(new Set(TYPES).size, TYPES.length);
  });

  it('never throws on random JSON values, and answers consistently', () => {
    const seed = fuzzSeed(0xc0ffee);
    console.log(`      seed ${seed} (FUZZ_SEED=${seed} to replay)`);
    const random = seededRandom(seed);
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const raw = deepFreeze(randomJson(random));
      if (checkConsistent(raw, `seed ${seed}, case ${i}: ${JSON.stringify(raw).slice(0, 200)}`)) accepted++;
      assert.doesNotThrow(() => parseExtensionMessage(raw), `seed ${seed}, case ${i}: extension side`);
      assert.equal(isExtensionMessage(raw), parseExtensionMessage(raw).ok);
    }
    // Random values are almost never valid messages; the bare ones (chat/new, history/clear, scope/browse) can be.
    assert.ok(accepted < 40, `${accepted} random values accepted`);
  });

  it('rejects or accepts mutated valid messages as their mutation demands', () => {
    const seed = fuzzSeed(0xbadf00d);
    console.log(`      seed ${seed} (FUZZ_SEED=${seed} to replay)`);
    const random = seededRandom(seed);
    const tally = { dropped: 0, extra: 0, retyped: 0, id: 0, retagged: 0, nested: 0 };
    for (let i = 0; i < 400; i++) {
      const base = clone(random.pick(VALID));
      const fields = Object.keys(base).filter((k) => k !== 'type');
      const context = (what: string, m: unknown): string => `seed ${seed}, case ${i}, ${what}: ${JSON.stringify(m).slice(0, 200)}`;
      const mutation = random.int(6);
      if (mutation === 0 && fields.length > 0) {
        // Every webview message field is required: dropping one must be rejected.
        const m = clone(base);
        delete m[random.pick(fields)];
        assert.equal(checkConsistent(deepFreeze(m), context('dropped a field', m)), false, context('dropped a field', m));
        tally.dropped++;
      } else if (mutation === 1) {
        const m = { ...clone(base), [random.pick(['extra', 'html', '__unknown', 'TYPE'])]: randomJson(random) };
        assert.equal(checkConsistent(deepFreeze(m), context('extra field', m)), true, context('extra field', m));
        assert.deepEqual((parseWebviewMessage(m) as { value: unknown }).value, base, context('extra fields are dropped', m));
        tally.extra++;
      } else if (mutation === 2) {
        const key = random.pick([...fields, 'type']);
        const m = { ...clone(base), [key]: otherType(random, base[key] as Json) };
        assert.equal(checkConsistent(deepFreeze(m), context(`retyped ${key}`, m)), false, context(`retyped ${key}`, m));
        tally.retyped++;
      } else if (mutation === 3) {
        const idField = fields.find((f) => ID_FIELDS.has(f));
        if (idField === undefined) continue;
        let id = '';
        for (let k = random.int(140); k > 0; k--) id += random.pick([...'aZ09_.:-/ <>"\'\\\u0000é😀']);
        const m = { ...clone(base), [idField]: id };
        assert.equal(checkConsistent(deepFreeze(m), context('random id', m)), ID_RE.test(id), context('random id', m));
        tally.id++;
      } else if (mutation === 4) {
        // Another message's type on these fields: valid only if the fields happen to fit; never a throw.
        const m = { ...clone(base), type: random.pick(TYPES) };
        checkConsistent(deepFreeze(m), context('retagged', m));
        tally.retagged++;
      } else {
        // Deep junk where a nested object belongs, or a deeply nested value in an extra field.
        let deep: Json = 'leaf';
        for (let d = 0; d < 2000; d++) deep = random.bool() ? [deep] : { v: deep };
        const key = 'scope' in base ? 'scope' : 'action' in base ? 'action' : 'extra';
        const m = { ...clone(base), [key]: deep };
        assert.equal(checkConsistent(deepFreeze(m), context('deep value', m)), key === 'extra', context('deep value', m));
        tally.nested++;
      }
    }
    for (const [name, count] of Object.entries(tally)) assert.ok(count > 10, `mutation ${name} ran ${count} times`);
  });
});
