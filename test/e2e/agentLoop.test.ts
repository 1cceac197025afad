import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AgentDeps, AgentRequest } from '../../src/core/agent/runAgent';
import { runAgent } from '../../src/core/agent/runAgent';
import { Indexer } from '../../src/core/indexer';
import type { Logger } from '../../src/core/ports';
import { defaultSettings } from '../../src/core/settings';
import { BedrockChatModel } from '../../src/node/bedrock/bedrockChatModel';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { ConfinedDocReader } from '../../src/node/confinedDocReader';
import { WorkspaceSource } from '../../src/node/workspaceSource';
import { isolatedFakeEnv, setEnv } from '../fakes/envScope';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';

const FIXTURES = join(__dirname, '..', 'fixtures', 'docs');
const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

type WireBlock = {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: { toolUseId: string; status?: string; content: Array<{ text: string }> };
};
type WireBody = { messages: Array<{ role: string; content: WireBlock[] }>; toolConfig?: { tools: Array<{ toolSpec: { name: string } }> } };

describe('agent loop (real BedrockChatModel against the fake Bedrock)', () => {
  let fake: FakeBedrock;
  let restoreEnv: () => void;
  let clients: BedrockClientCache;
  let indexer: Indexer;
  let reader: ConfinedDocReader;

  before(async () => {
    fake = await startFakeBedrock();
    restoreEnv = setEnv(isolatedFakeEnv(fake));
    indexer = new Indexer({
      source: new WorkspaceSource(FIXTURES, defaultSettings()),
      chunking: { chunkTokens: 200, overlapTokens: 0 },
      logger: quiet,
    });
    await indexer.sync();
    reader = new ConfinedDocReader({ roots: [{ name: 'docs', root: FIXTURES }], allowedPaths: () => indexer.index.filePaths() });
  });
  after(async () => {
    restoreEnv();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    clients = new BedrockClientCache();
  });
  afterEach(() => clients.dispose());

  async function deps(): Promise<AgentDeps> {
    const { client, context } = await clients.get({ requestTimeoutMs: 5000 });
    return { chat: new BedrockChatModel(client, context), retriever: indexer, reader, logger: quiet };
  }

  const request = (question: string): AgentRequest => ({
    question,
    modelId: MODEL,
    inference: { maxTokens: 512 },
    retrieval: { k: 3, mode: 'fulltext' },
  });
  const bodies = () => fake.requests.map((r) => r.body as WireBody);

  it('searches, then reads, then answers with citations that map to file and lines', async () => {
    // The search result's numbering, known before scripting the answer that cites it.
    const hits = await indexer.retrieve('proxy port', { k: 3, mode: 'fulltext' });
    const proxyHit = hits.findIndex((h) => h.chunk.path === 'guide/setup.md' && h.chunk.text.includes('3128'));
    assert.ok(proxyHit >= 0, 'the fixture has the proxy passage');
    const proxyN = proxyHit + 1;
    const readN = hits.length + 1;
    fake.script.reply({ toolUse: { name: 'search_docs', input: { query: 'proxy port' } } });
    fake.script.reply({
      text: 'Let me read the rest of the Proxy section.',
      toolUse: { name: 'read_doc', input: { path: 'guide/setup.md', startLine: 12, endLine: 22 } },
    });
    fake.script.reply({ text: `The proxy listens on port 3128 [${proxyN}]; restart the service after a change [${readN}].` });

    const steps: Array<[string, number | null]> = [];
    const result = await runAgent(request('Which port does the proxy listen on?'), await deps(), {
      onStep: (s) => steps.push([s.tool, s.resultChars]),
    });

    // Steps, as the chat trace and --json show them.
    assert.deepEqual(
      result.steps.map((s) => [s.tool, s.input, s.status]),
      [
        ['search_docs', { query: 'proxy port' }, 'success'],
        ['read_doc', { path: 'guide/setup.md', startLine: 12, endLine: 22 }, 'success'],
      ],
    );
    assert.deepEqual(
      steps.map(([tool, chars]) => [tool, chars === null]),
      [
        ['search_docs', true],
        ['search_docs', false],
        ['read_doc', true],
        ['read_doc', false],
      ],
    );

    // The wire: three ConverseStream calls, tools on each, each result answering its toolUse.
    assert.deepEqual(
      fake.requests.map((r) => [r.operation, r.status]),
      [
        ['ConverseStream', 200],
        ['ConverseStream', 200],
        ['ConverseStream', 200],
      ],
    );
    for (const body of bodies())
      assert.deepEqual(
        body.toolConfig?.tools.map((t) => t.toolSpec.name),
        ['search_docs', 'read_doc', 'list_docs'],
      );
    const [, second, third] = bodies();
    const searchUse = second!.messages[1]!.content[0]!.toolUse!;
    assert.deepEqual([second!.messages[1]!.role, searchUse.name, searchUse.input], ['assistant', 'search_docs', { query: 'proxy port' }]);
    assert.match(searchUse.toolUseId, /^tooluse_/);
    const searchResult = second!.messages[2]!.content[0]!.toolResult!;
    assert.deepEqual([searchResult.toolUseId, searchResult.status], [searchUse.toolUseId, 'success']);
    assert.match(
      searchResult.content[0]!.text,
      new RegExp(`<source n="${proxyN}" path="guide/setup.md" lines="\\d+-\\d+"[^\\n]*\\n(?:(?!</source>)[\\s\\S])*port 3128`),
    );
    assert.equal(result.steps[0]!.resultChars, searchResult.content[0]!.text.length);

    assert.deepEqual(
      third!.messages[3]!.content.map((b) => (b.text ? 'text' : b.toolUse?.name)),
      ['text', 'read_doc'],
    );
    const readResult = third!.messages[4]!.content[0]!.toolResult!;
    assert.deepEqual([readResult.toolUseId, readResult.status], [third!.messages[3]!.content[1]!.toolUse!.toolUseId, 'success']);
    assert.match(
      readResult.content[0]!.text,
      new RegExp(
        `^<sources>\\n<source n="${readN}" path="guide/setup.md" lines="12-22">\\nThe proxy listens on port 3128[\\s\\S]*systemctl restart acme-gateway\`\\.\\n</source>`,
      ),
    );

    // Citations resolve to file and lines like a non-agent answer's.
    const proxyChunk = hits[proxyHit]!.chunk;
    assert.deepEqual(
      result.citations.map((c) => [c.n, c.path, c.startLine, c.endLine]),
      [
        [proxyN, 'guide/setup.md', proxyChunk.startLine, proxyChunk.endLine],
        [readN, 'guide/setup.md', 12, 22],
      ],
    );
    assert.match(result.answer, /port 3128 \[\d\]; restart the service/);
    assert.equal(result.stopReason, 'end_turn');
    assert.equal(result.turns, 3);
    assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0);
  });

  it('sends a refused read back as an error result on the wire, then answers', async () => {
    // On disk, but .gitignored, so not indexed: the reader refuses it.
    fake.script.reply({ toolUse: { name: 'read_doc', input: { path: 'ignored/secret.md', startLine: 1, endLine: 10 } } });
    fake.script.reply({ toolUse: { name: 'read_doc', input: { path: '../../package.json', startLine: 1, endLine: 10 } } });
    fake.script.reply({ text: 'I cannot read that document.' });
    const result = await runAgent(request('What is in the secret file?'), await deps());
    const results = bodies()
      .slice(1)
      .map((b) => b.messages.at(-1)!.content[0]!.toolResult!);
    assert.deepEqual(
      results.map((r) => r.status),
      ['error', 'error'],
    );
    assert.match(results[0]!.content[0]!.text, /not an indexed document/);
    assert.match(results[1]!.content[0]!.text, /paths must stay inside the workspace/);
    assert.deepEqual(
      result.steps.map((s) => s.status),
      ['error', 'error'],
    );
    assert.equal(result.answer, 'I cannot read that document.');
    assert.deepEqual(result.citations, []);
  });
});
