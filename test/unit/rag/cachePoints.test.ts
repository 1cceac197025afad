import assert from 'node:assert/strict';
import type { CachingSpec } from '../../../src/core/models/catalog';
import { lookupModel } from '../../../src/core/models/catalog';
import type { ChatMessage, ContentBlock } from '../../../src/core/ports';
import { layoutPrompt } from '../../../src/core/rag/cachePoints';
import type { PromptLayout, PromptLayoutInput } from '../../../src/core/rag/cachePoints';
import { PROMPT_OVERHEAD } from '../../../src/core/rag/contextBudget';

const estimate = (text: string): number => text.length;
const CP: ContentBlock = { cachePoint: { type: 'default' } };
const CLAUDE: CachingSpec = { minTokensPerCheckpoint: 100, maxCheckpoints: 4, fields: ['system', 'messages', 'tools'] };
const NOVA: CachingSpec = { minTokensPerCheckpoint: 100, maxCheckpoints: 4, fields: ['system', 'messages'] };
const S = `<sources>${'s'.repeat(500)}</sources>`;
const Q1 = 'Question: how do I set the proxy?';
const Q2 = 'Question: and for npm?';

const base: PromptLayoutInput = {
  system: 'rules',
  sourcesBlock: S,
  questionBlock: Q1,
  caching: CLAUDE,
  enabled: true,
  estimate,
  minMargin: 1,
};
const turn = (q: string, a: string): ChatMessage[] => [
  { role: 'user', content: [{ text: q }] },
  { role: 'assistant', content: [{ text: a }] },
];
const countCachePoints = (l: PromptLayout): number =>
  l.system.filter((b) => 'cachePoint' in b).length +
  l.messages.reduce((n, m) => n + m.content.filter((b) => 'cachePoint' in b).length, 0) +
  (l.cacheTools ? 1 : 0);

