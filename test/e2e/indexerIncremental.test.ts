/**
 * The Indexer with the real SDK client and Titan adapter against the fake Bedrock, counted through
 * the fake's request log: a restart embeds nothing, an edit embeds only the changed chunks, and a
 * tight rate limit slows indexing down without leaving chunks behind.
 */
import assert from 'node:assert/strict';
import { useFakeBedrock } from './useFakeBedrock';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddingText, Indexer } from '../../src/core/indexer';
import { chunkDocument } from '../../src/core/ingest/chunkDocument';
import type { Logger } from '../../src/core/ports';
import { defaultSettings } from '../../src/core/settings';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { TitanEmbedder } from '../../src/node/bedrock/titanEmbedder';
import { FileSnapshotStore } from '../../src/node/fileSnapshotStore';
import { WorkspaceSource } from '../../src/node/workspaceSource';
import type { FakeBedrock } from '../fakes/fakeBedrock';

const FIXTURES = join(__dirname, '..', 'fixtures', 'docs');
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function embeddingTexts(path: string, text: string): Promise<Set<string>> {
  return new Set((await chunkDocument({ path, bytes: Buffer.from(text) }, {})).map(embeddingText));
}

describe('Indexer with Titan against the fake Bedrock', function () {
  this.timeout(60_000);
  const fakeOf = useFakeBedrock();
  let fake: FakeBedrock;
  let clients: BedrockClientCache;
  let docs: string;
  let cache: string;

  beforeEach(() => {
    fake = fakeOf();
  });
  beforeEach(async () => {
    fake.reset();
    clients = new BedrockClientCache();
    docs = await mkdtemp(join(tmpdir(), 'incr-docs-'));
    cache = await mkdtemp(join(tmpdir(), 'incr-cache-'));
    await cp(FIXTURES, docs, { recursive: true, filter: (src) => !src.includes('.bedrock-docs') });
  });
  afterEach(async () => {
    clients.dispose();
    await rm(docs, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  async function indexer(concurrency = 4): Promise<Indexer> {
    const connection = await clients.get({ requestTimeoutMs: 10_000 });
    return new Indexer({
      source: new WorkspaceSource(docs, defaultSettings()),
      chunking: {},
      logger: quiet,
      store: new FileSnapshotStore(cache),
      embedder: new TitanEmbedder(connection.client, { dimensions: 256 }, connection.context),
      embedConcurrency: concurrency,
    });
  }
  const invocations = () => fake.requests.filter((r) => r.operation === 'InvokeModel');

  it('restarts with zero embedding calls; an edit re-embeds exactly its changed chunks', async () => {
    const first = await indexer();
    const report = await first.sync();
    assert.ok(report.chunks >= 5);
    assert.equal(invocations().length, report.embedded);
    assert.equal(report.vectors, report.chunks);

    fake.reset();
    const second = await indexer();
    assert.equal(await second.restore(), true);
    assert.equal((await second.sync()).changedFiles, 0);
    assert.equal(invocations().length, 0, 'a restart embeds nothing');

    const path = 'guide/setup.md';
    const before = await readFile(join(docs, path), 'utf8');
    const paragraph = before.split('\n').findIndex((l) => /^[A-Za-z]/.test(l) && l.length > 30);
    const lines = before.split('\n');
    lines[paragraph] = `${lines[paragraph]} This sentence was added by the test.`;
    const after = lines.join('\n');
    await writeFile(join(docs, path), after);
    const old = await embeddingTexts(path, before);
    const changed = [...(await embeddingTexts(path, after))].filter((t) => !old.has(t));
    assert.ok(changed.length >= 1 && changed.length < old.size + 1);
    fake.reset();
    const edit = await second.sync();
    assert.equal(edit.changedFiles, 1);
    const sent = invocations().map((r) => (r.body as { inputText: string }).inputText);
    assert.deepEqual(sent.sort(), changed.sort(), 'only the changed chunks went out');
    assert.equal(edit.vectors, edit.chunks);
  });

  it('under a tight rate limit, indexing slows down but leaves no chunk behind', async () => {
    fake.faults.add({ type: 'rateLimit', perSecond: 8, operation: 'InvokeModel' });
    const throttled = await indexer(4);
    const report = await throttled.sync();
    assert.equal(report.failedEmbeddings, 0);
    assert.equal(report.vectors, report.chunks);
    assert.ok(
      fake.requests.some((r) => r.errorType === 'ThrottlingException'),
      'the limit was hit',
    );
    assert.equal(
      new Set(
        invocations()
          .filter((r) => r.status === 200)
          .map((r) => (r.body as { inputText: string }).inputText),
      ).size,
      report.embedded,
    );
  });
});
