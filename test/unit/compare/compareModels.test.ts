import assert from 'node:assert/strict';
import { meterChatModel } from '../../../src/core/metering/meteredPorts';
import { testMeter } from '../../helpers/testMeter';
import { compareOnEvalSet } from '../../../src/core/compare/compareEval';
import type { CompareDeps, CompareVariant } from '../../../src/core/compare/compareModels';
import { compareModels } from '../../../src/core/compare/compareModels';
import { BedrockDocsError, isCancellation } from '../../../src/core/errors';
import type { EvalItem } from '../../../src/core/eval/evalSet';
import type { CallOptions, ChatModel, ChatRequest, ChatStreamEvent, TokenUsage } from '../../../src/core/ports';
import { chunk, FakeRetriever, quietLogger } from '../agent/agentFakes';

type Reply = { text: string; usage: Partial<TokenUsage> } | { error: Error };

/** Answers by model id, recording each request. */
class PerModelChat implements ChatModel {
  readonly requests: ChatRequest[] = [];
  constructor(private readonly replies: (req: ChatRequest) => Reply) {}
  async *converseStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    this.requests.push(structuredClone(request));
    if (options.signal?.aborted) throw new BedrockDocsError('CANCELLED', 'cancelled');
    const reply = this.replies(request);
    if ('error' in reply) throw reply.error;
    yield { type: 'textDelta', text: reply.text };
    yield { type: 'messageStop', stopReason: 'end_turn' };
    yield {
      type: 'metadata',
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, ...reply.usage },
    };
  }
}

const PROXY = chunk('guide/setup.md', [9, 12], 'The proxy listens on port 3128.');
const FAQ = chunk('guide/faq.md', [1, 5], 'HTTP/2 is on by default.', 1);
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const VARIANTS: CompareVariant[] = [
  { label: 'A', modelId: HAIKU, inference: { maxTokens: 300, temperature: 0.2 } },
  { label: 'B', modelId: NOVA, inference: { maxTokens: 300, temperature: 0.9 } },
];
function deps(
  chat: ChatModel,
  retriever = new FakeRetriever({ 'Which port does the proxy use?': [PROXY, FAQ] }),
): CompareDeps & { retriever: FakeRetriever } {
  // Priced by the meter from the catalog, like every call: Haiku 4.5 on a us. profile $1.10 / $5.50
  // (geographic profiles cost 10 % more than global), Nova Lite $0.06 / $0.24 per million tokens.
  return { chat: meterChatModel(chat, testMeter().meter), retriever, logger: quietLogger };
}

const userText = (req: ChatRequest | undefined) => (req?.messages.at(-1)?.content ?? []).map((b) => ('text' in b ? b.text : '')).join('\n');

