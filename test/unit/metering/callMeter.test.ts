import assert from 'node:assert/strict';
import { BedrockDocsError } from '../../../src/core/errors';
import { guardrailCostUsd, meterChatModel, meterEmbedder, meterGuardrail, rerankCostUsd } from '../../../src/core/metering/meteredPorts';
import { CallTally } from '../../../src/core/metering/usageTally';
import type { ChatRequest, Embedder, GuardrailChecker } from '../../../src/core/ports';
import { estimateTokens } from '../../../src/core/tokens';
import { testMeter } from '../../helpers/testMeter';
import { ScriptedChat } from '../agent/agentFakes';

const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const request = (text: string): ChatRequest => ({
  modelId: HAIKU,
  system: [{ text: 'You answer.' }],
  messages: [{ role: 'user', content: [{ text }] }],
  inferenceConfig: { maxTokens: 100 },
});

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _;
}

class CountingEmbedder implements Embedder {
  readonly modelId = 'amazon.titan-embed-text-v2:0';
  readonly dimensions = 4;
  readonly maxBatch = 1;
  seen: string[] = [];
  async embed(texts: string[]) {
    this.seen.push(...texts);
    return { vectors: texts.map(() => new Float32Array([1, 0, 0, 0])), inputTokens: 7 };
  }
}

