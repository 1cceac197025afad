import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockDocsError } from '../../src/core/errors';
import { probeCredentials, resolveRegion } from '../../src/node/bedrock/awsAccess';
import { BedrockChatModel } from '../../src/node/bedrock/bedrockChatModel';
import { BedrockClientCache } from '../../src/node/bedrock/bedrockClient';
import { isolatedFakeEnv, setEnv } from '../fakes/envScope';
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import {
  FAKE_BEDROCK_API_KEY,
  FAKE_SESSION_ACCESS_KEY_ID,
  FAKE_SESSION_SECRET_ACCESS_KEY,
  FAKE_SESSION_TOKEN,
} from '../fakes/fakeCredentials';

const START_URL = 'https://example-corp.awsapps.com/start';

describe('AWS access for Bedrock (credentials, region, endpoint, client cache)', () => {
  let fake: FakeBedrock;
  let home: string;
  let restoreEnv: () => void;

  before(async () => {
    fake = await startFakeBedrock();
    home = mkdtempSync(join(tmpdir(), 'bedrock-docs-aws-'));
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    const past = new Date(Date.now() - 3_600_000).toISOString();
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile sso-legacy]',
        `sso_start_url = ${START_URL}`,
        'sso_region = us-east-1',
        'sso_account_id = 123456789012',
        'sso_role_name = Dev',
        'region = eu-central-1',
        '',
        '[profile sso-new]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Dev',
        '',
        '[sso-session corp]',
        `sso_start_url = ${START_URL}`,
        'sso_region = us-east-1',
        '',
        '[profile keys]',
        'region = ap-southeast-2',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(home, '.aws', 'credentials'),
      `[keys]\naws_access_key_id = ${FAKE_SESSION_ACCESS_KEY_ID}\naws_secret_access_key = ${FAKE_SESSION_SECRET_ACCESS_KEY}\naws_session_token = ${FAKE_SESSION_TOKEN}\n`,
    );
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    const token = JSON.stringify({ accessToken: 'expired-token', expiresAt: past, region: 'us-east-1', startUrl: START_URL });
    writeFileSync(join(home, '.aws', 'sso', 'cache', `${sha1(START_URL)}.json`), token);
    writeFileSync(join(home, '.aws', 'sso', 'cache', `${sha1('corp')}.json`), token);
    restoreEnv = setEnv(
      isolatedFakeEnv(fake, {
        HOME: home,
        USERPROFILE: home,
        AWS_CONFIG_FILE: join(home, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      }),
    );
  });
  after(async () => {
    restoreEnv();
    rmSync(home, { recursive: true, force: true });
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('resolves the region from the setting, AWS_REGION, AWS_DEFAULT_REGION, the profile, then us-east-1', async () => {
    const env = { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-3' };
    assert.deepEqual(await resolveRegion({ region: 'ca-central-1', profile: 'keys' }, env), { region: 'ca-central-1', source: 'setting' });
    assert.deepEqual(await resolveRegion({ profile: 'keys' }, env), { region: 'us-west-2', source: 'AWS_REGION' });
    assert.deepEqual(await resolveRegion({ profile: 'keys' }, { AWS_DEFAULT_REGION: 'eu-west-3' }), {
      region: 'eu-west-3',
      source: 'AWS_DEFAULT_REGION',
    });
    assert.deepEqual(await resolveRegion({ profile: 'keys' }, {}), { region: 'ap-southeast-2', source: 'profile' });
    assert.deepEqual(await resolveRegion({ profile: 'sso-legacy' }, {}), { region: 'eu-central-1', source: 'profile' });
    assert.deepEqual(await resolveRegion({ profile: 'no-such-profile' }, {}), { region: 'us-east-1', source: 'default' });
  });

  it('probes environment keys, profile keys and API keys without calling Bedrock', async () => {
    assert.deepEqual(await probeCredentials({}), { kind: 'sigv4', temporary: false, expiration: undefined, profile: undefined });
    assert.deepEqual(await probeCredentials({ profile: 'keys' }), {
      kind: 'sigv4',
      temporary: true,
      expiration: undefined,
      profile: 'keys',
    });
    assert.deepEqual(await probeCredentials({ apiKey: 'ABSKsomething' }), { kind: 'apiKey', source: 'setting' });
    assert.deepEqual(await probeCredentials({}, { AWS_BEARER_TOKEN_BEDROCK: 'ABSKx' }), {
      kind: 'apiKey',
      source: 'AWS_BEARER_TOKEN_BEDROCK',
    });
    assert.equal(fake.requests.length, 0);
  });

  it('reports NO_CREDENTIALS when the chain finds nothing (instance metadata disabled)', async () => {
    const restore = setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: 'true' });
    try {
      await assert.rejects(
        probeCredentials({}),
        (err: unknown) => err instanceof BedrockDocsError && err.code === 'NO_CREDENTIALS' && /aws configure sso/.test(err.hint ?? ''),
      );
      await assert.rejects(
        probeCredentials({ profile: 'no-such-profile' }),
        (err: unknown) => err instanceof BedrockDocsError && err.code === 'NO_CREDENTIALS' && /no-such-profile/.test(err.message),
      );
    } finally {
      restore();
    }
  });

  it('reports SSO_EXPIRED with the `aws sso login --profile` hint for expired SSO sessions', async () => {
    for (const profile of ['sso-legacy', 'sso-new']) {
      await assert.rejects(probeCredentials({ profile }), (err: unknown) => {
        assert.ok(err instanceof BedrockDocsError);
        assert.equal(err.code, 'SSO_EXPIRED', `${profile}: ${err.message}`);
        assert.match(err.hint ?? '', new RegExp(`aws sso login --profile ${profile}`));
        return true;
      });
    }
  });

  it("uses a named profile's keys for Bedrock calls, and the endpoint setting over the environment", async () => {
    const restore = setEnv({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9' });
    const clients = new BedrockClientCache();
    try {
      const connection = await clients.get({ profile: 'keys', region: 'us-east-1', endpoint: fake.url, maxAttempts: 1 });
      assert.equal(connection.context.endpoint, fake.url);
      const model = new BedrockChatModel(connection.client, connection.context);
      for await (const _event of model.converseStream({
        modelId: 'us.amazon.nova-2-lite-v1:0',
        messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      })) {
        // drain
      }
      assert.equal(fake.requests[0]?.signature.accessKeyId, FAKE_SESSION_ACCESS_KEY_ID);
      assert.equal(fake.requests[0]?.signature.valid, true);
    } finally {
      clients.dispose();
      restore();
    }
  });

  it('keeps one client per configuration', async () => {
    const clients = new BedrockClientCache();
    try {
      const a = await clients.get({ region: 'us-east-1', maxAttempts: 4 });
      const b = await clients.get({ region: 'us-east-1', maxAttempts: 4 });
      const c = await clients.get({ region: 'eu-west-1', maxAttempts: 4 });
      const d = await clients.get({ region: 'us-east-1', maxAttempts: 4, apiKey: FAKE_BEDROCK_API_KEY });
      assert.equal(a.client, b.client);
      assert.notEqual(a.client, c.client);
      assert.notEqual(a.client, d.client);
      assert.doesNotMatch(d.key, /ABSK/);
      assert.equal(await c.client.config.region(), 'eu-west-1');
      assert.equal(await a.client.config.maxAttempts(), 4);
    } finally {
      clients.dispose();
    }
  });
});
