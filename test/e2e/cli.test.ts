/**
 * The built CLI (dist/cli.js) end to end, as a child process, against the wire-level fake Bedrock:
 * index a fixture docs folder, search, ask with citations and usage, faults, bad usage.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import type { FakeBedrock } from '../fakes/fakeBedrock';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment with no AWS credentials anywhere (no env keys, no shared files, no IMDS). */
function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'none-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none-credentials'),
    ...extra,
  };
  return env;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 32 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bedrock-docs CLI (end to end)', function () {
  this.timeout(120_000);
  let tmp: string;
  let docs: string;
  let fake: FakeBedrock;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'bdcli-'));
    fake = await startFakeBedrock();
  });
  after(async () => {
    await fake.close();
    await rm(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    docs = await mkdtemp(join(tmp, 'docs-'));
    await cp(join(ROOT, 'test', 'fixtures', 'docs'), docs, { recursive: true });
    fake.reset();
  });

  it('indexes and searches without credentials: full-text only, said once, bad files skipped with the reason', async () => {
    const env = isolatedEnv(tmp);
    const index = await cli(['index', docs], env);
    assert.equal(index.code, 0, index.stderr);
    assert.match(index.stdout, /Indexed \d+ files, \d+ chunks/);
    assert.equal((index.stderr.match(/Full-text only/g) ?? []).length, 1, `one notice, got: ${index.stderr}`);
    assert.match(index.stderr, /credentials/i);
    assert.match(index.stdout, /bad\/binary\.md: .*binary/i);
    assert.match(index.stdout, /bad\/fake\.pdf: .*PDF/i);
    assert.doesNotMatch(index.stdout, /ignored\/secret\.md/, '.gitignore is respected');
    const search = await cli(['search', 'which port does the proxy listen on', '--dir', docs, '--json'], env);
    assert.equal(search.code, 0, search.stderr);
    const rows = JSON.parse(search.stdout) as Array<{
      path: string;
      startLine: number;
      endLine: number;
      breadcrumb: string;
      score: number;
      text: string;
    }>;
    assert.ok(rows.length > 0);
    assert.equal(rows[0]!.path, 'guide/setup.md');
    assert.equal(rows[0]!.breadcrumb, 'Guide > Setup > Proxy');
    const lines = (await readFile(join(docs, rows[0]!.path), 'utf8')).split('\n');
    assert.equal(rows[0]!.text, lines.slice(rows[0]!.startLine - 1, rows[0]!.endLine).join('\n'), 'the lines point at the text');
    assert.equal(fake.requests.length, 0, 'nothing was sent anywhere');
  });

  it('embeds through the fake with signed requests, restores with zero embedding calls, asks with citations and usage', async () => {
    const env = isolatedEnv(tmp, fake.env);
    const index = await cli(['index', docs], env);
    assert.equal(index.code, 0, index.stderr);
    assert.doesNotMatch(index.stderr, /Full-text only/);
    const embeds = fake.requests.filter((r) => r.operation === 'InvokeModel');
    assert.ok(embeds.length > 5, `embedded ${embeds.length} chunks`);
    assert.ok(
      fake.requests.every((r) => r.signature.scheme === 'sigv4' && r.signature.valid),
      'every request carries a valid SigV4 signature',
    );
    fake.reset();
    const again = await cli(['index', docs], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 changed/);
    assert.equal(fake.requests.filter((r) => r.operation === 'InvokeModel').length, 0, 'a second run re-embeds nothing');

    const hybrid = await cli(['search', 'proxy port', '--dir', docs, '--json', '--mode', 'hybrid', '--k', '3'], env);
    assert.equal(hybrid.code, 0, hybrid.stderr);
    assert.equal((JSON.parse(hybrid.stdout) as unknown[]).length, 3);

    fake.reset();
    fake.script.reply({ text: 'The proxy listens on port 3128 [1]. Restart the service after a change [1][2].' });
    const ask = await cli(['ask', 'Which port does the proxy listen on?', '--dir', docs, '--json'], env);
    assert.equal(ask.code, 0, ask.stderr);
    const answer = JSON.parse(ask.stdout) as {
      answer: string;
      citations: Array<{ n: number; path: string; startLine: number; endLine: number }>;
      usage: { inputTokens: number; outputTokens: number };
      latencyMs: number;
    };
    assert.match(answer.answer, /3128 \[1\]/);
    assert.deepEqual(
      answer.citations.map((c) => c.n),
      [1, 2],
    );
    assert.equal(answer.citations[0]!.path, 'guide/setup.md');
    assert.ok(answer.citations[0]!.startLine >= 1 && answer.citations[0]!.endLine >= answer.citations[0]!.startLine);
    assert.ok(answer.usage.inputTokens > 0 && answer.usage.outputTokens > 0);
    assert.ok(answer.latencyMs >= 0);
    const converse = fake.requests.filter((r) => r.operation === 'ConverseStream');
    assert.equal(converse.length, 1);
    assert.ok(converse[0]!.signature.valid);
    const sent = JSON.stringify(converse[0]!.body);
    assert.match(sent, /<source n=\\"1\\" path=\\"guide\/setup.md\\"/, 'the sources are numbered and fenced in the prompt');
    const fakeUsage = converse[0]!;
    assert.ok(fakeUsage.status === 200);
  });

  it('retries throttling, then answers; AccessDenied becomes one clear line with the fix', async () => {
    const env = isolatedEnv(tmp, fake.env);
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.reset();
    fake.faults.add({ type: 'throttle', operation: 'ConverseStream', times: 2 });
    const ok = await cli(['ask', 'proxy port?', '--dir', docs, '--json', '--no-embeddings'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(fake.requests.filter((r) => r.operation === 'ConverseStream').length, 3, 'two throttled attempts, then success');
    fake.faults.clear();
    fake.reset();
    fake.faults.add({ type: 'accessDenied', operation: 'ConverseStream' });
    const denied = await cli(['ask', 'proxy port?', '--dir', docs, '--no-embeddings'], env);
    assert.equal(denied.code, 1);
    const lines = denied.stderr.trim().split('\n');
    assert.equal(lines.length, 1, denied.stderr);
    assert.match(lines[0]!, /^bedrock-docs: .*access/i);
    assert.match(lines[0]!, /modelaccess|model access/i);
    fake.faults.clear();
  });

  it('reports cost and context budget, and a repeated question reads the prompt cache and costs less', async () => {
    const env = isolatedEnv(tmp, fake.env);
    // Sonnet 4.5 caches from 1,024 tokens: a long troubleshooting page makes the sources exceed it.
    const paragraph =
      'When the proxy port is taken or the certificates expire, the troubleshooting steps are: check the log, free the port, renew the certificates, restart the gateway. ';
    await writeFile(
      join(docs, 'guide', 'troubleshooting-proxy.md'),
      `# Troubleshooting the proxy\n\n${Array.from({ length: 40 }, (_, i) => `## Case ${i + 1}\n\n${paragraph.repeat(3)}\n`).join('\n')}`,
    );
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    const args = [
      'ask',
      'How do I troubleshoot the proxy port and certificates?',
      '--dir',
      docs,
      '--json',
      '--no-embeddings',
      '--k',
      '12',
      '--model',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ];
    fake.reset();
    const first = JSON.parse((await cli(args, env)).stdout) as {
      costUsd: number;
      usage: Record<string, number>;
      contextBudget: { windowTokens: number; usedTokens: number; droppedChunks: number; droppedTurns: number };
    };
    const second = JSON.parse((await cli(args, env)).stdout) as typeof first;
    assert.ok(first.usage.cacheWriteInputTokens! > 0, `first call writes the cache: ${JSON.stringify(first.usage)}`);
    assert.ok(second.usage.cacheReadInputTokens! > 0, `second call reads it: ${JSON.stringify(second.usage)}`);
    assert.ok(first.costUsd > 0 && second.costUsd < first.costUsd, `cost ${first.costUsd} then ${second.costUsd}`);
    assert.equal(first.contextBudget.windowTokens, 200_000);
    assert.ok(first.contextBudget.usedTokens > 1000 && first.contextBudget.droppedChunks === 0);
    const sent = fake.requests.find((r) => r.operation === 'ConverseStream')!.body as {
      messages: Array<{ content: Array<Record<string, unknown>> }>;
    };
    assert.ok(
      sent.messages.at(-1)!.content.some((b) => 'cachePoint' in b),
      'a cache point follows the sources block',
    );
    // The usage ledger of the folder adds both questions up, cache reads and writes kept apart.
    const usage = JSON.parse((await cli(['usage', '--dir', docs, '--json'], env)).stdout) as {
      requests: number;
      inputTokens: number;
      cacheReadInputTokens: number;
      cacheWriteInputTokens: number;
      costUsd: number;
    };
    assert.equal(usage.requests, 2);
    assert.equal(usage.inputTokens, first.usage.inputTokens! + second.usage.inputTokens!);
    assert.equal(usage.cacheWriteInputTokens, first.usage.cacheWriteInputTokens! + second.usage.cacheWriteInputTokens!);
    assert.equal(usage.cacheReadInputTokens, first.usage.cacheReadInputTokens! + second.usage.cacheReadInputTokens!);
    assert.ok(Math.abs(usage.costUsd - (first.costUsd + second.costUsd)) < 1e-9);
    // An unknown model (a provisioned-throughput ARN) has no price: cost is null, never 0.
    const arn = await cli(
      [
        'ask',
        'proxy port?',
        '--dir',
        docs,
        '--json',
        '--no-embeddings',
        '--model',
        'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123def456',
      ],
      env,
    );
    assert.equal(arn.code, 0, arn.stderr);
    assert.equal((JSON.parse(arn.stdout) as { costUsd: unknown }).costUsd, null);
  });

  it("trims an over-long context to the model's window instead of failing", async () => {
    const env = isolatedEnv(tmp, fake.env);
    await mkdir(join(docs, '.vscode'), { recursive: true });
    // A provisioned-throughput ARN the catalog cannot know, declared with a small window.
    const paragraph = 'To troubleshoot the gateway, check the proxy port, the certificates and the limits, then restart. ';
    await writeFile(
      join(docs, 'guide', 'troubleshooting-gateway.md'),
      `# Troubleshooting the gateway\n\n${Array.from({ length: 30 }, (_, i) => `## Case ${i + 1}\n\n${paragraph.repeat(3)}\n`).join('\n')}`,
    );
    await writeFile(
      join(docs, '.vscode', 'settings.json'),
      JSON.stringify({
        'bedrockDocs.models.contextWindow': 2500,
        'bedrockDocs.models.maxOutputTokens': 500,
        'bedrockDocs.embeddings.enabled': false,
        'bedrockDocs.retrieval.topK': 20,
      }),
    );
    assert.equal((await cli(['index', docs], env)).code, 0);
    fake.reset();
    const run = await cli(
      [
        'ask',
        'How do I troubleshoot the gateway, the proxy port, certificates and limits?',
        '--dir',
        docs,
        '--json',
        '--model',
        'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123def456',
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { contextBudget: { windowTokens: number; usedTokens: number; droppedChunks: number } };
    assert.equal(out.contextBudget.windowTokens, 2500);
    assert.ok(out.contextBudget.droppedChunks > 0, 'sources were dropped to fit');
    assert.ok(out.contextBudget.usedTokens + 500 <= 2500, `used ${out.contextBudget.usedTokens} + 500 output fits 2500`);
    const body = fake.requests.find((r) => r.operation === 'ConverseStream')!.body as { inferenceConfig: { maxTokens: number } };
    assert.equal(body.inferenceConfig.maxTokens, 500, "the answer budget is capped at the model's output limit");
  });

  it('runs the agent loop: search, read, then a cited answer with its steps', async () => {
    const env = isolatedEnv(tmp, fake.env);
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.reset();
    fake.script.reply({ toolUse: { name: 'search_docs', input: { query: 'proxy port' } } });
    fake.script.reply({ toolUse: { name: 'read_doc', input: { path: 'guide/setup.md', startLine: 10, endLine: 14 } } });
    fake.script.reply({ text: 'Port 3128 [1].' });
    const run = await cli(['ask', 'Which port does the proxy use?', '--agent', '--dir', docs, '--json', '--no-embeddings'], env);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as {
      steps: Array<{ tool: string; input: unknown; resultChars: number }>;
      citations: Array<{ path: string; startLine: number }>;
    };
    assert.deepEqual(
      out.steps.map((s) => s.tool),
      ['search_docs', 'read_doc'],
    );
    assert.ok(out.steps.every((s) => s.resultChars > 0));
    assert.equal(out.citations[0]?.path, 'guide/setup.md');
    const turns = fake.requests.filter((r) => r.operation === 'ConverseStream');
    assert.equal(turns.length, 3);
    assert.match(JSON.stringify(turns[2]!.body), /toolResult/);
  });

  it('compares two models on the same sources with usage and cost', async () => {
    const env = isolatedEnv(tmp, fake.env);
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.reset();
    const run = await cli(
      [
        'compare',
        'Which port does the proxy use?',
        '--models',
        'us.amazon.nova-lite-v1:0,global.anthropic.claude-haiku-4-5-20251001-v1:0',
        '--dir',
        docs,
        '--json',
        '--no-embeddings',
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as {
      sources: unknown[];
      variants: Array<{ modelId: string; usage: { inputTokens: number }; costUsd: number | null; latencyMs: number }>;
    };
    assert.equal(out.variants.length, 2);
    assert.deepEqual(
      out.variants.map((v) => v.modelId),
      ['us.amazon.nova-lite-v1:0', 'global.anthropic.claude-haiku-4-5-20251001-v1:0'],
    );
    assert.ok(out.variants.every((v) => v.usage.inputTokens > 0 && typeof v.costUsd === 'number' && v.costUsd > 0));
    // The same prompt text; only cache points may differ (each model has its own caching minimum).
    const textOf = (r: (typeof fake.requests)[number]) =>
      JSON.stringify(
        (r.body as { messages: Array<{ content: Array<Record<string, unknown>> }> }).messages.map((m) =>
          m.content.filter((b) => 'text' in b),
        ),
      );
    const bodies = fake.requests.filter((r) => r.operation === 'ConverseStream').map(textOf);
    assert.equal(bodies[0], bodies[1], 'both models get the same prompt');
  });

  it('searches a Knowledge Base and fuses it with the local index (--backend both)', async () => {
    const env = isolatedEnv(tmp, fake.env);
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.knowledgeBase.add('KBTEST1234', [
      { uri: 's3://acme-docs/runbooks/proxy.md', text: 'Runbook: when the proxy port 3128 is taken, stop the old process.' },
    ]);
    const kb = await cli(
      ['search', 'proxy port taken', '--dir', docs, '--json', '--no-embeddings', '--backend', 'knowledgeBase', '--kb-id', 'KBTEST1234'],
      env,
    );
    assert.equal(kb.code, 0, kb.stderr);
    assert.equal((JSON.parse(kb.stdout) as Array<{ path: string }>)[0]?.path, 's3://acme-docs/runbooks/proxy.md');
    const both = await cli(
      ['search', 'proxy port taken', '--dir', docs, '--json', '--no-embeddings', '--backend', 'both', '--kb-id', 'KBTEST1234', '--k', '10'],
      env,
    );
    const paths = (JSON.parse(both.stdout) as Array<{ path: string }>).map((r) => r.path);
    assert.ok(paths.includes('s3://acme-docs/runbooks/proxy.md') && paths.includes('guide/setup.md'), paths.join(', '));
    const evalRun = await cli(
      [
        'eval',
        join(ROOT, 'test', 'fixtures', 'eval', 'questions.jsonl'),
        '--dir',
        docs,
        '--retrieval-only',
        '--json',
        '--no-embeddings',
        '--backend',
        'both',
        '--kb-id',
        'KBTEST1234',
      ],
      env,
    );
    assert.equal(evalRun.code, 0, evalRun.stderr);
    assert.ok('recall@5' in (JSON.parse(evalRun.stdout) as { overall: Record<string, unknown> }).overall);
    assert.ok(fake.requests.some((r) => r.operation === 'Retrieve' && r.signature.valid));
  });

  it('answers from the whole corpus when asked to, and expands queries when enabled (settings file)', async () => {
    const env = isolatedEnv(tmp, fake.env);
    await mkdir(join(docs, '.vscode'), { recursive: true });
    await writeFile(
      join(docs, '.vscode', 'settings.json'),
      `{
      // JSON with comments, as VS Code writes it
      "bedrockDocs.chat.wholeCorpus": "always",
      "bedrockDocs.embeddings.enabled": false,
    }`,
    );
    assert.equal((await cli(['index', docs], env)).code, 0);
    fake.reset();
    fake.script.reply({ text: 'Port 3128 [1].' });
    const whole = await cli(['ask', 'Which port does the proxy use?', '--dir', docs, '--json'], env);
    assert.equal(whole.code, 0, whole.stderr);
    assert.equal((JSON.parse(whole.stdout) as { mode: string }).mode, 'wholeCorpus');
    const sent = JSON.stringify(fake.requests.find((r) => r.operation === 'ConverseStream')!.body);
    for (const file of ['guide/setup.md', 'guide/faq.md', 'reference/api.html', 'notes.txt'])
      assert.ok(sent.includes(file), `the whole corpus is in the prompt: ${file}`);
    await writeFile(
      join(docs, '.vscode', 'settings.json'),
      JSON.stringify({ 'bedrockDocs.retrieval.queryExpansion.enabled': true, 'bedrockDocs.embeddings.enabled': false }),
    );
    fake.reset();
    fake.script.reply({ text: 'listening socket\nforward proxy TCP port' });
    fake.script.reply({ text: 'Port 3128 [1].' });
    const expanded = await cli(['ask', 'Which port does the proxy use?', '--dir', docs, '--json'], env);
    assert.equal(expanded.code, 0, expanded.stderr);
    const calls = fake.requests.filter((r) => r.operation === 'ConverseStream' || r.operation === 'Converse');
    assert.equal(calls.length, 2, 'one expansion call, then the answer');
    assert.equal(calls[0]!.modelId, 'amazon.nova-micro-v1:0');
    assert.equal((JSON.parse(expanded.stdout) as { mode: string }).mode, 'retrieval');
  });

  it('writes contextual blurbs before embedding when enabled, says what they cost, and keeps them', async () => {
    const env = isolatedEnv(tmp, fake.env);
    await mkdir(join(docs, '.vscode'), { recursive: true });
    await writeFile(join(docs, '.vscode', 'settings.json'), JSON.stringify({ 'bedrockDocs.index.contextualBlurbs.enabled': true }));
    fake.reset();
    const first = await cli(['index', docs], env);
    assert.equal(first.code, 0, first.stderr);
    const said = /Contextual blurbs: (\d+) model calls/.exec(first.stderr);
    assert.ok(said, `the cost is said before the blurbs are written: ${first.stderr}`);
    const blurbCalls = fake.requests.filter(
      (r) => (r.operation === 'Converse' || r.operation === 'ConverseStream') && r.modelId === 'amazon.nova-micro-v1:0',
    );
    assert.equal(blurbCalls.length, Number(said[1]));
    assert.ok(blurbCalls.length > 0);
    // Embedding comes after the blurbs and embeds chunk text with its context.
    const firstEmbed = fake.requests.findIndex((r) => r.operation === 'InvokeModel');
    assert.ok(firstEmbed > fake.requests.indexOf(blurbCalls.at(-1)!), 'blurbs are written before the chunks are embedded');
    fake.reset();
    const again = await cli(['index', docs], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(fake.requests.length, 0, 'unchanged files need no new blurbs and no new embeddings');
  });

  it('exits 2 on bad usage', async () => {
    const env = isolatedEnv(tmp);
    assert.equal((await cli(['search'], env)).code, 2);
    assert.equal((await cli(['search', 'x', '--mode', 'nonsense', '--dir', docs], env)).code, 2);
    assert.equal((await cli(['frobnicate'], env)).code, 2);
    const missing = await cli(['index', join(tmp, 'does-not-exist')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /not a directory/);
  });
});
