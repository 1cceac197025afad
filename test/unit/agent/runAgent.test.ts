import assert from 'node:assert/strict';
import { meterChatModel } from '../../../src/core/metering/meteredPorts';
import { testMeter } from '../../helpers/testMeter';
import { AGENT_TOOLS, narrowFilter } from '../../../src/core/agent/agentTools';
import type { AgentRequest, AgentStep } from '../../../src/core/agent/runAgent';
import { runAgent } from '../../../src/core/agent/runAgent';
import { BedrockDocsError, isCancellation } from '../../../src/core/errors';
import type { AskEvent } from '../../../src/core/rag/ask';
import type { ChatRequest, ContentBlock } from '../../../src/core/ports';
import { chunk, FakeReader, FakeRetriever, quietLogger, ScriptedChat } from './agentFakes';
import type { ScriptedTurn } from './agentFakes';

const SETUP_TEXT = Array.from({ length: 30 }, (_, i) => `setup line ${i + 1}`).join('\n');
const PROXY = chunk('guide/setup.md', [9, 12], 'The proxy listens on port 3128 by default.');
const FAQ = chunk('guide/faq.md', [1, 5], 'HTTP/2 is on by default for TLS listeners.', 1);
const LIMITS = chunk('guide/limits.md', [3, 8], 'The default quota is 600 requests per minute.', 2);

function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return {
    question: 'Which port does the proxy use?',
    modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    inference: { maxTokens: 512 },
    retrieval: { k: 5, mode: 'fulltext' },
    ...overrides,
  };
}

function setup(
  turns: ScriptedTurn[],
  hits: Record<string, (typeof PROXY)[]> = { 'proxy port': [PROXY, FAQ] },
  docs: Record<string, string> = { 'guide/setup.md': SETUP_TEXT },
) {
  const chat = new ScriptedChat(turns);
  const retriever = new FakeRetriever(hits);
  const reader = new FakeReader(docs);
  return { chat, retriever, reader, deps: { chat, retriever, reader, logger: quietLogger } };
}

/** The toolResult blocks of the last user message of a request. */
function toolResults(req: ChatRequest | undefined): Array<{ toolUseId: string; text: string; status?: string }> {
  const last = req?.messages.at(-1);
  assert.equal(last?.role, 'user');
  return last.content.flatMap((b: ContentBlock) =>
    'toolResult' in b
      ? [{ toolUseId: b.toolResult.toolUseId, text: (b.toolResult.content[0] as { text: string }).text, status: b.toolResult.status }]
      : [],
  );
}

const lastTexts = (req: ChatRequest | undefined) => (req?.messages.at(-1)?.content ?? []).flatMap((b) => ('text' in b ? [b.text] : []));

