import assert from 'node:assert/strict';
import { useFakeBedrock } from './useFakeBedrock';
import { setEnv } from '../fakes/envScope';
import { BedrockDocsError } from '../../src/core/errors';
import { Indexer } from '../../src/core/indexer';
import type { SearchHit } from '../../src/core/index/hybridIndex';
import type { DocumentSource, Logger } from '../../src/core/ports';
import { ask } from '../../src/core/rag/ask';
import { BackendRetriever } from '../../src/core/retrieval/backendRetriever';
import { isKnowledgeBaseHit } from '../../src/core/retrieval/knowledgeBaseResults';
import { BedrockChatModel } from '../../src/node/bedrock/bedrockChatModel';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import type { AgentRuntimeConnection } from '../../src/node/bedrock/knowledgeBaseClient';
import { AgentRuntimeClientCache, createAgentRuntimeConnection } from '../../src/node/bedrock/knowledgeBaseClient';
import { KnowledgeBaseRetriever } from '../../src/node/bedrock/knowledgeBaseRetriever';
import { createKnowledgeBaseServices } from '../../src/node/bedrock/knowledgeBaseServices';
import { BedrockReranker } from '../../src/node/bedrock/reranker';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import type { FakeKbDocument } from '../fakes/knowledgeBaseFake';
import { fakeKbScore } from '../fakes/knowledgeBaseFake';
import { fakeRelevance } from '../fakes/rerankFake';

const KB_ID = 'KBDOCS0001';
const QUERY = 'configure the proxy port';
const KB_DOCS: FakeKbDocument[] = [
  {
    uri: 's3://acme-docs/repo/guide/proxy.md',
    text: 'Proxy proxy proxy. The proxy is read from HTTPS_PROXY; a proxy needs no restart.',
    metadata: { team: 'docs', year: 2025 },
  },
  {
    uri: 's3://acme-docs/repo/guide/network.md',
    text: 'To configure the corporate proxy port, open the settings file of the extension and set the port number.',
    metadata: { team: 'docs', year: 2024 },
  },
  {
    uri: 's3://acme-docs/repo/faq.md',
    text: 'Frequently asked questions about installation and licensing.',
    metadata: { team: 'docs', year: 2023 },
  },
  {
    uri: 'https://acme.atlassian.net/wiki/spaces/DOC/pages/42/Proxy+rollout',
    text: 'Platform notes: the proxy rollout and the port table.',
    metadata: { team: 'platform', year: 2025 },
  },
];
const LOCAL_DOCS: Record<string, string> = {
  'guide/proxy.md': '# Proxy\n\nSet the proxy port with bedrockDocs settings before you configure the network.\n',
  'guide/install.md': '# Install\n\nInstall the extension from the marketplace or a VSIX file.\n',
  'reference/ports.md': '# Ports\n\nThe port of the local proxy defaults to 8080.\n',
};

const quiet: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const memorySource = (files: Record<string, string>): DocumentSource => ({
  list: async () => ({ files: Object.entries(files).map(([path, text]) => ({ path, size: text.length, mtimeMs: 1 })), skipped: [] }),
  read: async (path) => new TextEncoder().encode(files[path] ?? ''),
});

const ids = (hits: readonly SearchHit[]) => hits.map((h) => h.chunk.id);
const paths = (hits: readonly SearchHit[]) => hits.map((h) => h.chunk.path);

function expectError(code: string, pattern?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof BedrockDocsError, String(err));
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(`${err.message} — ${err.hint ?? ''}`, pattern);
    return true;
  };
}

