import assert from 'node:assert/strict';
import type { ChatMessage, TokenUsage } from '../../../src/core/ports';
import { contextTooLongError, estimateErrorStats, planContext, promptTokensOf, PROMPT_OVERHEAD } from '../../../src/core/rag/contextBudget';
import type { BudgetSource } from '../../../src/core/rag/contextBudget';

// One token per character keeps the arithmetic exact.
const estimate = (text: string): number => text.length;
const { request, message, sourcesWrapper, perSource } = PROMPT_OVERHEAD;
const text = (n: number, c = 'x'): string => c.repeat(n);
const source = (id: string, score: number, size: number): BudgetSource<string> => ({ item: id, score, text: text(size) });
const turn = (q: number, a: number): ChatMessage[] => [
  { role: 'user', content: [{ text: text(q, 'q') }] },
  { role: 'assistant', content: [{ text: text(a, 'a') }] },
];

const base = { windowTokens: 10_000, maxOutputTokens: 1_000, system: text(100), question: text(50), safetyMargin: 0, estimate };
const required = request + 100 + message + 50;

describe('context budget', () => {
  it('keeps everything that fits and counts every token it plans to send', () => {
    const plan = planContext({
      ...base,
      sources: [source('a', 0.9, 300), source('b', 0.5, 200)],
      history: [...turn(40, 60), ...turn(10, 20)],
    });
    assert.deepEqual(plan.sources, ['a', 'b']);
    assert.equal(plan.history.length, 4);
    const used = required + sourcesWrapper + 300 + perSource + 200 + perSource + (40 + 60 + 10 + 20) + 4 * message;
    assert.deepEqual(plan.report, { windowTokens: 10_000, usedTokens: used, droppedChunks: 0, droppedTurns: 0 });
    assert.equal(plan.budgetTokens, 9_000);
    assert.equal(plan.fits, true);
  });

  it('holds back the safety margin from what the window leaves after the answer', () => {
    assert.equal(planContext({ ...base, sources: [], safetyMargin: 0.15 }).budgetTokens, Math.floor(9_000 * 0.85));
    assert.equal(planContext({ ...base, sources: [], safetyMargin: undefined }).budgetTokens, 7_650, 'default margin is 15 %');
  });

  it('takes the best sources by score and returns them in rank order', () => {
    // Room for the required part, the wrapper and two 1,000-token sources.
    const windowTokens = 1_000 + required + sourcesWrapper + 2 * (1_000 + perSource);
    const sources = [source('s1', 0.2, 1_000), source('s2', 0.9, 1_000), source('s3', 0.1, 1_000), source('s4', 0.7, 1_000)];
    const plan = planContext({ ...base, windowTokens, sources });
    assert.deepEqual(plan.sources, ['s2', 's4']);
    assert.equal(plan.report.droppedChunks, 2);
    assert.equal(plan.report.usedTokens, windowTokens - 1_000, 'exactly full');
  });

  it('skips a single huge source and keeps smaller lower-ranked ones', () => {
    const plan = planContext({ ...base, sources: [source('huge', 1, 50_000), source('small', 0.5, 500), source('tiny', 0.4, 100)] });
    assert.deepEqual(plan.sources, ['small', 'tiny']);
    assert.equal(plan.report.droppedChunks, 1);
  });

  it('keeps the most recent whole turns that fit, after the sources, and drops older ones', () => {
    // Budget after the required part and a 1,000-token source: room for the two newest turns only.
    const afterSource = required + sourcesWrapper + 1_000 + perSource;
    const windowTokens = 1_000 + afterSource + (100 + 2 * message) + (200 + 2 * message) + 10;
    const history = [...turn(500, 500), ...turn(50, 50), ...turn(100, 100)];
    const plan = planContext({ ...base, windowTokens, sources: [source('s', 1, 1_000)], history });
    assert.deepEqual(plan.sources, ['s']);
    assert.deepEqual(
      plan.history.map((m) => m.content[0]),
      [history[2]!.content[0], history[3]!.content[0], history[4]!.content[0], history[5]!.content[0]],
    );
    assert.equal(plan.history[0]!.role, 'user', 'history still starts with a question');
    assert.equal(plan.report.droppedTurns, 1);
  });

  it('keeps history contiguous: an old small turn is not kept past a newer one that did not fit', () => {
    const windowTokens = 1_000 + required + 300;
    const plan = planContext({ ...base, windowTokens, sources: [], history: [...turn(10, 10), ...turn(400, 400)] });
    assert.deepEqual(plan.history, []);
    assert.equal(plan.report.droppedTurns, 2);
  });

  it('keeps tool-result messages with the turn that asked for them', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: [{ text: 'q' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'search', input: { q: 'x' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'r' }] } }] },
      { role: 'assistant', content: [{ text: 'a' }] },
    ];
    const plan = planContext({ ...base, sources: [], history });
    assert.equal(plan.history.length, 4);
    assert.equal(plan.report.droppedTurns, 0, 'one turn, kept whole');
  });

  it('with empty history drops no turns', () => {
    const plan = planContext({ ...base, sources: [source('a', 1, 10)] });
    assert.deepEqual(plan.history, []);
    assert.equal(plan.report.droppedTurns, 0);
  });

  it('says when nothing fits (system prompt and question alone are over budget) and what to throw', () => {
    const plan = planContext({ ...base, windowTokens: 1_100, sources: [source('a', 1, 10)], history: turn(1, 1) });
    assert.equal(plan.fits, false);
    assert.deepEqual(plan.sources, []);
    assert.deepEqual(plan.report, { windowTokens: 1_100, usedTokens: required, droppedChunks: 1, droppedTurns: 1 });
    const err = contextTooLongError(plan);
    assert.equal(err.code, 'CONTEXT_TOO_LONG');
    assert.match(err.hint!, /bedrockDocs\.chat\.maxTokens/);
  });

  it('counts tool definitions as required', () => {
    const withTools = planContext({ ...base, sources: [], toolsTokens: 500 });
    assert.equal(withTools.report.usedTokens, required + 500);
  });

  it('works with the real estimator', () => {
    const plan = planContext({
      windowTokens: 200_000,
      maxOutputTokens: 2_048,
      system: 'Answer from the sources.',
      question: 'Question: how?',
      sources: [{ item: 1, score: 1, text: 'Set the proxy in settings.json.' }],
    });
    assert.deepEqual(plan.sources, [1]);
    assert.ok(plan.report.usedTokens > 0 && plan.report.usedTokens < 100);
  });
});

