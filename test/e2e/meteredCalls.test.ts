/**
 * The promise about every Bedrock call, checked where it is kept: with query expansion, contextual
 * blurbs, a Knowledge Base and reranking on, the built CLI's index, ask, ask --agent, compare and
 * eval make calls for many purposes; the usage ledger must count every call the fake received, per
 * model, at the price a recomputation from the fake's reported usage gives; with the monthly budget
 * spent, none of them may send anything; and no planted secret may reach the fake. Also, in
 * process, the pipeline's follow-up condensing through the same per-settings stack the extension uses.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupModel } from '../../src/core/models/catalog';
import type { Logger } from '../../src/core/ports';
import { runQuestion } from '../../src/core/rag/questionPipeline';
import { readSettings } from '../../src/core/settings';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { DocsStack } from '../../src/node/docsStack';
import { LedgerMeterHost } from '../../src/node/usage/ledgerMeterHost';
import { UsageStore } from '../../src/node/usage/usageStore';
import { WorkspaceSource } from '../../src/node/workspaceSource';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import type { FakeBedrock, RecordedRequest } from '../fakes/fakeBedrock';
import { setEnv, isolatedFakeEnv } from '../fakes/envScope';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const KB_ID = 'KB12345678';
const EMBED = 'amazon.titan-embed-text-v2:0';
const CHAT = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const NOVA_MICRO = 'amazon.nova-micro-v1:0';
const NOVA_LITE = 'us.amazon.nova-lite-v1:0';
const RERANK = 'cohere.rerank-v3-5:0';

// Planted in a document, in a file name and in a question: none may reach Bedrock.
const PLANTED = {
  accessKey: 'AKIAQWERTYUIOPASDFGH',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Xk2Lw9T',
  email: 'jane.doe@corp-example.com',
  card: '4111 1111 1111 1111',
  github: 'ghp_1234567890abcdefghijklmnopqrstuvwxyz',
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The model a request was made to, as the ledger names it. */
function modelOfRequest(r: RecordedRequest): string {
  if (r.operation === 'Retrieve') return `knowledge-base/${r.knowledgeBaseId}`;
  if (r.operation === 'Rerank') {
    const arn = (r.body as { rerankingConfiguration?: { bedrockRerankingConfiguration?: { modelConfiguration?: { modelArn?: string } } } })
      .rerankingConfiguration?.bedrockRerankingConfiguration?.modelConfiguration?.modelArn;
    return arn?.slice(arn.indexOf('/') + 1) ?? '?';
  }
  return r.modelId ?? '?';
}

/**
 * What a request cost, from what the fake reported and the catalog's per-1,000 prices, by hand:
 * tokens x price / 1000 for each count; rerank $2.00 per 1,000 queries of up to 100 documents;
 * Retrieve has no price here (null).
 */
function recomputedCost(r: RecordedRequest): number | null {
  if (r.status !== 200) return 0;
  if (r.operation === 'Retrieve') return null;
  if (r.operation === 'Rerank') {
    const documents = (r.body as { sources: unknown[] }).sources.length;
    return (Math.ceil(documents / 100) * 2.0) / 1000;
  }
  const p = lookupModel(r.modelId!).prices!;
  if (r.reported?.inputTokens !== undefined) return (r.reported.inputTokens * p.inputPer1k!) / 1000;
  const u = r.reported!.usage!;
  return (
    (u.inputTokens * p.inputPer1k! +
      u.outputTokens * p.outputPer1k! +
      u.cacheReadInputTokens * (p.cacheReadPer1k ?? 0) +
      u.cacheWriteInputTokens * (p.cacheWritePer1k ?? 0)) /
    1000
  );
}

