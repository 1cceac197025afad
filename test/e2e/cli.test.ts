/**
 * The built CLI (dist/cli.js) end to end, as a child process, against the wire-level fake Bedrock:
 * index a fixture docs folder, search, ask with citations and usage, faults, bad usage.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
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
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'none-config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none-credentials'), ...extra };
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
    const rows = JSON.parse(search.stdout) as Array<{ path: string; startLine: number; endLine: number; breadcrumb: string; score: number; text: string }>;
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
    assert.ok(fake.requests.every((r) => r.signature.scheme === 'sigv4' && r.signature.valid), 'every request carries a valid SigV4 signature');
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
    const answer = JSON.parse(ask.stdout) as { answer: string; citations: Array<{ n: number; path: string; startLine: number; endLine: number }>; usage: { inputTokens: number; outputTokens: number }; latencyMs: number };
    assert.match(answer.answer, /3128 \[1\]/);
    assert.deepEqual(answer.citations.map((c) => c.n), [1, 2]);
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