describe('estimate reconciliation', () => {
  const usage = (inputTokens: number, cacheRead = 0, cacheWrite = 0): TokenUsage => ({
    inputTokens,
    outputTokens: 999,
    cacheReadInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite,
  });

  it('compares the estimate with all prompt tokens Bedrock counted (input + cache read + cache write)', () => {
    assert.equal(promptTokensOf(usage(100, 2000, 300)), 2400);
  });

  it('reports the ratio spread and the margin that would have covered it', () => {
    const samples = [0.8, 0.9, 1.0, 1.1].map((ratio) => ({ estimatedTokens: ratio * 1000, usage: usage(1000) }));
    const stats = estimateErrorStats([...samples, { estimatedTokens: 5, usage: usage(0) }]);
    assert.equal(stats.count, 4, 'calls with no prompt tokens are ignored');
    assert.equal(stats.meanRatio, 0.95);
    assert.equal(stats.p05Ratio, 0.8);
    assert.equal(stats.p95Ratio, 1.1);
    assert.equal(stats.suggestedMargin, 0.2);
    assert.equal(estimateErrorStats([{ estimatedTokens: 700, usage: usage(1000) }]).suggestedMargin, 0.3, '1 - 0.7 is 30 %, not 31 %');
    assert.deepEqual(estimateErrorStats([]), { count: 0, meanRatio: null, p05Ratio: null, p95Ratio: null, suggestedMargin: null });
  });
});