describe('CallMeter and the metered ports', () => {
  it('records a call with its purpose, the tokens Bedrock reported and the catalog price', async () => {
    const { meter, records } = testMeter();
    const tally = new CallTally();
    await drain(
      meterChatModel(new ScriptedChat([{ text: 'ok', usage: { inputTokens: 1000, outputTokens: 100 } }]), meter).converseStream(
        request('q'),
        { purpose: 'followUp', tally },
      ),
    );
    assert.equal(records.length, 1);
    const r = records[0]!;
    assert.deepEqual(
      [r.purpose, r.kind, r.requests, r.modelId, r.inputTokens, r.outputTokens],
      ['followUp', 'question', 1, HAIKU, 1000, 100],
    );
    // Haiku 4.5 through the global profile: $1.00 in, $5.00 out per million tokens.
    assert.equal(r.costUsd, 0.0015);
    assert.deepEqual([tally.value.calls, tally.value.costUsd], [1, 0.0015]);
  });

  it('redacts every text of the request, tool inputs and results included, before the port sees it', async () => {
    const chat = new ScriptedChat([{ text: 'ok' }]);
    const { meter } = testMeter({ redact: (t) => t.replace(/s3cret/g, '[X]') });
    await drain(
      meterChatModel(chat, meter).converseStream(
        {
          modelId: HAIKU,
          system: [{ text: 'sys s3cret' }],
          messages: [
            { role: 'user', content: [{ text: 'q s3cret' }] },
            {
              role: 'assistant',
              content: [{ toolUse: { toolUseId: 'id-s3cret', name: 'search_docs', input: { query: 's3cret', k: 3 } } }],
            },
            {
              role: 'user',
              content: [{ toolResult: { toolUseId: 'id-s3cret', content: [{ text: 'doc s3cret' }, { json: { a: ['s3cret'] } }] } }],
            },
          ],
        },
        { purpose: 'agentStep' },
      ),
    );
    const sent = JSON.stringify(chat.requests[0]);
    assert.equal((sent.match(/s3cret/g) ?? []).length, 2, 'only the two tool-use ids, which are not text, keep it');
    assert.match(sent, /"query":"\[X\]","k":3/);
  });

  it('estimates what a stream cut after some text was billed; a call refused before any byte costs nothing', async () => {
    const { meter, records } = testMeter();
    const cut = new ScriptedChat([{ text: 'partial answer', failWith: new BedrockDocsError('STREAM_INTERRUPTED', 'cut') }]);
    await assert.rejects(
      drain(meterChatModel(cut, meter).converseStream(request('a long question about the proxy'), { purpose: 'question' })),
    );
    const refused = {
      // eslint-disable-next-line require-yield
      async *converseStream(): AsyncIterable<never> {
        throw new BedrockDocsError('ACCESS_DENIED', 'no');
      },
    };
    await assert.rejects(drain(meterChatModel(refused, meter).converseStream(request('q'), { purpose: 'question' })));
    const [interrupted, denied] = records;
    const expectedInput = estimateTokens('You answer.') + estimateTokens('a long question about the proxy');
    assert.deepEqual(
      [interrupted!.estimated, interrupted!.errorCode, interrupted!.inputTokens, interrupted!.outputTokens],
      [true, 'STREAM_INTERRUPTED', expectedInput, estimateTokens('partial answer')],
    );
    assert.ok(interrupted!.costUsd! > 0, 'an interrupted answer is not $0');
    assert.deepEqual([denied!.errorCode, denied!.inputTokens, denied!.costUsd], ['ACCESS_DENIED', 0, 0]);
  });

  it('over the budget: asks once for concurrent calls; a no sends nothing and names the setting', async () => {
    const { meter, records, questions } = testMeter({ budgetUsd: 1, spentUsd: 1.5, consent: false });
    const embedder = new CountingEmbedder();
    const metered = meterEmbedder(embedder, meter);
    const results = await Promise.allSettled([1, 2, 3].map(() => metered.embed(['x'], 'document', { purpose: 'indexEmbedding' })));
    assert.equal(questions.length, 1, 'one question for three concurrent calls');
    assert.deepEqual(questions[0]!.alreadyExceeded, true);
    assert.deepEqual(embedder.seen, [], 'nothing left the machine');
    assert.equal(records.length, 0, 'no call, no record');
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const err = (r as PromiseRejectedResult).reason as BedrockDocsError;
      assert.equal(err.code, 'BUDGET_EXCEEDED');
      assert.match(err.hint ?? '', /bedrockDocs\.usage\.monthlyBudgetUsd/);
    }
  });

  it('over the budget with consent: asks once, then every call goes for the rest of the session', async () => {
    const { meter, questions } = testMeter({ budgetUsd: 1, spentUsd: 1.5, consent: true });
    const embedder = new CountingEmbedder();
    const metered = meterEmbedder(embedder, meter);
    for (let i = 0; i < 3; i++) await metered.embed([`t${i}`], 'query', { purpose: 'queryEmbedding' });
    assert.equal(questions.length, 1);
    assert.deepEqual(embedder.seen, ['t0', 't1', 't2']);
  });

  it('a call that would cross the budget asks with its estimate; under it, nothing is asked', async () => {
    const under = testMeter({ budgetUsd: 1, spentUsd: 0.5 });
    await drain(meterChatModel(new ScriptedChat([{ text: 'ok' }]), under.meter).converseStream(request('q'), { purpose: 'question' }));
    assert.equal(under.questions.length, 0);
    const near = testMeter({ budgetUsd: 1, spentUsd: 0.99999, consent: false });
    await assert.rejects(
      drain(meterChatModel(new ScriptedChat([{ text: 'ok' }]), near.meter).converseStream(request('q'), { purpose: 'question' })),
      (e: BedrockDocsError) => e.code === 'BUDGET_EXCEEDED',
    );
    assert.equal(near.questions[0]!.alreadyExceeded, false);
    // Upper bound: the prompt at the input price plus maxTokens (100) at $5 per million.
    assert.ok(near.questions[0]!.estimateUsd! >= 0.0005);
  });

  it('sums an index run of like calls into few ledger lines that still count every call', async () => {
    const { meter, records } = testMeter();
    const metered = meterEmbedder(new CountingEmbedder(), meter);
    for (let i = 0; i < 250; i++) await metered.embed([`t${i}`], 'document', { purpose: 'indexEmbedding' });
    assert.equal(records.length, 2, 'two full sums of 100 written as they fill');
    meter.flush();
    assert.deepEqual(
      records.map((r) => r.requests),
      [100, 100, 50],
    );
    assert.equal(
      records.reduce((n, r) => n + r.embeddingTokens, 0),
      250 * 7,
    );
  });

  it('prices rerank per query of 100 documents and a guardrail check per text unit', () => {
    assert.equal(rerankCostUsd(2.0, 1), 0.002);
    assert.equal(rerankCostUsd(2.0, 100), 0.002);
    assert.equal(rerankCostUsd(2.0, 101), 0.004);
    assert.equal(rerankCostUsd(undefined, 5), null);
    // 3 content-filter units at $0.15 and 2 grounding units at $0.10 per 1,000; word filters free.
    assert.equal(guardrailCostUsd({ contentPolicyUnits: 3, contextualGroundingPolicyUnits: 2, wordPolicyUnits: 9 }), 0.00065);
    assert.equal(guardrailCostUsd({ someNewPolicyUnits: 1 }), null);
    assert.equal(guardrailCostUsd(undefined), null);
  });

  it('meters a guardrail check with the redacted text and its price', async () => {
    const seen: string[] = [];
    const inner: GuardrailChecker = {
      apply: async (input) => {
        seen.push(...input.content.map((c) => c.text));
        return { action: 'NONE', outputs: [], assessments: [], usage: { contentPolicyUnits: 1 } };
      },
    };
    const { meter, records } = testMeter({ redact: (t) => t.replace(/\d{4}/g, '####') });
    await meterGuardrail(inner, meter).apply(
      { guardrail: { guardrailIdentifier: 'gr1', guardrailVersion: '1' }, source: 'INPUT', content: [{ text: 'pin 1234' }] },
      { purpose: 'guardrail' },
    );
    assert.deepEqual(seen, ['pin ####']);
    assert.deepEqual([records[0]!.purpose, records[0]!.modelId, records[0]!.costUsd], ['guardrail', 'guardrail/gr1:1', 0.00015]);
  });
});