describe('every Bedrock call is metered, budgeted and redacted (the built CLI against the fake)', function () {
  this.timeout(600_000);
  let tmp: string;
  let docs: string;
  let fake: FakeBedrock;
  let env: NodeJS.ProcessEnv;
  let evalFile: string;

  const settings = (extra: Record<string, unknown> = {}) =>
    writeFile(
      join(docs, '.vscode', 'settings.json'),
      JSON.stringify({
        'bedrockDocs.retrieval.queryExpansion.enabled': true,
        'bedrockDocs.index.contextualBlurbs.enabled': true,
        'bedrockDocs.retrieval.rerank.enabled': true,
        'bedrockDocs.retrieval.backend': 'both',
        'bedrockDocs.knowledgeBase.id': KB_ID,
        ...extra,
      }),
    );

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'metered-'));
    fake = await startFakeBedrock();
    env = {
      PATH: process.env.PATH,
      HOME: tmp,
      AWS_CONFIG_FILE: join(tmp, 'none-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'none-credentials'),
      ...fake.env,
    };
  });
  after(async () => {
    await fake.close();
    await rm(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    docs = await mkdtemp(join(tmp, 'docs-'));
    await cp(join(ROOT, 'test', 'fixtures', 'eval', 'docs'), docs, { recursive: true });
    await mkdir(join(docs, '.vscode'), { recursive: true });
    await writeFile(
      join(docs, 'guide', 'operations.md'),
      [
        '# Operations',
        '',
        '## Credentials for the deploy job',
        '',
        `The deploy job signs in with access key ${PLANTED.accessKey} and`,
        `aws_secret_access_key = ${PLANTED.secretKey} from the vault.`,
        `Questions go to ${PLANTED.email}; the test card is ${PLANTED.card}.`,
        `The CI token is ${PLANTED.github}.`,
        '',
      ].join('\n'),
    );
    await writeFile(join(docs, `contact-${PLANTED.email}.md`), '# Contact\n\nThe on-call rota for the proxy and the limits team.\n');
    evalFile = join(tmp, 'questions.jsonl');
    await cp(join(ROOT, 'test', 'fixtures', 'eval', 'questions.jsonl'), evalFile);
    fake.reset();
    fake.knowledgeBase.add(KB_ID, [
      { text: 'Workspaces may send up to 500 requests per second.', uri: 's3://docs-bucket/limits.md' },
      { text: 'The proxy listens on port 3128.', uri: 's3://docs-bucket/proxy.md' },
    ]);
  });

  it('ledger requests equal the calls the fake received, per model, and the summed cost matches a recomputation', async () => {
    await settings();
    const runs: Array<[string, Run]> = [];
    const run = async (args: string[]) => runs.push([args[0]!, await cli(args, env)]);
    await run(['index', docs]);
    await run(['ask', `Which port does the proxy use? Ask ${PLANTED.email}`, '--dir', docs, '--json']);
    await run(['ask', 'How many requests per second can a workspace make?', '--dir', docs, '--agent', '--json']);
    await run(['compare', 'Is encryption at rest on the free tier?', '--models', `${NOVA_MICRO},${NOVA_LITE}`, '--dir', docs, '--json']);
    await run(['eval', evalFile, '--dir', docs, '--json']);
    for (const [name, r] of runs) assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    const usage = await cli(['usage', '--dir', docs, '--json'], env);
    assert.equal(usage.code, 0, usage.stderr);
    const ledger = JSON.parse(usage.stdout) as {
      requests: number;
      byModel: Array<{ modelId: string; requests: number; costUsd: number | null }>;
      byPurpose: Array<{ purpose: string; requests: number }>;
    };

    const wire = new Map<string, { calls: number; usd: number | null }>();
    for (const r of fake.requests) {
      const key = modelOfRequest(r);
      const row = wire.get(key) ?? { calls: 0, usd: 0 };
      const usd = recomputedCost(r);
      wire.set(key, { calls: row.calls + 1, usd: row.usd === null || usd === null ? null : row.usd + usd });
    }
    const table = [...wire].map(([model, w]) => {
      const l = ledger.byModel.find((m) => m.modelId === model);
      return { model, wireCalls: w.calls, ledgerRequests: l?.requests ?? 0, wireUsd: w.usd, ledgerUsd: l?.costUsd ?? null };
    });
    console.log(`      ledger vs wire:\n${table.map((t) => `        ${JSON.stringify(t)}`).join('\n')}`);
    // Every model the fake saw, and only those, with the same number of calls.
    assert.deepEqual(
      table.map((t) => [t.model, t.ledgerRequests]),
      table.map((t) => [t.model, t.wireCalls]),
    );
    assert.equal(ledger.requests, fake.requests.length);
    assert.deepEqual(ledger.byModel.map((m) => m.modelId).sort(), [...wire.keys()].sort());
    for (const t of table) {
      if (t.wireUsd === null) assert.equal(t.ledgerUsd, null, `${t.model}: unknown stays unknown`);
      else assert.ok(Math.abs((t.ledgerUsd ?? -1) - t.wireUsd) < 1e-9, `${t.model}: ledger $${t.ledgerUsd} vs wire $${t.wireUsd}`);
    }
    // The purposes this run had to make.
    const purposes = new Set(ledger.byPurpose.map((p) => p.purpose));
    for (const p of [
      'indexEmbedding',
      'contextualBlurb',
      'queryEmbedding',
      'queryExpansion',
      'rerank',
      'knowledgeBase',
      'question',
      'agentStep',
      'compare',
      'evalAnswer',
    ])
      assert.ok(purposes.has(p), `purpose ${p} is recorded: ${[...purposes].join(', ')}`);
    for (const model of [EMBED, CHAT, NOVA_MICRO, NOVA_LITE, RERANK, `knowledge-base/${KB_ID}`]) assert.ok(wire.has(model), model);

    // No planted value reached Bedrock, in any body or path, whatever the feature.
    const sent = JSON.stringify(fake.requests.map((r) => [r.path, r.body]));
    for (const [name, value] of Object.entries(PLANTED)) assert.ok(!sent.includes(value), `${name} leaked`);
    assert.ok(!sent.includes(PLANTED.card.replace(/ /g, '')), 'card leaked without spaces');
  });

  it('with the monthly budget spent, index, ask, agent, compare and eval send nothing and name the setting', async () => {
    await settings();
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    // One call already spent this month's $0.000001 budget.
    await settings({ 'bedrockDocs.usage.monthlyBudgetUsd': 0.000001 });
    const spent: UsageRecord = {
      time: Date.now(),
      kind: 'question',
      purpose: 'question',
      requests: 1,
      modelId: CHAT,
      inputTokens: 1000,
      outputTokens: 100,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
      embeddingTokens: 0,
      latencyMs: 900,
      costUsd: 0.0016,
    };
    await new UsageStore(join(docs, '.bedrock-docs', 'usage.jsonl')).append(spent);
    await writeFile(join(docs, 'guide', 'new.md'), '# New\n\nA new page about the proxy and its port.\n');
    const before = fake.requests.length;
    const sentSince = () => fake.requests.slice(before);
    const commands = [
      ['index', docs],
      ['ask', 'Which port does the proxy use?', '--dir', docs],
      ['ask', 'Which port does the proxy use?', '--dir', docs, '--agent'],
      ['compare', 'Which port?', '--models', `${NOVA_MICRO},${NOVA_LITE}`, '--dir', docs],
      ['eval', evalFile, '--dir', docs],
    ];
    for (const args of commands) {
      const r = await cli(args, env);
      assert.equal(
        sentSince().length,
        0,
        `${args[0]} sent ${sentSince()
          .map((q) => q.operation)
          .join(', ')}`,
      );
      assert.match(r.stdout + r.stderr, /bedrockDocs\.usage\.monthlyBudgetUsd/, `${args[0]} names the budget setting`);
    }
    // Allowed for this run, it sends again.
    const allowed = await cli(['ask', 'Which port does the proxy use?', '--dir', docs, '--over-budget', '--json'], env);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.ok(sentSince().some((r) => r.operation === 'ConverseStream'));
  });
});

