import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BedrockDocsError } from '../../../src/core/errors';
import { parseEvalSet } from '../../../src/core/eval/evalSet';

function badInput(fn: () => unknown): BedrockDocsError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BedrockDocsError);
    assert.equal(err.code, 'BAD_INPUT');
    assert.ok(err.hint?.includes('"relevant"'));
    return err;
  }
  assert.fail('expected a BAD_INPUT error');
}

describe('eval set parsing', () => {
  it('reads the fields, skips blank lines and numbers lines from 1', () => {
    const text = [
      '{"id": "q1", "question": " Is it on? ", "reference_answer": "Yes.", "yes_no_none": "yes", "relevant": ["a.md", "b.md#Setup"]}',
      '',
      '   ',
      '{"question": "How?", "relevant": ["c.md"], "extra": 1}',
    ].join('\r\n');
    const items = parseEvalSet(`\uFEFF${text}\n`);
    assert.deepEqual(items, [
      { id: 'q1', question: 'Is it on?', relevant: ['a.md', 'b.md#Setup'], referenceAnswer: 'Yes.', yesNoNone: 'Yes', line: 1 },
      { id: 'line-4', question: 'How?', relevant: ['c.md'], line: 4 },
    ]);
  });

  it('accepts numeric ids and a null yes_no_none', () => {
    const [item] = parseEvalSet('{"id": 7, "question": "Q", "relevant": ["a.md"], "yes_no_none": null}');
    assert.equal(item?.id, '7');
    assert.equal(item?.yesNoNone, undefined);
  });

  it('reports every bad line with its number in one error', () => {
    const text = [
      '{"question": "ok", "relevant": ["a.md"]}',
      '{not json',
      '{"relevant": ["a.md"]}',
      '{"question": "Q", "relevant": []}',
      '[1, 2]',
      '{"question": "Q", "relevant": ["a.md"], "yes_no_none": "maybe"}',
      '{"question": "Q", "relevant": ["a.md", 3]}',
    ].join('\n');
    const err = badInput(() => parseEvalSet(text, 'evals/set.jsonl'));
    assert.match(err.message, /^evals\/set\.jsonl: line 2: not valid JSON/);
    assert.match(err.message, /line 3: missing "question"/);
    assert.match(err.message, /line 4: missing "relevant"/);
    assert.match(err.message, /line 5: expected a JSON object/);
    assert.match(err.message, /line 6: "yes_no_none" must be/);
    assert.match(err.message, /line 7: "relevant" must hold non-empty strings/);
    assert.doesNotMatch(err.message, /line 1:/);
  });

  it('rejects duplicate ids, naming both lines', () => {
    const err = badInput(() =>
      parseEvalSet('{"id": "a", "question": "Q", "relevant": ["x"]}\n{"id": "a", "question": "R", "relevant": ["y"]}'),
    );
    assert.match(err.message, /line 2: id "a" already used on line 1/);
  });

  it('rejects a set with no questions, and lists at most ten problems', () => {
    badInput(() => parseEvalSet('\n\n'));
    const err = badInput(() => parseEvalSet(Array.from({ length: 12 }, () => '{}').join('\n')));
    assert.match(err.message, /line 10: /);
    assert.doesNotMatch(err.message, /line 11: /);
    assert.match(err.message, /and 2 more$/);
  });

  it('parses the shipped fixture eval set', () => {
    const text = readFileSync(join(__dirname, '../../fixtures/eval/questions.jsonl'), 'utf8');
    const items = parseEvalSet(text);
    assert.equal(items.length, 6);
    assert.deepEqual(
      items.map((i) => i.yesNoNone ?? '-'),
      ['None', 'No', 'None', 'None', 'Yes', '-'],
    );
  });
});
