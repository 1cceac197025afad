import assert from 'node:assert/strict';
import { useFakeBedrock } from './useFakeBedrock';
import { setEnv } from '../fakes/envScope';
import { BedrockDocsError, isCancellation } from '../../src/core/errors';
import type { ChatRequest, ChatStreamEvent } from '../../src/core/ports';
import { BedrockChatModel } from '../../src/node/bedrock/bedrockChatModel';
import type { BedrockClientOptions } from '../../src/node/bedrock/bedrockClient';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import {
  FAKE_BEDROCK_API_KEY,
  FAKE_EXPIRED_ACCESS_KEY_ID,
  FAKE_EXPIRED_SECRET_ACCESS_KEY,
  FAKE_EXPIRED_SESSION_TOKEN,
  FAKE_SESSION_ACCESS_KEY_ID,
  FAKE_SESSION_SECRET_ACCESS_KEY,
  FAKE_SESSION_TOKEN,
} from '../fakes/fakeCredentials';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

function ask(question: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { modelId: MODEL, messages: [{ role: 'user', content: [{ text: question }] }], ...extra };
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<{ events: ChatStreamEvent[]; error?: BedrockDocsError }> {
  const events: ChatStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (err) {
    assert.ok(err instanceof BedrockDocsError, `expected a BedrockDocsError, got ${String(err)}`);
    return { events, error: err };
  }
}

const textOf = (events: ChatStreamEvent[]) => events.map((e) => (e.type === 'textDelta' ? e.text : '')).join('');

describe('BedrockChatModel (real SDK against the fake Bedrock)', () => {
  const fakeOf = useFakeBedrock();
  let fake: FakeBedrock;
  let clients: BedrockClientCache;

  beforeEach(() => {
    fake = fakeOf();
  });
  beforeEach(() => {
    fake.reset();
    clients = new BedrockClientCache();
  });
  afterEach(() => clients.dispose());

  async function chatModel(options: BedrockClientOptions = {}): Promise<BedrockChatModel> {
    const { client, context } = await clients.get({ requestTimeoutMs: 5000, ...options });
    return new BedrockChatModel(client, context);
  }

  it('streams text deltas in order, then messageStop and usage, from a mapped request', async () => {
    const answer = 'Set http.proxy in the settings file [1]. Restart the editor afterwards [2].';
    fake.script.reply({ text: answer });
    const model = await chatModel();
    const { events, error } = await collect(
      model.converseStream(
        ask('How do I set the proxy?', {
          system: [{ text: 'Answer from the documents only.' }],
          inferenceConfig: { maxTokens: 512, temperature: 0.2, stopSequences: ['</answer>'] },
          additionalModelRequestFields: { top_k: 40 },
        }),
      ),
    );
    assert.equal(error, undefined);
    const deltas = events.filter((e) => e.type === 'textDelta');
    assert.ok(deltas.length > 2, 'the answer arrives in several deltas');
    assert.equal(textOf(events), answer);
    assert.deepEqual(
      events.slice(-2).map((e) => e.type),
      ['messageStop', 'metadata'],
    );
    assert.deepEqual(events.at(-2), { type: 'messageStop', stopReason: 'end_turn' });
    const metadata = events.at(-1);
    assert.ok(metadata?.type === 'metadata');
    const inputTokens = Math.ceil('Answer from the documents only.'.length / 4) + Math.ceil('How do I set the proxy?'.length / 4);
    assert.deepEqual(metadata.usage, {
      inputTokens,
      outputTokens: Math.ceil(answer.length / 4),
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    });
    assert.equal(typeof metadata.latencyMs, 'number');
    const sent = fake.requests[0]?.body as Record<string, unknown>;
    assert.deepEqual(sent.system, [{ text: 'Answer from the documents only.' }]);
    assert.deepEqual(sent.inferenceConfig, { maxTokens: 512, temperature: 0.2, stopSequences: ['</answer>'] });
    assert.deepEqual(sent.additionalModelRequestFields, { top_k: 40 });
  });

  it('assembles a tool call from its input fragments and puts a cache point after the tools', async () => {
    const input = { query: 'proxy settings "corporate"', topK: 5, filters: { path: 'docs/**' } };
    fake.script.reply({ text: 'Let me search.', toolUse: { name: 'search_docs', input } });
    const model = await chatModel();
    const tools = [
      { name: 'search_docs', description: 'Search the docs', inputSchema: { type: 'object', properties: { query: { type: 'string' } } } },
    ];
    const { events, error } = await collect(model.converseStream(ask('Find the proxy docs', { tools, cacheTools: true })));
    assert.equal(error, undefined);
    const toolUse = events.find((e) => e.type === 'toolUse');
    assert.ok(toolUse?.type === 'toolUse');
    assert.equal(toolUse.name, 'search_docs');
    assert.match(toolUse.toolUseId, /^tooluse_/);
    assert.deepEqual(toolUse.input, input);
    assert.equal(textOf(events), 'Let me search.');
    assert.deepEqual(
      events.find((e) => e.type === 'messageStop'),
      { type: 'messageStop', stopReason: 'tool_use' },
    );
    const sentTools = (fake.requests[0]?.body as { toolConfig: { tools: unknown[] } }).toolConfig.tools;
    assert.deepEqual(sentTools.at(-1), { cachePoint: { type: 'default' } });
    assert.deepEqual(sentTools[0], {
      toolSpec: { name: 'search_docs', description: 'Search the docs', inputSchema: { json: tools[0]?.inputSchema } },
    });
  });

  it('sends a tool result back and gets the follow-up answer', async () => {
    const model = await chatModel();
    const tools = [{ name: 'search_docs', description: 'Search', inputSchema: { type: 'object' } }];
    const { events, error } = await collect(
      model.converseStream({
        modelId: MODEL,
        tools,
        messages: [
          { role: 'user', content: [{ text: 'Find the proxy docs' }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'search_docs', input: { query: 'proxy' } } }] },
          {
            role: 'user',
            content: [{ toolResult: { toolUseId: 't1', content: [{ json: { hits: 2 } }, { text: 'docs/proxy.md' }], status: 'success' } }],
          },
        ],
      }),
    );
    assert.equal(error, undefined);
    assert.match(textOf(events), /\[1\]/);
  });

  it('reports a cache write, then a cache read for the same prefix', async () => {
    const reference = 'Reference documentation. '.repeat(200);
    const system = [{ text: reference }, { cachePoint: { type: 'default' as const } }];
    const prefixTokens = Math.ceil(reference.length / 4);
    assert.ok(prefixTokens >= 1024, 'the prefix reaches the default minimum');
    const model = await chatModel();
    const usageOf = async (question: string) => {
      const { events } = await collect(model.converseStream(ask(question, { system })));
      const meta = events.find((e) => e.type === 'metadata');
      assert.ok(meta?.type === 'metadata');
      return meta.usage;
    };
    const first = await usageOf('What is the first question?');
    assert.equal(first.cacheWriteInputTokens, prefixTokens);
    assert.equal(first.cacheReadInputTokens, 0);
    assert.equal(first.inputTokens, Math.ceil('What is the first question?'.length / 4));
    const second = await usageOf('And a different second one?');
    assert.equal(second.cacheReadInputTokens, prefixTokens);
    assert.equal(second.cacheWriteInputTokens, 0);
    assert.equal(second.inputTokens, Math.ceil('And a different second one?'.length / 4));
  });

  it('retries two throttled attempts and succeeds on the third', async () => {
    fake.faults.add({ type: 'throttle', times: 2, operation: 'ConverseStream' });
    const model = await chatModel();
    const { events, error } = await collect(model.converseStream(ask('Hello?')));
    assert.equal(error, undefined);
    assert.match(textOf(events), /\[1\]/);
    assert.deepEqual(
      fake.requests.map((r) => r.status),
      [429, 429, 200],
    );
  });

  it('gives up on a model that is always throttled with THROTTLED and a hint', async () => {
    fake.faults.add({ type: 'throttle' });
    const model = await chatModel({ maxAttempts: 3 });
    const { error } = await collect(model.converseStream(ask('Hello?')));
    assert.equal(error?.code, 'THROTTLED');
    assert.match(error.message, /after 3 attempts/);
    assert.match(error.hint ?? '', /quota|concurrency/);
    assert.equal(fake.requests.length, 3);
  });

  it('retries a 503 ServiceUnavailableException', async () => {
    fake.faults.add({ type: 'serverError', times: 1 });
    const model = await chatModel();
    const { error } = await collect(model.converseStream(ask('Hello?')));
    assert.equal(error, undefined);
    assert.deepEqual(
      fake.requests.map((r) => [r.status, r.errorType]),
      [
        [503, 'ServiceUnavailableException'],
        [200, undefined],
      ],
    );
  });

  it('maps AccessDenied to ACCESS_DENIED with the model-access page of the region, without retrying', async () => {
    fake.faults.add({ type: 'accessDenied', model: MODEL });
    const model = await chatModel();
    const { error } = await collect(model.converseStream(ask('Hello?')));
    assert.equal(error?.code, 'ACCESS_DENIED');
    assert.match(error.message, new RegExp(MODEL.replace(/\./g, '\\.')));
    assert.match(error.hint ?? '', /region=us-east-1#\/modelaccess/);
    assert.equal(fake.requests.length, 1);
  });

  it('turns a bare id that needs an inference profile into a hint naming the profile id', async () => {
    const bare = 'anthropic.claude-sonnet-4-20250514-v1:0';
    const model = await chatModel({ region: 'eu-west-1' });
    const { error } = await collect(model.converseStream(ask('Hello?', { modelId: bare })));
    assert.equal(error?.code, 'MODEL_NEEDS_INFERENCE_PROFILE');
    assert.match(error.hint ?? '', /`eu\.anthropic\.claude-sonnet-4-20250514-v1:0`/);
    assert.equal(fake.requests[0]?.signature.region, 'eu-west-1');
  });

  it('maps an unknown model id to MODEL_NOT_FOUND and an out-of-range temperature to VALIDATION', async () => {
    const model = await chatModel();
    const unknown = await collect(model.converseStream(ask('Hi', { modelId: 'acme.no-such-model-v1' })));
    assert.equal(unknown.error?.code, 'MODEL_NOT_FOUND');
    const invalid = await collect(model.converseStream(ask('Hi', { inferenceConfig: { temperature: 1.5 } })));
    assert.equal(invalid.error?.code, 'VALIDATION');
    assert.match(invalid.error.message, /temperature/);
  });

  it('maps an input over the context window to CONTEXT_TOO_LONG', async () => {
    const model = await chatModel();
    const { error } = await collect(model.converseStream(ask('word '.repeat(170_000))));
    assert.equal(error?.code, 'CONTEXT_TOO_LONG');
    assert.match(error.hint ?? '', /topK|chunkTokens/);
  });

  it('maps expired temporary keys to CREDENTIALS_EXPIRED', async () => {
    const restore = setEnv({
      AWS_ACCESS_KEY_ID: FAKE_EXPIRED_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: FAKE_EXPIRED_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: FAKE_EXPIRED_SESSION_TOKEN,
    });
    try {
      const model = await chatModel();
      const { error } = await collect(model.converseStream(ask('Hello?')));
      assert.equal(error?.code, 'CREDENTIALS_EXPIRED');
      assert.equal(fake.requests[0]?.errorType, 'ExpiredTokenException');
    } finally {
      restore();
    }
  });

  it('rejects an unknown access key id, and accepts temporary keys with their session token', async () => {
    let restore = setEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000001' });
    try {
      const model = await chatModel();
      const { error } = await collect(model.converseStream(ask('Hello?')));
      assert.equal(error?.code, 'ACCESS_DENIED');
      assert.match(error.message, /UnrecognizedClientException/);
      assert.doesNotMatch(`${error.message} ${error.hint}`, /AKIAUNKNOWNKEY000001/);
    } finally {
      restore();
    }
    restore = setEnv({
      AWS_ACCESS_KEY_ID: FAKE_SESSION_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: FAKE_SESSION_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
    });
    try {
      const model = await new BedrockClientCache().get({ maxAttempts: 1 });
      const { error } = await collect(new BedrockChatModel(model.client, model.context).converseStream(ask('Hello?')));
      assert.equal(error, undefined);
      assert.equal(fake.requests.at(-1)?.signature.accessKeyId, FAKE_SESSION_ACCESS_KEY_ID);
      model.client.destroy();
    } finally {
      restore();
    }
  });

  it('round-trips an ARN model id through the URL path and its signature', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    const model = await chatModel();
    const { error } = await collect(model.converseStream(ask('Hello?', { modelId: arn })));
    assert.equal(error, undefined);
    const record = fake.requests[0];
    assert.equal(record?.modelId, arn);
    assert.match(
      record?.path ?? '',
      /^\/model\/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3d4e5f6\/converse-stream$/,
    );
    assert.equal(record?.signature.valid, true);
  });

  it('yields the text received before a dropped connection, then STREAM_INTERRUPTED', async () => {
    const answer = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.';
    fake.script.reply({ text: answer });
    fake.faults.add({ type: 'cutStream', afterFrames: 3 });
    const model = await chatModel();
    const { events, error } = await collect(model.converseStream(ask('Count')));
    assert.equal(error?.code, 'STREAM_INTERRUPTED');
    const partial = textOf(events);
    assert.ok(partial.length > 0, 'some text arrived before the cut');
    assert.ok(answer.startsWith(partial) && partial.length < answer.length);
    assert.ok(!events.some((e) => e.type === 'messageStop'));
  });

  it('maps exception frames sent mid-stream, after yielding the text before them', async () => {
    fake.faults.add({ type: 'streamException', afterFrames: 3, exception: 'throttlingException', times: 1 });
    const model = await chatModel();
    const throttled = await collect(model.converseStream(ask('Hello?')));
    assert.equal(throttled.error?.code, 'THROTTLED');
    assert.match(throttled.error.message, /midway/);
    assert.ok(textOf(throttled.events).length > 0);
    fake.faults.add({ type: 'streamException', afterFrames: 2, exception: 'modelStreamErrorException' });
    const broken = await collect(model.converseStream(ask('Hello?')));
    assert.equal(broken.error?.code, 'STREAM_INTERRUPTED');
  });

  it('stops with CANCELLED when the signal aborts mid-stream', async () => {
    fake.faults.add({ type: 'slowStream', frameDelayMs: 40 });
    const model = await chatModel();
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of model.converseStream(ask('Hello?'), { signal: controller.signal })) {
          events.push(event);
          if (event.type === 'textDelta') controller.abort();
        }
      })(),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'CANCELLED' && isCancellation(err),
    );
    assert.equal(events.filter((e) => e.type === 'textDelta').length, 1);
  });

  it('fails with TIMEOUT when Bedrock does not answer within the request timeout', async () => {
    fake.faults.add({ type: 'delay', ms: 1500 });
    const model = await chatModel({ requestTimeoutMs: 200, maxAttempts: 1 });
    const { error } = await collect(model.converseStream(ask('Hello?')));
    assert.equal(error?.code, 'TIMEOUT');
    assert.match(error.message, /200 ms/);
  });

  it('fails with NETWORK naming the endpoint when nothing listens there', async () => {
    const model = await chatModel({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const { error } = await collect(model.converseStream(ask('Hello?')));
    assert.equal(error?.code, 'NETWORK');
    assert.match(error.message, /http:\/\/127\.0\.0\.1:9/);
  });

  it('reports a guardrail intervention with its trace', async () => {
    fake.script.reply({ guardrailIntervened: { text: 'Blocked by policy.' } });
    const model = await chatModel();
    const { events } = await collect(
      model.converseStream(
        ask('Something forbidden', { guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '1', trace: 'enabled' } }),
      ),
    );
    assert.equal(textOf(events), 'Blocked by policy.');
    assert.deepEqual(
      events.find((e) => e.type === 'messageStop'),
      { type: 'messageStop', stopReason: 'guardrail_intervened' },
    );
    const meta = events.find((e) => e.type === 'metadata');
    assert.ok(meta?.type === 'metadata' && meta.trace !== undefined);
    assert.deepEqual((fake.requests[0]?.body as { guardrailConfig: unknown }).guardrailConfig, {
      guardrailIdentifier: 'gr-123',
      guardrailVersion: '1',
      trace: 'enabled',
    });
  });

  it('records every request over HTTP/2 with a valid SigV4 signature', async () => {
    const model = await chatModel();
    await collect(model.converseStream(ask('One?')));
    await collect(model.converseStream(ask('Two?')));
    assert.equal(fake.requests.length, 2);
    for (const record of fake.requests) {
      assert.deepEqual(record.signature, { scheme: 'sigv4', valid: true, accessKeyId: 'AKIAFAKEBEDROCKTEST1', region: 'us-east-1' });
      assert.equal(record.httpVersion, '2.0');
      assert.equal(record.operation, 'ConverseStream');
      assert.match(
        record.headers.authorization ?? '',
        /^AWS4-HMAC-SHA256 Credential=AKIAFAKEBEDROCKTEST1\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
      );
    }
  });

  it('authenticates with a Bedrock API key from AWS_BEARER_TOKEN_BEDROCK or from the caller', async () => {
    const restore = setEnv({
      AWS_BEARER_TOKEN_BEDROCK: FAKE_BEDROCK_API_KEY,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    try {
      const fromEnv = await collect((await chatModel()).converseStream(ask('Hello?')));
      assert.equal(fromEnv.error, undefined);
    } finally {
      restore();
    }
    const restore2 = setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const fromCaller = await collect((await chatModel({ apiKey: FAKE_BEDROCK_API_KEY })).converseStream(ask('Hello?')));
      assert.equal(fromCaller.error, undefined);
      const wrong = await collect(
        (await chatModel({ apiKey: 'ABSKd3JvbmdLZXlGb3JUZXN0cw==', maxAttempts: 1 })).converseStream(ask('Hello?')),
      );
      assert.equal(wrong.error?.code, 'ACCESS_DENIED');
      assert.match(wrong.error.hint ?? '', /API key/);
      assert.doesNotMatch(`${wrong.error.message} ${wrong.error.hint}`, /ABSK/);
    } finally {
      restore2();
    }
    assert.deepEqual(
      fake.requests.map((r) => [r.signature.scheme, r.signature.valid]),
      [
        ['bearer', true],
        ['bearer', true],
        ['bearer', false],
      ],
    );
    assert.equal(fake.requests[0]?.headers.authorization, `Bearer ${FAKE_BEDROCK_API_KEY}`);
  });
});
