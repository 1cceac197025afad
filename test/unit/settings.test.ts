import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEndpoint, contributedProperties, defaultSettings, readSettings, restrictedSettingKeys } from '../../src/core/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('settings table', () => {
  it('matches package.json contributes.configuration exactly (run npm run sync:settings after editing)', () => {
    assert.deepEqual(pkg.contributes.configuration.properties, contributedProperties());
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, restrictedSettingKeys());
  });

  it('restricts every setting that can redirect credentials, endpoints or models', () => {
    const restricted = restrictedSettingKeys();
    for (const key of [
      'bedrockDocs.aws.profile',
      'bedrockDocs.aws.region',
      'bedrockDocs.aws.endpoint',
      'bedrockDocs.chat.modelId',
      'bedrockDocs.embeddings.modelId',
    ]) {
      assert.ok(restricted.includes(key), key);
    }
  });

  it('falls back to the default for a bad value and names the setting', () => {
    const { settings, problems } = readSettings(
      (key) =>
        (
          ({ 'chat.maxTokens': -5, 'retrieval.mode': 'magic', 'embeddings.dimensions': 300, 'index.include': 'docs/**' }) as Record<
            string,
            unknown
          >
        )[key],
    );
    assert.equal(settings['chat.maxTokens'], defaultSettings()['chat.maxTokens']);
    assert.equal(settings['retrieval.mode'], 'hybrid');
    assert.equal(settings['embeddings.dimensions'], 1024);
    assert.deepEqual(problems.map((p) => p.key).sort(), [
      'bedrockDocs.chat.maxTokens',
      'bedrockDocs.embeddings.dimensions',
      'bedrockDocs.index.include',
      'bedrockDocs.retrieval.mode',
    ]);
    assert.match(problems.find((p) => p.key === 'bedrockDocs.chat.maxTokens')!.message, /at least 1/);
  });

  it('accepts valid values, null where allowed', () => {
    const { settings, problems } = readSettings(
      (key) => (({ 'chat.topP': null, 'chat.temperature': 0.7, 'embeddings.dimensions': 256 }) as Record<string, unknown>)[key],
    );
    assert.deepEqual(problems, []);
    assert.equal(settings['chat.topP'], null);
    assert.equal(settings['chat.temperature'], 0.7);
    assert.equal(settings['embeddings.dimensions'], 256);
  });

  it('allows https endpoints and plain http only on loopback', () => {
    assert.equal(checkEndpoint(''), undefined);
    assert.equal(checkEndpoint('https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com'), undefined);
    assert.equal(checkEndpoint('http://127.0.0.1:4566'), undefined);
    assert.match(checkEndpoint('http://attacker.example.com')!, /must use https/);
    assert.match(checkEndpoint('not a url')!, /not a URL/);
    const { problems } = readSettings((key) => (key === 'aws.endpoint' ? 'http://evil.example' : undefined));
    assert.equal(problems[0]!.key, 'bedrockDocs.aws.endpoint');
  });
});