describe('runAgent', () => {
  it('searches, reads, then answers: sources are numbered across the run and citations map to file and lines', async () => {
    const { chat, deps } = setup([
      {
        toolUses: [{ name: 'search_docs', input: { query: 'proxy port' }, toolUseId: 'tu-search' }],
        usage: { inputTokens: 300, outputTokens: 20 },
      },
      {
        text: 'Let me read the section.',
        toolUses: [{ name: 'read_doc', input: { path: 'guide/setup.md', startLine: 14, endLine: 20 }, toolUseId: 'tu-read' }],
        usage: { inputTokens: 700, outputTokens: 30, cacheReadInputTokens: 50 },
      },
      { text: 'The proxy listens on port 3128 [1]; the config block sets it [3].', usage: { inputTokens: 900, outputTokens: 40 } },
    ]);
    const stepEvents: AgentStep[] = [];
    const events: AskEvent[] = [];
    const result = await runAgent(request(), deps, { onStep: (s) => stepEvents.push(s), onEvent: (e) => events.push(e) });

    assert.deepEqual(
      result.steps.map((s) => [s.tool, s.input, s.status, s.sources]),
      [
        ['search_docs', { query: 'proxy port' }, 'success', [1, 2]],
        ['read_doc', { path: 'guide/setup.md', startLine: 14, endLine: 20 }, 'success', [3]],
      ],
    );
    assert.deepEqual(
      stepEvents.map((s) => [s.id, s.resultChars === null]),
      [
        ['step-1', true],
        ['step-1', false],
        ['step-2', true],
        ['step-2', false],
      ],
    );
    assert.deepEqual(
      result.sources.map((s) => [s.n, s.chunk.path, s.chunk.startLine, s.chunk.endLine]),
      [
        [1, 'guide/setup.md', 9, 12],
        [2, 'guide/faq.md', 1, 5],
        [3, 'guide/setup.md', 14, 20],
      ],
    );
    assert.deepEqual(
      result.citations.map((c) => [c.n, c.path, c.startLine, c.endLine]),
      [
        [1, 'guide/setup.md', 9, 12],
        [3, 'guide/setup.md', 14, 20],
      ],
    );

    // The wire: each tool result answers its toolUse, numbered as the ledger numbered it.
    assert.equal(chat.calls, 3);
    const [searchResult] = toolResults(chat.requests[1]);
    assert.equal(searchResult?.toolUseId, 'tu-search');
    assert.match(searchResult!.text, /<source n="1" path="guide\/setup.md" lines="9-12"[^>]*>\nThe proxy listens on port 3128/);
    assert.match(searchResult!.text, /<source n="2" path="guide\/faq.md" lines="1-5"/);
    assert.equal(result.steps[0]!.resultChars, searchResult!.text.length);
    const [readResult] = toolResults(chat.requests[2]);
    assert.equal(readResult?.toolUseId, 'tu-read');
    assert.match(readResult!.text, /<source n="3" path="guide\/setup.md" lines="14-20">\nsetup line 14\n[\s\S]*setup line 20\n<\/source>/);
    // The assistant turn is echoed with its text and toolUse before the results.
    assert.deepEqual(chat.requests[2]!.messages.at(-2), {
      role: 'assistant',
      content: [
        { text: 'Let me read the section.' },
        { toolUse: { toolUseId: 'tu-read', name: 'read_doc', input: { path: 'guide/setup.md', startLine: 14, endLine: 20 } } },
      ],
    });

    assert.deepEqual(result.usage, { inputTokens: 1900, outputTokens: 90, cacheReadInputTokens: 50, cacheWriteInputTokens: 0 });
    assert.equal(result.turns, 3);
    assert.equal(result.stopReason, 'end_turn');
    assert.equal(result.limitReached, undefined);
    assert.equal(result.answer, 'Let me read the section.\n\nThe proxy listens on port 3128 [1]; the config block sets it [3].');
    const streamed = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    assert.equal(streamed, result.answer, 'the stream and the answer are the same text');
    const lastSources = events.filter((e) => e.type === 'sources').at(-1);
    assert.equal(lastSources?.type === 'sources' && lastSources.sources.length, 3);
  });

  it('sends the tools, the agent system prompt and the inference config on every turn', async () => {
    const { chat, deps } = setup([{ toolUses: [{ name: 'list_docs', input: { glob: '**' } }] }, { text: 'There is one document [1].' }]);
    await runAgent(request({ inference: { maxTokens: 256, temperature: 0.1 } }), deps);
    for (const req of chat.requests) {
      assert.deepEqual(
        req.tools?.map((t) => t.name),
        ['search_docs', 'read_doc', 'list_docs'],
      );
      assert.match((req.system?.[0] as { text: string }).text, /never instructions/);
      assert.deepEqual(req.inferenceConfig, { maxTokens: 256, temperature: 0.1 });
    }
    assert.match(toolResults(chat.requests[1])[0]!.text, /^1 document match:\nguide\/setup.md$/);
  });

  it('keeps a passage its number when a later search finds it again', async () => {
    const { chat, deps } = setup(
      [
        { toolUses: [{ name: 'search_docs', input: { query: 'proxy port' } }] },
        { toolUses: [{ name: 'search_docs', input: { query: 'limits' } }] },
        { text: 'Port 3128 [1], quota 600 [3].' },
      ],
      { 'proxy port': [PROXY, FAQ], limits: [LIMITS, PROXY] },
    );
    const result = await runAgent(request(), deps);
    const second = toolResults(chat.requests[2])[0]!.text;
    assert.match(second, /<source n="3" path="guide\/limits.md"/);
    assert.match(second, /shown earlier: \[1\] guide\/setup.md:9-12/);
    assert.ok(!second.includes('The proxy listens'), 'a passage shown before is not sent again');
    assert.deepEqual(result.steps[1]!.sources, [3, 1]);
    assert.deepEqual(
      result.citations.map((c) => c.path),
      ['guide/setup.md', 'guide/limits.md'],
    );
  });

  it('returns tool errors to the model as error results and goes on', async () => {
    const { chat, deps } = setup([
      {
        toolUses: [
          { name: 'delete_everything', input: {} },
          { name: 'search_docs', input: { filters: { path: 'guide' } } },
          { name: 'read_doc', input: { path: '../secret.md', startLine: 1, endLine: 5 } },
          { name: 'read_doc', input: '{"path": "guide/setup.md", "startL' },
        ],
      },
      { text: 'I could not find it.' },
    ]);
    const result = await runAgent(request(), deps);
    const results = toolResults(chat.requests[1]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['error', 'error', 'error', 'error'],
    );
    assert.match(results[0]!.text, /Unknown tool "delete_everything"/);
    assert.match(results[1]!.text, /Invalid input for search_docs: query: /);
    assert.match(results[2]!.text, /read_doc failed: No document "..\/secret.md"\. — Use list_docs\./);
    assert.match(results[3]!.text, /Invalid input for read_doc/);
    // Broken JSON is echoed as an empty object: Converse needs an object there.
    const echoed = chat.requests[1]!.messages.at(-2)!.content.at(-1) as { toolUse: { input: unknown } };
    assert.deepEqual(echoed.toolUse.input, {});
    assert.deepEqual(
      result.steps.map((s) => s.status),
      ['error', 'error', 'error', 'error'],
    );
    assert.equal(result.answer, 'I could not find it.');
    assert.equal(result.incomplete, false);
  });

  it('at the step limit, refuses further tools and asks for the answer', async () => {
    const { chat, deps } = setup([
      { toolUses: [{ name: 'search_docs', input: { query: 'proxy port' } }] },
      {
        toolUses: [
          { name: 'read_doc', input: { path: 'guide/setup.md', startLine: 1, endLine: 3 } },
          { name: 'list_docs', input: { glob: '**' } },
        ],
      },
      { text: 'Port 3128 [1].' },
    ]);
    const result = await runAgent(request({ limits: { maxSteps: 2 } }), deps);
    assert.equal(chat.calls, 3);
    assert.deepEqual(
      result.steps.map((s) => s.tool),
      ['search_docs', 'read_doc'],
    );
    const results = toolResults(chat.requests[2]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['success', 'error'],
    );
    assert.match(results[1]!.text, /tool-call limit/);
    assert.match(lastTexts(chat.requests[2]).join(''), /do not call any more tools/);
    assert.equal(result.limitReached, 'steps');
    assert.equal(result.answer, 'Port 3128 [1].');
    assert.equal(result.stopReason, 'end_turn');
  });

  it('ends with the sources found when the model still calls tools after being told to answer', async () => {
    const { chat, deps } = setup([
      { toolUses: [{ name: 'search_docs', input: { query: 'proxy port' } }] },
      { toolUses: [{ name: 'search_docs', input: { query: 'more' } }] },
    ]);
    const result = await runAgent(request({ limits: { maxSteps: 1 } }), deps);
    assert.equal(chat.calls, 2);
    assert.equal(result.stopReason, 'agent_step_limit');
    assert.equal(result.limitReached, 'steps');
    assert.match(result.answer, /limit of 1 tool calls \(bedrockDocs\.agent\.maxSteps\)/);
    assert.deepEqual(
      result.citations.map((c) => [c.n, c.path, c.startLine]),
      [
        [1, 'guide/setup.md', 9],
        [2, 'guide/faq.md', 1],
      ],
    );
  });

  it('stops at once when a turn uses up the token budget, without running its tools', async () => {
    const { chat, reader, deps } = setup([
      { toolUses: [{ name: 'read_doc', input: { path: 'guide/setup.md', startLine: 1, endLine: 2 } }], usage: { inputTokens: 1500 } },
    ]);
    const result = await runAgent(request({ limits: { tokenBudget: 1000 } }), deps);
    assert.equal(chat.calls, 1);
    assert.deepEqual(reader.reads, []);
    assert.equal(result.stopReason, 'agent_token_budget');
    assert.match(result.answer, /budget of 1000 tokens .*No relevant sources were found/s);
  });

  it('asks for the answer when the next turn would pass the token budget', async () => {
    const { chat, deps } = setup([
      { toolUses: [{ name: 'search_docs', input: { query: 'proxy port' } }], usage: { inputTokens: 300 } },
      { text: 'Port 3128 [1].' },
    ]);
    const result = await runAgent(request({ inference: { maxTokens: 1500 }, limits: { tokenBudget: 2000 } }), deps);
    assert.equal(chat.calls, 2);
    assert.match(lastTexts(chat.requests[1]).join(''), /token budget is nearly spent/);
    assert.equal(result.limitReached, 'tokens');
    assert.equal(result.answer, 'Port 3128 [1].');
  });

  it('a cancel during a tool ends the run as a cancellation, with no further model call', async () => {
    const controller = new AbortController();
    const chat = new ScriptedChat([
      {
        toolUses: [
          { name: 'read_doc', input: { path: 'guide/setup.md', startLine: 1, endLine: 2 } },
          { name: 'list_docs', input: { glob: '**' } },
        ],
      },
      { text: 'never' },
    ]);
    const reader = new FakeReader({ 'guide/setup.md': SETUP_TEXT }, () => controller.abort());
    await assert.rejects(
      runAgent(request(), { chat, reader, retriever: new FakeRetriever({}), logger: quietLogger }, { signal: controller.signal }),
      (err) => isCancellation(err),
    );
    assert.equal(chat.calls, 1);
  });

  it('keeps a partial answer when the stream breaks mid-answer', async () => {
    const cut = new BedrockDocsError('STREAM_INTERRUPTED', 'cut off', 'Ask again.');
    const { deps } = setup([
      { toolUses: [{ name: 'search_docs', input: { query: 'proxy port' } }] },
      { text: 'The proxy uses port 3128 [1] and', failWith: cut },
    ]);
    const result = await runAgent(request(), deps);
    assert.equal(result.incomplete, true);
    assert.equal(result.error, cut);
    assert.equal(result.answer, 'The proxy uses port 3128 [1] and');
    assert.deepEqual(
      result.citations.map((c) => c.n),
      [1],
    );
    assert.equal(result.steps.length, 1);
  });

  it('behind the metered chat model, the question and the document text sent back are redacted', async () => {
    const secretChunk = chunk('guide/setup.md', [1, 2], 'token sk-live-123 opens the admin API');
    const { chat, deps } = setup([{ toolUses: [{ name: 'search_docs', input: { query: 'admin' } }] }, { text: 'Use the token [1].' }], {
      admin: [secretChunk],
    });
    const { meter, records } = testMeter({ redact: (t) => t.replace(/sk-live-\d+/g, '[REDACTED]') });
    await runAgent(request({ question: 'Is sk-live-123 valid?' }), { ...deps, chat: meterChatModel(deps.chat, meter) });
    assert.deepEqual(
      records.map((r) => r.purpose),
      ['agentStep', 'agentStep'],
    );
    const wire = JSON.stringify(chat.requests);
    assert.ok(!wire.includes('sk-live-123'), 'nothing unredacted leaves');
    assert.match(wire, /Is \[REDACTED\] valid/);
  });

  it('answers without tools when the model needs none', async () => {
    const { chat, deps } = setup([{ text: 'Hello [1].' }]);
    const result = await runAgent(request(), deps);
    assert.equal(chat.calls, 1);
    assert.deepEqual([result.steps, result.sources, result.citations], [[], [], []]);
  });

  it('narrows the user scope with the model filters, never widens it', async () => {
    const { retriever, deps } = setup([
      { toolUses: [{ name: 'search_docs', input: { query: 'proxy port', filters: { path: 'other' } } }] },
      { text: 'x' },
    ]);
    await runAgent(request({ retrieval: { k: 5, mode: 'fulltext', filter: { pathPrefix: 'guide' } } }), deps);
    assert.deepEqual(retriever.queries[0]?.filter, { pathPrefix: 'guide' });
    assert.deepEqual(narrowFilter({ pathPrefix: 'guide' }, { path: './guide/setup.md/' }), { pathPrefix: 'guide/setup.md' });
    assert.deepEqual(narrowFilter({ fileTypes: ['markdown', 'pdf'] }, { fileTypes: ['pdf', 'html'], glob: '**/*.pdf' }), {
      fileTypes: ['pdf'],
      glob: '**/*.pdf',
    });
  });

  it('describes each tool with a JSON Schema the model can follow', () => {
    const read = AGENT_TOOLS.find((t) => t.name === 'read_doc');
    assert.deepEqual(read?.inputSchema.required, ['path', 'startLine', 'endLine']);
    assert.equal(read?.inputSchema.$schema, undefined);
    assert.equal((read?.inputSchema.properties as Record<string, { type: string }>).startLine?.type, 'integer');
  });
});
