import assert from 'node:assert/strict';
import { useFakeBedrock } from './useFakeBedrock';
import { BedrockDocsError } from '../../src/core/errors';
import type { BedrockConnection } from '../../src/node/bedrock/bedrockClient';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { CohereEmbedder } from '../../src/node/bedrock/cohereEmbedder';
import { createEmbedder } from '../../src/node/bedrock/createEmbedder';
import { TitanEmbedder } from '../../src/node/bedrock/titanEmbedder';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { fakeEmbedding } from '../fakes/fakeEmbedding';

const norm = (v: Float32Array) => Math.hypot(...v);

describe('Bedrock embedders (real SDK against the fake Bedrock)', () => {
  const fakeOf = useFakeBedrock();
  let fake: FakeBedrock;
  let clients: BedrockClientCache;
  let connection: BedrockConnection;

  beforeEach(() => {
    fake = fakeOf();
  });
  beforeEach(async () => {
    fake.reset();
    clients = new BedrockClientCache();
    connection = await clients.get({ requestTimeoutMs: 5000 });
  });
  afterEach(() => clients.dispose());

  it('embeds one text per Titan V2 call in the configured dimensions, reporting Titan token counts', async () => {
    const embedder = createEmbedder(connection.client, 'amazon.titan-embed-text-v2:0', 256, connection.context);
    assert.ok(embedder instanceof TitanEmbedder);
    assert.equal(embedder.maxBatch, 1);
    const texts = ['Configure the proxy', 'Install the extension offline', 'Rotate the API key'];
    const result = await embedder.embed(texts, 'document');
    assert.equal(result.vectors.length, 3);
    result.vectors.forEach((v, i) => assert.deepEqual(v, fakeEmbedding(texts[i] as string, 256)));
    assert.equal(
      result.inputTokens,
      texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0),
    );
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(fake.requests[0]?.body, { inputText: 'Configure the proxy', dimensions: 256, normalize: true });
  });

  it('returns Titan binary embeddings alongside the floats when asked', async () => {
    const embedder = new TitanEmbedder(connection.client, { dimensions: 512, binary: true }, connection.context);
    const result = await embedder.embed(['sign bits of a vector'], 'query');
    const [vector] = result.vectors;
    const [bits] = result.binary ?? [];
    assert.ok(vector && bits);
    assert.equal(bits.length, 512);
    assert.deepEqual(
      Array.from(bits),
      Array.from(vector, (v) => (v > 0 ? 1 : 0)),
    );
    assert.deepEqual((fake.requests[0]?.body as { embeddingTypes: string[] }).embeddingTypes, ['float', 'binary']);
  });

  it('refuses unsupported Titan dimensions and empty texts before calling Bedrock', async () => {
    assert.throws(
      () => new TitanEmbedder(connection.client, { dimensions: 768 }),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'BAD_SETTING',
    );
    await assert.rejects(
      new TitanEmbedder(connection.client).embed(['  '], 'document'),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'BAD_INPUT',
    );
    assert.equal(fake.requests.length, 0);
  });

  it('batches Cohere v3 calls by 96 texts, in order, with input_type by purpose', async () => {
    const embedder = createEmbedder(connection.client, 'cohere.embed-multilingual-v3', 1024, connection.context);
    assert.ok(embedder instanceof CohereEmbedder);
    const texts = Array.from({ length: 200 }, (_, i) => `chunk number ${i} about topic ${i % 7}`);
    const result = await embedder.embed(texts, 'document');
    assert.deepEqual(
      fake.requests.map((r) => (r.body as { texts: string[] }).texts.length),
      [96, 96, 8],
    );
    assert.ok(fake.requests.every((r) => (r.body as { input_type: string }).input_type === 'search_document'));
    assert.equal(result.vectors.length, 200);
    assert.deepEqual(result.vectors[150], fakeEmbedding(texts[150] as string, 1024));
    assert.ok(result.vectors.every((v) => Math.abs(norm(v) - 1) < 1e-5));
    assert.equal(
      result.inputTokens,
      texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0),
    );
    await embedder.embed(['what about topic 3?'], 'query');
    assert.equal((fake.requests.at(-1)?.body as { input_type: string }).input_type, 'search_query');
  });

  it('rejects a model id it has no embedder for, naming the setting', () => {
    assert.throws(
      () => createEmbedder(connection.client, 'amazon.titan-embed-text-v1', 1024),
      (err: unknown) =>
        err instanceof BedrockDocsError && err.code === 'BAD_SETTING' && /bedrockDocs\.embeddings\.modelId/.test(err.hint ?? ''),
    );
  });

  it('rides out a per-second rate limit with the adaptive retries', async () => {
    fake.faults.add({ type: 'rateLimit', perSecond: 4, operation: 'InvokeModel' });
    const embedder = new TitanEmbedder(connection.client, { dimensions: 256 });
    const texts = Array.from({ length: 8 }, (_, i) => `text ${i}`);
    const results = await Promise.all(texts.map((t) => embedder.embed([t], 'document')));
    assert.equal(results.length, 8);
    assert.ok(
      fake.requests.some((r) => r.status === 429),
      'the limit was hit',
    );
    assert.equal(fake.requests.filter((r) => r.status === 200).length, 8);
  });

  it('maps failures with the embedding model named, and an abort to CANCELLED', async () => {
    fake.faults.add({ type: 'accessDenied', model: 'cohere.embed-english-v3' });
    const cohere = new CohereEmbedder(connection.client, 'cohere.embed-english-v3', connection.context);
    await assert.rejects(
      cohere.embed(['x'], 'query'),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'ACCESS_DENIED' && /cohere\.embed-english-v3/.test(err.message),
    );
    fake.faults.add({ type: 'delay', ms: 500, model: 'amazon.titan-embed-text-v2:0' });
    const controller = new AbortController();
    const pending = new TitanEmbedder(connection.client).embed(['slow'], 'query', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (err: unknown) => err instanceof BedrockDocsError && err.code === 'CANCELLED');
  });
});