describe('Knowledge Base retrieval and reranking (real agent-runtime SDK against the fake)', () => {
  const fakeOf = useFakeBedrock();
  let fake: FakeBedrock;
  let clients: AgentRuntimeClientCache;
  let connection: AgentRuntimeConnection;

  beforeEach(() => {
    fake = fakeOf();
  });
  beforeEach(async () => {
    fake.reset();
    fake.knowledgeBase.add(KB_ID, KB_DOCS);
    clients = new AgentRuntimeClientCache();
    connection = await clients.get({ requestTimeoutMs: 5000, maxAttempts: 1 });
  });
  afterEach(() => clients.dispose());

  const kbRetriever = (options: Partial<ConstructorParameters<typeof KnowledgeBaseRetriever>[1]> = {}) =>
    new KnowledgeBaseRetriever(connection.client, { knowledgeBaseId: KB_ID, region: connection.region, ...options }, connection.context);

  describe('Retrieve', () => {
    it('sends number of results, search type and metadata filter, signed for bedrock, and returns hits cited by source URI', async () => {
      const filter = { andAll: [{ equals: { key: 'team', value: 'docs' } }, { greaterThanOrEquals: { key: 'year', value: 2024 } }] };
      const hits = await kbRetriever({ searchType: 'HYBRID', filter }).retrieve(QUERY, { k: 3, mode: 'hybrid' });
      const record = fake.requests[0]!;
      assert.equal(record.operation, 'Retrieve');
      assert.equal(record.path, `/knowledgebases/${KB_ID}/retrieve`);
      assert.deepEqual(record.body, {
        retrievalQuery: { type: 'TEXT', text: QUERY },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3, overrideSearchType: 'HYBRID', filter } },
      });
      assert.deepEqual(record.signature, { scheme: 'sigv4', valid: true, accessKeyId: 'AKIAFAKEBEDROCKTEST1', region: 'us-east-1' });
      // Only the two docs-team chunks from 2024 on pass the filter, in the fake's HYBRID score order.
      const expected = KB_DOCS.slice(0, 2).sort((a, b) => fakeKbScore(QUERY, b.text, 'HYBRID') - fakeKbScore(QUERY, a.text, 'HYBRID'));
      assert.deepEqual(
        paths(hits),
        expected.map((d) => d.uri),
      );
      assert.ok(Math.abs(hits[0]!.score - fakeKbScore(QUERY, expected[0]!.text, 'HYBRID')) < 1e-6);
      const network = hits.find((h) => h.chunk.path.endsWith('network.md'))!;
      assert.equal(
        network.source.link,
        'https://s3.console.aws.amazon.com/s3/object/acme-docs?region=us-east-1&prefix=repo/guide/network.md',
      );
      assert.equal(network.source.metadata.team, 'docs');
      assert.equal(network.source.metadata['x-amz-bedrock-kb-data-source-id'], 'FAKEDS0001');
    });

    it('leaves the search type to the Knowledge Base when unset, and maps web locations', async () => {
      const hits = await kbRetriever().retrieve(QUERY, { k: 10, mode: 'hybrid', scoreThreshold: 0 });
      const body = fake.requests[0]!.body as { retrievalConfiguration: { vectorSearchConfiguration: Record<string, unknown> } };
      assert.deepEqual(body.retrievalConfiguration.vectorSearchConfiguration, { numberOfResults: 10 });
      assert.equal(hits.length, 4);
      const confluence = hits.find((h) => h.source.locationType === 'CONFLUENCE');
      assert.equal(confluence?.chunk.path, KB_DOCS[3]!.uri);
      assert.equal(confluence?.source.link, KB_DOCS[3]!.uri);
      assert.equal(confluence?.chunk.fileType, 'html');
    });

    it('reaches the endpoint in AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME, not the runtime endpoint', async () => {
      const agentFake = await startFakeBedrock();
      const restore = setEnv({ AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: agentFake.url, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url });
      const separate = new AgentRuntimeClientCache();
      try {
        agentFake.knowledgeBase.add(KB_ID, KB_DOCS);
        const c = await separate.get({ requestTimeoutMs: 5000 });
        assert.equal(c.context.endpoint, agentFake.url);
        const hits = await new KnowledgeBaseRetriever(c.client, { knowledgeBaseId: KB_ID, region: c.region }, c.context).retrieve(QUERY, {
          k: 2,
          mode: 'hybrid',
        });
        assert.equal(hits.length, 2);
        assert.equal(agentFake.requests.length, 1);
        assert.equal(fake.requests.length, 0);
      } finally {
        separate.dispose();
        restore();
        await agentFake.close();
      }
    });

    it('maps an unknown Knowledge Base to BAD_SETTING naming the setting', async () => {
      const r = new KnowledgeBaseRetriever(connection.client, { knowledgeBaseId: 'NOSUCHKB01', region: 'us-east-1' }, connection.context);
      await assert.rejects(
        r.retrieve(QUERY, { k: 5, mode: 'hybrid' }),
        expectError('BAD_SETTING', /knowledge base NOSUCHKB01 in us-east-1.*bedrockDocs\.knowledgeBase\.id/s),
      );
    });

    it('maps access denied to ACCESS_DENIED naming bedrock:Retrieve', async () => {
      fake.faults.add({ type: 'accessDenied', operation: 'Retrieve', message: 'User is not authorized to perform: bedrock:Retrieve' });
      await assert.rejects(
        kbRetriever().retrieve(QUERY, { k: 5, mode: 'hybrid' }),
        expectError('ACCESS_DENIED', /bedrock:Retrieve.*knowledge-base\/KBDOCS0001/s),
      );
    });

    it('maps unknown credentials, throttling and a rejected search type to their codes', async () => {
      const restore = setEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' });
      try {
        const other = await createAgentRuntimeConnection({ maxAttempts: 1 });
        const r = new KnowledgeBaseRetriever(other.client, { knowledgeBaseId: KB_ID, region: other.region }, other.context);
        await assert.rejects(r.retrieve(QUERY, { k: 5, mode: 'hybrid' }), expectError('ACCESS_DENIED', /UnrecognizedClientException/));
        other.client.destroy();
      } finally {
        restore();
      }
      await assert.rejects(
        kbRetriever({ searchType: 'KEYWORD' as never }).retrieve(QUERY, { k: 5, mode: 'hybrid' }),
        expectError('VALIDATION', /overrideSearchType.*bedrockDocs\.knowledgeBase/s),
      );
      fake.faults.add({ type: 'throttle', operation: 'Retrieve', times: 1 });
      await assert.rejects(kbRetriever().retrieve(QUERY, { k: 5, mode: 'hybrid' }), expectError('THROTTLED'));
    });

    it('refuses a malformed Knowledge Base ID before calling Bedrock', () => {
      assert.throws(
        () => kbRetriever({ knowledgeBaseId: 'arn:aws:bedrock:us-east-1:1:knowledge-base/KB1' }),
        expectError('BAD_SETTING', /not a Knowledge Base ID/),
      );
      assert.equal(fake.requests.length, 0);
    });
  });

  describe('Rerank', () => {
    const documents = KB_DOCS.map((d) => d.text);

    it('sends one text query, inline text sources and the model ARN; returns indexes by relevance', async () => {
      const reranker = new BedrockReranker(connection.client, 'cohere.rerank-v3-5:0', connection.region, connection.context);
      const results = await reranker.rerank(QUERY, documents, { topN: 3 });
      assert.deepEqual(fake.requests[0]!.body, {
        queries: [{ type: 'TEXT', textQuery: { text: QUERY } }],
        sources: documents.map((text) => ({ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text } } })),
        rerankingConfiguration: {
          type: 'BEDROCK_RERANKING_MODEL',
          bedrockRerankingConfiguration: {
            numberOfResults: 3,
            modelConfiguration: { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/cohere.rerank-v3-5:0' },
          },
        },
      });
      assert.equal(fake.requests[0]!.signature.valid, true);
      const expected = documents
        .map((t, index) => ({ index, s: fakeRelevance(QUERY, t) }))
        .sort((a, b) => b.s - a.s || a.index - b.index)
        .slice(0, 3);
      assert.deepEqual(
        results.map((r) => r.index),
        expected.map((e) => e.index),
      );
    });

    it('maps an unknown model to VALIDATION and a denied one to ACCESS_DENIED naming bedrock:Rerank', async () => {
      const unknown = new BedrockReranker(connection.client, 'acme.rerank-v9', connection.region, connection.context);
      await assert.rejects(
        unknown.rerank(QUERY, documents, { topN: 2 }),
        expectError('VALIDATION', /Rerank request to model acme\.rerank-v9.*Cohere Rerank 3\.5 is/s),
      );
      fake.faults.add({ type: 'accessDenied', operation: 'Rerank' });
      const denied = new BedrockReranker(connection.client, 'amazon.rerank-v1:0', 'us-west-2', connection.context);
      await assert.rejects(denied.rerank(QUERY, documents, { topN: 2 }), expectError('ACCESS_DENIED', /bedrock:Rerank/));
      assert.equal(
        (
          fake.requests[1]!.body as {
            rerankingConfiguration: { bedrockRerankingConfiguration: { modelConfiguration: { modelArn: string } } };
          }
        ).rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn,
        'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
      );
    });
  });

  describe('backends against the fake', () => {
    let indexer: Indexer;
    before(async () => {
      indexer = new Indexer({ source: memorySource(LOCAL_DOCS), chunking: { chunkTokens: 200, overlapTokens: 0 }, logger: quiet });
      await indexer.sync();
    });
    const call = { k: 5, mode: 'fulltext' as const };

    it('local answers from the workspace only', async () => {
      const hits = await new BackendRetriever({ backend: 'local', local: indexer, knowledgeBase: kbRetriever(), logger: quiet }).retrieve(
        QUERY,
        call,
      );
      assert.ok(hits.length > 0);
      assert.ok(hits.every((h) => !h.chunk.path.includes('://')));
      assert.equal(fake.requests.length, 0);
    });

    it('knowledgeBase answers from the Knowledge Base only, asking it for at least the configured number of results', async () => {
      const hits = await new BackendRetriever({
        backend: 'knowledgeBase',
        local: indexer,
        knowledgeBase: kbRetriever(),
        knowledgeBaseResults: 8,
        logger: quiet,
      }).retrieve(QUERY, { ...call, k: 2 });
      assert.equal(hits.length, 2);
      assert.ok(hits.every(isKnowledgeBaseHit));
      assert.equal(
        (fake.requests[0]!.body as { retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: number } } })
          .retrievalConfiguration.vectorSearchConfiguration.numberOfResults,
        8,
      );
    });

    it('both fuses the two lists in hand-computed weighted RRF order', async () => {
      const local = await indexer.retrieve(QUERY, { ...call, k: 5 });
      const kb = await kbRetriever().retrieve(QUERY, { ...call, k: 5 });
      const weights = { local: 1, knowledgeBase: 2 };
      const fused = await new BackendRetriever({
        backend: 'both',
        local: indexer,
        knowledgeBase: kbRetriever(),
        weights,
        logger: quiet,
      }).retrieve(QUERY, { ...call, k: 10 });
      // Hand-computed RRF: weight / (60 + rank); the two lists never share a chunk.
      const expected = [
        ...local.map((h, i) => ({ id: h.chunk.id, score: weights.local / (60 + i + 1), first: i * 2 })),
        ...kb.map((h, i) => ({ id: h.chunk.id, score: weights.knowledgeBase / (60 + i + 1), first: i * 2 + 1 })),
      ].sort((a, b) => b.score - a.score || a.first - b.first);
      assert.deepEqual(
        ids(fused),
        expected.map((e) => e.id),
      );
      fused.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i]!.score) < 1e-12));
      assert.ok(isKnowledgeBaseHit(fused[0]!), 'the KB list at weight 2 leads');
    });

    it("reranking the fused candidates changes their order to the reranker's", async () => {
      const plain = await new BackendRetriever({ backend: 'both', local: indexer, knowledgeBase: kbRetriever(), logger: quiet }).retrieve(
        QUERY,
        { ...call, k: 6 },
      );
      const reranker = new BedrockReranker(connection.client, 'cohere.rerank-v3-5:0', connection.region, connection.context);
      const reranked = await new BackendRetriever({
        backend: 'both',
        local: indexer,
        knowledgeBase: kbRetriever(),
        reranker,
        rerankTopN: 6,
        logger: quiet,
      }).retrieve(QUERY, { ...call, k: 6 });
      assert.notDeepEqual(ids(reranked), ids(plain));
      assert.deepEqual([...ids(reranked)].sort(), [...ids(plain)].sort(), 'the same candidates, reordered');
      const rerankRecord = fake.requests.find((r) => r.operation === 'Rerank')!;
      const sent = (rerankRecord.body as { sources: Array<{ inlineDocumentSource: { textDocument: { text: string } } }> }).sources.map(
        (s) => s.inlineDocumentSource.textDocument.text,
      );
      const relevance = reranked.map((h) => fakeRelevance(QUERY, sent[ids(plain).indexOf(h.chunk.id)]!));
      assert.deepEqual(
        relevance,
        [...relevance].sort((a, b) => b - a),
        'best relevance first',
      );
      assert.ok(Math.abs(reranked[0]!.score - relevance[0]!) < 1e-6);
    });

    it('cites Knowledge Base chunks by their source URI in ask', async () => {
      const chatClients = new BedrockClientCache();
      try {
        const chatConnection = await chatClients.get({ requestTimeoutMs: 5000 });
        const retriever = new BackendRetriever({
          backend: 'knowledgeBase',
          knowledgeBase: kbRetriever({ searchType: 'SEMANTIC' }),
          logger: quiet,
        });
        const top = await retriever.retrieve(QUERY, { k: 2, mode: 'hybrid' });
        fake.script.reply({ text: 'Set the port in the settings file [1].' });
        const result = await ask(
          {
            question: QUERY,
            modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
            inference: { maxTokens: 200 },
            retrieval: { k: 2, mode: 'hybrid' },
          },
          { retriever, chat: new BedrockChatModel(chatConnection.client, chatConnection.context), logger: quiet },
        );
        assert.equal(result.citations[0]?.path, top[0]!.chunk.path);
        assert.match(result.citations[0]!.path, /^s3:\/\/acme-docs\//);
        const converse = fake.requests.find((r) => r.operation === 'ConverseStream')!;
        assert.match(JSON.stringify(converse.body), new RegExp(`path=\\\\"${top[0]!.chunk.path.replace(/[/.]/g, '\\$&')}\\\\"`));
      } finally {
        chatClients.dispose();
      }
    });
  });

  it('builds only what the settings ask for', async () => {
    const base = {
      knowledgeBaseId: KB_ID,
      searchType: 'default' as const,
      filter: '',
      rerank: false,
      rerankModelId: 'cohere.rerank-v3-5:0',
    };
    assert.deepEqual(await createKnowledgeBaseServices({ ...base, backend: 'local' }, { clients, access: {} }), {});
    const both = await createKnowledgeBaseServices(
      { ...base, backend: 'both', rerank: true },
      { clients, access: { requestTimeoutMs: 5000, maxAttempts: 1 } },
    );
    assert.ok(both.knowledgeBase instanceof KnowledgeBaseRetriever);
    assert.ok(both.reranker instanceof BedrockReranker);
    assert.equal(both.region, 'us-east-1');
    await assert.rejects(
      createKnowledgeBaseServices({ ...base, backend: 'knowledgeBase', filter: '{"eq": 1}' }, { clients, access: {} }),
      expectError('BAD_SETTING', /unknown operator "eq"/),
    );
  });
});
