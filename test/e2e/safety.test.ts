/**
 * Safety and fault tolerance end to end, through the built CLI and the fake Bedrock: redaction
 * before anything leaves the machine, guardrails, no secrets in output, a dropped stream, timeouts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FAKE_ACCESS_KEY_ID,
  FAKE_BEDROCK_API_KEY,
  FAKE_SECRET_ACCESS_KEY,
  FAKE_SESSION_SECRET_ACCESS_KEY,
  FAKE_SESSION_TOKEN,
} from '../fakes/fakeCredentials';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import type { FakeBedrock } from '../fakes/fakeBedrock';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
// A realistic leaked key in a doc (AWS's documented example shape, not a real key).
const LEAKED_KEY = 'AKIAZX7QWERTYUIOP123';
const LEAKED_EMAIL = 'jane.doe@acme-corp.io';

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({
        code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
        stdout,
        stderr,
      });
    });
  });
}

describe('safety and faults (CLI against the fake Bedrock)', function () {
  this.timeout(120_000);
  let tmp: string;
  let docs: string;
  let fake: FakeBedrock;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'bdsafe-'));
    fake = await startFakeBedrock();
    env = {
      PATH: process.env.PATH,
      HOME: tmp,
      AWS_CONFIG_FILE: join(tmp, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'none'),
      ...fake.env,
    };
  });
  after(async () => {
    await fake.close();
    await rm(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    docs = await mkdtemp(join(tmp, 'docs-'));
    await cp(join(ROOT, 'test', 'fixtures', 'docs'), docs, { recursive: true });
    await writeFile(
      join(docs, 'guide', 'deploy.md'),
      `# Deploy\n\n## Credentials\n\nThe deploy bot uses access key ${LEAKED_KEY} and mails ${LEAKED_EMAIL} when the deploy pipeline fails.\n`,
    );
    fake.reset();
  });

  it('redacts secrets and personal data before they reach embeddings or the model', async () => {
    const index = await cli(['index', docs], env);
    assert.equal(index.code, 0, index.stderr);
    fake.script.reply({ text: 'The bot uses a key [1].' });
    const ask = await cli(['ask', `Which key does the deploy bot use? Mail ${LEAKED_EMAIL}`, '--dir', docs, '--json'], env);
    assert.equal(ask.code, 0, `${ask.stdout}\n${ask.stderr}`);
    const wire = JSON.stringify(fake.requests.map((r) => r.body));
    assert.ok(fake.requests.some((r) => r.operation === 'InvokeModel') && fake.requests.some((r) => r.operation === 'ConverseStream'));
    assert.ok(!wire.includes(LEAKED_KEY), 'the access key never left the machine');
    assert.ok(!wire.includes(LEAKED_EMAIL), 'the email never left the machine');
    assert.match(
      wire,
      /\[AWS_ACCESS_KEY_[0-9a-f]{6}\]|\[AWSACCESSKEY_[0-9a-f]{6}\]|\[[A-Z_]*KEY[A-Z_]*_[0-9a-f]{6}\]/,
      'a stable placeholder stands in its place',
    );
    assert.match(wire, /\[EMAIL_[0-9a-f]{6}\]/);
  });

  it('sends the guardrail and reports an intervention as such, not as an answer', async () => {
    await mkdir(join(docs, '.vscode'), { recursive: true });
    await writeFile(
      join(docs, '.vscode', 'settings.json'),
      JSON.stringify({ 'bedrockDocs.guardrail.id': 'gr-test-123', 'bedrockDocs.guardrail.version': '2' }),
    );
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.script.reply({ guardrailIntervened: { text: 'Sorry, I cannot help with that.' } });
    const ask = await cli(['ask', 'proxy port?', '--dir', docs, '--json', '--no-embeddings'], env);
    assert.equal(ask.code, 0, ask.stderr);
    const out = JSON.parse(ask.stdout) as { guardrail?: { summary: string }; citations: unknown[] };
    assert.ok(out.guardrail, 'the intervention is reported');
    assert.match(out.guardrail.summary, /guardrail|blocked|filter|policy/i);
    assert.deepEqual(out.citations, []);
    const body = fake.requests.find((r) => r.operation === 'ConverseStream')!.body as {
      guardrailConfig?: { guardrailIdentifier: string; guardrailVersion: string };
    };
    assert.equal(body.guardrailConfig?.guardrailIdentifier, 'gr-test-123');
    assert.equal(body.guardrailConfig?.guardrailVersion, '2');
  });

  it('keeps the partial answer of a stream cut midway, marked incomplete', async () => {
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.script.reply({
      text: 'The proxy listens on port 3128 by default, and you can change it with proxy.port [1]. More text follows here.',
    });
    fake.faults.add({ type: 'cutStream', operation: 'ConverseStream', afterFrames: 4, times: 4 });
    const ask = await cli(['ask', 'proxy port?', '--dir', docs, '--json', '--no-embeddings'], env);
    fake.faults.clear();
    assert.equal(ask.code, 1);
    const out = JSON.parse(ask.stdout) as { answer: string; incomplete: boolean; error: string };
    assert.equal(out.incomplete, true);
    assert.ok(out.answer.length > 0, 'the text received before the cut is kept');
    assert.match(out.error, /ended before it was complete/i);
  });

  it('honours the request timeout setting and says so', async () => {
    await mkdir(join(docs, '.vscode'), { recursive: true });
    await writeFile(
      join(docs, '.vscode', 'settings.json'),
      JSON.stringify({ 'bedrockDocs.request.timeoutMs': 1000, 'bedrockDocs.request.maxAttempts': 1 }),
    );
    assert.equal((await cli(['index', docs, '--no-embeddings'], env)).code, 0);
    fake.faults.add({ type: 'delay', operation: 'ConverseStream', ms: 4000 });
    const started = Date.now();
    const ask = await cli(['ask', 'proxy port?', '--dir', docs, '--no-embeddings'], env);
    fake.faults.clear();
    assert.equal(ask.code, 1);
    assert.match(ask.stderr, /No answer from Bedrock .* within 1000 ms/);
    assert.ok(Date.now() - started < 15_000);
  });

  it('never prints credentials, session tokens or API keys, even verbose and on errors', async () => {
    const withSession = {
      ...env,
      AWS_ACCESS_KEY_ID: 'ASIAFAKEBEDROCKTEST2',
      AWS_SECRET_ACCESS_KEY: FAKE_SESSION_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
    };
    const outputs: string[] = [];
    for (const e of [env, withSession, { ...env, AWS_BEARER_TOKEN_BEDROCK: FAKE_BEDROCK_API_KEY }]) {
      const index = await cli(['index', docs, '--verbose'], e);
      fake.faults.add({ type: 'accessDenied', operation: 'ConverseStream', times: 1 });
      const denied = await cli(['ask', 'proxy port?', '--dir', docs, '--verbose', '--json'], e);
      fake.faults.clear();
      outputs.push(index.stdout, index.stderr, denied.stdout, denied.stderr);
    }
    const all = outputs.join('\n');
    assert.match(all, /Indexed \d+ files/, 'the runs did produce output');
    assert.match(all, /bedrock-docs: /, 'and errors');
    for (const secret of [FAKE_SECRET_ACCESS_KEY, FAKE_SESSION_SECRET_ACCESS_KEY, FAKE_SESSION_TOKEN, FAKE_BEDROCK_API_KEY]) {
      assert.ok(!all.includes(secret), `a secret appeared in the output: ${secret.slice(0, 6)}…`);
    }
    assert.ok(!/Signature=[0-9a-f]{64}/.test(all), 'no request signature in the output');
    assert.ok(FAKE_ACCESS_KEY_ID.length > 0);
  });
});