describe('prompt layout and cache points', () => {
  it('splits the user turn into a sources block and a question block, with a cache point between', () => {
    const l = layoutPrompt(base);
    assert.deepEqual(l.messages, [{ role: 'user', content: [{ text: S }, CP, { text: Q1 }] }]);
    assert.deepEqual(l.system, [{ text: 'rules' }], 'a 5-token system prompt is below the minimum');
    assert.deepEqual(l.cachePoints, [{ at: 'sources', prefixTokens: 'rules'.length + S.length }]);
    assert.equal(l.cacheTools, false);
  });

  it('places none when the setting is off or the model has no caching', () => {
    for (const l of [layoutPrompt({ ...base, enabled: false }), layoutPrompt({ ...base, caching: null })]) {
      assert.deepEqual(l.messages, [{ role: 'user', content: [{ text: S }, { text: Q1 }] }]);
      assert.equal(countCachePoints(l), 0);
    }
  });

  it('never places one below the minimum, with the estimate margin applied', () => {
    assert.equal(countCachePoints(layoutPrompt({ ...base, sourcesBlock: 'x'.repeat(80) })), 0);
    // 5 + 105 = 110 tokens: enough at margin 1, not at the default 15 % margin (needs 115).
    assert.equal(countCachePoints(layoutPrompt({ ...base, sourcesBlock: 'x'.repeat(105) })), 1);
    assert.equal(countCachePoints(layoutPrompt({ ...base, sourcesBlock: 'x'.repeat(105), minMargin: undefined })), 0);
  });

  it('requires the minimum per checkpoint: a short sources block after a cached system prompt gets none', () => {
    const l = layoutPrompt({ ...base, system: 'r'.repeat(150), sourcesBlock: 'x'.repeat(60) });
    assert.deepEqual(l.system, [{ text: 'r'.repeat(150) }, CP]);
    assert.deepEqual(
      l.cachePoints.map((c) => c.at),
      ['system'],
    );
  });

  it('caches tool definitions where the model allows it (Claude), not where it does not (Nova)', () => {
    const tools = [{ name: 'search_docs', description: 'd'.repeat(200), inputSchema: { type: 'object' } }];
    assert.equal(layoutPrompt({ ...base, tools }).cacheTools, true);
    assert.equal(layoutPrompt({ ...base, tools, caching: NOVA }).cacheTools, false);
  });

  it('keeps at most the model limit, the latest ones', () => {
    const tools = [{ name: 't', description: 'd'.repeat(200), inputSchema: {} }];
    const input = { ...base, tools, system: 'r'.repeat(200), history: turn('q'.repeat(200), 'a'.repeat(200)), historySharesSources: true };
    assert.equal(layoutPrompt(input).cachePoints.length, 4);
    const one = layoutPrompt({ ...input, caching: { ...CLAUDE, maxCheckpoints: 1 } });
    assert.deepEqual(
      one.cachePoints.map((c) => c.at),
      ['conversation'],
    );
    assert.equal(countCachePoints(one), 1);
    assert.equal(countCachePoints(layoutPrompt({ ...input, caching: { ...CLAUDE, maxCheckpoints: 2 } })), 2);
  });

  it("lets a follow-up over the same sources reuse the first call's cached prefix", () => {
    const first = layoutPrompt(base);
    const answer = `Set it in settings.json [1]. ${'More detail. '.repeat(10)}`;
    const followUp = layoutPrompt({ ...base, questionBlock: Q2, history: turn(Q1, answer), historySharesSources: true });
    const prefix = (l: PromptLayout): unknown => [l.system, l.messages[0]!.content.slice(0, 2)];
    assert.deepEqual(prefix(followUp), prefix(first), 'same system and same [sources, cachePoint] opening');
    assert.deepEqual(
      followUp.messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    assert.deepEqual(followUp.messages[0]!.content, [{ text: S }, CP, { text: Q1 }]);
    assert.deepEqual(followUp.messages[2]!.content, [{ text: Q2 }, CP], 'the newest question is cached for the next follow-up');
    assert.deepEqual(
      followUp.cachePoints.map((c) => c.at),
      ['sources', 'conversation'],
    );
  });

  it("puts new sources after the history when they differ from the conversation's", () => {
    const l = layoutPrompt({ ...base, questionBlock: Q2, history: turn(Q1, 'Answer.'), historySharesSources: false });
    assert.deepEqual(
      l.messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    assert.deepEqual(l.messages[0]!.content, [{ text: Q1 }]);
    assert.deepEqual(l.messages[2]!.content, [{ text: S }, CP, { text: Q2 }], 'the conversation point would add under 100 tokens');
    const history = turn(Q1, 'Answer.');
    const sourcesPrefix =
      'rules'.length + history.reduce((n, m) => n + PROMPT_OVERHEAD.message + (m.content[0] as { text: string }).text.length, 0) + S.length;
    assert.deepEqual(
      l.cachePoints,
      [{ at: 'sources', prefixTokens: sourcesPrefix }],
      'the history before the sources is part of the cached prefix',
    );
  });

  it('removes cache points already in the history, so the limit holds', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: [{ text: Q1 }, CP] },
      { role: 'assistant', content: [{ text: 'A' }, CP] },
    ];
    const l = layoutPrompt({ ...base, questionBlock: Q2, history, enabled: false });
    assert.equal(countCachePoints(l), 0);
  });

  it('with a real model and the real estimator: caches a long sources block for Haiku 4.5, not a short one', () => {
    const caching = lookupModel('global.anthropic.claude-haiku-4-5-20251001-v1:0').caching;
    const words = (n: number): string => Array.from({ length: n }, (_, i) => `word${i % 50}`).join(' ');
    const long = layoutPrompt({
      system: 'Answer from the sources.',
      sourcesBlock: words(6_000),
      questionBlock: Q1,
      caching,
      enabled: true,
    });
    assert.deepEqual(
      long.cachePoints.map((c) => c.at),
      ['sources'],
    );
    const short = layoutPrompt({
      system: 'Answer from the sources.',
      sourcesBlock: words(1_500),
      questionBlock: Q1,
      caching,
      enabled: true,
    });
    assert.equal(countCachePoints(short), 0, "below Haiku 4.5's 4,096-token minimum");
  });
});
