import assert from 'node:assert/strict';
import { validateConversationJsonl, validateConversationRecord } from '../../../src/core/finetune/conversationRecord';
import type { RatedConversation } from '../../../src/core/finetune/exportFineTuning';
import { exportFineTuning, stripCitationMarkers } from '../../../src/core/finetune/exportFineTuning';

const SYSTEM = 'You answer questions about the docs.';
const identity = (t: string) => t;

const chat: RatedConversation = {
  id: 'c1',
  systemPrompt: SYSTEM,
  turns: [
    { question: 'Which port?', answer: 'Port 3128 [1].', rating: 'up', status: 'done' },
    { question: 'And HTTP/2?', answer: 'On for TLS [2].', rating: 'down', status: 'done' },
    { question: 'Unrated?', answer: 'Yes.', status: 'done' },
    { question: 'Key rotation?', answer: 'Create, deploy, revoke [1][2].', rating: 'up', status: 'done' },
    { question: 'Cut off?', answer: 'The answer was', rating: 'up', status: 'incomplete' },
  ],
};

describe('exportFineTuning', () => {
  it('writes one record per thumbs-up answer, in the Bedrock conversation format', () => {
    const out = exportFineTuning([chat], { redact: identity });
    assert.deepEqual(out.records[0], {
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: SYSTEM }],
      messages: [
        { role: 'user', content: [{ text: 'Which port?' }] },
        { role: 'assistant', content: [{ text: 'Port 3128.' }] },
      ],
    });
    assert.equal(out.records.length, 2);
    const lines = out.jsonl.split('\n');
    assert.equal(lines.length, 3, 'one line per record and a final newline');
    assert.deepEqual(
      lines.slice(0, 2).map((l) => JSON.parse(l)),
      out.records,
    );
    assert.deepEqual(validateConversationJsonl(out.jsonl).problems, []);
    assert.deepEqual(
      out.skipped.map((s) => [s.turn, s.reason]),
      [
        [1, 'rated down'],
        [2, 'not rated'],
        [4, 'answer incomplete'],
      ],
    );
  });

  it('applies the redaction to the system prompt, the question and the answer', () => {
    const secretChat: RatedConversation = {
      id: 'c2',
      systemPrompt: 'Team ACME-42 docs.',
      turns: [{ question: 'Is ACME-42 the key?', answer: 'ACME-42 is the key [1].', rating: 'up' }],
    };
    const out = exportFineTuning([secretChat], { redact: (t) => t.replace(/ACME-\d+/g, '[REDACTED]') });
    assert.ok(!out.jsonl.includes('ACME-42'));
    assert.equal(out.records[0]?.messages[1]?.content[0]?.text, '[REDACTED] is the key.');
    assert.equal(out.records[0]?.system?.[0]?.text, 'Team [REDACTED] docs.');
  });

  it('keeps citations only when the record shows the sources they point at', () => {
    const withPrompt: RatedConversation = {
      id: 'c3',
      turns: [
        { question: 'Which port?', prompt: '<sources>...</sources>\n\nQuestion: Which port?', answer: 'Port 3128 [1].', rating: 'up' },
      ],
    };
    const record = exportFineTuning([withPrompt], { redact: identity }).records[0];
    assert.deepEqual(
      record?.messages.map((m) => m.content[0]?.text),
      ['<sources>...</sources>\n\nQuestion: Which port?', 'Port 3128 [1].'],
    );
    assert.equal(record?.system, undefined, 'no system prompt, no system field');
    assert.equal(
      stripCitationMarkers('Use `items[0]` [2], see:\n```js\nlist[1]\n```\nDone [1, 3].'),
      'Use `items[0]`, see:\n```js\nlist[1]\n```\nDone.',
    );
  });

  it('can include thumbs-down answers and group consecutive exported turns into one conversation', () => {
    const out = exportFineTuning([chat], {
      redact: identity,
      ratings: ['up', 'down'],
      grouping: 'conversation',
      defaultSystemPrompt: 'unused',
    });
    assert.deepEqual(
      out.records.map((r) => r.messages.filter((m) => m.role === 'user').map((m) => m.content[0]?.text)),
      [['Which port?', 'And HTTP/2?'], ['Key rotation?']],
    );
    assert.equal(out.records[0]?.system?.[0]?.text, SYSTEM);
  });

  it('leaves out a record the format would reject, with the reason', () => {
    const bad: RatedConversation = {
      id: 'c4',
      turns: [
        { question: 'Roles?', answer: 'User: admin can do it.', rating: 'up' },
        { question: 'Ok?', answer: 'Ok.', rating: 'up' },
      ],
    };
    const out = exportFineTuning([bad], { redact: identity });
    assert.equal(out.records.length, 1);
    assert.match(out.skipped[0]?.reason ?? '', /reserved keyword "User:"/);
  });

  it('warns when there are too few records for a training job', () => {
    assert.match(exportFineTuning([chat], { redact: identity }).warnings.join(' '), /at least 8/);
    const empty = exportFineTuning([], { redact: identity });
    assert.deepEqual([empty.records, empty.jsonl, empty.skipped], [[], '', []]);
    assert.match(empty.warnings[0] ?? '', /^Only 0 records/);
  });
});

describe('validateConversationRecord', () => {
  const valid = {
    schemaVersion: 'bedrock-conversation-2024',
    system: [{ text: 'A chat between a curious person and an assistant.' }],
    messages: [
      { role: 'user', content: [{ text: 'why is the sky blue' }] },
      { role: 'assistant', content: [{ text: 'Air scatters blue light more than other colours.' }] },
    ],
  };

  it('accepts the documented example shape', () => {
    assert.deepEqual(validateConversationRecord(valid), []);
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['a wrong schema version', { ...valid, schemaVersion: 'bedrock-conversion-2024' }, /schemaVersion/],
    ['a first turn by the assistant', { ...valid, messages: [valid.messages[1], valid.messages[0]] }, /messages\.0\.role: expected user/],
    ['a last turn by the user', { ...valid, messages: [...valid.messages, valid.messages[0]] }, /last turn must be the assistant/],
    ['a single message', { ...valid, messages: [valid.messages[0]] }, /messages: Too small/],
    ['a blank text', { ...valid, messages: [valid.messages[0], { role: 'assistant', content: [{ text: '  ' }] }] }, /blank text/],
    ['an unknown role', { ...valid, messages: [valid.messages[0], { role: 'system', content: [{ text: 'x' }] }] }, /messages\.1\.role/],
    ['an extra field', { ...valid, rating: 'up' }, /Unrecognized key: "rating"/],
    [
      'a reserved keyword in the system prompt',
      { ...valid, system: [{ text: 'System: be nice' }] },
      /system\.0\.text: contains reserved keyword "System:"/,
    ],
    ['a non-object', 'hello', /record: Invalid input: expected object/],
  ];
  for (const [name, record, pattern] of cases) {
    it(`rejects ${name}`, () => {
      assert.match(validateConversationRecord(record).join('\n'), pattern);
    });
  }

  it('reports JSONL problems by line', () => {
    const good = JSON.stringify(valid);
    const result = validateConversationJsonl(`${good}\nnot json\n\n${good}\n`);
    assert.equal(result.records, 4);
    assert.deepEqual(
      result.problems.map((p) => [p.line, p.problem]),
      [
        [2, 'not valid JSON'],
        [3, 'blank line (JSONL has one record per line)'],
      ],
    );
  });
});