describe('compareModels', () => {
  it('retrieves once and answers every variant from the same sources, with usage and cost each', async () => {
    const chat = new PerModelChat((req) =>
      req.modelId === HAIKU
        ? { text: 'Port 3128 [1].', usage: { inputTokens: 1000, outputTokens: 100 } }
        : { text: 'HTTP/2 [2], port 3128 [1].', usage: { inputTokens: 2000, outputTokens: 50 } },
    );
    const d = deps(chat);
    const result = await compareModels('Which port does the proxy use?', VARIANTS, d, { retrieval: { k: 5, mode: 'fulltext' } });
    assert.equal(d.retriever.queries.length, 1);
    assert.equal(chat.requests.length, 2);
    assert.equal(userText(chat.requests[0]), userText(chat.requests[1]), 'both variants get the same prompt');
    assert.deepEqual(
      chat.requests.map((r) => [r.modelId, r.inferenceConfig?.temperature]),
      [
        [HAIKU, 0.2],
        [NOVA, 0.9],
      ],
    );
    assert.deepEqual(
      result.sources.map((s) => [s.n, s.chunk.path]),
      [
        [1, 'guide/setup.md'],
        [2, 'guide/faq.md'],
      ],
    );
    const [a, b] = result.variants;
    assert.deepEqual(
      [a?.label, a?.answer, a?.citations.map((c) => c.path), a?.costUsd],
      ['A', 'Port 3128 [1].', ['guide/setup.md'], 0.00165],
    );
    assert.deepEqual([b?.label, b?.citations.map((c) => c.n), b?.usage.inputTokens, b?.costUsd], ['B', [2, 1], 2000, 0.000132]);
    assert.equal(typeof a?.latencyMs, 'number');
  });

  it('records a failing variant and still answers the others', async () => {
    const chat = new PerModelChat((req) =>
      req.modelId === NOVA
        ? { error: new BedrockDocsError('MODEL_NOT_FOUND', 'No such model.', 'Check bedrockDocs.chat.modelId.') }
        : { text: 'Port 3128 [1].', usage: { inputTokens: 10, outputTokens: 5 } },
    );
    const result = await compareModels(
      'Which port does the proxy use?',
      [...VARIANTS, { label: 'C', modelId: 'acme.unlisted-model-v1:0', inference: {} }],
      deps(chat),
      { retrieval: { k: 5, mode: 'fulltext' } },
    );
    assert.deepEqual(
      result.variants.map((v) => [v.label, v.incomplete, v.errorCode ?? null]),
      [
        ['A', false, null],
        ['B', true, 'MODEL_NOT_FOUND'],
        ['C', false, null],
      ],
    );
    assert.equal(result.variants[1]?.error, 'No such model. — Check bedrockDocs.chat.modelId.');
    assert.equal(result.variants[1]?.costUsd, null);
    assert.equal(result.variants[2]?.costUsd, null, 'unknown price is null, not 0');
  });

  it('refuses fewer than two variants or duplicate labels', async () => {
    const chat = new PerModelChat(() => ({ text: 'x', usage: {} }));
    await assert.rejects(
      compareModels('q', VARIANTS.slice(0, 1), deps(chat), { retrieval: { k: 5, mode: 'fulltext' } }),
      (e: unknown) => e instanceof BedrockDocsError && e.code === 'BAD_INPUT',
    );
    await assert.rejects(
      compareModels('q', [VARIANTS[0]!, { ...VARIANTS[1]!, label: 'A' }], deps(chat), { retrieval: { k: 5, mode: 'fulltext' } }),
      /labelled "A"/,
    );
    assert.equal(chat.requests.length, 0);
  });

  it('passes a cancel through instead of recording it as a variant error', async () => {
    const controller = new AbortController();
    const chat = new PerModelChat(() => {
      controller.abort();
      return { error: new BedrockDocsError('CANCELLED', 'cancelled') };
    });
    await assert.rejects(
      compareModels('Which port does the proxy use?', VARIANTS, deps(chat), {
        retrieval: { k: 5, mode: 'fulltext' },
        signal: controller.signal,
      }),
      (e) => isCancellation(e),
    );
    assert.equal(chat.requests.length, 1);
  });
});

describe('compareOnEvalSet', () => {
  const items: EvalItem[] = [
    { id: 'q1', question: 'Which port does the proxy use?', relevant: ['guide/setup.md'], referenceAnswer: 'Port 3128.', line: 1 },
    { id: 'q2', question: 'Is HTTP/2 on?', relevant: ['guide/faq.md'], line: 2 },
  ];

  it('retrieves each question once for all variants and reports each variant with the eval metrics', async () => {
    // A cites the right source for each question; B always cites the other one.
    const chat = new PerModelChat((req) => {
      const proxyQuestion = userText(req).includes('proxy use');
      const right = proxyQuestion ? '[1]' : '[2]';
      const wrong = proxyQuestion ? '[2]' : '[1]';
      return req.modelId === HAIKU
        ? { text: `Port 3128. ${right}`, usage: { inputTokens: 1000, outputTokens: 100 } }
        : { text: `Something else ${wrong}`, usage: { inputTokens: 1000, outputTokens: 0 } };
    });
    const retriever = new FakeRetriever({ 'Which port does the proxy use?': [PROXY, FAQ], 'Is HTTP/2 on?': [PROXY, FAQ] });
    const progress: number[] = [];
    const result = await compareOnEvalSet(items, VARIANTS, deps(chat, retriever), {
      k: 5,
      retrieval: { k: 5, mode: 'fulltext' },
      onProgress: (done) => progress.push(done),
    });
    assert.equal(retriever.queries.length, 4, 'two retrievals per question (ranking depth and answer sources), not per variant');
    assert.equal(chat.requests.length, 4);
    assert.deepEqual(progress, [1, 2]);
    const [a, b] = result.variants;
    assert.deepEqual([a?.label, b?.label, result.k], ['A', 'B', 5]);
    assert.equal(a?.report.overall.citationPrecision, 1);
    assert.equal(b?.report.overall.citationPrecision, 0);
    assert.equal(a?.report.overall['recall@5'], b?.report.overall['recall@5'], 'retrieval is shared');
    assert.equal(a?.report.overall.costUsdTotal, 0.0033);
    assert.equal(b?.report.overall.outputTokens, 0);
    assert.equal(a?.report.questions.length, 2);
  });
});
