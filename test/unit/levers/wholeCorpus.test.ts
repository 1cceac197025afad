import assert from 'node:assert/strict';
import { lookupModel } from '../../../src/core/models/catalog';
import type { AskEvent } from '../../../src/core/rag/ask';
import { SYSTEM_PROMPT } from '../../../src/core/rag/prompt';
import { estimateTokens } from '../../../src/core/tokens';
import {
  askWholeCorpus,
  corpusSources,
  decideAnswerMode,
  estimateCorpusTokens,
  estimateWholeCorpusCost,
  wholeCorpusPrompt,
} from '../../../src/core/rag/wholeCorpus';
import { chunkOf, quietLogger, ScriptedChat } from './leverFakes';

const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
// Claude 3.7 Sonnet caches from 1,024 tokens a checkpoint.
const SONNET_37 = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const para = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `The ${topic} setting number ${i} controls how the gateway retries upstream calls. `).join('');

const corpus = [
  chunkOf('guide/b.md', 1, para('retry', 20)),
  chunkOf('guide/a.md', 2, para('proxy', 20)),
  chunkOf('guide/a.md', 0, para('tls', 20)),
  chunkOf('faq.md', 0, para('faq', 20)),
];

describe('whole corpus: the decision', () => {
  const decide = (corpusTokens: number, extra: Partial<Parameters<typeof decideAnswerMode>[0]> = {}) =>
    decideAnswerMode({ setting: 'auto', corpusTokens, modelId: HAIKU, maxOutputTokens: 2048, ...extra });

  it('answers from the whole corpus when it fits comfortably and the model caches', () => {
    const d = decide(60_000);
    assert.equal(d.mode, 'wholeCorpus');
    assert.equal(d.windowTokens, 200_000);
    assert.equal(d.limitTokens, 150_000);
    assert.match(d.reason, /^whole corpus: 60,000 tokens fit Claude Haiku 4\.5's 200,000-token window, cached after the first question$/);
    assert.ok(d.cost.cached);
    assert.ok(d.cost.laterQuestionUsd! < d.cost.firstQuestionUsd! / 3, 'later questions read the cache');
  });

  it('retrieves when the corpus is over the cap, the window share, or what the window leaves', () => {
    assert.equal(decide(150_001).mode, 'retrieval');
    assert.match(decide(150_001).reason, /over the 150,000-token limit for Claude Haiku 4\.5/);
    assert.equal(decide(50_000, { maxCorpusTokens: 40_000 }).mode, 'retrieval');
    // Nova Micro: 128k window, so 75 % is 96,000 tokens.
    const nova = decide(100_000, { modelId: 'us.amazon.nova-micro-v1:0', maxCorpusTokens: 1_000_000 });
    assert.deepEqual([nova.mode, nova.limitTokens], ['retrieval', 96_000]);
    // A huge answer reserve leaves less room than the share.
    const reserve = decide(120_000, { maxOutputTokens: 64_000 });
    assert.equal(reserve.mode, 'retrieval');
    assert.ok(reserve.limitTokens < 120_000 && reserve.limitTokens > 100_000, String(reserve.limitTokens));
  });

  it('in auto mode wants prompt caching; always mode does not; off never', () => {
    const llama = { modelId: 'meta.llama3-1-70b-instruct-v1:0' };
    assert.equal(decide(20_000, llama).mode, 'retrieval');
    assert.match(decide(20_000, llama).reason, /no prompt caching/);
    assert.equal(decide(20_000, { ...llama, setting: 'always' }).mode, 'wholeCorpus');
    assert.equal(decide(20_000, { setting: 'off' }).mode, 'retrieval');
    assert.equal(decide(0).mode, 'retrieval');
  });

  it('prices the first question as a cache write and later ones as reads', () => {
    const info = lookupModel(HAIKU);
    const cost = estimateWholeCorpusCost(info, 100_000, 1_000, 500);
    const p = info.prices!;
    const prefix = 100_000 + estimateTokens(SYSTEM_PROMPT);
    assert.ok(
      Math.abs(cost.firstQuestionUsd! - (prefix * p.cacheWritePer1k! + 1_000 * p.inputPer1k! + 500 * p.outputPer1k!) / 1000) < 1e-9,
    );
    assert.ok(Math.abs(cost.laterQuestionUsd! - (prefix * p.cacheReadPer1k! + 1_000 * p.inputPer1k! + 500 * p.outputPer1k!) / 1000) < 1e-9);
    const unknown = estimateWholeCorpusCost(
      lookupModel('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x'),
      10_000,
      100,
      100,
    );
    assert.deepEqual(unknown, { firstQuestionUsd: null, laterQuestionUsd: null, cached: false });
  });
});

describe('whole corpus: the prompt', () => {
  it('numbers the corpus in a fixed order whatever order the index gives', () => {
    const ids = corpusSources(corpus).map((s) => `${s.n}:${s.chunk.id}`);
    assert.deepEqual(ids, ['1:faq.md#0', '2:guide/a.md#0', '3:guide/a.md#2', '4:guide/b.md#1']);
    assert.deepEqual(corpusSources([...corpus].reverse()), corpusSources(corpus));
    assert.equal(estimateCorpusTokens([...corpus].reverse()), estimateCorpusTokens(corpus));
  });

  it('numbers by file past 999 chunks, so every source can still be cited', () => {
    const many = Array.from({ length: 1200 }, (_, i) => chunkOf(`f${i % 40}.md`, Math.floor(i / 40), `text ${i}`));
    const sources = corpusSources(many);
    assert.equal(sources.length, 40);
    assert.equal(sources[0]!.chunk.path, 'f0.md');
    assert.equal(sources[0]!.chunk.startLine, 1);
    assert.equal(sources[0]!.chunk.endLine, 29 * 10 + 8);
    assert.match(sources[0]!.chunk.text, /^text 0\n\ntext 40\n\n/);
  });

  it('puts a cache point right after the corpus, then the question', () => {
    const prompt = wholeCorpusPrompt({
      question: 'How do retries work?',
      modelId: SONNET_37,
      inference: { maxTokens: 500, temperature: 0.2 },
      corpus,
    });
    assert.ok(prompt.fits);
    assert.deepEqual(prompt.cachePoints, ['sources']);
    const [message] = prompt.request.messages;
    assert.equal(prompt.request.messages.length, 1);
    assert.match((message!.content[0] as { text: string }).text, /^<sources>\n<source n="1" path="faq.md"/);
    assert.deepEqual(message!.content[1], { cachePoint: { type: 'default' } });
    assert.equal((message!.content[2] as { text: string }).text, 'Question: How do retries work?');
    assert.deepEqual(prompt.request.system, [{ text: SYSTEM_PROMPT }]);
    assert.deepEqual(prompt.request.inferenceConfig, { maxTokens: 500, temperature: 0.2 });
  });

  it('keeps the corpus first through a conversation, so follow-ups read the same cached prefix', () => {
    const history = [
      { role: 'user' as const, content: [{ text: 'Question: first?' }] },
      { role: 'assistant' as const, content: [{ text: 'First answer [1].' }] },
    ];
    const prompt = wholeCorpusPrompt({ question: 'And then?', history, modelId: SONNET_37, inference: { maxTokens: 500 }, corpus });
    const first = prompt.request.messages[0]!;
    assert.match((first.content[0] as { text: string }).text, /^<sources>/);
    assert.deepEqual(first.content[1], { cachePoint: { type: 'default' } });
    assert.equal((prompt.request.messages.at(-1)!.content[0] as { text: string }).text, 'Question: And then?');
    const alone = wholeCorpusPrompt({ question: 'other', modelId: SONNET_37, inference: { maxTokens: 500 }, corpus });
    assert.deepEqual(first.content.slice(0, 2), alone.request.messages[0]!.content.slice(0, 2), 'same prefix as a fresh question');
  });

  it('drops temperature for models that reject it and caps maxTokens at the model limit', () => {
    const prompt = wholeCorpusPrompt({
      question: 'q',
      modelId: 'global.anthropic.claude-opus-4-7',
      inference: { maxTokens: 999_999, temperature: 0.5 },
      corpus,
    });
    assert.deepEqual(prompt.request.inferenceConfig, { maxTokens: 128_000 });
  });
});

describe('whole corpus: answering', () => {
  it('streams the answer, maps citations into the corpus and lists only the cited sources', async () => {
    const chat = new ScriptedChat().reply('Retries are configured per upstream [4], see also [1].');
    const events: AskEvent[] = [];
    const result = await askWholeCorpus(
      { question: 'How do retries work?', modelId: SONNET_37, inference: { maxTokens: 500 }, corpus },
      { chat, logger: quietLogger() },
      { onEvent: (e) => events.push(e) },
    );
    assert.equal(result.mode, 'wholeCorpus');
    assert.equal(result.answer, 'Retries are configured per upstream [4], see also [1].');
    assert.deepEqual(
      result.citations.map((c) => [c.n, c.path, c.startLine]),
      [
        [4, 'guide/b.md', 11],
        [1, 'faq.md', 1],
      ],
    );
    assert.deepEqual(
      result.sources.map((s) => s.n),
      [1, 4],
    );
    assert.deepEqual(result.cachePoints, ['sources']);
    assert.equal(result.incomplete, false);
    assert.ok(result.costUsd !== null && result.costUsd > 0);
    assert.deepEqual(
      events.map((e) => e.type),
      ['delta', 'delta', 'sources'],
    );
  });

  it('refuses an empty corpus and a corpus the window cannot hold', async () => {
    const deps = { chat: new ScriptedChat(), logger: quietLogger() };
    await assert.rejects(
      askWholeCorpus({ question: 'q', modelId: SONNET_37, inference: {}, corpus: [] }, deps),
      (err: Error & { code?: string }) => err.code === 'NOT_INDEXED',
    );
    const huge = Array.from({ length: 30 }, (_, i) => chunkOf(`big${i}.md`, 0, para('huge', 1000)));
    await assert.rejects(
      askWholeCorpus({ question: 'q', modelId: SONNET_37, inference: { maxTokens: 100 }, corpus: huge }, deps),
      (err: Error & { code?: string }) => err.code === 'CONTEXT_TOO_LONG',
    );
    assert.equal(deps.chat.requests.length, 0);
  });
});
