import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { ApplyGuardrailCommand, BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { isolatedFakeEnv, setEnv } from '../fakes/envScope';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY } from '../fakes/fakeCredentials';
import { fakeEmbedding } from '../fakes/fakeEmbedding';
import type { RawRequest } from '../fakes/sigv4';
import { signRequest } from '../fakes/sigv4';

const CHAT = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const creds = { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY };

function signed(fake: FakeBedrock, path: string, body: unknown): RawRequest {
  const request: RawRequest = {
    method: 'POST',
    path,
    headers: { host: `127.0.0.1:${fake.port}`, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  };
  signRequest(request, creds, 'us-east-1');
  return request;
}

async function send(fake: FakeBedrock, request: RawRequest) {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host')) as Record<string, string>;
  const response = await fetch(`${fake.url}${request.path}`, { method: request.method, headers, body: new Uint8Array(request.body) });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;

describe('fake Bedrock on the wire', () => {
  let fake: FakeBedrock;
  let restoreEnv: () => void;
  let client: BedrockRuntimeClient;

  before(async () => {
    fake = await startFakeBedrock();
    restoreEnv = setEnv(isolatedFakeEnv(fake));
    client = new BedrockRuntimeClient({ maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    restoreEnv();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('serves HTTP/1.1 and verifies a hand-signed request, rejecting it once tampered', async () => {
    const ok = await send(
      fake,
      signed(fake, `/model/${encodeURIComponent(CHAT)}/converse`, { messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    assert.equal(ok.status, 200);
    assert.equal(fake.requests[0]?.httpVersion, '1.1');

    const badSignature = signed(fake, `/model/${encodeURIComponent(CHAT)}/converse`, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
    });
    badSignature.headers.authorization = String(badSignature.headers.authorization).replace(
      /Signature=(.)/,
      (_m, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`,
    );
    const rejected = await send(fake, badSignature);
    assert.equal(rejected.status, 403);
    assert.match(rejected.errorType ?? '', /^InvalidSignatureException:/);
    assert.match(String(rejected.json.message), /signature we calculated does not match/);

    const badBody = signed(fake, `/model/${encodeURIComponent(CHAT)}/converse`, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
    });
    badBody.body = Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Ho' }] }] }));
    assert.equal((await send(fake, badBody)).status, 403);

    const unknown = { ...signed(fake, `/model/${encodeURIComponent(CHAT)}/converse`, {}) };
    signRequest(unknown, { accessKeyId: 'AKIANOTKNOWNTOFAKE01', secretAccessKey: 'x' }, 'us-east-1');
    const unrecognized = await send(fake, unknown);
    assert.equal(unrecognized.status, 403);
    assert.match(unrecognized.errorType ?? '', /^UnrecognizedClientException:/);
    assert.deepEqual(
      fake.requests.map((r) => r.signature.valid),
      [true, false, false, false],
    );
  });

  it('streams real event-stream frames with Bedrock headers over h2c', async () => {
    const request = signed(fake, `/model/${encodeURIComponent(CHAT)}/converse-stream`, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
    });
    const session = http2.connect(fake.url);
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const { host: _host, ...signedHeaders } = request.headers;
      const stream = session.request({ ...signedHeaders, ':method': 'POST', ':path': request.path });
      const chunks: Buffer[] = [];
      stream.on('response', (h) => assert.equal(h['content-type'], 'application/vnd.amazon.eventstream'));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
      stream.end(request.body);
    });
    session.close();
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const events: Array<[string, string, string, Record<string, unknown>]> = [];
    for (let offset = 0; offset < bytes.length;) {
      const length = bytes.readUInt32BE(offset);
      const message = codec.decode(bytes.subarray(offset, offset + length));
      const h = (name: string) => String(message.headers[name]?.value);
      events.push([h(':message-type'), h(':event-type'), h(':content-type'), decode(message.body)]);
      offset += length;
    }
    assert.ok(events.every(([type, , contentType]) => type === 'event' && contentType === 'application/json'));
    const names = events.map(([, name]) => name);
    assert.equal(names[0], 'messageStart');
    assert.deepEqual(names.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);
    assert.ok(names.filter((n) => n === 'contentBlockDelta').length >= 2);
    const usage = (events.at(-1)?.[3] as { usage: Record<string, number> }).usage;
    assert.equal(
      usage.totalTokens,
      (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0),
    );
  });

  it('answers non-streaming Converse with the same content and a cited default answer', async () => {
    fake.script.reply({ toolUse: { name: 'lookup', input: { id: 7 } } });
    const tools = { tools: [{ toolSpec: { name: 'lookup', description: 'd', inputSchema: { json: { type: 'object' } } } }] };
    const withTool = await client.send(
      new ConverseCommand({ modelId: CHAT, toolConfig: tools, messages: [{ role: 'user', content: [{ text: 'Look it up' }] }] }),
    );
    assert.equal(withTool.stopReason, 'tool_use');
    assert.deepEqual(withTool.output?.message?.content?.[0]?.toolUse?.input, { id: 7 });
    const plain = await client.send(
      new ConverseCommand({ modelId: CHAT, messages: [{ role: 'user', content: [{ text: 'Where is the proxy documented?' }] }] }),
    );
    assert.match(plain.output?.message?.content?.[0]?.text ?? '', /\[1\].*proxy documented/);
    assert.equal(plain.usage?.totalTokens, (plain.usage?.inputTokens ?? 0) + (plain.usage?.outputTokens ?? 0));
  });

  it('validates Converse requests the way Bedrock does', async () => {
    const cases: Array<[unknown[], Record<string, unknown>, RegExp]> = [
      [[], {}, /messages field is empty/],
      [[{ role: 'assistant', content: [{ text: 'Hi' }] }], {}, /must start with a user message/],
      [
        [
          { role: 'user', content: [{ text: 'a' }] },
          { role: 'user', content: [{ text: 'b' }] },
        ],
        {},
        /alternate between user and assistant/,
      ],
      [[{ role: 'user', content: [] }], {}, /content field in the Message object at messages\.0 is empty/],
      [[{ role: 'user', content: [{ text: 'a' }] }], { inferenceConfig: { temperature: 2 } }, /inferenceConfig\.temperature/],
      [[{ role: 'user', content: [{ toolResult: { toolUseId: 'x', content: [{ text: 'r' }] } }] }], {}, /toolConfig field must be defined/],
    ];
    for (const [messages, extra, message] of cases) {
      await assert.rejects(
        client.send(new ConverseCommand({ modelId: CHAT, messages: messages as never, ...extra })),
        (err: Error) => err.name === 'ValidationException' && message.test(err.message),
      );
    }
    await assert.rejects(
      client.send(new ConverseCommand({ modelId: 'amazon.titan-embed-text-v2:0', messages: [{ role: 'user', content: [{ text: 'a' }] }] })),
      /doesn't support the model/,
    );
  });

  it('embeds with Titan V2 in 256/512/1024 dimensions, normalised, with sign-bit binary', async () => {
    for (const dimensions of [256, 512, 1024]) {
      const response = await client.send(
        new InvokeModelCommand({
          modelId: 'amazon.titan-embed-text-v2:0',
          body: JSON.stringify({
            inputText: 'Proxy settings for the editor',
            dimensions,
            normalize: true,
            embeddingTypes: ['float', 'binary'],
          }),
        }),
      );
      const json = decode(response.body) as {
        embedding: number[];
        inputTextTokenCount: number;
        embeddingsByType: { float: number[]; binary: number[] };
      };
      assert.equal(json.embedding.length, dimensions);
      assert.ok(Math.abs(Math.hypot(...json.embedding) - 1) < 1e-5);
      assert.deepEqual(
        json.embeddingsByType.binary,
        json.embedding.map((v) => (v > 0 ? 1 : 0)),
      );
      assert.deepEqual(Float32Array.from(json.embedding), fakeEmbedding('Proxy settings for the editor', dimensions));
      assert.equal(json.inputTextTokenCount, Math.ceil('Proxy settings for the editor'.length / 4));
    }
    const near = dot(fakeEmbedding('configure the editor proxy settings', 1024), fakeEmbedding('proxy settings of the editor', 1024));
    const far = dot(fakeEmbedding('configure the editor proxy settings', 1024), fakeEmbedding('bake a chocolate cake tonight', 1024));
    assert.ok(near > 0.4 && near > far + 0.3, `near ${near} vs far ${far}`);
    const invalid: Array<[Record<string, unknown>, RegExp]> = [
      [{ inputText: 'x', dimensions: 300 }, /dimensions: 300 is not a valid enum value/],
      [{ inputText: '' }, /expected minLength: 1/],
      [{ inputText: 'x'.repeat(50_001) }, /expected maxLength: 50000/],
      [{ inputText: 'x'.repeat(40_000) }, /Too many input tokens/],
    ];
    for (const [body, message] of invalid) {
      await assert.rejects(
        client.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: JSON.stringify(body) })),
        (err: Error) => err.name === 'ValidationException' && message.test(err.message),
      );
    }
  });

  it('embeds with Cohere v3 in its response shapes and enforces 96 texts per call', async () => {
    const floats = decode(
      (
        await client.send(
          new InvokeModelCommand({
            modelId: 'cohere.embed-english-v3',
            body: JSON.stringify({ texts: ['a b', 'c d'], input_type: 'search_document' }),
          }),
        )
      ).body,
    );
    assert.equal(floats.response_type, 'embeddings_floats');
    assert.equal((floats.embeddings as number[][]).length, 2);
    assert.equal((floats.embeddings as number[][])[0]?.length, 1024);
    assert.deepEqual(floats.texts, ['a b', 'c d']);
    const byType = decode(
      (
        await client.send(
          new InvokeModelCommand({
            modelId: 'cohere.embed-multilingual-v3',
            body: JSON.stringify({ texts: ['a b'], input_type: 'search_query', embedding_types: ['float', 'int8', 'ubinary'] }),
          }),
        )
      ).body,
    );
    assert.equal(byType.response_type, 'embeddings_by_type');
    const embeddings = byType.embeddings as Record<string, number[][]>;
    assert.deepEqual(Object.keys(embeddings).sort(), ['float', 'int8', 'ubinary']);
    assert.equal(embeddings.ubinary?.[0]?.length, 128);
    await assert.rejects(
      client.send(
        new InvokeModelCommand({
          modelId: 'cohere.embed-english-v3',
          body: JSON.stringify({ texts: Array(97).fill('t'), input_type: 'search_document' }),
        }),
      ),
      /expected maxItems: 96, actual: 97/,
    );
    await assert.rejects(
      client.send(new InvokeModelCommand({ modelId: 'cohere.embed-english-v3', body: JSON.stringify({ texts: ['t'] }) })),
      /required key \[input_type\]/,
    );
  });

  it('answers ApplyGuardrail with NONE by default and with a scripted intervention', async () => {
    const input = {
      guardrailIdentifier: 'gr-abc',
      guardrailVersion: '2',
      source: 'INPUT' as const,
      content: [{ text: { text: 'hello' } }],
    };
    const none = await client.send(new ApplyGuardrailCommand(input));
    assert.equal(none.action, 'NONE');
    fake.script.guardrail({ action: 'GUARDRAIL_INTERVENED', outputs: ['Not allowed.'] });
    const blocked = await client.send(new ApplyGuardrailCommand(input));
    assert.equal(blocked.action, 'GUARDRAIL_INTERVENED');
    assert.deepEqual(blocked.outputs, [{ text: 'Not allowed.' }]);
    assert.deepEqual(
      fake.requests.map((r) => [r.operation, r.guardrail?.id, r.guardrail?.version]),
      [
        ['ApplyGuardrail', 'gr-abc', '2'],
        ['ApplyGuardrail', 'gr-abc', '2'],
      ],
    );
  });

  it('applies faults only to the operations and models they name, and rate-limits per second', async () => {
    fake.faults.add({ type: 'throttle', operation: 'InvokeModel', model: /cohere/ });
    await client.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: JSON.stringify({ inputText: 'x' }) }));
    await client.send(new ConverseCommand({ modelId: CHAT, messages: [{ role: 'user', content: [{ text: 'a' }] }] }));
    await assert.rejects(
      client.send(
        new InvokeModelCommand({ modelId: 'cohere.embed-english-v3', body: JSON.stringify({ texts: ['x'], input_type: 'search_query' }) }),
      ),
      (err: Error) => err.name === 'ThrottlingException',
    );
    fake.reset();
    fake.faults.add({ type: 'rateLimit', perSecond: 2 });
    const titan = () =>
      client.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: JSON.stringify({ inputText: 'x' }) }));
    const results = await Promise.allSettled([titan(), titan(), titan()]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    assert.deepEqual(fake.requests.map((r) => r.status).sort(), [200, 200, 429]);
  });
});

describe('fake Bedrock prompt cache', () => {
  it('caches per model minimum and forgets a prefix after the TTL', async () => {
    let clock = Date.UTC(2026, 5, 1);
    const fake = await startFakeBedrock({
      now: () => clock,
      cacheMinimumTokens: [
        { model: /nova/, tokens: 10 },
        { model: /claude/, tokens: 2048 },
      ],
    });
    const restoreEnv = setEnv(isolatedFakeEnv(fake));
    // Requests are signed with the real clock; the fake's clock only drives the cache here.
    const client = new BedrockRuntimeClient({ maxAttempts: 1 });
    try {
      const prompt = 'A short but cacheable system prompt for the docs.';
      const system = [{ text: prompt }, { cachePoint: { type: 'default' as const } }];
      const usage = async (modelId: string) =>
        (await client.send(new ConverseCommand({ modelId, system, messages: [{ role: 'user', content: [{ text: 'q' }] }] }))).usage;
      const prefix = Math.ceil(prompt.length / 4);
      assert.equal((await usage('us.amazon.nova-2-lite-v1:0'))?.cacheWriteInputTokens, prefix);
      assert.equal((await usage('us.amazon.nova-2-lite-v1:0'))?.cacheReadInputTokens, prefix);
      assert.equal((await usage(CHAT))?.cacheWriteInputTokens ?? 0, 0, 'below the claude minimum nothing is cached');
      clock += 5 * 60_000 + 1;
      const afterTtl = await usage('us.amazon.nova-2-lite-v1:0');
      assert.equal(afterTtl?.cacheWriteInputTokens, prefix);
      assert.equal(afterTtl?.totalTokens, (afterTtl?.inputTokens ?? 0) + (afterTtl?.outputTokens ?? 0) + prefix);
    } finally {
      client.destroy();
      restoreEnv();
      await fake.close();
    }
  });
});