describe('follow-up condensing through the shared stack is metered (in process, real SDK)', function () {
  this.timeout(120_000);
  let fake: FakeBedrock;
  let restore: () => void;
  let dir: string;

  before(async () => {
    fake = await startFakeBedrock();
    restore = setEnv(isolatedFakeEnv(fake));
    dir = await mkdtemp(join(tmpdir(), 'followup-'));
    await cp(join(ROOT, 'test', 'fixtures', 'eval', 'docs'), dir, { recursive: true });
  });
  after(async () => {
    restore();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the condensing call as followUp and the answer as question, one record each', async () => {
    const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const ledger = new UsageStore(join(dir, 'usage.jsonl'));
    const host = await LedgerMeterHost.open(ledger, { logger: quiet, budgetSet: false, allowOverBudget: false });
    const { settings } = readSettings(() => undefined);
    const stack = new DocsStack(settings, { logger: quiet, source: (s) => new WorkspaceSource(dir, s), meterHost: host });
    try {
      await (await stack.indexer()).sync();
      fake.reset();
      const result = await runQuestion(
        { question: 'And how do I change it?', history: [{ question: 'Which proxy variable do I set?', answer: 'HTTPS_PROXY [1].' }] },
        await stack.pipelineDeps(),
      );
      await host.flushed();
      const records = (await ledger.read()).records.filter((r) => r.purpose !== 'indexEmbedding');
      assert.deepEqual(records.map((r) => r.purpose).sort(), ['followUp', 'question', 'queryEmbedding'].sort());
      assert.equal(fake.requests.length, 3);
      assert.equal(result.total.calls, 3, 'the question counts all three calls');
      assert.ok(result.searchedFor, 'the condensed query was searched for');
    } finally {
      stack.dispose();
      await host.flushed();
    }
  });
});
